// The open-joining rows of SECURITY.md's matrix: "approve / reject join request" (INIT-A only) and reading the
// queue (initiator members), for every statement role — signed out, a member of an unrelated organization (OTHER),
// the owner of an organization invited and not accepted (INV-P), the admin and a member of a participant (INV-M),
// a plain initiator member (INIT-M), the initiator's owner and admin (INIT-A) — plus substituted ids (IDOR) and a
// missing statement (the same answer as OTHER's, I2). Cells are called on the lib/joining.ts functions with a Ctx
// per role; each denial asserts its code and an unchanged digestDomain(), and is paired with an allowed twin that
// succeeds and writes what it should. A last block runs the server actions' wiring (origin, session, strict input).
import crypto from 'node:crypto';
import { eq } from 'drizzle-orm';
import { beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { getDb } from '@/db';
import { joinRequests, signatures } from '@/db/schema';
import type { Actor } from './context';
import { isAppError } from './errors';
import { approveJoinRequest, listJoinRequests, rejectJoinRequest } from './joining';
import { publishStatement } from './publishing';
import { freezeVersion, signForOrganization } from './signing';
import { ctxFor, digestDomain } from './testing/db';
import { mailCatcher } from './testing/invitations';
import { askAndConfirm, joinTokenIn, publishForJoining } from './testing/joining';
import { seedOrg, type SeededOrg } from './testing/orgs';
import { addParticipant, invitePending, seedReviewStatement } from './testing/review';
import { matrixTally } from './testing/tally';

// ---- test doubles for the Next.js / Auth.js adapters (never for our database) ----

const h = vi.hoisted(() => ({ actor: null as { userId: string; email: string } | null, origin: 'http://localhost:3000' }));
vi.mock('next/headers', () => ({
  headers: async () =>
    new Headers({ host: 'localhost:3000', origin: h.origin, 'sec-fetch-site': 'same-origin', 'x-client-ip': '127.0.0.1' }),
  cookies: async () => ({ get: () => undefined, getAll: () => [], set: () => {}, delete: () => {} }),
}));
vi.mock('next/cache', () => ({ revalidatePath: () => {}, revalidateTag: () => {} }));
vi.mock('@/lib/auth', () => ({
  auth: async () => (h.actor ? { user: { id: h.actor.userId, email: h.actor.email }, expires: new Date(Date.now() + 3600_000).toISOString() } : null),
  signIn: async () => {},
  signOut: async () => {},
}));
const actions = await import('@/app/_actions/joining');

beforeEach(() => {
  h.actor = null;
  h.origin = 'http://localhost:3000';
});

const db = () => getDb();
const catcher = mailCatcher();
const rnd = () => crypto.randomBytes(4).toString('hex');

type Outcome = { ok: true; value?: unknown } | { ok: false; code: string; message: string };
async function outcome(fn: () => Promise<unknown>): Promise<Outcome> {
  try {
    return { ok: true, value: await fn() };
  } catch (e) {
    if (isAppError(e)) return { ok: false, code: e.code, message: e.message };
    throw e;
  }
}

// ---- the world ----

let A: SeededOrg; // initiator
let P: SeededOrg; // participant (accepted through the real path)
let Q: SeededOrg; // invited, not accepted
let B: SeededOrg; // unrelated, with a published statement of its own
let S: string; // A's published statement, open for joining
let slug: string;
let other: { statementId: string; slug: string };
beforeAll(async () => {
  [A, P, Q, B] = [await seedOrg(), await seedOrg(), await seedOrg(), await seedOrg()];
  S = await seedReviewStatement(A, 'draft');
  await addParticipant(S, P);
  await invitePending(S, Q, A.owner.userId);
  await freezeVersion(ctxFor(A.owner), { statementId: S });
  await signForOrganization(ctxFor(A.admin), { statementId: S, orgId: A.org.id, version: 1 });
  slug = `joined-${rnd()}`;
  await publishStatement(ctxFor(A.owner), { statementId: S, slug, displayDate: '2025-04-01', listOrder: 'joined', joinUntil: new Date(Date.now() + 7 * 86_400_000) });
  other = await publishForJoining(B.owner, B.org.id);
});

/** A fresh confirmed (pending) request on `on` (A's statement by default). */
async function pendingRequest(on = slug): Promise<string> {
  const r = await askAndConfirm(catcher, { slug: on, kind: 'individual', name: `Tigran Avetisyan ${rnd()}`, title: 'economist', email: `req-${rnd()}@example.org` });
  return r.requestId;
}
const statusOf = async (id: string) => (await db().select().from(joinRequests).where(eq(joinRequests.id, id)))[0]!;

// ---- the cells ----

type Role = 'ANON' | 'OTHER' | 'INV-P' | 'INV-M (admin)' | 'INV-M (member)' | 'INIT-M' | 'INIT-A (owner)' | 'INIT-A (admin)';
const actorOf = (role: Role): Actor | null =>
  ({
    ANON: null,
    OTHER: B.owner,
    'INV-P': Q.owner,
    'INV-M (admin)': P.admin,
    'INV-M (member)': P.member,
    'INIT-M': A.member,
    'INIT-A (owner)': A.owner,
    'INIT-A (admin)': A.admin,
  })[role];
type Expect = 'allow' | 'UNAUTHENTICATED' | 'NOT_FOUND' | 'FORBIDDEN';
const DECIDE: Record<Role, Expect> = {
  ANON: 'UNAUTHENTICATED',
  OTHER: 'NOT_FOUND',
  'INV-P': 'NOT_FOUND',
  'INV-M (admin)': 'FORBIDDEN',
  'INV-M (member)': 'FORBIDDEN',
  'INIT-M': 'FORBIDDEN',
  'INIT-A (owner)': 'allow',
  'INIT-A (admin)': 'allow',
};
const LIST: Record<Role, Expect> = { ...DECIDE, 'INIT-M': 'allow' };
const ROLES = Object.keys(DECIDE) as Role[];

const tally = matrixTally('joining', 'access-joining');

type Decision = 'approve' | 'reject';
const decide = (d: Decision, actor: Actor | null, statementId: string, requestId: string) => () =>
  outcome(() =>
    d === 'approve' ? approveJoinRequest(ctxFor(actor), { statementId, requestId }) : rejectJoinRequest(ctxFor(actor), { statementId, requestId }),
  );

/** What an allowed decision wrote: the request decided by `actor`; approval adds the listed signature. */
async function expectDecided(d: Decision, requestId: string, actor: Actor) {
  const r = await statusOf(requestId);
  expect(r).toMatchObject({ status: d === 'approve' ? 'approved' : 'rejected', decidedBy: actor.userId });
  if (d === 'approve') {
    const [sig] = await db().select().from(signatures).where(eq(signatures.id, r.signatureId!));
    expect(sig).toMatchObject({ method: 'join_request', statementId: r.statementId, createdBy: actor.userId });
  } else expect(r.signatureId).toBeNull();
}

/** A denial: its code, nothing changed, the request still pending; then the allowed twin (A's admin) decides it. */
async function deniedThenTwin(d: Decision, got: () => Promise<Outcome>, code: string, requestId: string, statementId = S, twinActor: Actor = A.admin) {
  const before = await digestDomain();
  const o = await got();
  expect(o).toMatchObject({ ok: false, code });
  expect(await digestDomain(), 'a denial changed the database').toBe(before);
  expect((await statusOf(requestId)).status).toBe('pending');
  const twin = await decide(d, twinActor, statementId, requestId)();
  expect(twin, 'the allowed twin').toMatchObject({ ok: true });
  await expectDecided(d, requestId, twinActor);
  return o;
}

describe('approve / reject join request (INIT-A only)', () => {
  for (const d of ['approve', 'reject'] as const) {
    for (const role of ROLES) {
      const want = DECIDE[role];
      it(`${d} × ${role}: ${want}`, () =>
        tally(async () => {
          const id = await pendingRequest();
          const actor = actorOf(role);
          if (want === 'allow') {
            const before = await digestDomain();
            expect(await decide(d, actor, S, id)()).toMatchObject({ ok: true });
            expect(await digestDomain()).not.toBe(before);
            await expectDecided(d, id, actor!);
          } else await deniedThenTwin(d, decide(d, actor, S, id), want, id);
        }));
    }

    it(`${d} × INIT-A, a statement id that does not exist: NOT_FOUND, the same answer as OTHER's (I2)`, () =>
      tally(async () => {
        const id = await pendingRequest();
        const missing = await deniedThenTwin(d, decide(d, A.admin, crypto.randomUUID(), id), 'NOT_FOUND', id);
        const id2 = await pendingRequest();
        const asOther = await deniedThenTwin(d, decide(d, B.owner, S, id2), 'NOT_FOUND', id2);
        expect(missing).toEqual(asOther);
      }));

    it(`${d} × INIT-A, another statement's request under its own statement id (IDOR): NOT_FOUND`, () =>
      tally(async () => {
        const foreign = await pendingRequest(other.slug);
        await deniedThenTwin(d, decide(d, A.admin, S, foreign), 'NOT_FOUND', foreign, other.statementId, B.owner);
      }));

    it(`${d} × INIT-A of another statement, aiming at its request (IDOR): NOT_FOUND`, () =>
      tally(async () => {
        const foreign = await pendingRequest(other.slug);
        await deniedThenTwin(d, decide(d, A.admin, other.statementId, foreign), 'NOT_FOUND', foreign, other.statementId, B.owner);
      }));

    it(`${d} × INIT-A, a request that is not pending (unconfirmed): INVALID_STATE`, () =>
      tally(async () => {
        const email = `unconfirmed-${rnd()}@example.org`;
        await actions.requestToJoinAction({ slug, kind: 'individual', name: 'Not Yet Confirmed', email });
        const [row] = await db().select().from(joinRequests).where(eq(joinRequests.email, email));
        const before = await digestDomain();
        expect(await decide(d, A.admin, S, row!.id)()).toMatchObject({ ok: false, code: 'INVALID_STATE' });
        expect(await digestDomain()).toBe(before);
        // Twin: once confirmed, the same admin decides it.
        await actions.confirmJoinAction({ token: joinTokenIn(await catcher.deliver(), email) });
        expect(await decide(d, A.admin, S, row!.id)()).toMatchObject({ ok: true });
        await expectDecided(d, row!.id, A.admin);
      }));
  }
});

describe('read the join queue (initiator members)', () => {
  for (const role of ROLES) {
    const want = LIST[role];
    it(`list × ${role}: ${want}`, () =>
      tally(async () => {
        const id = await pendingRequest();
        const before = await digestDomain();
        const o = await outcome(() => listJoinRequests(ctxFor(actorOf(role)), S));
        expect(await digestDomain(), 'a read changes nothing').toBe(before);
        if (want === 'allow') {
          expect(o.ok).toBe(true);
          const q = (o as { value: Awaited<ReturnType<typeof listJoinRequests>> }).value;
          expect(q.pending.map((r) => r.id)).toContain(id);
          expect(q.canDecide).toBe(role !== 'INIT-M');
        } else {
          expect(o).toMatchObject({ ok: false, code: want });
          // Twin: an initiator member reads the same queue.
          const twin = await listJoinRequests(ctxFor(A.member), S);
          expect(twin.pending.map((r) => r.id)).toContain(id);
        }
      }));
  }
  it('list × a statement id that does not exist: NOT_FOUND, the same answer as OTHER (I2)', () =>
    tally(async () => {
      const missing = await outcome(() => listJoinRequests(ctxFor(A.admin), crypto.randomUUID()));
      const asOther = await outcome(() => listJoinRequests(ctxFor(B.owner), S));
      expect(missing).toMatchObject({ ok: false, code: 'NOT_FOUND' });
      expect(missing).toEqual(asOther);
      // Twin: B's owner reads B's own queue.
      expect((await listJoinRequests(ctxFor(B.owner), other.statementId)).statement.id).toBe(other.statementId);
    }));
});

describe('server actions: the wiring (origin, session, strict input)', () => {
  const form = (fields: Record<string, string>) => {
    const f = new FormData();
    for (const [k, v] of Object.entries(fields)) f.append(k, v);
    return f;
  };

  it('asking to join is public; extra fields and cross-origin posts are refused and change nothing', () =>
    tally(async () => {
      const fields = { slug, kind: 'organization', name: `Green Valley ${rnd()}`, city: 'Dilijan', country: 'Armenia', title: 'Chair', email: `wired-${rnd()}@example.org`, locale: 'ru' };
      let before = await digestDomain();
      expect(await actions.requestToJoinAction(null, form({ ...fields, status: 'approved' }))).toMatchObject({ ok: false, code: 'INVALID_INPUT' });
      expect(await digestDomain()).toBe(before);
      h.origin = 'https://evil.example';
      before = await digestDomain();
      expect(await actions.requestToJoinAction(null, form(fields))).toMatchObject({ ok: false, code: 'FORBIDDEN', message: 'errors.crossOrigin' });
      expect(await digestDomain()).toBe(before);
      h.origin = 'http://localhost:3000';
      expect(await actions.requestToJoinAction(null, form(fields))).toEqual({ ok: true, data: { sent: true } });
      const [row] = await db().select().from(joinRequests).where(eq(joinRequests.email, fields.email));
      expect(row).toMatchObject({ status: 'unconfirmed', kind: 'organization', city: 'Dilijan' });
      // Field errors come back by field, for the form to show next to each field.
      const bad = await actions.requestToJoinAction(null, form({ ...fields, name: 'www.spam.am', email: `x-${rnd()}@example.org` }));
      expect(bad).toMatchObject({ ok: false, code: 'INVALID_INPUT', fieldErrors: { name: ['joining.errors.nameHasLink'] } });
      // Confirming: POST only, by the holder of the link.
      const token = joinTokenIn(await catcher.deliver(), fields.email);
      h.origin = 'https://evil.example';
      before = await digestDomain();
      expect(await actions.confirmJoinAction({ token })).toMatchObject({ ok: false, code: 'FORBIDDEN' });
      expect(await digestDomain()).toBe(before);
      h.origin = 'http://localhost:3000';
      expect(await actions.confirmJoinAction({ token })).toMatchObject({ ok: true, data: { slug } });
      expect((await statusOf(row!.id)).status).toBe('pending');
    }));

  it('deciding needs a session and an initiator admin; the action refuses others and cross-origin posts, then the admin decides', () =>
    tally(async () => {
      const id = await pendingRequest();
      const input = { statementId: S, requestId: id };
      let before = await digestDomain();
      expect(await actions.approveJoinRequestAction(input)).toMatchObject({ ok: false, code: 'UNAUTHENTICATED' });
      h.actor = A.member;
      expect(await actions.approveJoinRequestAction(input)).toMatchObject({ ok: false, code: 'FORBIDDEN' });
      h.actor = A.admin;
      h.origin = 'https://evil.example';
      expect(await actions.approveJoinRequestAction(input)).toMatchObject({ ok: false, code: 'FORBIDDEN', message: 'errors.crossOrigin' });
      h.origin = 'http://localhost:3000';
      expect(await actions.rejectJoinRequestAction({ ...input, extra: 'x' })).toMatchObject({ ok: false, code: 'INVALID_INPUT' });
      expect(await digestDomain()).toBe(before);
      expect(await actions.approveJoinRequestAction(null, form(input))).toMatchObject({ ok: true });
      await expectDecided('approve', id, A.admin);
      const id2 = await pendingRequest();
      before = await digestDomain();
      expect(await actions.rejectJoinRequestAction({ statementId: S, requestId: id2 })).toMatchObject({ ok: true });
      expect(await digestDomain()).not.toBe(before);
      await expectDecided('reject', id2, A.admin);
    }));
});
