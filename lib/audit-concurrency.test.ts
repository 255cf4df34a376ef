// 200 concurrent changes on one audit chain from two OS processes: the chain stays linear and verifies.
import crypto from 'node:crypto';
import { and, asc, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { getDb } from '@/db';
import { auditChainHeads, auditEvents, users } from '@/db/schema';
import { verifyChain, type ChainRef } from './audit';
import { checkInvariants, totalFindings } from './invariants';
import { holdBarrier } from './testing/barrier';
import { runTs } from './testing/child';
import { parseResult } from './testing/children/_main';
import { createUser } from './testing/db';
import { recordFigure } from './testing/figures';

const CHILD = 'lib/testing/children/audit-load.ts';
const db = () => getDb();

/** Run the two children released together by a barrier; return their results. */
async function runPair<R>(params: [Record<string, unknown>, Record<string, unknown>]): Promise<R[]> {
  const barrier = await holdBarrier();
  const children = params.map((p) => runTs(CHILD, [JSON.stringify({ ...p, barrierKey: barrier.key })]));
  try {
    await barrier.waitForWaiters(2, 45_000);
  } finally {
    await barrier.release();
  }
  const done = await Promise.all(children);
  for (const c of done) expect(c.code, c.stderr).toBe(0);
  return done.map((c) => parseResult<R>(c.stdout));
}

async function expectLinearVerifiedChain(chain: ChainRef, n: number) {
  const events = await db()
    .select()
    .from(auditEvents)
    .where(and(eq(auditEvents.chainType, chain.type), eq(auditEvents.chainId, chain.id)))
    .orderBy(asc(auditEvents.seq));
  expect(events).toHaveLength(n);
  expect(events.map((e) => e.seq)).toEqual(Array.from({ length: n }, (_, i) => i + 1));
  expect(new Set(events.map((e) => e.prevHash)).size).toBe(n); // no two share a predecessor
  for (let i = 1; i < n; i++) expect(events[i]!.prevHash).toBe(events[i - 1]!.hash);
  expect(await verifyChain(db(), chain)).toEqual([]);
  const [head] = await db()
    .select()
    .from(auditChainHeads)
    .where(and(eq(auditChainHeads.chainType, chain.type), eq(auditChainHeads.chainId, chain.id)));
  expect(head).toMatchObject({ seq: n, hash: events[n - 1]!.hash });
  return events;
}

describe('audit chain under concurrency (two OS processes)', () => {
  it('200 setInterfaceLocale changes on one user: 200 events, seq 1..200, linear, verified, 0 findings', async () => {
    const u = await createUser();
    const base = { mode: 'locale', userId: u.userId, email: u.email, n: 100 };
    // Each process alternates between locales the other never writes, so every call is a real change.
    const [a, b] = await runPair<{ changed: number; calls: number }>([
      { ...base, locales: ['hy', 'ru'] },
      { ...base, locales: ['en', null] },
    ]);
    expect(a!.changed + b!.changed).toBe(200);
    const events = await expectLinearVerifiedChain({ type: 'user', id: u.userId }, 200);
    expect(events.every((e) => e.type === 'user.locale_changed' && e.actorUserId === u.userId)).toBe(true);
    // Each event records the value the previous event left, so the recorded history replays to the final state.
    for (let i = 1; i < events.length; i++) expect(events[i]!.data.from).toEqual(events[i - 1]!.data.to);
    const [final] = await db().select({ locale: users.locale }).from(users).where(eq(users.id, u.userId));
    expect(final!.locale).toEqual(events[199]!.data.to);
    // The two processes really interleaved (not one after the other).
    const switches = events.slice(1).filter((e, i) => ['hy', 'ru'].includes(e.data.to as string) !== ['hy', 'ru'].includes(events[i]!.data.to as string)).length;
    expect(switches).toBeGreaterThan(1);

    const results = await checkInvariants(db());
    expect(results.filter((r) => r.count > 0)).toEqual([]);
    expect(totalFindings(results)).toBe(0);
    recordFigure('audit-concurrency', `Audit: 200 concurrent changes from 2 processes, 200 events, chain linear and verified`);
  }, 120_000);

  it('200 appendAudit transactions on one chain, 10 in flight per process: linear and verified', async () => {
    const chain: ChainRef = { type: 'statement', id: crypto.randomUUID() };
    const base = { mode: 'append', chain, n: 100, concurrency: 10 };
    const [a, b] = await runPair<{ appended: number }>([base, base]);
    expect(a!.appended + b!.appended).toBe(200);
    const events = await expectLinearVerifiedChain(chain, 200);
    expect(new Set(events.map((e) => e.data.pid)).size).toBe(2);
    expect(totalFindings(await checkInvariants(db()))).toBe(0);
  }, 120_000);
});
