// Signing under concurrency on real PostgreSQL, from two OS processes released together by a barrier (SECURITY.md
// I4, I5, I3; issue 6): 1,000 organizations sign one frozen version at once → exactly 1,000 signatures, bindings
// and signature.signed events, none lost or doubled; 50 duplicate calls for one organization → one signature, one
// binding, one event, the same bindingId for every call; while reopened, and with a stale version after version 2
// is frozen, every call is refused and the database is unchanged (and the allowed twin, re-confirming version 2,
// succeeds). Afterwards the statement chain is linear and verifies, and the invariant checker finds nothing.
import { and, asc, eq, sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { getDb } from '@/db';
import { auditChainHeads, auditEvents, outbox, signatureBindings, signatures, statementVersions } from '@/db/schema';
import { verifyChain } from './audit';
import type { Actor } from './context';
import { checkInvariants, totalFindings } from './invariants';
import { countCurrentSignatures, freezeVersion, reopenStatement } from './signing';
import { holdBarrier } from './testing/barrier';
import { seedBulkParticipants, type BulkSigner } from './testing/bulk-signers';
import { runTs } from './testing/child';
import { parseResult } from './testing/children/_main';
import type { SignOutcome } from './testing/children/sign-load';
import { ctxFor, digestDomain } from './testing/db';
import { recordFigure } from './testing/figures';
import { seedOrg, type SeededOrg } from './testing/orgs';
import { addParticipant, seedReviewStatement } from './testing/review';

const CHILD = 'lib/testing/children/sign-load.ts';
const N = 1000;
const IN_FLIGHT = 25;
const db = () => getDb();

type Job = { orgId: string; actor: Actor };
type ChildOut = { pid: number; ms: number; outcomes: SignOutcome[] };

/** Two children, each signing its jobs `IN_FLIGHT` at a time, released together by a barrier. */
async function signFromTwoProcesses(statementId: string, version: number, jobs: [Job[], Job[]]): Promise<ChildOut[]> {
  const barrier = await holdBarrier();
  const env = { DATABASE_POOL_MAX: String(IN_FLIGHT + 2) };
  const children = jobs.map((j) => runTs(CHILD, [JSON.stringify({ statementId, version, jobs: j, concurrency: IN_FLIGHT, barrierKey: barrier.key })], env));
  try {
    await barrier.waitForWaiters(2, 60_000);
  } finally {
    await barrier.release();
  }
  const done = await Promise.all(children);
  for (const c of done) expect(c.code, c.stderr).toBe(0);
  return done.map((c) => parseResult<ChildOut>(c.stdout));
}

const ok = (o: SignOutcome): o is Extract<SignOutcome, { ok: true }> => o.ok;

async function statementEvents(statementId: string) {
  return db()
    .select()
    .from(auditEvents)
    .where(and(eq(auditEvents.chainType, 'statement'), eq(auditEvents.chainId, statementId)))
    .orderBy(asc(auditEvents.seq));
}

async function signatureCounts(statementId: string) {
  const [r] = (await db().execute(sql`
    SELECT (SELECT count(*)::int FROM signatures WHERE statement_id = ${statementId}) AS signatures,
           (SELECT count(*)::int FROM signature_bindings WHERE statement_id = ${statementId}) AS bindings,
           (SELECT count(*)::int FROM audit_events WHERE chain_type = 'statement' AND chain_id = ${statementId}
              AND type IN ('signature.signed', 'signature.reconfirmed', 'signature.reinstated')) AS events`)) as unknown as {
    signatures: number;
    bindings: number;
    events: number;
  }[];
  return r!;
}

/** The statement chain: seq 1..n, each event linked to the one before, no two sharing a prev_hash, head agrees, verifies. */
async function expectLinearVerifiedChain(statementId: string) {
  const events = await statementEvents(statementId);
  const n = events.length;
  expect(events.map((e) => e.seq)).toEqual(Array.from({ length: n }, (_, i) => i + 1));
  expect(new Set(events.map((e) => e.prevHash)).size).toBe(n);
  for (let i = 1; i < n; i++) expect(events[i]!.prevHash).toBe(events[i - 1]!.hash);
  expect(await verifyChain(db(), { type: 'statement', id: statementId })).toEqual([]);
  const [head] = await db()
    .select()
    .from(auditChainHeads)
    .where(and(eq(auditChainHeads.chainType, 'statement'), eq(auditChainHeads.chainId, statementId)));
  expect(head).toMatchObject({ seq: n, hash: events[n - 1]!.hash });
  return events;
}

async function expectNoFindings() {
  const results = await checkInvariants(db());
  expect(results.filter((r) => r.count > 0)).toEqual([]);
  expect(totalFindings(results)).toBe(0);
}

describe('signing under concurrency (two OS processes, real PostgreSQL)', () => {
  let init: SeededOrg;
  let dup: SeededOrg;
  let id: string;
  let signers: BulkSigner[];
  let v1Hash: string;
  const timings: Record<string, number> = {};

  beforeAll(async () => {
    let t = Date.now();
    init = await seedOrg();
    dup = await seedOrg();
    id = await seedReviewStatement(init);
    await addParticipant(id, dup);
    signers = await seedBulkParticipants(id, init.admin.userId, N);
    timings.seed = Date.now() - t;
    t = Date.now();
    const v = await freezeVersion(ctxFor(init.admin), { statementId: id });
    timings.freeze = Date.now() - t;
    expect(v.version).toBe(1);
    v1Hash = v.contentSha256;
    // The bulk seed is consistent: the checker finds nothing before anyone signs.
    t = Date.now();
    await expectNoFindings();
    timings.invariants = Date.now() - t;
  }, 180_000);

  it(`${N} organizations sign at once from 2 processes: ${N} signatures, ${N} bindings, ${N} events, 0 lost, 0 duplicated`, async () => {
    expect(await countCurrentSignatures(db(), id)).toBe(0);
    const t = Date.now();
    const jobs = signers.map((s) => ({ orgId: s.orgId, actor: s.owner }));
    const [a, b] = await signFromTwoProcesses(id, 1, [jobs.slice(0, N / 2), jobs.slice(N / 2)]);
    timings.sign = Date.now() - t;
    const outcomes = [...a!.outcomes, ...b!.outcomes];
    expect(outcomes.filter((o) => !ok(o))).toEqual([]);
    const done = outcomes.filter(ok);
    expect(done).toHaveLength(N);
    expect(done.every((o) => o.kind === 'signed' && o.created && o.version === 1)).toBe(true);
    expect(new Set(done.map((o) => o.bindingId)).size).toBe(N);

    // The database holds exactly those: one signature, one binding (to version 1's hash), one event per organization.
    expect(await signatureCounts(id)).toEqual({ signatures: N, bindings: N, events: N });
    const bindings = await db()
      .select({ id: signatureBindings.id, orgId: signatures.orgId, versionNumber: signatureBindings.versionNumber, hash: signatureBindings.contentSha256 })
      .from(signatureBindings)
      .innerJoin(signatures, eq(signatures.id, signatureBindings.signatureId))
      .where(eq(signatureBindings.statementId, id));
    expect(new Set(bindings.map((x) => x.id))).toEqual(new Set(done.map((o) => o.bindingId)));
    expect(new Set(bindings.map((x) => x.orgId))).toEqual(new Set(signers.map((s) => s.orgId)));
    expect(bindings.every((x) => x.versionNumber === 1 && x.hash === v1Hash)).toBe(true);
    const signed = (await statementEvents(id)).filter((e) => e.type === 'signature.signed');
    expect(signed).toHaveLength(N);
    expect(new Set(signed.map((e) => e.data.bindingId))).toEqual(new Set(done.map((o) => o.bindingId)));
    const receipts = await db()
      .select({ n: sql<number>`count(*)::int` })
      .from(outbox)
      .where(and(eq(outbox.kind, 'signature.receipt'), sql`${outbox.data}->>'statementId' = ${id}`));
    expect(receipts[0]!.n).toBe(N);
    expect(await countCurrentSignatures(db(), id)).toBe(N);

    // The two processes really interleaved: the signing events alternate between their halves more than once.
    const firstHalf = new Set(signers.slice(0, N / 2).map((s) => s.orgId));
    const sides = signed.map((e) => firstHalf.has(e.data.orgId as string));
    expect(sides.slice(1).filter((s, i) => s !== sides[i]).length).toBeGreaterThan(1);

    await expectLinearVerifiedChain(id);
    await expectNoFindings();
    recordFigure('concurrency-signing', `Concurrent: ${N} signers from 2 processes (${IN_FLIGHT} in flight each), ${N} signatures, 0 lost, 0 duplicated`);
    console.log(`[signing-concurrency] seed ${timings.seed} ms, freeze ${timings.freeze} ms, invariants ${timings.invariants} ms, sign ${timings.sign} ms (children ${a!.ms} / ${b!.ms} ms)`);
  }, 240_000);

  it('50 concurrent duplicate calls for one organization (25 per process): 1 signature, 1 binding, 1 event, the same bindingId', async () => {
    const before = await signatureCounts(id);
    const job = { orgId: dup.org.id, actor: dup.owner };
    const [a, b] = await signFromTwoProcesses(id, 1, [Array.from({ length: 25 }, () => job), Array.from({ length: 25 }, () => job)]);
    const outcomes = [...a!.outcomes, ...b!.outcomes];
    expect(outcomes.filter((o) => !ok(o))).toEqual([]);
    const done = outcomes.filter(ok);
    expect(done).toHaveLength(50);
    expect(new Set(done.map((o) => o.bindingId)).size).toBe(1);
    expect(done.filter((o) => o.created)).toHaveLength(1);
    expect(done.filter((o) => o.kind === 'signed')).toHaveLength(1);
    expect(done.filter((o) => o.kind === 'existing')).toHaveLength(49);

    expect(await signatureCounts(id)).toEqual({ signatures: before.signatures + 1, bindings: before.bindings + 1, events: before.events + 1 });
    const rows = await db()
      .select({ id: signatureBindings.id })
      .from(signatureBindings)
      .innerJoin(signatures, eq(signatures.id, signatureBindings.signatureId))
      .where(and(eq(signatures.statementId, id), eq(signatures.orgId, dup.org.id)));
    expect(rows.map((r) => r.id)).toEqual([done[0]!.bindingId]);
    const events = (await statementEvents(id)).filter((e) => e.type === 'signature.signed' && e.data.orgId === dup.org.id);
    expect(events.map((e) => e.data.bindingId)).toEqual([done[0]!.bindingId]);
    expect(await countCurrentSignatures(db(), id)).toBe(N + 1);

    // (The invariant checker runs after the next test, over everything.)
    await expectLinearVerifiedChain(id);
    recordFigure('concurrency-signing-duplicates', 'Concurrent: 50 duplicate signs for one organization from 2 processes, 1 signature, 1 binding, 1 event, 0 duplicated');
  }, 120_000);

  it('while reopened, and with version 1 after version 2 is frozen, every call from both processes is refused and nothing changes; re-confirming version 2 succeeds', async () => {
    const some = signers.slice(0, 100).map((s) => ({ orgId: s.orgId, actor: s.owner }));
    const halves: [Job[], Job[]] = [some.slice(0, 50), [...some.slice(50), { orgId: dup.org.id, actor: dup.owner }]];

    const t0 = Date.now();
    const lap = (what: string) => (timings[what] = Date.now() - t0);
    // Reopened: signing is closed.
    await reopenStatement(ctxFor(init.admin), { statementId: id });
    let before = await digestDomain();
    lap('reopened-digest');
    let outs = (await signFromTwoProcesses(id, 1, halves)).flatMap((c) => c.outcomes);
    expect(outs).toHaveLength(101);
    expect(outs.every((o) => !o.ok && 'code' in o && o.code === 'INVALID_STATE' && o.message === 'errors.signingClosed')).toBe(true);
    expect(await digestDomain(), 'the database did not change').toBe(before);

    lap('reopened');
    // Version 2 frozen: version 1 is stale.
    const v2 = await freezeVersion(ctxFor(init.admin), { statementId: id });
    lap('freeze2');
    expect(v2).toMatchObject({ version: 2, reconfirm: N + 1 });
    expect(v2.contentSha256).not.toBe(v1Hash);
    expect(await countCurrentSignatures(db(), id)).toBe(0);
    before = await digestDomain();
    outs = (await signFromTwoProcesses(id, 1, halves)).flatMap((c) => c.outcomes);
    expect(outs).toHaveLength(101);
    expect(outs.every((o) => !o.ok && 'code' in o && o.code === 'CONFLICT' && o.message === 'errors.staleVersion')).toBe(true);
    expect(await digestDomain(), 'the database did not change').toBe(before);

    lap('stale');
    // The allowed twin: the same calls naming version 2 re-confirm, once each.
    const counts = await signatureCounts(id);
    outs = (await signFromTwoProcesses(id, 2, halves)).flatMap((c) => c.outcomes);
    expect(outs.filter((o) => !ok(o))).toEqual([]);
    expect(outs.filter(ok).every((o) => o.kind === 'reconfirmed' && o.created && o.version === 2)).toBe(true);
    expect(await signatureCounts(id)).toEqual({ signatures: counts.signatures, bindings: counts.bindings + 101, events: counts.events + 101 });
    expect(await countCurrentSignatures(db(), id)).toBe(101);
    const [v] = await db().select().from(statementVersions).where(and(eq(statementVersions.statementId, id), eq(statementVersions.number, 2)));
    const v2Bindings = await db().select().from(signatureBindings).where(and(eq(signatureBindings.statementId, id), eq(signatureBindings.versionNumber, 2)));
    expect(v2Bindings).toHaveLength(101);
    expect(v2Bindings.every((x) => x.contentSha256 === v!.contentSha256 && x.versionId === v!.id)).toBe(true);

    lap('reconfirm');
    await expectLinearVerifiedChain(id);
    lap('chain');
    await expectNoFindings();
    lap('invariants-end');
    console.log(`[signing-concurrency] timings (ms; the laps after 'sign' count from the start of this test): ${JSON.stringify(timings)}`);
    recordFigure('concurrency-signing-refusals', 'Concurrent: 202 signs while reopened or naming a stale version from 2 processes, 202 refused, database unchanged');
  }, 240_000);
});
