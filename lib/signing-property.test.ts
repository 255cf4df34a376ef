// Model-based property test of signing (issue 6 S4–S6; SECURITY.md C2, C3, I3, I4, I5): random sequences of
// freeze, reopen, draft edits, signing for organizations A/B/C by allowed and not-allowed people (and with a stale
// or wrong version), withdrawing, reinstating, declining to sign and re-confirming, each run on a fresh statement.
// A small model predicts each command's answer: a refusal must carry the predicted code and leave the database
// unchanged, a repeat must change nothing, and an action must add exactly one audit event. After each sequence:
// the invariant checker finds nothing, every binding carries its version's hash, countCurrentSignatures and the
// signing board agree with the model, and the statement chain verifies.
import { and, eq, sql } from 'drizzle-orm';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { getDb } from '@/db';
import { auditChainHeads, signatureBindings, statementTexts, statementVersions } from '@/db/schema';
import { verifyChain } from './audit';
import type { Actor } from './context';
import { AppError } from './errors';
import { checkInvariants, totalFindings } from './invariants';
import { setSigningPolicy } from './orgs';
import {
  countCurrentSignatures,
  declineToSign,
  freezeVersion,
  getSignatureBoard,
  reopenStatement,
  signForOrganization,
  withdrawSignature,
} from './signing';
import { createStatement, saveText } from './statements';
import { ctxFor, digestDomain } from './testing/db';
import { participate } from './testing/invitations';
import { seedOrg, type SeededOrg } from './testing/orgs';
import { docOf } from './testing/review';

const db = () => getDb();
const RUNS = 35;

const ORGS = ['A', 'B', 'C'] as const;
type OrgKey = (typeof ORGS)[number];
/** owner/admin/member of the organization; foreign: another participant's owner naming this organization; outsider: member of nothing here. */
type Who = 'owner' | 'admin' | 'member' | 'foreign' | 'outsider';
type VersionPick = 'current' | 'previous' | 'next' | 'wrongHash';

type Cmd =
  | { t: 'freeze'; by: 'admin' | 'member' }
  | { t: 'reopen'; by: 'admin' | 'member' }
  | { t: 'edit' }
  | { t: 'sign'; org: OrgKey; who: Who; version: VersionPick }
  | { t: 'withdraw'; org: OrgKey; who: Who }
  | { t: 'decline'; org: OrgKey; who: Who };

type OrgModel = { hasSig: boolean; bound: number | null; withdrawn: boolean; declined: boolean };
type Model = { state: 'draft' | 'open' | 'reopened'; version: number; bindings: number; orgs: Record<OrgKey, OrgModel> };

/** A's and C's policy is 'admins' (the default); B lets members sign. */
const POLICY: Record<OrgKey, 'admins' | 'members'> = { A: 'admins', B: 'members', C: 'admins' };

const orgArb = fc.constantFrom<OrgKey>(...ORGS);
const whoArb: fc.Arbitrary<Who> = fc.oneof(
  { arbitrary: fc.constantFrom<Who>('owner', 'admin'), weight: 5 },
  { arbitrary: fc.constant<Who>('member'), weight: 2 },
  { arbitrary: fc.constantFrom<Who>('foreign', 'outsider'), weight: 1 },
);
const cmdArb: fc.Arbitrary<Cmd> = fc.oneof(
  { arbitrary: fc.record({ t: fc.constant('freeze' as const), by: fc.constantFrom('admin' as const, 'admin' as const, 'admin' as const, 'member' as const) }), weight: 3 },
  { arbitrary: fc.record({ t: fc.constant('reopen' as const), by: fc.constantFrom('admin' as const, 'admin' as const, 'member' as const) }), weight: 2 },
  { arbitrary: fc.record({ t: fc.constant('edit' as const) }), weight: 2 },
  {
    arbitrary: fc.record({
      t: fc.constant('sign' as const),
      org: orgArb,
      who: whoArb,
      version: fc.oneof(
        { arbitrary: fc.constant<VersionPick>('current'), weight: 5 },
        { arbitrary: fc.constantFrom<VersionPick>('previous', 'next', 'wrongHash'), weight: 1 },
      ),
    }),
    weight: 8,
  },
  { arbitrary: fc.record({ t: fc.constant('withdraw' as const), org: orgArb, who: whoArb }), weight: 3 },
  { arbitrary: fc.record({ t: fc.constant('decline' as const), org: orgArb, who: whoArb }), weight: 2 },
);
/** Up to 14 commands; four runs in five start by freezing, so most sequences reach signing. */
const seqArb: fc.Arbitrary<Cmd[]> = fc
  .tuple(fc.integer({ min: 0, max: 4 }), fc.array(cmdArb, { minLength: 1, maxLength: 13 }))
  .map(([start, cmds]) => (start > 0 ? [{ t: 'freeze', by: 'admin' } as Cmd, ...cmds] : cmds));

type Expect =
  | { refused: string; message?: string }
  | { noop: true; kind?: string }
  | { change: true; kind?: string };

const allowed = (org: OrgKey, who: Who) => who === 'owner' || who === 'admin' || (who === 'member' && POLICY[org] === 'members');

/** What the product must answer (checked in the order lib/signing.ts checks), and the model after it. */
function predict(m: Model, c: Cmd): Expect {
  switch (c.t) {
    case 'freeze':
      if (c.by === 'member') return { refused: 'FORBIDDEN' };
      if (m.state === 'open') return { refused: 'INVALID_STATE', message: 'errors.cannotFreeze' };
      m.version += 1;
      m.state = 'open';
      return { change: true };
    case 'reopen':
      if (c.by === 'member') return { refused: 'FORBIDDEN' };
      if (m.state !== 'open') return { refused: 'INVALID_STATE', message: 'errors.cannotReopen' };
      m.state = 'reopened';
      return { change: true };
    case 'edit':
      if (m.state === 'open') return { refused: 'INVALID_STATE', message: 'errors.statementNotEditable' };
      return { change: true };
    case 'sign': {
      const o = m.orgs[c.org];
      if (c.who === 'outsider') return { refused: 'NOT_FOUND' };
      if (m.state !== 'open') return { refused: 'INVALID_STATE', message: 'errors.signingClosed' };
      if (c.version !== 'current') return { refused: 'CONFLICT', message: 'errors.staleVersion' };
      if (c.who === 'foreign') return { refused: 'FORBIDDEN', message: 'errors.notYourOrganization' };
      if (!allowed(c.org, c.who)) return { refused: 'FORBIDDEN', message: 'errors.policyForbidsSigning' };
      if (!o.withdrawn && o.bound === m.version) return { noop: true, kind: 'existing' };
      const kind = o.withdrawn ? 'reinstated' : o.hasSig ? 'reconfirmed' : 'signed';
      Object.assign(o, { hasSig: true, bound: m.version, withdrawn: false });
      m.bindings += 1;
      return { change: true, kind };
    }
    case 'withdraw': {
      const o = m.orgs[c.org];
      if (c.who === 'outsider') return { refused: 'NOT_FOUND' };
      if (c.who === 'foreign') return { refused: 'FORBIDDEN', message: 'errors.notYourOrganization' };
      if (!allowed(c.org, c.who)) return { refused: 'FORBIDDEN', message: 'errors.policyForbidsSigning' };
      if (!o.hasSig) return { refused: 'INVALID_STATE', message: 'errors.notSigned' };
      if (o.withdrawn) return { noop: true };
      o.withdrawn = true;
      return { change: true };
    }
    case 'decline': {
      const o = m.orgs[c.org];
      if (c.who === 'outsider') return { refused: 'NOT_FOUND' };
      if (c.who === 'foreign') return { refused: 'FORBIDDEN', message: 'errors.notYourOrganization' };
      if (!allowed(c.org, c.who)) return { refused: 'FORBIDDEN', message: 'errors.policyForbidsSigning' };
      if (o.hasSig && !o.withdrawn) return { refused: 'INVALID_STATE', message: 'errors.withdrawInstead' };
      if (o.declined) return { noop: true };
      o.declined = true;
      return { change: true };
    }
  }
}

/** The board status the model implies (initiator view). */
function boardStatus(m: Model, o: OrgModel): string {
  if (o.hasSig) return o.withdrawn ? (o.declined ? 'declined' : 'withdrawn') : o.bound === m.version ? 'signed' : 'needs_reconfirmation';
  return o.declined ? 'declined' : 'unsigned';
}

let init: SeededOrg;
let outsider: Actor;
const part = {} as Record<OrgKey, SeededOrg>;
/** Across all runs: how often each command kind was accepted (by result kind), was a no-op, or was refused. */
const seen = new Map<string, number>();
const tally = (key: string) => seen.set(key, (seen.get(key) ?? 0) + 1);

async function headSeq(statementId: string): Promise<number> {
  const [h] = await db()
    .select({ seq: auditChainHeads.seq })
    .from(auditChainHeads)
    .where(and(eq(auditChainHeads.chainType, 'statement'), eq(auditChainHeads.chainId, statementId)));
  return h?.seq ?? 0;
}

async function freshStatement(): Promise<string> {
  const c = ctxFor(init.owner);
  const { id } = await createStatement(c, { orgId: init.org.id, title: 'Property letter', primaryLang: 'hy', summary: null, timeZone: 'Asia/Yerevan' });
  await saveText(c, { statementId: id, lang: 'hy', baseVersion: 0, title: 'Property letter', doc: docOf('Մենք կոչ ենք անում։') });
  for (const k of ORGS) await participate(id, part[k], { by: init.admin });
  return id;
}

function actorFor(org: OrgKey, who: Who): Actor {
  if (who === 'outsider') return outsider;
  if (who === 'foreign') return part[ORGS[(ORGS.indexOf(org) + 1) % ORGS.length]!].owner;
  return part[org][who];
}

async function run(statementId: string, m: Model, c: Cmd, step: number): Promise<unknown> {
  const admin = ctxFor(init.admin);
  switch (c.t) {
    case 'freeze':
      return freezeVersion(c.by === 'admin' ? admin : ctxFor(init.member), { statementId });
    case 'reopen':
      return reopenStatement(c.by === 'admin' ? admin : ctxFor(init.member), { statementId });
    case 'edit': {
      const [t] = await db()
        .select({ v: statementTexts.lockVersion })
        .from(statementTexts)
        .where(and(eq(statementTexts.statementId, statementId), eq(statementTexts.lang, 'hy')));
      return saveText(admin, { statementId, lang: 'hy', baseVersion: t!.v, title: 'Property letter', doc: docOf('Մենք կոչ ենք անում։', `Edit ${step} ${t!.v}`) });
    }
    case 'sign': {
      const [v] = await db()
        .select({ hash: statementVersions.contentSha256 })
        .from(statementVersions)
        .where(and(eq(statementVersions.statementId, statementId), eq(statementVersions.number, m.version)));
      const version = c.version === 'previous' ? m.version - 1 : c.version === 'next' ? m.version + 1 : m.version;
      const contentSha256 = c.version === 'wrongHash' ? 'f'.repeat(64) : v?.hash;
      return signForOrganization(ctxFor(actorFor(c.org, c.who)), { statementId, orgId: part[c.org].org.id, version, contentSha256 });
    }
    case 'withdraw':
      return withdrawSignature(ctxFor(actorFor(c.org, c.who)), { statementId, orgId: part[c.org].org.id, reason: `step ${step}` });
    case 'decline':
      return declineToSign(ctxFor(actorFor(c.org, c.who)), { statementId, orgId: part[c.org].org.id, reason: null });
  }
}

/** Apply one sequence to a fresh statement, checking every answer against the model. */
async function check(cmds: Cmd[]) {
  const id = await freshStatement();
  // m.version before a freeze is 0: the model's version numbers are the product's (current_version null = 0).
  const fresh = (): OrgModel => ({ hasSig: false, bound: null, withdrawn: false, declined: false });
  const m: Model = { state: 'draft', version: 0, bindings: 0, orgs: { A: fresh(), B: fresh(), C: fresh() } };
  for (const [i, c] of cmds.entries()) {
    const label = `#${i} ${JSON.stringify(c)}`;
    const seqBefore = await headSeq(id);
    const exp = predict(m, c);
    // Refusals and repeats must leave every table as it was; an action must add exactly one event.
    const before = 'change' in exp ? null : await digestDomain();
    const got = await run(id, m, c, i).then(
      (r) => ({ ok: true as const, r }),
      (e: unknown) => ({ ok: false as const, e }),
    );
    if ('refused' in exp) {
      expect(got.ok, `${label}: expected ${exp.refused}`).toBe(false);
      const e = (got as { e: unknown }).e;
      expect(e, label).toBeInstanceOf(AppError);
      expect((e as AppError).code, label).toBe(exp.refused);
      if (exp.message) expect((e as AppError).message, label).toBe(exp.message);
      expect(await digestDomain(), `${label}: the database did not change`).toBe(before);
      tally(`${c.t}:refused:${exp.refused}`);
      continue;
    }
    if (!got.ok) throw new Error(`${label}: expected success, got ${String(got.e)}`);
    const r = got.r as { kind?: string; changed?: boolean };
    if ('noop' in exp) {
      if (exp.kind) expect(r.kind, label).toBe(exp.kind);
      if (c.t !== 'sign') expect(r.changed, label).toBe(false);
      expect(await digestDomain(), `${label}: a repeat changes nothing`).toBe(before);
      tally(`${c.t}:noop`);
      continue;
    }
    if (exp.kind) expect(r.kind, label).toBe(exp.kind);
    if (c.t === 'withdraw' || c.t === 'decline') expect(r.changed, label).toBe(true);
    expect(await headSeq(id), `${label}: one audit event`).toBe(seqBefore + 1);
    tally(`${c.t}:ok${exp.kind ? `:${exp.kind}` : ''}`);
  }

  // After the sequence.
  const results = await checkInvariants(db());
  expect(results.filter((r) => r.count > 0)).toEqual([]);
  expect(totalFindings(results)).toBe(0);
  const mismatched = (await db().execute(sql`
    SELECT b.id FROM signature_bindings b JOIN statement_versions v ON v.id = b.version_id
     WHERE b.statement_id = ${id} AND (b.content_sha256 <> v.content_sha256 OR b.version_number <> v.number OR v.statement_id <> b.statement_id)`)) as unknown as unknown[];
  expect(mismatched).toEqual([]);
  const bindings = await db().select({ n: sql<number>`count(*)::int` }).from(signatureBindings).where(eq(signatureBindings.statementId, id));
  expect(bindings[0]!.n, 'one binding per signing, re-confirmation and reinstatement').toBe(m.bindings);
  const expected = ORGS.filter((k) => m.orgs[k].bound === m.version && !m.orgs[k].withdrawn).length;
  expect(await countCurrentSignatures(db(), id)).toBe(expected);
  const board = await getSignatureBoard(ctxFor(init.admin), id);
  for (const k of ORGS) {
    const row = board.rows.find((r) => r.orgId === part[k].org.id);
    expect(row?.status, `board status of ${k} after ${JSON.stringify(cmds)}`).toBe(boardStatus(m, m.orgs[k]));
  }
  expect(board.counts.signed).toBe(expected);
  expect(await verifyChain(db(), { type: 'statement', id })).toEqual([]);
}

/** One hand-written sequence through every kind of answer (always run, besides the random ones). */
const TOUR: Cmd[] = [
  { t: 'sign', org: 'A', who: 'owner', version: 'current' }, // draft: refused
  { t: 'decline', org: 'C', who: 'admin' },
  { t: 'freeze', by: 'member' },
  { t: 'freeze', by: 'admin' },
  { t: 'edit' }, // open: refused
  { t: 'sign', org: 'A', who: 'member', version: 'current' }, // A: admins only
  { t: 'sign', org: 'B', who: 'member', version: 'current' }, // B: members may sign
  { t: 'sign', org: 'A', who: 'owner', version: 'current' },
  { t: 'sign', org: 'A', who: 'admin', version: 'current' }, // existing
  { t: 'sign', org: 'C', who: 'foreign', version: 'current' },
  { t: 'sign', org: 'C', who: 'outsider', version: 'current' },
  { t: 'sign', org: 'C', who: 'owner', version: 'next' },
  { t: 'sign', org: 'C', who: 'owner', version: 'wrongHash' },
  { t: 'withdraw', org: 'C', who: 'owner' }, // not signed
  { t: 'withdraw', org: 'A', who: 'admin' },
  { t: 'withdraw', org: 'A', who: 'owner' }, // repeat
  { t: 'decline', org: 'B', who: 'owner' }, // signature stands: withdraw instead
  { t: 'decline', org: 'A', who: 'owner' }, // withdrawn: may decline
  { t: 'decline', org: 'A', who: 'owner' }, // repeat
  { t: 'sign', org: 'A', who: 'owner', version: 'current' }, // reinstated
  { t: 'reopen', by: 'member' },
  { t: 'reopen', by: 'admin' },
  { t: 'reopen', by: 'admin' },
  { t: 'sign', org: 'B', who: 'admin', version: 'current' }, // reopened: refused
  { t: 'edit' },
  { t: 'freeze', by: 'admin' },
  { t: 'sign', org: 'A', who: 'owner', version: 'previous' }, // stale version 1
  { t: 'sign', org: 'B', who: 'member', version: 'current' }, // re-confirm version 2
  { t: 'withdraw', org: 'B', who: 'member' },
  { t: 'sign', org: 'C', who: 'admin', version: 'current' }, // after declining, C signs
];

describe('signing: model-based property (random command sequences on a fresh statement)', () => {
  beforeAll(async () => {
    init = await seedOrg();
    for (const k of ORGS) part[k] = await seedOrg();
    await setSigningPolicy(ctxFor(part.B.owner), { orgId: part.B.org.id, policy: 'members' });
    outsider = init.outsider;
  }, 60_000);

  it('the hand-written tour through every answer matches the model', async () => {
    await check(TOUR);
    for (const k of ['sign:ok:signed', 'sign:ok:reconfirmed', 'sign:ok:reinstated', 'sign:noop', 'withdraw:ok', 'withdraw:noop', 'decline:ok', 'decline:noop', 'freeze:ok', 'reopen:ok', 'edit:ok'])
      expect(seen.get(k), k).toBeGreaterThan(0);
    for (const k of ['NOT_FOUND', 'FORBIDDEN', 'CONFLICT', 'INVALID_STATE']) expect(seen.get(`sign:refused:${k}`), k).toBeGreaterThan(0);
  }, 60_000);

  it(`${RUNS} random sequences of up to 14 commands: answers match the model; invariants, hashes, counts, board and chain hold`, async () => {
    const t = Date.now();
    seen.clear();
    await fc.assert(
      fc.asyncProperty(seqArb, (cmds) => check(cmds)),
      { numRuns: RUNS, endOnFailure: true },
    );
    console.log(`[signing-property] ${RUNS} runs in ${Date.now() - t} ms; answers: ${JSON.stringify(Object.fromEntries([...seen].sort()))}`);
    // The random runs reached real signing, not only refusals.
    expect(seen.get('sign:ok:signed') ?? 0).toBeGreaterThan(0);
  }, 180_000);
});
