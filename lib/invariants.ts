// The invariant checker (SECURITY.md "Tests that prove it"): a list of named checks over the whole database,
// each returning what it found. Run by `npm run check:invariants` and by the concurrency and crash tests.
// To add a check (signatures, publication…), append an entry to INVARIANT_CHECKS.
import crypto from 'node:crypto';
import { sql, type SQL } from 'drizzle-orm';
import type { DbOrTx } from '@/db';
import { GENESIS_HASH, verifyChain, type ChainType } from './audit';
import { canonicalJson } from './canonical';
import { publicKeys, type PublicKeyInfo } from './record-keys';

export type InvariantFinding = { name: string; count: number; samples: unknown[] };

export type InvariantCheck = {
  name: string;
  /** What a finding means, printed beside the count. */
  description: string;
  run: (db: DbOrTx, opts: { sampleLimit: number }) => Promise<{ count: number; samples: unknown[] }>;
};

/** A check expressed as one query whose rows are the findings; counted in SQL, only a few rows fetched. */
function sqlCheck(name: string, description: string, query: SQL): InvariantCheck {
  return {
    name,
    description,
    run: async (db, { sampleLimit }) => {
      const rows = (await db.execute(
        sql`SELECT q.*, count(*) OVER () AS "__total" FROM (${query}) q LIMIT ${sampleLimit}`,
      )) as unknown as Record<string, unknown>[];
      const count = rows.length > 0 ? Number(rows[0]!.__total) : 0;
      const samples = rows.map(({ __total, ...rest }) => rest);
      return { count, samples };
    },
  };
}

export const INVARIANT_CHECKS: InvariantCheck[] = [
  sqlCheck(
    'audit.forked_chains',
    'two events of one chain share a prev_hash',
    sql`SELECT chain_type, chain_id, prev_hash, count(*)::int AS events
        FROM audit_events GROUP BY chain_type, chain_id, prev_hash HAVING count(*) > 1`,
  ),
  {
    name: 'audit.chains_not_verifying',
    description: 'chains whose links, hashes or head do not verify from genesis',
    run: async (db, { sampleLimit }) => {
      const chains = (await db.execute(sql`
        SELECT chain_type, chain_id FROM audit_events
        UNION SELECT chain_type, chain_id FROM audit_chain_heads
        ORDER BY 1, 2`)) as unknown as { chain_type: ChainType; chain_id: string }[];
      let count = 0;
      const samples: unknown[] = [];
      for (const c of chains) {
        const problems = await verifyChain(db, { type: c.chain_type, id: c.chain_id });
        if (problems.length === 0) continue;
        count++;
        if (samples.length < sampleLimit)
          samples.push({ chainType: c.chain_type, chainId: c.chain_id, problems: problems.slice(0, 5) });
      }
      return { count, samples };
    },
  },
  sqlCheck(
    'audit.heads_disagreeing',
    'chain heads whose seq/hash differ from their last event, or chains with events but no head',
    sql`SELECT h.chain_type, h.chain_id, h.seq AS head_seq, last.seq AS last_seq, 'head differs from last event' AS problem
        FROM audit_chain_heads h
        LEFT JOIN LATERAL (
          SELECT e.seq, e.hash FROM audit_events e
          WHERE e.chain_type = h.chain_type AND e.chain_id = h.chain_id
          ORDER BY e.seq DESC LIMIT 1
        ) last ON true
        WHERE (last.seq IS NULL AND (h.seq <> 0 OR h.hash <> ${GENESIS_HASH}))
           OR (last.seq IS NOT NULL AND (last.seq <> h.seq OR last.hash <> h.hash))
        UNION ALL
        SELECT e.chain_type, e.chain_id, NULL, max(e.seq), 'events without a head'
        FROM audit_events e
        WHERE NOT EXISTS (SELECT 1 FROM audit_chain_heads h WHERE h.chain_type = e.chain_type AND h.chain_id = e.chain_id)
        GROUP BY e.chain_type, e.chain_id`,
  ),
  sqlCheck(
    'outbox.missing_audit_event',
    'outbox rows whose audit event does not exist',
    sql`SELECT o.id, o.kind, o.audit_event_id FROM outbox o
        WHERE NOT EXISTS (SELECT 1 FROM audit_events a WHERE a.id = o.audit_event_id)`,
  ),
  sqlCheck(
    'outbox.stuck_sending',
    "outbox rows in 'sending' whose lease expired more than 10 minutes ago (or that have no lease)",
    sql`SELECT id, kind, attempts, locked_until FROM outbox
        WHERE status = 'sending' AND (locked_until IS NULL OR locked_until < now() - interval '10 minutes')`,
  ),
  sqlCheck(
    'orgs.without_owner',
    'organizations with no owner (every organization keeps at least one, except unclaimed entries — no members at all — created by a join request or an import, as their org.created event says)',
    sql`SELECT o.id, o.slug FROM organizations o
        WHERE NOT EXISTS (SELECT 1 FROM memberships m WHERE m.org_id = o.id AND m.role = 'owner')
          AND NOT (NOT EXISTS (SELECT 1 FROM memberships m WHERE m.org_id = o.id)
                   AND EXISTS (SELECT 1 FROM audit_events a WHERE a.chain_type = 'organization' AND a.chain_id = o.id
                                AND a.type = 'org.created' AND a.data->>'via' IN ('join_request', 'import')))`,
  ),
  sqlCheck(
    'orgs.without_created_event',
    'organizations whose chain has no org.created event',
    sql`SELECT o.id, o.slug FROM organizations o
        WHERE NOT EXISTS (SELECT 1 FROM audit_events a WHERE a.chain_type = 'organization' AND a.chain_id = o.id AND a.type = 'org.created')`,
  ),
  sqlCheck(
    'orgs.verified_without_event',
    'verified organizations without an org.verified audit event',
    sql`SELECT o.id, o.slug FROM organizations o
        WHERE o.verified_at IS NOT NULL
          AND NOT EXISTS (SELECT 1 FROM audit_events a WHERE a.chain_type = 'organization' AND a.chain_id = o.id AND a.type = 'org.verified')`,
  ),
  sqlCheck(
    'members.accepted_invitation_without_member',
    'accepted member invitations whose accepting user is not (and was never recorded as) a member',
    sql`SELECT i.id, i.org_id FROM member_invitations i
        WHERE i.status = 'accepted'
          AND NOT EXISTS (SELECT 1 FROM audit_events a WHERE a.chain_type = 'organization' AND a.chain_id = i.org_id
                          AND a.type = 'org.member_joined' AND a.data->>'invitationId' = i.id::text)`,
  ),
  // ---- statements and drafts (I5, I6, I7) ----
  sqlCheck(
    'statements.text_version_mismatch',
    "texts whose lock_version is not their latest revision's version (0 without revisions), revision numbers with gaps, or revisions without their text",
    sql`SELECT t.statement_id, t.lang, t.lock_version, r.max_version, r.revisions, 'lock_version differs from the latest revision' AS problem
        FROM statement_texts t
        LEFT JOIN (SELECT statement_id, lang, max(version) AS max_version, count(*)::int AS revisions
                   FROM statement_revisions GROUP BY statement_id, lang) r
          ON r.statement_id = t.statement_id AND r.lang = t.lang
        WHERE t.lock_version <> coalesce(r.max_version, 0)
        UNION ALL
        SELECT r.statement_id, r.lang, NULL, max(r.version), count(*)::int, 'revision numbers are not 1..n'
        FROM statement_revisions r GROUP BY r.statement_id, r.lang
        HAVING count(*) <> max(r.version) OR min(r.version) <> 1
        UNION ALL
        SELECT r.statement_id, r.lang, NULL, max(r.version), count(*)::int, 'revisions without their text'
        FROM statement_revisions r
        WHERE NOT EXISTS (SELECT 1 FROM statement_texts t WHERE t.statement_id = r.statement_id AND t.lang = r.lang)
        GROUP BY r.statement_id, r.lang`,
  ),
  sqlCheck(
    'statements.revision_without_one_event',
    "revisions without exactly one draft.saved (save) or draft.restored (restore) event naming them on their statement's chain, or such events naming no revision",
    sql`SELECT r.id AS revision_id, r.statement_id, r.version, count(a.id)::int AS events, 'revision with ' || count(a.id) || ' events' AS problem
        FROM statement_revisions r
        LEFT JOIN audit_events a
          ON a.chain_type = 'statement' AND a.chain_id = r.statement_id AND a.data->>'revisionId' = r.id::text
         AND a.type::text = CASE r.kind WHEN 'save' THEN 'draft.saved' ELSE 'draft.restored' END
        GROUP BY r.id, r.statement_id, r.version
        HAVING count(a.id) <> 1
        UNION ALL
        SELECT NULL, a.chain_id, (a.data->>'version')::int, 1, 'event naming no revision of its statement'
        FROM audit_events a
        WHERE a.chain_type = 'statement' AND a.type IN ('draft.saved', 'draft.restored')
          AND NOT EXISTS (SELECT 1 FROM statement_revisions r
                          WHERE r.id::text = a.data->>'revisionId' AND r.statement_id = a.chain_id)`,
  ),
  sqlCheck(
    'statements.primary_initiator_count',
    'statements without exactly one primary initiator',
    // An imported statement without --initiator has none (its organizations are only signatories).
    sql`SELECT s.id, count(i.org_id)::int AS primaries FROM statements s
        LEFT JOIN statement_initiators i ON i.statement_id = s.id AND i.role = 'primary'
        GROUP BY s.id HAVING count(i.org_id) <> 1
           AND NOT (count(i.org_id) = 0 AND EXISTS (SELECT 1 FROM audit_events ia WHERE ia.chain_type = 'statement' AND ia.chain_id = s.id AND ia.type = 'statement.imported'))`,
  ),
  sqlCheck(
    'statements.without_created_event',
    'statements whose chain has no statement.created (or, for imports, statement.imported) event, or more than one',
    sql`SELECT s.id, count(a.id)::int AS events FROM statements s
        LEFT JOIN audit_events a ON a.chain_type = 'statement' AND a.chain_id = s.id AND a.type IN ('statement.created', 'statement.imported')
        GROUP BY s.id HAVING count(a.id) <> 1`,
  ),
  sqlCheck(
    'statements.translation_aligned_ahead',
    "translations aligned with a primary version the primary text has not reached (aligned_primary_version > the primary's lock_version)",
    sql`SELECT t.statement_id, t.lang, t.aligned_primary_version, p.lock_version AS primary_version
        FROM statement_texts t
        JOIN statements s ON s.id = t.statement_id
        JOIN statement_texts p ON p.statement_id = t.statement_id AND p.lang = s.primary_lang
        WHERE t.lang <> s.primary_lang AND t.aligned_primary_version > p.lock_version`,
  ),
  // ---- statement invitations (I5, I8, I11) ----
  sqlCheck(
    'invitations.accepted_without_party',
    'accepted invitations whose organization is not taking part: no participant row (participant invitations) or co-initiator row (co-initiator invitations) for the organization that accepted',
    sql`SELECT i.id, i.statement_id, i.kind, i.accepted_org_id FROM statement_invitations i
        WHERE i.status = 'accepted'
          AND (i.accepted_org_id IS NULL
            OR (i.kind = 'participant' AND NOT EXISTS (
                  SELECT 1 FROM statement_participants p WHERE p.statement_id = i.statement_id AND p.org_id = i.accepted_org_id)
                AND NOT EXISTS (
                  SELECT 1 FROM statement_initiators s WHERE s.statement_id = i.statement_id AND s.org_id = i.accepted_org_id))
            OR (i.kind = 'co_initiator' AND NOT EXISTS (
                  SELECT 1 FROM statement_initiators s WHERE s.statement_id = i.statement_id AND s.org_id = i.accepted_org_id AND s.role = 'co')))`,
  ),
  sqlCheck(
    'invitations.party_without_accepted_invitation',
    'participants whose invitation is not an accepted participant invitation of that statement and organization, and co-initiators without an accepted co-initiator invitation',
    sql`SELECT p.statement_id, p.org_id, 'participant' AS role FROM statement_participants p
        WHERE NOT EXISTS (SELECT 1 FROM statement_invitations i
                          WHERE i.id = p.invitation_id AND i.statement_id = p.statement_id AND i.kind = 'participant'
                            AND i.status = 'accepted' AND i.accepted_org_id = p.org_id)
        UNION ALL
        SELECT s.statement_id, s.org_id, 'co-initiator' FROM statement_initiators s
        WHERE s.role = 'co'
          AND NOT EXISTS (SELECT 1 FROM statement_invitations i
                          WHERE i.statement_id = s.statement_id AND i.kind = 'co_initiator'
                            AND i.status = 'accepted' AND i.accepted_org_id = s.org_id)`,
  ),
  sqlCheck(
    'invitations.sent_without_one_event',
    "invitations without exactly one invitation.sent event naming them on their statement's chain",
    sql`SELECT i.id, i.statement_id, count(a.id)::int AS events FROM statement_invitations i
        LEFT JOIN audit_events a
          ON a.chain_type = 'statement' AND a.chain_id = i.statement_id AND a.type = 'invitation.sent'
         AND a.data->>'invitationId' = i.id::text
        GROUP BY i.id, i.statement_id HAVING count(a.id) <> 1`,
  ),
  sqlCheck(
    'invitations.ended_without_one_event',
    'answered, revoked or expired invitations without exactly one event recording it (invitation.accepted / declined / revoked / expired), or such events naming an invitation not in that state',
    sql`SELECT i.id::text AS invitation_id, i.status::text AS status, count(a.id)::int AS events, 'ended with ' || count(a.id) || ' events' AS problem
        FROM statement_invitations i
        LEFT JOIN audit_events a
          ON a.chain_type = 'statement' AND a.chain_id = i.statement_id AND a.type::text = 'invitation.' || i.status::text
         AND a.data->>'invitationId' = i.id::text
        WHERE i.status <> 'pending'
        GROUP BY i.id, i.status HAVING count(a.id) <> 1
        UNION ALL
        SELECT a.data->>'invitationId', a.type::text, 1, 'event for an invitation not in that state'
        FROM audit_events a
        WHERE a.chain_type = 'statement'
          AND a.type IN ('invitation.accepted', 'invitation.declined', 'invitation.revoked', 'invitation.expired')
          AND NOT EXISTS (SELECT 1 FROM statement_invitations i
                          WHERE i.id::text = a.data->>'invitationId' AND i.statement_id = a.chain_id
                            AND 'invitation.' || i.status::text = a.type::text)`,
  ),
  sqlCheck(
    'invitations.mail_without_its_event',
    "invitation messages (sent, resent, reminders) whose audit event is not an invitation.sent / resent / reminded event of that invitation, nor (for reminders rescheduled by a freeze) the version.frozen event of the invitation's statement",
    sql`SELECT o.id, o.kind, o.data->>'invitationId' AS invitation_id, a.type AS event_type FROM outbox o
        LEFT JOIN audit_events a ON a.id = o.audit_event_id
        WHERE o.kind LIKE 'statement.invitation%'
          AND (a.id IS NULL
            OR NOT (
              (a.type IN ('invitation.sent', 'invitation.resent', 'invitation.reminded')
                AND a.data->>'invitationId' IS NOT DISTINCT FROM o.data->>'invitationId')
              OR (a.type = 'version.frozen' AND o.kind = 'statement.invitation_reminder'
                AND a.chain_type = 'statement' AND a.chain_id::text = o.data->>'statementId')))`,
  ),
  sqlCheck(
    'invitations.mail_pending_after_end',
    'unsent invitation messages (or reminders) still pending for an invitation that was declined, revoked or expired (an accepted one keeps its reminders to sign)',
    sql`SELECT o.id, o.kind, i.id AS invitation_id, i.status FROM outbox o
        JOIN statement_invitations i ON i.id::text = o.data->>'invitationId'
        WHERE o.kind LIKE 'statement.invitation%' AND o.status = 'pending' AND i.status <> 'pending'
          AND NOT (i.status = 'accepted' AND i.kind = 'participant' AND o.kind = 'statement.invitation_reminder')`,
  ),
  sqlCheck(
    'invitations.live_links_after_end',
    'unused, unexpired links (or shared-mailbox handoffs) of an invitation that was answered, revoked or expired',
    sql`SELECT t.subject_id AS invitation_id, t.purpose, i.status FROM tokens t
        JOIN statement_invitations i ON i.id = t.subject_id
        WHERE t.purpose IN ('statement_invitation', 'invitation_handoff')
          AND t.consumed_at IS NULL AND t.expires_at > now() AND i.status <> 'pending'`,
  ),
  // ---- versions and signatures (SECURITY.md C2, C3, I3, I4, I5, I7) ----
  sqlCheck(
    'versions.hash_mismatch',
    'frozen versions whose content_sha256 is not the SHA-256 of their stored canonical bytes',
    sql`SELECT id, statement_id, number FROM statement_versions
        WHERE encode(sha256(convert_to(canonical, 'UTF8')), 'hex') <> content_sha256`,
  ),
  sqlCheck(
    'versions.numbering',
    "statements whose versions are not numbered 1..n, whose current_version is not the latest, or that are open/reopened without a version",
    sql`SELECT s.id AS statement_id, s.state, s.current_version, v.n, v.max_number FROM statements s
        LEFT JOIN (SELECT statement_id, count(*)::int AS n, max(number) AS max_number FROM statement_versions GROUP BY statement_id) v
          ON v.statement_id = s.id
        WHERE coalesce(v.n, 0) <> coalesce(v.max_number, 0)
           OR s.current_version IS DISTINCT FROM v.max_number
           OR (s.state IN ('open', 'reopened') AND s.current_version IS NULL)`,
  ),
  sqlCheck(
    'versions.without_event',
    'frozen versions without exactly one version.frozen (or statement.imported) event naming them on their statement chain',
    sql`SELECT v.id, v.statement_id, v.number, count(a.id)::int AS events FROM statement_versions v
        LEFT JOIN audit_events a ON a.chain_type = 'statement' AND a.chain_id = v.statement_id
         AND a.type IN ('version.frozen', 'statement.imported') AND a.data->>'versionId' = v.id::text
        GROUP BY v.id HAVING count(a.id) <> 1`,
  ),
  sqlCheck(
    'signatures.binding_hash_mismatch',
    "bindings whose hash, number or statement differ from their version's (C3, I3)",
    sql`SELECT b.id AS binding_id, b.signature_id, b.version_number, v.number FROM signature_bindings b
        JOIN statement_versions v ON v.id = b.version_id
        JOIN signatures s ON s.id = b.signature_id
        WHERE b.content_sha256 <> v.content_sha256 OR b.version_number <> v.number
           OR b.statement_id <> v.statement_id OR s.statement_id <> b.statement_id`,
  ),
  sqlCheck(
    'signatures.duplicate_per_org',
    'two signatures of one organization (or one individual) on one statement (I4)',
    sql`SELECT statement_id, coalesce(org_id::text, individual_email, individual_key) AS signer, count(*)::int AS n FROM signatures
        GROUP BY statement_id, coalesce(org_id::text, individual_email, individual_key) HAVING count(*) > 1`,
  ),
  sqlCheck(
    'signatures.without_binding',
    'signatures with no binding (half-written: a signature exists only tied to a version)',
    sql`SELECT s.id, s.statement_id FROM signatures s
        WHERE NOT EXISTS (SELECT 1 FROM signature_bindings b WHERE b.signature_id = s.id)`,
  ),
  sqlCheck(
    'signatures.binding_without_event',
    'bindings without exactly one signing audit event naming them on their statement chain (I5)',
    sql`SELECT b.id AS binding_id, b.statement_id, count(a.id)::int AS events FROM signature_bindings b
        LEFT JOIN audit_events a ON a.chain_type = 'statement' AND a.chain_id = b.statement_id
         AND a.type IN ('signature.signed', 'signature.reconfirmed', 'signature.reinstated', 'join.approved') AND a.data->>'bindingId' = b.id::text
        JOIN signatures sg ON sg.id = b.signature_id
        -- Imported signatures are recorded by their statement's one statement.imported event (not one per binding).
        WHERE NOT (sg.method = 'imported' AND EXISTS (SELECT 1 FROM audit_events ia WHERE ia.chain_type = 'statement' AND ia.chain_id = b.statement_id AND ia.type = 'statement.imported'))
        GROUP BY b.id HAVING count(a.id) <> 1`,
  ),
  sqlCheck(
    'signatures.withdrawal_without_event',
    'withdrawals without a signature.withdrawn audit event on their statement chain',
    sql`SELECT e.id, e.signature_id FROM signature_events e JOIN signatures s ON s.id = e.signature_id
        WHERE e.kind = 'withdrawn'
          AND (SELECT count(*) FROM audit_events a WHERE a.chain_type = 'statement' AND a.chain_id = s.statement_id
                AND a.type = 'signature.withdrawn' AND a.data->>'signatureId' = s.id::text)
            <> (SELECT count(*) FROM signature_events x WHERE x.signature_id = s.id AND x.kind = 'withdrawn')`,
  ),
  sqlCheck(
    'signatures.member_not_authorized',
    "member bindings whose recorded role was not allowed by the recorded policy, or that name no role or policy (C2)",
    sql`SELECT b.id AS binding_id, b.signer_role, b.policy FROM signature_bindings b JOIN signatures s ON s.id = b.signature_id
        WHERE s.method = 'member'
          AND (b.signer_role IS NULL OR b.policy IS NULL OR (b.policy = 'admins' AND b.signer_role NOT IN ('admin', 'owner')))`,
  ),
  sqlCheck(
    'signatures.bound_to_unknown_future',
    "bindings to a version later than their statement's current version (counted for a version they did not sign)",
    sql`SELECT b.id AS binding_id, b.version_number, st.current_version FROM signature_bindings b
        JOIN statements st ON st.id = b.statement_id
        WHERE st.current_version IS NULL OR b.version_number > st.current_version`,
  ),
  sqlCheck(
    'invitations.pending_past_expiry',
    "pending invitations more than 10 minutes past expires_at (the relay's sweep records `expired` every 30 seconds on every instance)",
    sql`SELECT id, statement_id, expires_at FROM statement_invitations
        WHERE status = 'pending' AND expires_at < now() - interval '10 minutes'`,
  ),
  // ---- publication and the public record (SECURITY.md C4, I7; PRODUCT.md Public record, R6) ----
  sqlCheck(
    'publications.missing_or_stray',
    'published, closed or withdrawn statements without their publication row or without any public record; publication rows of statements in another state',
    sql`SELECT s.id AS statement_id, s.state::text AS state, 'no publication' AS problem FROM statements s
        WHERE s.state IN ('published', 'closed', 'withdrawn')
          AND NOT EXISTS (SELECT 1 FROM publications p WHERE p.statement_id = s.id)
        UNION ALL
        SELECT s.id, s.state::text, 'no public record' FROM statements s
        WHERE s.state IN ('published', 'closed', 'withdrawn')
          AND NOT EXISTS (SELECT 1 FROM public_records r WHERE r.statement_id = s.id)
        UNION ALL
        SELECT p.statement_id, s.state::text, 'a publication of a statement that is not published' FROM publications p
        JOIN statements s ON s.id = p.statement_id
        WHERE s.state NOT IN ('published', 'closed', 'withdrawn')`,
  ),
  sqlCheck(
    'publications.without_publish_event',
    "publications without exactly one statement.published (or statement.imported) event on their statement's chain",
    sql`SELECT p.statement_id, p.slug, count(a.id)::int AS events FROM publications p
        LEFT JOIN audit_events a ON a.chain_type = 'statement' AND a.chain_id = p.statement_id
         AND a.type IN ('statement.published', 'statement.imported')
        GROUP BY p.statement_id, p.slug HAVING count(a.id) <> 1`,
  ),
  sqlCheck(
    'publications.record_seq_mismatch',
    "publications whose record_seq is not their latest record revision's seq, record revisions not numbered 1..n, or revisions of a statement without a publication",
    sql`SELECT p.statement_id, p.record_seq, r.max_seq, r.n, 'record_seq differs from the revisions' AS problem FROM publications p
        LEFT JOIN (SELECT statement_id, max(seq) AS max_seq, min(seq) AS min_seq, count(*)::int AS n FROM public_records GROUP BY statement_id) r
          ON r.statement_id = p.statement_id
        WHERE p.record_seq IS DISTINCT FROM r.max_seq OR r.n <> r.max_seq OR r.min_seq <> 1
        UNION ALL
        SELECT r.statement_id, NULL, max(r.seq), count(*)::int, 'revisions without a publication' FROM public_records r
        WHERE NOT EXISTS (SELECT 1 FROM publications p WHERE p.statement_id = r.statement_id)
        GROUP BY r.statement_id`,
  ),
  sqlCheck(
    'records.hash_mismatch',
    'public record revisions whose sha256 is not the SHA-256 of their stored canonical text',
    sql`SELECT statement_id, seq, key_id FROM public_records
        WHERE encode(sha256(convert_to(canonical, 'UTF8')), 'hex') <> sha256`,
  ),
  {
    name: 'records.signature_invalid',
    description:
      'public record revisions whose stored text is not canonical JSON, or whose Ed25519 signature does not verify under the key it names (a key this instance does not know: under none of its current and retired keys)',
    run: async (db, { sampleLimit }) => {
      let keys: PublicKeyInfo[] = [];
      let keyError: string | null = null;
      try {
        keys = publicKeys();
      } catch (e) {
        keyError = e instanceof Error ? e.message : String(e);
      }
      const byId = new Map(keys.map((k) => [k.keyId, k]));
      const verifies = (k: PublicKeyInfo, data: Buffer, sig: Buffer) => {
        try {
          return crypto.verify(null, data, k.publicKey, sig);
        } catch {
          return false;
        }
      };
      let count = 0;
      const samples: unknown[] = [];
      const found = (r: { statement_id: string; seq: number; key_id: string }, problem: string) => {
        count++;
        if (samples.length < sampleLimit) samples.push({ statementId: r.statement_id, seq: r.seq, keyId: r.key_id, problem });
      };
      // In pages (records of large statements are large), in primary-key order.
      let after: { statement_id: string; seq: number } | null = null;
      for (;;) {
        const cursor: SQL = after ? sql`WHERE (statement_id, seq) > (${after.statement_id}::uuid, ${after.seq})` : sql.empty();
        const rows = (await db.execute(sql`
          SELECT statement_id, seq, canonical, key_id, signature FROM public_records ${cursor}
          ORDER BY statement_id, seq LIMIT 200`)) as unknown as { statement_id: string; seq: number; canonical: string; key_id: string; signature: string }[];
        if (rows.length === 0) break;
        for (const r of rows) {
          if (keyError) {
            found(r, `no keys to verify with: ${keyError}`);
            continue;
          }
          let canonical = false;
          try {
            canonical = canonicalJson(JSON.parse(r.canonical)) === r.canonical;
          } catch {
            canonical = false;
          }
          if (!canonical) {
            found(r, 'the stored text is not canonical JSON');
            continue;
          }
          const data = Buffer.from(r.canonical, 'utf8');
          const sig = Buffer.from(r.signature, 'base64');
          if (sig.length !== 64) {
            found(r, 'not a 64-byte Ed25519 signature');
            continue;
          }
          const named = byId.get(r.key_id);
          if (named) {
            if (!verifies(named, data, sig)) found(r, `the signature does not verify under ${named.status} key ${r.key_id}`);
          } else if (!keys.some((k) => verifies(k, data, sig))) found(r, 'signed by a key this instance does not know, and no known key verifies it');
        }
        const last = rows[rows.length - 1]!;
        after = { statement_id: last.statement_id, seq: Number(last.seq) };
      }
      return { count, samples };
    },
  },
];

/** Run every check (or the given ones); each result names the check, how many findings, and a few samples. */
export async function checkInvariants(
  db: DbOrTx,
  opts: { checks?: InvariantCheck[]; sampleLimit?: number } = {},
): Promise<InvariantFinding[]> {
  const out: InvariantFinding[] = [];
  for (const check of opts.checks ?? INVARIANT_CHECKS) {
    const { count, samples } = await check.run(db, { sampleLimit: opts.sampleLimit ?? 5 });
    out.push({ name: check.name, count, samples });
  }
  return out;
}

export const totalFindings = (results: InvariantFinding[]): number =>
  results.reduce((n, r) => n + r.count, 0);
