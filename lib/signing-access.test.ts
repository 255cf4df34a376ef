// The signing rows of SECURITY.md's matrix ("freeze version / reopen", "sign for own org", "sign for another org
// (id tampered)", "withdraw own org's signature", accept-and-sign): every cell of lib/access-matrix.ts's signing
// entries, run from the matrix itself (a cell without a scenario here fails). Server actions' cells are called on
// the lib/signing.ts function with a Ctx per role; the two route handlers' cells on the exported GET/POST with a
// real Request (only Auth.js's session reader and Next's request adapters replaced), so their own answers (a
// signed-out GET is NOT_FOUND) are what is tested. Each denial asserts its code (NOT_FOUND: the one message, I2)
// and an unchanged digestDomain(), and is paired with an allowed twin that succeeds and writes what it should.
//
// Roles: INIT-A / INIT-M (admin / plain member of the initiating organization A), INV-M (admin or plain member of
// P, a participant that accepted through the real path), INV-P (owner of Q, invited and not accepted), OTHER (owner
// of the unrelated B); for accept-and-sign: INVITED (an owner/admin of a freshly invited organization X, or the
// invited contact), OTHER (anyone else). Both A and P sign under the default policy `admins`; the cells marked
// policy:members switch it through setSigningPolicy (the owner), and it is switched back after each test.
import crypto from 'node:crypto';
import { and, desc, eq } from 'drizzle-orm';
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { getDb } from '@/db';
import {
  auditEvents,
  signatureBindings,
  signatureEvents,
  signatures,
  signDeclines,
  statementInvitations,
  statementParticipants,
  statements,
  statementVersions,
  type AuditEventType,
} from '@/db/schema';
import { ACCESS_MATRIX, type Cell, type EntryId, type MatrixEntry } from './access-matrix';
import type { Actor } from './context';
import { isAppError } from './errors';
import { inviteOrganizations } from './invitations';
import { checkInvariants } from './invariants';
import { createOrganization, setSigningPolicy } from './orgs';
import {
  acceptAndSign,
  declineToSign,
  freezeVersion,
  getVersion,
  reopenStatement,
  signForOrganization,
  withdrawSignature,
} from './signing';
import { ctxFor, digestDomain } from './testing/db';
import { inviteOrg, mailCatcher, tokenIn } from './testing/invitations';
import { seedOrg, uniqueOrgName, type SeededOrg } from './testing/orgs';
import { addParticipant, invitePending, seedReviewStatement } from './testing/review';
import { sha256Hex } from './canonical';
import { matrixTally, withoutValue } from './testing/tally';

// Every link action counts against the client's address; this file sends many from one.
process.env.RATE_LIMIT_TOKEN_PER_IP = '1000000';

// ---- test doubles for the Next.js / Auth.js adapters (never for our database) ----

const h = vi.hoisted(() => ({ actor: null as { userId: string; email: string } | null }));
vi.mock('next/headers', () => ({
  headers: async () =>
    new Headers({
      host: 'localhost:3000',
      origin: 'http://localhost:3000',
      'sec-fetch-site': 'same-origin',
      'x-client-ip': '127.0.0.1',
    }),
  cookies: async () => ({ get: () => undefined, getAll: () => [], set: () => {}, delete: () => {} }),
}));
vi.mock('next/cache', () => ({ revalidatePath: () => {}, revalidateTag: () => {} }));
vi.mock('next/navigation', () => ({
  redirect: (url: string) => {
    throw new Error(`unexpected redirect ${url}`);
  },
}));
vi.mock('@/lib/auth', () => ({
  auth: async () =>
    h.actor
      ? {
          user: { id: h.actor.userId, email: h.actor.email },
          expires: new Date(Date.now() + 3600_000).toISOString(),
        }
      : null,
  signIn: async () => {},
  signOut: async () => {},
}));

const actions = await import('@/app/_actions/signing');
const signRoute = await import('@/app/api/statements/[id]/sign/route');
const versionRoute = await import('@/app/api/statements/[id]/versions/[number]/route');

beforeEach(() => {
  h.actor = null;
});

const APP = 'http://localhost:3000'; // APP_URL in vitest.config.ts
const db = () => getDb();
const catcher = mailCatcher();

// ---- outcomes, whatever the layer ----

type Outcome = { ok: true; value?: unknown; status?: number } | { ok: false; code: string; message: string; status?: number };

async function libOutcome(fn: () => Promise<unknown>): Promise<Outcome> {
  try {
    return { ok: true, value: await fn() };
  } catch (e) {
    if (isAppError(e)) return { ok: false, code: e.code, message: e.message };
    throw e;
  }
}
async function actionOutcome(fn: () => Promise<unknown>): Promise<Outcome> {
  const r = (await fn()) as { ok: boolean; code?: string; message?: string; data?: unknown };
  return r.ok ? { ok: true, value: r.data } : { ok: false, code: r.code!, message: r.message! };
}
async function routeOutcome(res: Response): Promise<Outcome> {
  const text = await res.text();
  expect(res.status, text.slice(0, 300)).toBeLessThan(500);
  if (res.status < 300) {
    let value: unknown = text;
    try {
      value = JSON.parse(text);
    } catch {
      /* the canonical bytes of a version are JSON too; anything else stays text */
    }
    return { ok: true, value, status: res.status };
  }
  const body = JSON.parse(text) as { error: { code: string; message: string } };
  return { ok: false, code: body.error.code, message: body.error.message, status: res.status };
}
const form = (fields: Record<string, unknown>) => {
  const f = new FormData();
  for (const [k, v] of Object.entries(fields)) if (v !== undefined) f.append(k, String(v));
  return f;
};

// ---- the world ----

let A: SeededOrg; // initiator
let P: SeededOrg; // participant of every fixture
let Q: SeededOrg; // invited to every fixture, not accepted
let B: SeededOrg; // unrelated, with statements of its own
let Z: { id: string }; // an organization A's admin owns, taking part in nothing
beforeAll(async () => {
  [A, P, Q, B] = [await seedOrg(), await seedOrg(), await seedOrg(), await seedOrg()];
  Z = await createOrganization(ctxFor(A.admin), { name: uniqueOrgName('Unrelated Circle'), confirmDistinct: true });
});

/** Policies switched by a test, switched back (by the owner) after it. */
const switched: SeededOrg[] = [];
async function membersMaySign(org: SeededOrg) {
  await setSigningPolicy(ctxFor(org.owner), { orgId: org.org.id, policy: 'members' });
  switched.push(org);
}
afterEach(async () => {
  for (const org of switched.splice(0)) await setSigningPolicy(ctxFor(org.owner), { orgId: org.org.id, policy: 'admins' });
});

type Stage = 'draft' | 'open' | 'reopened' | 'v2';
/**
 * A statement of `org` (hy + en texts); for A's, P a participant and Q invited. Then frozen / reopened / frozen
 * again through the real functions, and signed by `signed` (their admins) on the version current at the time.
 */
async function fixture(stage: Stage, signed: SeededOrg[] = [], org: SeededOrg = A): Promise<string> {
  const id = await seedReviewStatement(org, 'draft');
  if (org === A) {
    await addParticipant(id, P);
    await invitePending(id, Q, A.owner.userId);
  }
  if (stage === 'draft') return id;
  await freezeVersion(ctxFor(org.owner), { statementId: id });
  for (const s of signed) await signForOrganization(ctxFor(s.admin), { statementId: id, orgId: s.org.id, version: 1 });
  if (stage === 'reopened' || stage === 'v2') await reopenStatement(ctxFor(org.owner), { statementId: id });
  if (stage === 'v2') await freezeVersion(ctxFor(org.owner), { statementId: id });
  return id;
}

const statementOf = async (id: string) => (await db().select().from(statements).where(eq(statements.id, id)))[0]!;
const eventsOf = (statementId: string, type: AuditEventType) =>
  db()
    .select()
    .from(auditEvents)
    .where(and(eq(auditEvents.chainType, 'statement'), eq(auditEvents.chainId, statementId), eq(auditEvents.type, type)));
const signatureOf = async (statementId: string, orgId: string) =>
  (await db().select().from(signatures).where(and(eq(signatures.statementId, statementId), eq(signatures.orgId, orgId))))[0];
const lastBinding = async (signatureId: string) =>
  (await db().select().from(signatureBindings).where(eq(signatureBindings.signatureId, signatureId)).orderBy(desc(signatureBindings.seq)))[0];
const lastEvent = async (signatureId: string) =>
  (await db().select().from(signatureEvents).where(eq(signatureEvents.signatureId, signatureId)).orderBy(desc(signatureEvents.seq)))[0];

/** The organization is bound to the statement's current version, by `actor`, with its event (one per binding). */
async function expectSigned(statementId: string, orgId: string, actor: Actor) {
  const st = await statementOf(statementId);
  const sig = await signatureOf(statementId, orgId);
  expect(sig, 'a signature row').toBeDefined();
  const b = (await lastBinding(sig!.id))!;
  expect(b).toMatchObject({ versionNumber: st.currentVersion, signedBy: actor.userId, statementId });
  const [v] = await db()
    .select()
    .from(statementVersions)
    .where(and(eq(statementVersions.statementId, statementId), eq(statementVersions.number, st.currentVersion!)));
  expect(b.contentSha256).toBe(v!.contentSha256);
  const ev = (
    await db()
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.chainType, 'statement'), eq(auditEvents.chainId, statementId)))
  ).filter((e) => e.data.bindingId === b.id);
  expect(ev).toHaveLength(1);
  const ls = await lastEvent(sig!.id);
  expect(ls?.kind ?? 'reinstated').toBe('reinstated');
}

// ---- calls ----

type Args = { statementId: string; orgId?: string; version?: number; contentSha256?: string; reason?: string; number?: number };
type Call = (actor: Actor | null, a: Args) => Promise<Outcome>;

const libCall: Record<string, Call> = {
  freezeVersionAction: (actor, a) => libOutcome(() => freezeVersion(ctxFor(actor), { statementId: a.statementId })),
  reopenStatementAction: (actor, a) => libOutcome(() => reopenStatement(ctxFor(actor), { statementId: a.statementId })),
  signStatementAction: (actor, a) =>
    libOutcome(() =>
      signForOrganization(ctxFor(actor), {
        statementId: a.statementId,
        orgId: a.orgId!,
        version: a.version!,
        contentSha256: a.contentSha256,
      }),
    ),
  declineToSignAction: (actor, a) =>
    libOutcome(() => declineToSign(ctxFor(actor), { statementId: a.statementId, orgId: a.orgId!, reason: a.reason ?? null })),
  withdrawSignatureAction: (actor, a) =>
    libOutcome(() => withdrawSignature(ctxFor(actor), { statementId: a.statementId, orgId: a.orgId!, reason: a.reason ?? null })),
};
const signOverHttp: Call = async (actor, a) => {
  h.actor = actor;
  const req = new Request(`${APP}/api/statements/${a.statementId}/sign`, {
    method: 'POST',
    headers: { origin: APP, 'sec-fetch-site': 'same-origin', 'content-type': 'application/json' },
    body: JSON.stringify({ orgId: a.orgId, version: a.version, ...(a.contentSha256 ? { contentSha256: a.contentSha256 } : {}) }),
  });
  return routeOutcome(await signRoute.POST(req, { params: Promise.resolve({ id: a.statementId }) }));
};
const versionOverHttp: Call = async (actor, a) => {
  h.actor = actor;
  const n = String(a.number ?? 1);
  const res = await versionRoute.GET(new Request(`${APP}/api/statements/${a.statementId}/versions/${n}`), {
    params: Promise.resolve({ id: a.statementId, number: n }),
  });
  const sha = res.headers.get('x-content-sha256');
  const bytes = Buffer.from(await res.clone().arrayBuffer());
  const o = await routeOutcome(res);
  if (o.ok) {
    // The bytes served are the version's canonical bytes: their hash is the one stored (and sent alongside).
    expect(sha256Hex(bytes)).toBe(sha);
    const v = (await getVersion(ctxFor(A.owner), a.statementId, Number(n))).version;
    expect(sha).toBe(v.contentSha256);
    expect(bytes.toString('utf8')).toBe(v.canonical);
  }
  return o;
};

const nameOf = (id: EntryId) => id.split('#')[1]!;
function callFor(entry: MatrixEntry): Call {
  if (entry.id === 'app/api/statements/[id]/sign/route.ts#POST') return signOverHttp;
  if (entry.id === 'app/api/statements/[id]/versions/[number]/route.ts#GET') return versionOverHttp;
  const c = libCall[nameOf(entry.id)];
  if (!c) throw new Error(`no lib call for ${entry.id}`);
  return c;
}
const kindOf = (entry: MatrixEntry): 'freeze' | 'reopen' | 'sign' | 'decline' | 'withdraw' | 'read' => {
  const n = nameOf(entry.id);
  if (n === 'freezeVersionAction') return 'freeze';
  if (n === 'reopenStatementAction') return 'reopen';
  if (n === 'declineToSignAction') return 'decline';
  if (n === 'withdrawSignatureAction') return 'withdraw';
  if (n === 'GET') return 'read';
  return 'sign';
};

// ---- a probe per cell ----

type Probe = {
  call: () => Promise<Outcome>;
  effect?: () => Promise<void>;
  twin?: () => Promise<Outcome>;
  twinEffect?: () => Promise<void>;
  /** I2: another denial whose answer must be exactly the same. */
  same?: () => Promise<Outcome>;
};

/** What an allowed call of this kind writes, for `actor` acting for `org` on the statement. */
function effectOf(kind: ReturnType<typeof kindOf>, id: string, actor: Actor, orgId?: string, before?: { version: number | null }) {
  return async () => {
    const st = await statementOf(id);
    if (kind === 'freeze') {
      expect(st.state).toBe('open');
      expect(st.currentVersion).toBe((before?.version ?? 0) + 1);
      expect((await eventsOf(id, 'version.frozen')).filter((e) => e.data.version === st.currentVersion)).toHaveLength(1);
    } else if (kind === 'reopen') {
      expect(st.state).toBe('reopened');
      expect(await eventsOf(id, 'statement.reopened')).toHaveLength(1);
    } else if (kind === 'sign') {
      await expectSigned(id, orgId!, actor);
    } else if (kind === 'decline') {
      const [d] = await db().select().from(signDeclines).where(and(eq(signDeclines.statementId, id), eq(signDeclines.orgId, orgId!)));
      expect(d).toMatchObject({ declinedBy: actor.userId });
      expect(await eventsOf(id, 'signature.declined_to_sign')).toHaveLength(1);
    } else if (kind === 'withdraw') {
      const sig = (await signatureOf(id, orgId!))!;
      expect(await lastEvent(sig.id)).toMatchObject({ kind: 'withdrawn', byUser: actor.userId });
      expect((await eventsOf(id, 'signature.withdrawn')).filter((e) => e.data.signatureId === sig.id)).toHaveLength(1);
    }
  };
}

async function versionRow(id: string) {
  const st = await statementOf(id);
  const [v] = await db()
    .select()
    .from(statementVersions)
    .where(and(eq(statementVersions.statementId, id), eq(statementVersions.number, st.currentVersion ?? 0)));
  return v;
}

async function probeFor(entry: MatrixEntry, cell: Cell): Promise<Probe> {
  const call = callFor(entry);
  const kind = kindOf(entry);
  const state = cell.state ?? '';
  const go = (actor: Actor | null, a: Args) => () => call(actor, a);

  // ---- freeze / reopen ----
  if (kind === 'freeze' || kind === 'reopen') {
    const stage: Stage = state.startsWith('reopened') ? 'reopened' : kind === 'reopen' ? 'open' : 'draft';
    const id = await fixture(stage);
    const a = { statementId: id };
    const before = { version: (await statementOf(id)).currentVersion };
    const allowed = (actor: Actor, fid = id, b = before) => ({
      twin: go(actor, { statementId: fid }),
      twinEffect: effectOf(kind, fid, actor, undefined, b),
    });
    if (cell.expect.outcome === 'allow') return { call: go(A.admin, a), effect: effectOf(kind, id, A.admin, undefined, before) };
    if (cell.role === 'ANON') return { call: go(null, a), ...allowed(A.admin) };
    if (cell.role === 'OTHER') return { call: go(B.owner, a), ...allowed(A.admin) };
    if (cell.role === 'INV-P') return { call: go(Q.owner, a), ...allowed(A.admin) };
    if (cell.role === 'INV-M') return { call: go(P.admin, a), ...allowed(A.admin) };
    if (cell.role === 'INIT-M') return { call: go(A.member, a), ...allowed(A.admin) };
    if (state.startsWith('open (already frozen)') || state.startsWith('draft (nothing frozen')) {
      const wrong = await fixture(kind === 'freeze' ? 'open' : 'draft');
      return { call: go(A.admin, { statementId: wrong }), ...allowed(A.admin) };
    }
    if (state.startsWith("another organization's statement")) {
      const other = await fixture(kind === 'freeze' ? 'draft' : 'open', [], B);
      return { call: go(A.admin, { statementId: other }), ...allowed(A.admin) };
    }
    if (state.startsWith('a statement id that does not exist'))
      return { call: go(A.admin, { statementId: crypto.randomUUID() }), same: go(B.owner, a), ...allowed(A.admin) };
  }

  // ---- reading a version ----
  if (kind === 'read') {
    const id = await fixture('open');
    const a = { statementId: id, number: 1 };
    const reader = { 'INV-M': P.member, 'INIT-M': A.member, 'INIT-A': A.admin } as Record<string, Actor>;
    if (cell.expect.outcome === 'allow') return { call: go(reader[cell.role]!, a), effect: async () => {} };
    const twin = { twin: go(A.member, a), twinEffect: async () => {} };
    if (cell.role === 'ANON') return { call: go(null, a), same: go(null, { statementId: crypto.randomUUID() }), ...twin };
    if (cell.role === 'OTHER') return { call: go(B.owner, a), same: go(B.owner, { statementId: crypto.randomUUID() }), ...twin };
    if (cell.role === 'INV-P') return { call: go(Q.owner, a), ...twin };
    if (state === 'a version number that does not exist') return { call: go(A.admin, { ...a, number: 2 }), ...twin };
    if (state.startsWith("another organization's statement")) {
      const other = await fixture('open', [], B);
      return { call: go(A.admin, { statementId: other, number: 1 }), same: go(B.owner, a), ...twin };
    }
  }

  // ---- sign / decline / withdraw, for one's own organization ----
  if (kind === 'sign' || kind === 'decline' || kind === 'withdraw') {
    const needsSigned = kind === 'withdraw' && !state.includes('not signed');
    const stage: Stage = state.startsWith('reopened')
      ? 'reopened'
      : state.startsWith('draft')
        ? 'draft'
        : state.includes('version 2 is current')
          ? 'v2'
          : 'open';
    // Withdraw: both organizations have signed (each may withdraw its own). "Not signed": only P has.
    const signed = needsSigned ? [A, P] : kind === 'withdraw' || state.includes('signed and standing') ? [P] : stage === 'v2' && state.includes('re-confirm') ? [P] : [];
    const id = await fixture(stage, signed);
    const current = (await statementOf(id)).currentVersion ?? 1;
    const a = (orgId: string, extra: Partial<Args> = {}): Args => ({ statementId: id, orgId, version: current, ...extra });
    /** The allowed twin: A's admin for A, on this fixture (or on `fid`). */
    const allowedA = (fid = id, v = current) => ({
      twin: go(A.admin, { statementId: fid, orgId: A.org.id, version: v }),
      twinEffect: effectOf(kind, fid, A.admin, A.org.id),
    });
    const allowedP = () => ({ twin: go(P.admin, a(P.org.id)), twinEffect: effectOf(kind, id, P.admin, P.org.id) });

    if (state.includes('re-confirm')) {
      // P signed version 1; version 2 is current: P's admin re-confirms.
      return { call: go(P.admin, a(P.org.id)), effect: async () => {
        await effectOf('sign', id, P.admin, P.org.id)();
        expect((await eventsOf(id, 'signature.reconfirmed'))).toHaveLength(1);
      } };
    }
    if (state.includes('withdrawn: reinstate')) {
      await withdrawSignature(ctxFor(P.admin), { statementId: id, orgId: P.org.id, reason: 'For now' }).catch(async () => {
        await signForOrganization(ctxFor(P.admin), { statementId: id, orgId: P.org.id, version: current });
        await withdrawSignature(ctxFor(P.admin), { statementId: id, orgId: P.org.id, reason: 'For now' });
      });
      return { call: go(P.admin, a(P.org.id)), effect: async () => {
        await effectOf('sign', id, P.admin, P.org.id)();
        expect(await eventsOf(id, 'signature.reinstated')).toHaveLength(1);
      } };
    }
    if (state.includes('id tampered') || state.includes('takes no part')) {
      if (cell.role === 'ANON') return { call: go(null, a(P.org.id)), ...allowedA() };
      if (cell.role === 'OTHER') return { call: go(B.owner, a(P.org.id)), ...allowedA() };
      if (cell.role === 'INV-P') return { call: go(Q.owner, a(P.org.id)), ...allowedA() };
      if (cell.role === 'INV-M') return { call: go(P.admin, a(A.org.id)), ...allowedA() };
      if (cell.role === 'INIT-M') {
        await membersMaySign(A);
        return { call: go(A.member, a(P.org.id)), twin: go(A.member, a(A.org.id)), twinEffect: effectOf(kind, id, A.member, A.org.id) };
      }
      if (state.includes('takes no part')) return { call: go(A.admin, a(Z.id)), ...allowedA() };
      return { call: go(A.admin, a(P.org.id)), ...allowedA() };
    }
    if (state.includes('policy:')) {
      const members = state.includes('policy:members');
      const org = cell.role === 'INV-M' ? P : A;
      if (members) await membersMaySign(org);
      const actor = state.includes('role admin') ? org.admin : org.member;
      if (cell.expect.outcome === 'allow')
        return { call: go(actor, a(org.org.id)), effect: effectOf(kind, id, actor, org.org.id) };
      // Refused by the policy: the organization's admin may (the same fixture).
      return { call: go(actor, a(org.org.id)), twin: go(org.admin, a(org.org.id)), twinEffect: effectOf(kind, id, org.admin, org.org.id) };
    }
    if (cell.role === 'ANON') return { call: go(null, a(A.org.id)), ...allowedA() };
    if (cell.role === 'OTHER') return { call: go(B.owner, a(B.org.id)), ...allowedA() };
    if (cell.role === 'INV-P') return { call: go(Q.owner, a(Q.org.id)), ...allowedA() };
    if (state.startsWith('a statement id that does not exist'))
      return {
        call: go(A.admin, { ...a(A.org.id), statementId: crypto.randomUUID() }),
        same: go(B.owner, a(B.org.id)),
        ...allowedA(),
      };
    if (state.startsWith('reopened') && kind === 'withdraw') {
      return { call: go(P.admin, a(P.org.id)), effect: effectOf(kind, id, P.admin, P.org.id) };
    }
    if (state.startsWith('reopened') || state.startsWith('draft')) {
      const open = await fixture('open');
      return { call: go(A.admin, a(A.org.id)), ...allowedA(open, 1) };
    }
    if (state.includes('stale version')) return { call: go(A.admin, a(A.org.id, { version: 1 })), ...allowedA() };
    if (state.includes('another hash')) {
      const v = (await versionRow(id))!;
      const wrong = sha256Hex(Buffer.from(`${v.contentSha256}x`));
      return {
        call: go(A.admin, a(A.org.id, { contentSha256: wrong })),
        twin: go(A.admin, a(A.org.id, { contentSha256: v.contentSha256 })),
        twinEffect: effectOf(kind, id, A.admin, A.org.id),
      };
    }
    if (state.includes('signed and standing')) return { call: go(P.admin, a(P.org.id)), ...allowedA() };
    if (state.includes('not signed') && kind === 'withdraw') return { call: go(A.admin, a(A.org.id)), ...allowedP() };
  }
  throw new Error(`lib/signing-access.test.ts has no scenario for ${entry.id} × ${cell.role} | ${state}`);
}

// ---- accept-and-sign: a fresh organization X invited to an open statement of A ----

async function acceptFixture(stage: 'open' | 'reopened' = 'open') {
  const X = await seedOrg();
  const id = await fixture(stage === 'reopened' ? 'reopened' : 'open');
  const invitationId = await inviteOrg(id, X, { by: A.admin });
  const token = tokenIn(await catcher.deliver(), X.owner.email);
  return { X, id, invitationId, token };
}
const acceptCall =
  (actor: Actor | null, proof: { token: string } | { invitationId: string }, orgId: string, version = 1) =>
  () =>
    libOutcome(() => acceptAndSign(ctxFor(actor), { ...proof, orgId, version }));
const acceptedAndSigned = (id: string, invitationId: string, actor: Actor, orgId: string) => async () => {
  const [inv] = await db().select().from(statementInvitations).where(eq(statementInvitations.id, invitationId));
  expect(inv).toMatchObject({ status: 'accepted', acceptedOrgId: orgId, respondedBy: actor.userId });
  const parts = await db()
    .select()
    .from(statementParticipants)
    .where(and(eq(statementParticipants.statementId, id), eq(statementParticipants.orgId, orgId)));
  expect(parts).toHaveLength(1);
  await expectSigned(id, orgId, actor);
};

async function acceptProbe(cell: Cell): Promise<Probe> {
  const state = cell.state ?? '';
  if (state.startsWith('reopened')) {
    const f = await acceptFixture('reopened');
    const g = await acceptFixture();
    return {
      call: acceptCall(f.X.owner, { invitationId: f.invitationId }, f.X.org.id),
      twin: acceptCall(g.X.owner, { invitationId: g.invitationId }, g.X.org.id),
      twinEffect: acceptedAndSigned(g.id, g.invitationId, g.X.owner, g.X.org.id),
    };
  }
  const f = await acceptFixture();
  const byOwner = {
    twin: acceptCall(f.X.owner, { token: f.token }, f.X.org.id),
    twinEffect: acceptedAndSigned(f.id, f.invitationId, f.X.owner, f.X.org.id),
  };
  if (cell.role === 'ANON') return { call: acceptCall(null, { token: f.token }, f.X.org.id), ...byOwner };
  if (state.includes('by the link'))
    return { call: acceptCall(f.X.owner, { token: f.token }, f.X.org.id), effect: byOwner.twinEffect };
  if (state.includes('from the dashboard (invitation id)') && cell.role === 'INVITED')
    return {
      call: acceptCall(f.X.admin, { invitationId: f.invitationId }, f.X.org.id),
      effect: acceptedAndSigned(f.id, f.invitationId, f.X.admin, f.X.org.id),
    };
  if (state.includes('a contact invitation') || state.includes('a plain member')) {
    const plain = state.includes('a plain member');
    const who = plain ? f.X.member : f.X.owner;
    const r = await inviteOrganizations(ctxFor(A.admin), { statementId: f.id, kind: 'participant', targets: [{ email: who.email }], locale: 'en' });
    const contactInv = r.created[0]!.invitationId;
    if (!plain)
      return {
        call: acceptCall(who, { invitationId: contactInv }, f.X.org.id),
        effect: acceptedAndSigned(f.id, contactInv, who, f.X.org.id),
      };
    return { call: acceptCall(who, { invitationId: contactInv }, f.X.org.id), ...byOwner };
  }
  if (state.includes('other than the invited one')) {
    const Y = await createOrganization(ctxFor(f.X.owner), { name: uniqueOrgName('Sister Group'), confirmDistinct: true });
    return { call: acceptCall(f.X.owner, { token: f.token }, Y.id), ...byOwner };
  }
  if (state.includes('stale version')) return { call: acceptCall(f.X.owner, { token: f.token }, f.X.org.id, 2), ...byOwner };
  if (state.includes('unknown, expired, used or revoked'))
    return {
      call: acceptCall(f.X.owner, { token: crypto.randomBytes(32).toString('base64url') }, f.X.org.id),
      same: acceptCall(f.X.owner, { invitationId: crypto.randomUUID() }, f.X.org.id),
      ...byOwner,
    };
  if (state.includes('a forwarded link')) return { call: acceptCall(B.owner, { token: f.token }, B.org.id), ...byOwner };
  if (state.includes('addressed to someone else'))
    return { call: acceptCall(B.owner, { invitationId: f.invitationId }, B.org.id), ...byOwner };
  throw new Error(`lib/signing-access.test.ts has no scenario for acceptAndSign × ${cell.role} | ${state}`);
}

// ---- bookkeeping: "Access matrix (signing): N cases, 0 wrong" ----

const tally = matrixTally('signing', 'access-signing');


async function assertCell(entry: MatrixEntry, cell: Cell, p: Probe) {
  const before = await digestDomain();
  const got = await p.call();
  if (cell.expect.outcome === 'allow') {
    expect(got, 'allowed').toMatchObject({ ok: true });
    if (entry.mutates) expect(await digestDomain(), 'the allowed call changed the database').not.toBe(before);
    else expect(await digestDomain(), 'a read changes nothing').toBe(before);
    await p.effect!();
    return;
  }
  if (cell.expect.outcome !== 'deny') throw new Error(`outcome ${cell.expect.outcome} has no meaning for signing`);
  expect(got, 'refused').toMatchObject({ ok: false, code: cell.expect.code });
  if (cell.expect.code === 'NOT_FOUND')
    expect((got as { message: string }).message).toMatch(/^errors\.(notFound|invitationLinkInvalid)$/);
  expect(await digestDomain(), 'nothing changed after the denial').toBe(before);
  if (p.same) {
    expect(withoutValue(await p.same()), 'the same answer whether or not it exists (I2)').toEqual(withoutValue(got));
    expect(await digestDomain()).toBe(before);
  }
  expect(p.twin, 'a denial needs an allowed twin').toBeDefined();
  expect(await p.twin!(), 'allowed twin').toMatchObject({ ok: true });
  if (entry.mutates) expect(await digestDomain(), 'the allowed twin changed the database').not.toBe(before);
  await p.twinEffect!();
}

// ---- the cells, from the matrix ----

const ENTRIES = ACCESS_MATRIX.filter((e) => e.provedBy?.includes('lib/signing-access.test.ts'));

describe('signing matrix (SECURITY.md), every cell of lib/access-matrix.ts', () => {
  it('covers every signing action and route of the matrix', () => {
    expect(ENTRIES.map((e) => e.id).sort()).toEqual(
      [
        'app/_actions/signing.ts#acceptAndSignAction',
        'app/_actions/signing.ts#declineToSignAction',
        'app/_actions/signing.ts#freezeVersionAction',
        'app/_actions/signing.ts#reopenStatementAction',
        'app/_actions/signing.ts#signStatementAction',
        'app/_actions/signing.ts#withdrawSignatureAction',
        'app/api/statements/[id]/sign/route.ts#POST',
        'app/api/statements/[id]/versions/[number]/route.ts#GET',
      ].sort(),
    );
    for (const e of ENTRIES) expect(e.lib).toEqual({ fn: expect.stringMatching(/^lib\/signing\.ts#/) });
  });

  for (const entry of ENTRIES) {
    describe(entry.id, () => {
      for (const cell of entry.cells) {
        const layer = entry.kind === 'route' ? 'route' : 'lib';
        it(`${layer}: ${cell.role}${cell.state ? ` | ${cell.state}` : ''} → ${cell.expect.outcome === 'deny' ? cell.expect.code : cell.expect.outcome}`, () =>
          tally(async () => {
            const p = entry.id.endsWith('#acceptAndSignAction') ? await acceptProbe(cell) : await probeFor(entry, cell);
            await assertCell(entry, cell, p);
          }));
      }
    });
  }
});

// ---- the signing policy, end to end ----

describe("an organization's signing policy (I11)", () => {
  it('a plain member of an admins-only organization cannot sign; once the owner switches the policy to members, they can', () =>
    tally(async () => {
      const id = await fixture('open');
      const sign = () => libOutcome(() => signForOrganization(ctxFor(P.member), { statementId: id, orgId: P.org.id, version: 1 }));
      const before = await digestDomain();
      expect(await sign()).toMatchObject({ ok: false, code: 'FORBIDDEN', message: 'errors.policyForbidsSigning' });
      expect(await digestDomain()).toBe(before);
      // Only the owner changes the policy (an admin is refused, nothing changes).
      expect(
        await libOutcome(() => setSigningPolicy(ctxFor(P.admin), { orgId: P.org.id, policy: 'members' })),
      ).toMatchObject({ ok: false, code: 'FORBIDDEN' });
      expect(await digestDomain()).toBe(before);
      await membersMaySign(P);
      expect(await sign()).toMatchObject({ ok: true, value: { kind: 'signed', created: true } });
      await expectSigned(id, P.org.id, P.member);
      const b = (await lastBinding((await signatureOf(id, P.org.id))!.id))!;
      expect(b).toMatchObject({ signerRole: 'member', policy: 'members' });
    }));
});

// ---- extra fields a client might add to claim a state, a role or another organization ----

type ActionDef = { name: string; action: (...args: unknown[]) => Promise<unknown>; input: (id: string) => Record<string, string>; stage: Stage; signed: () => SeededOrg[]; hasOrg: boolean; kind: ReturnType<typeof kindOf> };
const ACTION_DEFS: ActionDef[] = [
  { name: 'freezeVersionAction', action: actions.freezeVersionAction, input: (id) => ({ statementId: id }), stage: 'draft', signed: () => [], hasOrg: false, kind: 'freeze' },
  { name: 'reopenStatementAction', action: actions.reopenStatementAction, input: (id) => ({ statementId: id }), stage: 'open', signed: () => [], hasOrg: false, kind: 'reopen' },
  { name: 'signStatementAction', action: actions.signStatementAction, input: (id) => ({ statementId: id, orgId: A.org.id, version: '1' }), stage: 'open', signed: () => [], hasOrg: true, kind: 'sign' },
  { name: 'declineToSignAction', action: actions.declineToSignAction, input: (id) => ({ statementId: id, orgId: A.org.id, reason: 'Not our topic' }), stage: 'open', signed: () => [], hasOrg: true, kind: 'decline' },
  { name: 'withdrawSignatureAction', action: actions.withdrawSignatureAction, input: (id) => ({ statementId: id, orgId: A.org.id, reason: 'Changed our mind' }), stage: 'open', signed: () => [A], hasOrg: true, kind: 'withdraw' },
];

describe('extra fields in payloads are refused by the strict schemas (lib/validation/signing.ts) and never persisted', () => {
  const EXTRAS = ['status', 'role', 'orgId', 'initiatorOrgId', 'signedBy', '__proto__'];
  for (const def of ACTION_DEFS) {
    for (const field of EXTRAS) {
      if (field === 'orgId' && def.hasOrg) continue; // a field of its own: the tampered cells above
      it(`${def.name}: \`${field}\` → INVALID_INPUT, nothing changed; without it the call succeeds`, () =>
        tally(async () => {
          const id = await fixture(def.stage, def.signed());
          const i = def.input(id);
          h.actor = A.admin;
          const value =
            field === 'status' ? 'published' : field === 'role' ? 'owner' : field === 'signedBy' ? B.owner.userId : B.org.id;
          const before = await digestDomain();
          const fd = form(i);
          fd.append(field, value);
          expect(await actionOutcome(() => def.action(null, fd))).toMatchObject({ ok: false, code: 'INVALID_INPUT' });
          if (field === '__proto__') {
            const o = { ...(JSON.parse(`{"__proto__":{"orgId":"${B.org.id}","status":"published"}}`) as Record<string, string>), ...i };
            expect(Object.keys(o)).toContain('__proto__');
            expect(await actionOutcome(() => def.action(o))).toMatchObject({ ok: false, code: 'INVALID_INPUT' });
          }
          expect(await digestDomain()).toBe(before);
          expect(await actionOutcome(() => def.action(null, form(i)))).toMatchObject({ ok: true });
          await effectOf(def.kind, id, A.admin, A.org.id, { version: def.stage === 'draft' ? null : 1 })();
          // Nothing of B's, nor a claimed state, reached the database.
          expect(await signatureOf(id, B.org.id)).toBeUndefined();
          expect((await statementOf(id)).state).not.toBe('published');
        }));
    }
  }

  it('acceptAndSignAction: `status`, `role` and `__proto__` → INVALID_INPUT, nothing accepted; without them it accepts and signs', () =>
    tally(async () => {
      const f = await acceptFixture();
      h.actor = f.X.owner;
      const i = { invitationId: f.invitationId, orgId: f.X.org.id, version: '1' };
      const before = await digestDomain();
      for (const [k, v] of [['status', 'accepted'], ['role', 'owner'], ['initiatorOrgId', B.org.id]] as const) {
        const fd = form(i);
        fd.append(k, v);
        expect(await actionOutcome(() => actions.acceptAndSignAction(null, fd))).toMatchObject({ ok: false, code: 'INVALID_INPUT' });
      }
      const o = { ...(JSON.parse('{"__proto__":{"status":"accepted"}}') as Record<string, string>), ...i };
      expect(await actionOutcome(() => actions.acceptAndSignAction(o))).toMatchObject({ ok: false, code: 'INVALID_INPUT' });
      expect(await digestDomain()).toBe(before);
      expect(await actionOutcome(() => actions.acceptAndSignAction(null, form(i)))).toMatchObject({ ok: true });
      await acceptedAndSigned(f.id, f.invitationId, f.X.owner, f.X.org.id)();
    }));

  it('POST /api/statements/[id]/sign: extra body fields (`status`, `role`, `statementId`, `__proto__`) → 400, nothing changed; the plain body signs (201)', () =>
    tally(async () => {
      const id = await fixture('open');
      h.actor = A.admin;
      const post = (body: string) =>
        signRoute.POST(
          new Request(`${APP}/api/statements/${id}/sign`, {
            method: 'POST',
            headers: { origin: APP, 'sec-fetch-site': 'same-origin', 'content-type': 'application/json' },
            body,
          }),
          { params: Promise.resolve({ id }) },
        );
      const plain = { orgId: A.org.id, version: 1 };
      const before = await digestDomain();
      for (const extra of [{ status: 'published' }, { role: 'owner' }, { statementId: crypto.randomUUID() }]) {
        const res = await post(JSON.stringify({ ...plain, ...extra }));
        expect(res.status).toBe(400);
        expect(((await res.json()) as { error: { code: string } }).error.code).toBe('INVALID_INPUT');
      }
      const proto = await post(`{"orgId":"${A.org.id}","version":1,"__proto__":{"orgId":"${B.org.id}"}}`);
      expect(proto.status).toBe(400);
      expect(await digestDomain()).toBe(before);
      const ok = await post(JSON.stringify(plain));
      expect(ok.status).toBe(201);
      await expectSigned(id, A.org.id, A.admin);
      const again = await post(JSON.stringify(plain));
      expect(again.status, 'a repeat returns the same binding').toBe(200);
    }));
});

// ---- malformed bodies on the sign route (SECURITY.md "Bad input") ----

describe('POST /api/statements/[id]/sign: malformed requests → a clear 4xx, never a 5xx, nothing changed', () => {
  const enc = (s: string) => [...Buffer.from(s, 'utf8')];
  const CASES: { name: string; body: (orgId: string) => Uint8Array<ArrayBuffer> | string; status: number }[] = [
    { name: 'an empty body', body: () => '', status: 400 },
    { name: 'invalid JSON', body: () => '{"orgId":', status: 400 },
    { name: 'invalid UTF-8', body: (o) => new Uint8Array([...enc(`{"orgId":"${o}","version":1,"title":"`), 0xc3, 0x28, ...enc('"}')]), status: 400 },
    { name: 'a NUL byte in the title', body: (o) => JSON.stringify({ orgId: o, version: 1, title: 'Director\u0000' }), status: 400 },
    { name: 'a lone surrogate in the title', body: (o) => `{"orgId":"${o}","version":1,"title":"\\ud800"}`, status: 400 },
    { name: 'an oversized body (1 MB title)', body: (o) => JSON.stringify({ orgId: o, version: 1, title: 'x'.repeat(1 << 20) }), status: 400 },
    { name: 'a version that is not a number', body: (o) => JSON.stringify({ orgId: o, version: 'one' }), status: 400 },
    { name: 'an organization id that is a number', body: () => JSON.stringify({ orgId: 5, version: 1 }), status: 400 },
    { name: 'showName that is not a boolean', body: (o) => JSON.stringify({ orgId: o, version: 1, showName: 'yes' }), status: 400 },
    { name: 'a hash that is not hex', body: (o) => JSON.stringify({ orgId: o, version: 1, contentSha256: 'z'.repeat(64) }), status: 400 },
    { name: 'an array instead of an object', body: (o) => JSON.stringify([o, 1]), status: 400 },
  ];
  let id = '';
  beforeAll(async () => {
    id = await fixture('open');
  });
  for (const c of CASES) {
    it(`${c.name} → ${c.status}`, () =>
      tally(async () => {
        h.actor = A.admin;
        const before = await digestDomain();
        const res = await signRoute.POST(
          new Request(`${APP}/api/statements/${id}/sign`, {
            method: 'POST',
            headers: { origin: APP, 'sec-fetch-site': 'same-origin', 'content-type': 'application/json' },
            body: c.body(A.org.id),
          }),
          { params: Promise.resolve({ id }) },
        );
        expect(res.status).toBe(c.status);
        const body = (await res.json()) as { error: { code: string; message: string } };
        expect(body.error.code).toBe('INVALID_INPUT');
        expect(body.error.message).toMatch(/^errors\./);
        expect(await digestDomain()).toBe(before);
      }));
  }
  it('a malformed statement id in the URL → 404, nothing changed', () =>
    tally(async () => {
      h.actor = A.admin;
      const before = await digestDomain();
      const res = await signRoute.POST(
        new Request(`${APP}/api/statements/not-a-uuid/sign`, {
          method: 'POST',
          headers: { origin: APP, 'sec-fetch-site': 'same-origin', 'content-type': 'application/json' },
          body: JSON.stringify({ orgId: A.org.id, version: 1 }),
        }),
        { params: Promise.resolve({ id: 'not-a-uuid' }) },
      );
      expect(res.status).toBe(404);
      expect(await digestDomain()).toBe(before);
    }));
  it('the allowed twin: a valid body signs (201)', () =>
    tally(async () => {
      expect(await signOverHttp(A.admin, { statementId: id, orgId: A.org.id, version: 1 })).toMatchObject({ ok: true, status: 201 });
      await expectSigned(id, A.org.id, A.admin);
    }));
});

describe('invariants after this file', () => {
  it('the invariant checker finds nothing in what every call above wrote', async () => {
    expect((await checkInvariants(db())).filter((x) => x.count > 0)).toEqual([]);
  });
});
