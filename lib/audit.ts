import crypto from 'node:crypto';
import { and, asc, eq, sql } from 'drizzle-orm';
import type { DbOrTx, Tx } from '@/db';
import { auditChainHeads, auditEvents, type AuditEventType } from '@/db/schema';
import { canonicalJson, sha256Hex } from './canonical';
import { faultPoint } from './fault';

export type ChainType = 'statement' | 'organization' | 'user';
export type ChainRef = { type: ChainType; id: string };

export const GENESIS_HASH = '0'.repeat(64);

type EventBody = {
  chainType: ChainType;
  chainId: string;
  seq: number;
  type: string;
  actorUserId: string | null;
  data: Record<string, unknown>;
  createdAt: string;
};

/** hash = sha256(prev_hash ‖ canonical(event)) */
export function eventHash(prevHash: string, body: EventBody): string {
  return sha256Hex(prevHash + canonicalJson(body));
}

/**
 * Append one event to the chain of the object whose state changed. Must run inside the transaction of that
 * change: the chain head is locked (FOR UPDATE) so concurrent appends serialize and the chain stays linear.
 */
export async function appendAudit(
  tx: Tx,
  input: { chain: ChainRef; type: AuditEventType; actorUserId: string | null; data?: Record<string, unknown>; now?: Date },
): Promise<{ id: string; hash: string; seq: number }> {
  const { chain } = input;
  const lockHead = () =>
    tx
      .select()
      .from(auditChainHeads)
      .where(and(eq(auditChainHeads.chainType, chain.type), eq(auditChainHeads.chainId, chain.id)))
      .for('update');
  let [head] = await lockHead();
  if (!head) {
    // A chain's first event: create its genesis head (concurrent creators meet at the primary key), then lock it.
    await tx
      .insert(auditChainHeads)
      .values({ chainType: chain.type, chainId: chain.id, seq: 0, hash: GENESIS_HASH })
      .onConflictDoNothing();
    [head] = await lockHead();
  }
  if (!head) throw new Error('audit chain head missing after upsert');
  // Milliseconds only: what PostgreSQL stores must hash the same when read back.
  const createdAt = new Date(Math.floor((input.now ?? new Date()).getTime()));
  const body: EventBody = {
    chainType: chain.type,
    chainId: chain.id,
    seq: head.seq + 1,
    type: input.type,
    actorUserId: input.actorUserId,
    data: input.data ?? {},
    createdAt: createdAt.toISOString(),
  };
  const hash = eventHash(head.hash, body);
  faultPoint('audit.before_event_insert');
  // One round trip while the head is locked: the event and the head's new position together (every signer of
  // a statement waits on this head, so each round trip under the lock counts).
  const id = crypto.randomUUID();
  const rows = (await tx.execute(sql`
    WITH ev AS (
      INSERT INTO audit_events (id, chain_type, chain_id, seq, type, actor_user_id, data, prev_hash, hash, created_at)
      VALUES (${id}, ${chain.type}::audit_chain_type, ${chain.id}, ${body.seq}, ${input.type}::audit_event_type,
              ${input.actorUserId}, ${JSON.stringify(body.data)}::jsonb, ${head.hash}, ${hash}, ${body.createdAt}::timestamptz)
      RETURNING id
    )
    UPDATE audit_chain_heads SET seq = ${body.seq}, hash = ${hash}, updated_at = now()
     WHERE chain_type = ${chain.type}::audit_chain_type AND chain_id = ${chain.id} AND EXISTS (SELECT 1 FROM ev)
    RETURNING seq`)) as unknown as { seq: number }[];
  if (rows.length !== 1) throw new Error('audit chain head not advanced');
  faultPoint('audit.after_event_insert');
  return { id, hash, seq: body.seq };
}

export type ChainProblem = { chainType: string; chainId: string; seq: number; problem: string };

/** Recompute a chain from genesis: every link, every hash, and the head must agree. */
export async function verifyChain(db: DbOrTx, chain: ChainRef): Promise<ChainProblem[]> {
  const rows = await db
    .select()
    .from(auditEvents)
    .where(and(eq(auditEvents.chainType, chain.type), eq(auditEvents.chainId, chain.id)))
    .orderBy(asc(auditEvents.seq));
  const problems: ChainProblem[] = [];
  let prev = GENESIS_HASH;
  let expectedSeq = 1;
  for (const r of rows) {
    const p = (problem: string) => problems.push({ chainType: chain.type, chainId: chain.id, seq: r.seq, problem });
    if (r.seq !== expectedSeq) p(`expected seq ${expectedSeq}`);
    if (r.prevHash !== prev) p('prev_hash does not match the previous event');
    const recomputed = eventHash(r.prevHash, {
      chainType: r.chainType,
      chainId: r.chainId,
      seq: r.seq,
      type: r.type,
      actorUserId: r.actorUserId,
      data: r.data,
      createdAt: r.createdAt.toISOString(),
    });
    if (recomputed !== r.hash) p('hash does not match the event');
    prev = r.hash;
    expectedSeq = r.seq + 1;
  }
  const [head] = await db
    .select()
    .from(auditChainHeads)
    .where(and(eq(auditChainHeads.chainType, chain.type), eq(auditChainHeads.chainId, chain.id)));
  if (rows.length > 0 && (!head || head.hash !== prev || head.seq !== rows.length)) {
    problems.push({ chainType: chain.type, chainId: chain.id, seq: head?.seq ?? 0, problem: 'chain head does not match the last event' });
  }
  return problems;
}
