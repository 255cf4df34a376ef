// The invariant checker finds nothing on a healthy database and finds each planted violation (planted
// inside a transaction that is rolled back, so the database stays healthy for the next case).
import crypto from 'node:crypto';
import { sql, TransactionRollbackError } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { getDb, type Tx } from '@/db';
import { appendAudit } from './audit';
import { canonicalJson, sha256Hex } from './canonical';
import { checkInvariants, INVARIANT_CHECKS, totalFindings } from './invariants';
import { acceptInvitation, declineInvitation, inviteOrganizations } from './invitations';
import { createOrganization } from './orgs';
import { addCorrection } from './publishing';
import { keyIdOf, keyring, rawPublicKey, signBytes } from './record-keys';
import { addTranslation, createStatement, restoreRevision, saveText } from './statements';
import { runTs } from './testing/child';
import { createUser, ctxFor } from './testing/db';
import { publishedStatement, type Published } from './testing/publish';
import { enqueueTestNotice } from './testing/seed';

const db = () => getDb();
const chainId = crypto.randomUUID();
let dedupeKey = '';
/** A statement as drafting leaves it: primary (hy) at version 3 (save, save, restore), a translation (en). */
let statementId = '';
const paragraphs = (text: string) => ({
  type: 'doc',
  content: [{ type: 'paragraph', content: [{ type: 'text', text }] }],
});

const counts = async (dbOrTx: Parameters<typeof checkInvariants>[0]) =>
  Object.fromEntries((await checkInvariants(dbOrTx)).map((r) => [r.name, r.count]));

/** Plant a violation, check inside the same transaction, then roll everything back. */
async function planted(plant: (tx: Tx) => Promise<unknown>): Promise<Record<string, number>> {
  let result: Record<string, number> = {};
  try {
    await db().transaction(async (tx) => {
      await plant(tx);
      result = await counts(tx);
      tx.rollback();
    });
  } catch (e) {
    if (!(e instanceof TransactionRollbackError)) throw e;
  }
  return result;
}

const zero = () => Object.fromEntries(INVARIANT_CHECKS.map((c) => [c.name, 0]));

beforeAll(async () => {
  for (let i = 0; i < 3; i++) {
    await db().transaction((tx) =>
      appendAudit(tx, {
        chain: { type: 'statement', id: chainId },
        type: 'user.signed_in',
        actorUserId: null,
        data: { i },
      }),
    );
  }
  ({ dedupeKey } = await enqueueTestNotice({ to: 'inv@example.org' }));
  const c = { db: db(), actor: await createUser() };
  const org = await createOrganization(c, {
    name: `Invariant Drafters ${crypto.randomBytes(4).toString('hex')}`,
    confirmDistinct: true,
  });
  ({ id: statementId } = await createStatement(c, {
    orgId: org.id,
    title: 'Open letter',
    primaryLang: 'hy',
    summary: null,
    timeZone: 'Asia/Yerevan',
  }));
  await saveText(c, {
    statementId,
    lang: 'hy',
    baseVersion: 0,
    title: 'Open letter',
    doc: paragraphs('First'),
  });
  await addTranslation(c, { statementId, lang: 'en', title: 'Open letter' });
  await saveText(c, {
    statementId,
    lang: 'hy',
    baseVersion: 1,
    title: 'Open letter',
    doc: paragraphs('Second'),
  });
  await restoreRevision(c, { statementId, lang: 'hy', version: 1, baseVersion: 2 });

  // Invitations, on a statement of their own: a participant and a co-initiator that accepted, a pending e-mail
  // invitation with its reminders, a declined one.
  ({ id: invStatementId } = await createStatement(c, {
    orgId: org.id,
    title: 'Invitations',
    primaryLang: 'en',
    summary: null,
    timeZone: 'Asia/Yerevan',
  }));
  const invite = async (target: { orgId: string } | { email: string }, kind: 'participant' | 'co_initiator' = 'participant') =>
    (
      await inviteOrganizations(c, {
        statementId: invStatementId,
        kind,
        targets: [target],
        signBy: new Date(Date.now() + 10 * 86_400_000),
        locale: 'en',
      })
    ).created[0]!.invitationId;
  for (const kind of ['participant', 'co_initiator'] as const) {
    const owner = await createUser();
    const o = await createOrganization({ db: db(), actor: owner }, { name: `Invited ${kind} ${crypto.randomBytes(4).toString('hex')}`, confirmDistinct: true });
    const id = await invite({ orgId: o.id }, kind);
    await acceptInvitation({ db: db(), actor: owner }, { invitationId: id, orgId: o.id });
    inv[kind] = { id, orgId: o.id };
  }
  inv.pending = { id: await invite({ email: `pending-${crypto.randomBytes(3).toString('hex')}@example.org` }), orgId: '' };
  const decliner = await createUser();
  inv.declined = { id: await invite({ email: decliner.email }), orgId: '' };
  await declineInvitation({ db: db(), actor: decliner }, { invitationId: inv.declined.id, reason: null });

  // A published statement (two signatories) with a correction: record revisions 1 and 2.
  pub = await publishedStatement({ signatories: 2 });
  await addCorrection(ctxFor(pub.init.owner), { statementId: pub.statementId, lang: 'hy', body: 'Ուղղում։' });
});
let pub: Published;
let invStatementId = '';
const inv: Record<'participant' | 'co_initiator' | 'pending' | 'declined', { id: string; orgId: string }> = {
  participant: { id: '', orgId: '' },
  co_initiator: { id: '', orgId: '' },
  pending: { id: '', orgId: '' },
  declined: { id: '', orgId: '' },
};

describe('checkInvariants', () => {
  it('a healthy database: every check runs and finds 0', async () => {
    const results = await checkInvariants(db());
    expect(results.map((r) => r.name)).toEqual([
      'audit.forked_chains',
      'audit.chains_not_verifying',
      'audit.heads_disagreeing',
      'outbox.missing_audit_event',
      'outbox.stuck_sending',
      'orgs.without_owner',
      'orgs.without_created_event',
      'orgs.verified_without_event',
      'members.accepted_invitation_without_member',
      'statements.text_version_mismatch',
      'statements.revision_without_one_event',
      'statements.primary_initiator_count',
      'statements.without_created_event',
      'statements.translation_aligned_ahead',
      'invitations.accepted_without_party',
      'invitations.party_without_accepted_invitation',
      'invitations.sent_without_one_event',
      'invitations.ended_without_one_event',
      'invitations.mail_without_its_event',
      'invitations.mail_pending_after_end',
      'invitations.live_links_after_end',
      'versions.hash_mismatch',
      'versions.numbering',
      'versions.without_event',
      'signatures.binding_hash_mismatch',
      'signatures.duplicate_per_org',
      'signatures.without_binding',
      'signatures.binding_without_event',
      'signatures.withdrawal_without_event',
      'signatures.member_not_authorized',
      'signatures.bound_to_unknown_future',
      'invitations.pending_past_expiry',
      'publications.missing_or_stray',
      'publications.without_publish_event',
      'publications.record_seq_mismatch',
      'records.hash_mismatch',
      'records.signature_invalid',
    ]);
    expect(totalFindings(results)).toBe(0);
    expect(results.every((r) => r.samples.length === 0)).toBe(true);
  });

  it('finds a forked chain (two events sharing a prev_hash)', async () => {
    const found = await planted(async (tx) => {
      // The unique index makes a fork impossible; drop it (in this transaction only) to plant one.
      await tx.execute(sql`DROP INDEX audit_events_chain_prev`);
      await tx.execute(sql`
        INSERT INTO audit_events (chain_type, chain_id, seq, type, actor_user_id, data, prev_hash, hash, created_at)
        SELECT chain_type, chain_id, 99, type, actor_user_id, '{"fork": true}', prev_hash, md5(random()::text), created_at
        FROM audit_events WHERE chain_id = ${chainId} AND seq = 2`);
    });
    expect(found['audit.forked_chains']).toBe(1);
    expect(found['audit.chains_not_verifying']).toBe(1);
  });

  it('finds a chain that does not verify (an event edited in place)', async () => {
    const found = await planted((tx) =>
      tx.execute(sql`UPDATE audit_events SET data = '{"i": 42}' WHERE chain_id = ${chainId} AND seq = 2`),
    );
    expect(found).toEqual({ ...zero(), 'audit.chains_not_verifying': 1 });
  });

  it('finds a deleted event (a gap in the chain)', async () => {
    const found = await planted((tx) =>
      tx.execute(sql`DELETE FROM audit_events WHERE chain_id = ${chainId} AND seq = 2`),
    );
    expect(found['audit.chains_not_verifying']).toBe(1);
  });

  it('finds a head that disagrees with its last event, and events without a head', async () => {
    expect(
      await planted((tx) =>
        tx.execute(sql`UPDATE audit_chain_heads SET seq = seq + 1 WHERE chain_id = ${chainId}`),
      ),
    ).toMatchObject({
      'audit.heads_disagreeing': 1,
      'audit.forked_chains': 0,
    });
    expect(
      await planted((tx) =>
        tx.execute(sql`UPDATE audit_chain_heads SET hash = md5('x') WHERE chain_id = ${chainId}`),
      ),
    ).toMatchObject({
      'audit.heads_disagreeing': 1,
    });
    expect(
      await planted((tx) => tx.execute(sql`DELETE FROM audit_chain_heads WHERE chain_id = ${chainId}`)),
    ).toMatchObject({
      'audit.heads_disagreeing': 1,
    });
    // A head ahead of nothing at all.
    expect(
      await planted((tx) =>
        tx.execute(
          sql`INSERT INTO audit_chain_heads (chain_type, chain_id, seq, hash) VALUES ('statement', ${crypto.randomUUID()}, 3, md5('y'))`,
        ),
      ),
    ).toMatchObject({ 'audit.heads_disagreeing': 1 });
  });

  it('finds an outbox row whose audit event does not exist', async () => {
    const found = await planted(async (tx) => {
      // The foreign key forbids it; switch its trigger off for this transaction to plant one.
      await tx.execute(sql`SET LOCAL session_replication_role = replica`);
      await tx.execute(
        sql`UPDATE outbox SET audit_event_id = ${crypto.randomUUID()} WHERE dedupe_key = ${dedupeKey}`,
      );
      await tx.execute(sql`SET LOCAL session_replication_role = origin`);
    });
    expect(found).toEqual({ ...zero(), 'outbox.missing_audit_event': 1 });
  });

  it("finds outbox rows stuck in 'sending' past 10 minutes; a fresher lease is not stuck", async () => {
    const stuck = await planted((tx) =>
      tx.execute(
        sql`UPDATE outbox SET status = 'sending', locked_until = now() - interval '11 minutes' WHERE dedupe_key = ${dedupeKey}`,
      ),
    );
    expect(stuck).toEqual({ ...zero(), 'outbox.stuck_sending': 1 });
    const recent = await planted((tx) =>
      tx.execute(
        sql`UPDATE outbox SET status = 'sending', locked_until = now() - interval '9 minutes' WHERE dedupe_key = ${dedupeKey}`,
      ),
    );
    expect(recent).toEqual(zero());
  });

  it('finds an organization without an owner, without its created event, verified without an event', async () => {
    const found = await planted(async (tx) => {
      await tx.execute(sql`INSERT INTO organizations (slug, name, normalized_name, search_text, verified_at)
                           VALUES ('planted-org', 'Planted', 'planted', 'planted', now())`);
    });
    expect(found['orgs.without_owner']).toBe(1);
    expect(found['orgs.without_created_event']).toBe(1);
    expect(found['orgs.verified_without_event']).toBe(1);
    expect(await counts(db())).toEqual(zero());
  });

  describe('statements and drafts', () => {
    it('the healthy statement is there to be checked: texts, revisions of both kinds, a translation', async () => {
      const rows = (await db().execute(sql`
        SELECT (SELECT count(*)::int FROM statement_revisions WHERE statement_id = ${statementId}) AS revisions,
               (SELECT count(*)::int FROM statement_revisions WHERE statement_id = ${statementId} AND kind = 'restore') AS restores,
               (SELECT count(*)::int FROM statement_texts WHERE statement_id = ${statementId}) AS texts`)) as unknown as Record<
        string,
        number
      >[];
      expect(rows[0]).toEqual({ revisions: 3, restores: 1, texts: 2 });
      expect(await counts(db())).toEqual(zero());
    });

    it("finds a text whose lock_version is not its latest revision's (a version bumped without a revision)", async () => {
      const found = await planted((tx) =>
        tx.execute(
          sql`UPDATE statement_texts SET lock_version = lock_version + 1 WHERE statement_id = ${statementId} AND lang = 'hy'`,
        ),
      );
      expect(found).toEqual({ ...zero(), 'statements.text_version_mismatch': 1 });
      // A text with no revisions must be at 0.
      const ahead = await planted((tx) =>
        tx.execute(
          sql`UPDATE statement_texts SET lock_version = 1 WHERE statement_id = ${statementId} AND lang = 'en'`,
        ),
      );
      expect(ahead).toEqual({ ...zero(), 'statements.text_version_mismatch': 1 });
    });

    it('finds a revision deleted from the middle of the history (a gap, and its event naming nothing)', async () => {
      const found = await planted((tx) =>
        tx.execute(
          sql`DELETE FROM statement_revisions WHERE statement_id = ${statementId} AND lang = 'hy' AND version = 2`,
        ),
      );
      expect(found).toEqual({
        ...zero(),
        'statements.text_version_mismatch': 1,
        'statements.revision_without_one_event': 1,
      });
    });

    it('finds a revision written without its audit event, and one with two', async () => {
      const missing = await planted(async (tx) => {
        await tx.execute(sql`
          INSERT INTO statement_revisions (statement_id, lang, version, kind, title, doc, bytes, inserted_words, deleted_words)
          SELECT statement_id, lang, 4, 'save', title, doc, bytes, 0, 0 FROM statement_revisions
          WHERE statement_id = ${statementId} AND lang = 'hy' AND version = 3`);
        await tx.execute(
          sql`UPDATE statement_texts SET lock_version = 4 WHERE statement_id = ${statementId} AND lang = 'hy'`,
        );
      });
      expect(missing).toEqual({ ...zero(), 'statements.revision_without_one_event': 1 });
      const twice = await planted(async (tx) => {
        const [rev] = (await tx.execute(
          sql`SELECT id FROM statement_revisions WHERE statement_id = ${statementId} AND lang = 'hy' AND version = 1`,
        )) as unknown as { id: string }[];
        // A well-formed event on a verifying chain, but a second one for the same revision.
        await appendAudit(tx, {
          chain: { type: 'statement', id: statementId },
          type: 'draft.saved',
          actorUserId: null,
          data: { lang: 'hy', version: 1, revisionId: rev!.id },
        });
      });
      expect(twice).toEqual({ ...zero(), 'statements.revision_without_one_event': 1 });
      // A restore's event must be draft.restored, a save's draft.saved.
      const wrongType = await planted((tx) =>
        tx.execute(
          sql`UPDATE statement_revisions SET kind = 'save' WHERE statement_id = ${statementId} AND kind = 'restore'`,
        ),
      );
      expect(wrongType).toEqual({ ...zero(), 'statements.revision_without_one_event': 1 });
    });

    it('finds a statement without a primary initiator or without its created event', async () => {
      const lost = await planted((tx) =>
        tx.execute(sql`UPDATE statement_initiators SET role = 'co' WHERE statement_id = ${statementId}`),
      );
      // The former primary is now a co-initiator no invitation made one.
      expect(lost).toEqual({
        ...zero(),
        'statements.primary_initiator_count': 1,
        'invitations.party_without_accepted_invitation': 1,
      });
      const bare = await planted((tx) =>
        tx.execute(sql`INSERT INTO statements (primary_lang, time_zone) VALUES ('hy', 'UTC')`),
      );
      expect(bare).toEqual({
        ...zero(),
        'statements.primary_initiator_count': 1,
        'statements.without_created_event': 1,
      });
    });

    it('finds a translation aligned with a primary version that does not exist yet', async () => {
      const found = await planted((tx) =>
        tx.execute(
          sql`UPDATE statement_texts SET aligned_primary_version = 4 WHERE statement_id = ${statementId} AND lang = 'en'`,
        ),
      );
      expect(found).toEqual({ ...zero(), 'statements.translation_aligned_ahead': 1 });
      // Aligned with the current primary version: healthy.
      const current = await planted((tx) =>
        tx.execute(
          sql`UPDATE statement_texts SET aligned_primary_version = 3 WHERE statement_id = ${statementId} AND lang = 'en'`,
        ),
      );
      expect(current).toEqual(zero());
    });
  });

  describe('statement invitations', () => {
    it('the healthy invitations are there to be checked: a participant, a co-initiator, a pending one with reminders, a declined one', async () => {
      const rows = (await db().execute(sql`
        SELECT (SELECT count(*)::int FROM statement_participants WHERE statement_id = ${invStatementId}) AS participants,
               (SELECT count(*)::int FROM statement_initiators WHERE statement_id = ${invStatementId} AND role = 'co') AS co,
               (SELECT count(*)::int FROM outbox WHERE data->>'invitationId' = ${inv.pending.id} AND status = 'pending') AS pending_mail,
               (SELECT status::text FROM statement_invitations WHERE id = ${inv.declined.id}) AS declined`)) as unknown as Record<string, unknown>[];
      expect(rows[0]).toEqual({ participants: 1, co: 1, pending_mail: 3, declined: 'declined' });
      expect(await counts(db())).toEqual(zero());
    });

    it('finds an accepted invitation whose organization is not taking part (participant or co-initiator row gone)', async () => {
      const participant = await planted((tx) =>
        tx.execute(sql`DELETE FROM statement_participants WHERE statement_id = ${invStatementId} AND org_id = ${inv.participant.orgId}`),
      );
      expect(participant).toEqual({ ...zero(), 'invitations.accepted_without_party': 1 });
      const co = await planted((tx) =>
        tx.execute(sql`DELETE FROM statement_initiators WHERE statement_id = ${invStatementId} AND org_id = ${inv.co_initiator.orgId}`),
      );
      expect(co).toEqual({ ...zero(), 'invitations.accepted_without_party': 1 });
    });

    it('finds a participant without its accepted invitation, and a co-initiator without one', async () => {
      const participant = await planted((tx) =>
        tx.execute(sql`UPDATE statement_participants SET invitation_id = NULL WHERE statement_id = ${invStatementId}`),
      );
      expect(participant).toEqual({ ...zero(), 'invitations.party_without_accepted_invitation': 1 });
      // Pointing at an invitation that is not accepted (the declined one) is no better.
      const declined = await planted((tx) =>
        tx.execute(sql`UPDATE statement_participants SET invitation_id = ${inv.declined.id} WHERE statement_id = ${invStatementId}`),
      );
      expect(declined).toEqual({ ...zero(), 'invitations.party_without_accepted_invitation': 1 });
      const co = await planted((tx) =>
        tx.execute(
          sql`INSERT INTO statement_initiators (statement_id, org_id, role) VALUES (${invStatementId}, ${inv.participant.orgId}, 'co')`,
        ),
      );
      expect(co).toEqual({ ...zero(), 'invitations.party_without_accepted_invitation': 1 });
    });

    it('finds an invitation written without its invitation.sent event', async () => {
      const found = await planted((tx) =>
        tx.execute(sql`INSERT INTO statement_invitations (statement_id, kind, email, locale, expires_at)
                       VALUES (${invStatementId}, 'participant', 'planted@example.org', 'en', now() + interval '1 day')`),
      );
      expect(found).toEqual({ ...zero(), 'invitations.sent_without_one_event': 1 });
    });

    it('finds an invitation ended without its event (and its mail still pending), and an event for a state it is not in', async () => {
      const revoked = await planted((tx) =>
        tx.execute(sql`UPDATE statement_invitations SET status = 'revoked' WHERE id = ${inv.pending.id}`),
      );
      expect(revoked).toEqual({ ...zero(), 'invitations.ended_without_one_event': 1, 'invitations.mail_pending_after_end': 3 });
      const reopened = await planted((tx) =>
        tx.execute(sql`UPDATE statement_invitations SET status = 'pending' WHERE id = ${inv.declined.id}`),
      );
      expect(reopened).toEqual({ ...zero(), 'invitations.ended_without_one_event': 1 });
    });

    it("finds an invitation message whose audit event is not that invitation's", async () => {
      const found = await planted((tx) =>
        tx.execute(sql`UPDATE outbox SET audit_event_id = (
                         SELECT id FROM audit_events WHERE chain_id = ${invStatementId} AND type = 'statement.created')
                       WHERE data->>'invitationId' = ${inv.pending.id} AND kind = 'statement.invitation'`),
      );
      expect(found).toEqual({ ...zero(), 'invitations.mail_without_its_event': 1 });
    });

    it('finds mail still pending for a declined invitation', async () => {
      const found = await planted((tx) =>
        tx.execute(sql`UPDATE outbox SET status = 'pending' WHERE data->>'invitationId' = ${inv.declined.id}`),
      );
      // Its invitation message and its two reminders.
      expect(found).toEqual({ ...zero(), 'invitations.mail_pending_after_end': 3 });
    });

    it('finds a live link of an ended invitation; a used or expired one is not', async () => {
      const live = await planted((tx) =>
        tx.execute(sql`INSERT INTO tokens (token_hash, purpose, subject_id, email, expires_at)
                       VALUES (md5(random()::text), 'statement_invitation', ${inv.declined.id}, 'x@example.org', now() + interval '1 day')`),
      );
      expect(live).toEqual({ ...zero(), 'invitations.live_links_after_end': 1 });
      const handoff = await planted((tx) =>
        tx.execute(sql`INSERT INTO tokens (token_hash, purpose, subject_id, email, expires_at)
                       VALUES (md5(random()::text), 'invitation_handoff', ${inv.participant.id}, 'x@example.org', now() + interval '15 minutes')`),
      );
      expect(handoff).toEqual({ ...zero(), 'invitations.live_links_after_end': 1 });
      const ended = await planted((tx) =>
        tx.execute(sql`INSERT INTO tokens (token_hash, purpose, subject_id, email, expires_at, consumed_at)
                       VALUES (md5(random()::text), 'statement_invitation', ${inv.declined.id}, 'x@example.org', now() + interval '1 day', now()),
                              (md5(random()::text), 'statement_invitation', ${inv.declined.id}, 'x@example.org', now() - interval '1 second', NULL)`),
      );
      expect(ended).toEqual(zero());
    });

    it('finds a pending invitation the sweep has missed for more than 10 minutes; fresher is not yet a finding', async () => {
      const missed = await planted((tx) =>
        tx.execute(sql`UPDATE statement_invitations SET expires_at = now() - interval '11 minutes' WHERE id = ${inv.pending.id}`),
      );
      expect(missed).toEqual({ ...zero(), 'invitations.pending_past_expiry': 1 });
      const recent = await planted((tx) =>
        tx.execute(sql`UPDATE statement_invitations SET expires_at = now() - interval '9 minutes' WHERE id = ${inv.pending.id}`),
      );
      expect(recent).toEqual(zero());
    });
  });

  describe('publication and the public record', () => {
    /** Insert record revision `seq` of the published statement (INSERT is allowed; the row is rolled back with the rest). */
    const insertRecord = (tx: Tx, r: { seq: number; canonical: string; sha256: string; keyId: string; signature: string }) =>
      tx.execute(sql`INSERT INTO public_records (statement_id, seq, canonical, sha256, key_id, signature)
                     VALUES (${pub.statementId}, ${r.seq}, ${r.canonical}, ${r.sha256}, ${r.keyId}, ${r.signature})`);
    /** Revision 3: the live record with one more correction, hashed, signed by the current key unless told otherwise. */
    const revision3 = async (tx: Tx, opts: { canonical?: string; sha256?: string; keyId?: string; signWith?: crypto.KeyObject } = {}) => {
      const [row] = (await tx.execute(
        sql`SELECT canonical FROM public_records WHERE statement_id = ${pub.statementId} AND seq = 2`,
      )) as unknown as { canonical: string }[];
      const record = JSON.parse(row!.canonical) as { record_seq: number; corrections: unknown[] };
      const canonical = opts.canonical ?? canonicalJson({ ...record, record_seq: 3, corrections: [...record.corrections, { lang: 'hy', body: 'x', at: new Date().toISOString() }] });
      const signed = signBytes(canonical);
      const signature = opts.signWith ? crypto.sign(null, Buffer.from(canonical, 'utf8'), opts.signWith).toString('base64') : signed.signature;
      await insertRecord(tx, { seq: 3, canonical, sha256: opts.sha256 ?? sha256Hex(Buffer.from(canonical, 'utf8')), keyId: opts.keyId ?? signed.keyId, signature });
      await tx.execute(sql`UPDATE publications SET record_seq = 3 WHERE statement_id = ${pub.statementId}`);
    };

    it('the healthy publication is there to be checked: published, two revisions, record_seq 2', async () => {
      const rows = (await db().execute(sql`
        SELECT (SELECT state::text FROM statements WHERE id = ${pub.statementId}) AS state,
               (SELECT record_seq FROM publications WHERE statement_id = ${pub.statementId}) AS record_seq,
               (SELECT count(*)::int FROM public_records WHERE statement_id = ${pub.statementId}) AS records`)) as unknown as Record<string, unknown>[];
      expect(rows[0]).toEqual({ state: 'published', record_seq: 2, records: 2 });
      // The allowed twin of the planted revisions below: a well-formed revision 3 is no finding.
      expect(await planted((tx) => revision3(tx))).toEqual(zero());
      expect(await counts(db())).toEqual(zero());
    });

    it('finds a published statement without its publication (and its revisions then without one), and a publication of an unpublished statement', async () => {
      const gone = await planted((tx) => tx.execute(sql`DELETE FROM publications WHERE statement_id = ${pub.statementId}`));
      expect(gone).toEqual({ ...zero(), 'publications.missing_or_stray': 1, 'publications.record_seq_mismatch': 1 });
      const stray = await planted((tx) => tx.execute(sql`UPDATE statements SET state = 'open' WHERE id = ${pub.statementId}`));
      expect(stray).toEqual({ ...zero(), 'publications.missing_or_stray': 1 });
    });

    it('finds a published statement without any public record', async () => {
      const found = await planted(async (tx) => {
        // The append-only trigger refuses the delete; disabled in this rolled-back transaction only.
        await tx.execute(sql`ALTER TABLE public_records DISABLE TRIGGER public_records_append_only`);
        await tx.execute(sql`DELETE FROM public_records WHERE statement_id = ${pub.statementId}`);
      });
      expect(found).toEqual({ ...zero(), 'publications.missing_or_stray': 1, 'publications.record_seq_mismatch': 1 });
    });

    it('finds a publication with two publish events', async () => {
      const found = await planted((tx) =>
        appendAudit(tx, { chain: { type: 'statement', id: pub.statementId }, type: 'statement.published', actorUserId: null, data: { planted: true } }),
      );
      expect(found).toEqual({ ...zero(), 'publications.without_publish_event': 1 });
    });

    it('finds record_seq not at the latest revision, a gap in the revisions, and revisions of an unpublished statement', async () => {
      const behind = await planted((tx) => tx.execute(sql`UPDATE publications SET record_seq = 1 WHERE statement_id = ${pub.statementId}`));
      expect(behind).toEqual({ ...zero(), 'publications.record_seq_mismatch': 1 });
      const gap = await planted(async (tx) => {
        const [row] = (await tx.execute(sql`SELECT canonical, sha256, key_id, signature FROM public_records WHERE statement_id = ${pub.statementId} AND seq = 2`)) as unknown as {
          canonical: string;
          sha256: string;
          key_id: string;
          signature: string;
        }[];
        await insertRecord(tx, { seq: 4, canonical: row!.canonical, sha256: row!.sha256, keyId: row!.key_id, signature: row!.signature });
        await tx.execute(sql`UPDATE publications SET record_seq = 4 WHERE statement_id = ${pub.statementId}`);
      });
      expect(gap).toEqual({ ...zero(), 'publications.record_seq_mismatch': 1 });
      const orphan = await planted(async (tx) => {
        const canonical = canonicalJson({ planted: true });
        const { keyId, signature } = signBytes(canonical);
        await tx.execute(sql`INSERT INTO public_records (statement_id, seq, canonical, sha256, key_id, signature)
                             VALUES (${statementId}, 1, ${canonical}, ${sha256Hex(Buffer.from(canonical, 'utf8'))}, ${keyId}, ${signature})`);
      });
      expect(orphan).toEqual({ ...zero(), 'publications.record_seq_mismatch': 1 });
    });

    it('finds a revision whose sha256 is not the hash of its text', async () => {
      const found = await planted((tx) => revision3(tx, { sha256: sha256Hex(Buffer.from('something else', 'utf8')) }));
      expect(found).toEqual({ ...zero(), 'records.hash_mismatch': 1 });
    });

    it('finds a signature by another key under the current key id, one by an unknown key, and a text that is not canonical; an unknown key id that the current key verifies is no finding', async () => {
      const other = crypto.generateKeyPairSync('ed25519').privateKey;
      const forged = await planted((tx) => revision3(tx, { signWith: other }));
      expect(forged).toEqual({ ...zero(), 'records.signature_invalid': 1 });
      const unknown = await planted((tx) => revision3(tx, { signWith: other, keyId: keyIdOf(rawPublicKey(other)) }));
      expect(unknown).toEqual({ ...zero(), 'records.signature_invalid': 1 });
      const flipped = await planted(async (tx) => {
        const [row] = (await tx.execute(sql`SELECT canonical FROM public_records WHERE statement_id = ${pub.statementId} AND seq = 2`)) as unknown as { canonical: string }[];
        const canonical = canonicalJson({ ...(JSON.parse(row!.canonical) as object), record_seq: 3 });
        const sig = Buffer.from(signBytes(canonical).signature, 'base64');
        sig[10] = sig[10]! ^ 0x01;
        await insertRecord(tx, { seq: 3, canonical, sha256: sha256Hex(Buffer.from(canonical, 'utf8')), keyId: keyring().current.keyId, signature: sig.toString('base64') });
        await tx.execute(sql`UPDATE publications SET record_seq = 3 WHERE statement_id = ${pub.statementId}`);
      });
      expect(flipped).toEqual({ ...zero(), 'records.signature_invalid': 1 });
      const pretty = await planted(async (tx) => {
        const [row] = (await tx.execute(sql`SELECT canonical FROM public_records WHERE statement_id = ${pub.statementId} AND seq = 2`)) as unknown as { canonical: string }[];
        const canonical = JSON.stringify({ ...(JSON.parse(row!.canonical) as object), record_seq: 3 }, null, 2);
        await revision3(tx, { canonical });
      });
      expect(pretty).toEqual({ ...zero(), 'records.signature_invalid': 1 });
      // Signed by the current key but naming a key id this instance does not know: some known key verifies it.
      const renamed = await planted((tx) => revision3(tx, { keyId: 'ed25519:0000000000000000' }));
      expect(renamed).toEqual(zero());
    });
  });

  it('samples are capped, counts are not', async () => {
    const found = await planted(async (tx) => {
      for (let i = 0; i < 8; i++)
        await tx.execute(
          sql`INSERT INTO audit_chain_heads (chain_type, chain_id, seq, hash) VALUES ('user', ${crypto.randomUUID()}, 1, 'h')`,
        );
    });
    expect(found['audit.heads_disagreeing']).toBe(8);
    let samples: unknown[] = [];
    try {
      await db().transaction(async (tx) => {
        for (let i = 0; i < 8; i++)
          await tx.execute(
            sql`INSERT INTO audit_chain_heads (chain_type, chain_id, seq, hash) VALUES ('user', ${crypto.randomUUID()}, 1, 'h')`,
          );
        samples = (await checkInvariants(tx, { sampleLimit: 3 })).find(
          (r) => r.name === 'audit.heads_disagreeing',
        )!.samples;
        tx.rollback();
      });
    } catch (e) {
      if (!(e instanceof TransactionRollbackError)) throw e;
    }
    expect(samples).toHaveLength(3);
  });
});

describe('npm run check:invariants', () => {
  // The launcher takes RECORD_SIGNING_KEY from .env.local when unset; this file's records are signed with the key of
  // this process, so the child is given that one (records.signature_invalid verifies them).
  const key = () => keyring().current.privateKey.export({ format: 'der', type: 'pkcs8' }).toString('base64');
  const run = () => runTs('scripts/launch.ts', ['run', '--', 'tsx', 'scripts/check-invariants.ts'], { RECORD_SIGNING_KEY: key() });

  it('prints every check with its count and exits 0 when there is nothing to find, 1 when there is', async () => {
    const ok = await run();
    expect(ok.code, ok.stderr).toBe(0);
    for (const c of INVARIANT_CHECKS)
      expect(ok.stdout).toMatch(new RegExp(`${c.name.replace('.', '\\.')}\\s+0`));
    expect(ok.stdout).toMatch(/^invariants: 0 findings$/m);

    await db().execute(
      sql`UPDATE outbox SET status = 'sending', locked_until = now() - interval '1 hour' WHERE dedupe_key = ${dedupeKey}`,
    );
    try {
      const bad = await run();
      expect(bad.code).toBe(1);
      expect(bad.stdout).toMatch(/FAIL outbox\.stuck_sending\s+1/);
      expect(bad.stdout).toMatch(/^invariants: 1 findings$/m);
    } finally {
      await db().execute(
        sql`UPDATE outbox SET status = 'pending', locked_until = NULL WHERE dedupe_key = ${dedupeKey}`,
      );
    }
  });
});
