// The invariant checker (SECURITY.md "Tests that prove it"): a list of named checks over the whole database,
// each returning what it found. Run by `npm run check:invariants` and by the concurrency and crash tests.
// To add a check (signatures, publication…), append an entry to INVARIANT_CHECKS.
import { sql, type SQL } from 'drizzle-orm';
import type { DbOrTx } from '@/db';
import { GENESIS_HASH, verifyChain, type ChainType } from './audit';

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
        if (samples.length < sampleLimit) samples.push({ chainType: c.chain_type, chainId: c.chain_id, problems: problems.slice(0, 5) });
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
    'organizations with no owner (every organization must keep at least one)',
    sql`SELECT o.id, o.slug FROM organizations o
        WHERE NOT EXISTS (SELECT 1 FROM memberships m WHERE m.org_id = o.id AND m.role = 'owner')`,
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

export const totalFindings = (results: InvariantFinding[]): number => results.reduce((n, r) => n + r.count, 0);
