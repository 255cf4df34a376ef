// The review rows of SECURITY.md's matrix ("comment / reply", "resolve / reopen comment"): every cell of
// lib/access-matrix.ts's comment entries, run from the matrix itself (a cell without a scenario here fails), in
// two layers — the lib function with a Ctx per role, and the exported server action with only Next's request
// adapters and Auth.js's session reader replaced. Each denial asserts its code and an unchanged digestDomain(),
// and is paired with an allowed twin that succeeds and changes what it should. Roles: INIT-M/INIT-A (member /
// admin of the initiating organization A), INV-M (member of participant P), INV-P (owner of Q, invited and not
// accepted), OTHER (owner of unrelated B). Participants and invitations go through the real invitation path
// (lib/testing/review.ts: an initiator admin invites, the owner accepts).
import crypto from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import { beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { getDb } from '@/db';
import { auditEvents, statementComments, type AuditEventType, type StatementState } from '@/db/schema';
import { ACCESS_MATRIX, type Cell, type EntryId } from './access-matrix';
import { addComment, reopenComment, resolveComment } from './comments';
import type { Actor } from './context';
import { isAppError } from './errors';
import { checkInvariants } from './invariants';
import { ctxFor, digestDomain } from './testing/db';
import { seedOrg, type SeededOrg } from './testing/orgs';
import { addParticipant, invitePending, seedReviewStatement, setState } from './testing/review';
import { matrixTally, withoutValue } from './testing/tally';

// ---- test doubles for the Next.js / Auth.js adapters (never for our database) ----

const h = vi.hoisted(() => ({ actor: null as { userId: string; email: string } | null }));
class Redirect extends Error {
  constructor(public url: string) {
    super(`redirect ${url}`);
  }
}
vi.mock('next/headers', () => ({
  headers: async () =>
    new Headers({
      host: 'localhost:3000',
      origin: 'http://localhost:3000',
      'sec-fetch-site': 'same-origin',
      'x-client-ip': '127.0.0.1',
    }),
  cookies: async () => ({ get: () => undefined, getAll: () => [] }),
}));
vi.mock('next/cache', () => ({ revalidatePath: () => {}, revalidateTag: () => {} }));
vi.mock('next/navigation', () => ({
  redirect: (url: string) => {
    throw new Redirect(url);
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

const actions = await import('@/app/_actions/comments');

beforeEach(() => {
  h.actor = null;
});

const db = () => getDb();
const tag = () => crypto.randomBytes(4).toString('hex');

// ---- outcomes, whatever the layer ----

type Layer = 'lib' | 'action';
type Outcome = { ok: true; value?: unknown } | { ok: false; code: string; message: string };
/** Form-shaped input (what the review page posts); the lib layer gets the same, unflattened. */
type Input = Record<string, string>;

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
const form = (fields: Input) => {
  const f = new FormData();
  for (const [k, v] of Object.entries(fields)) f.append(k, v);
  return f;
};

// ---- the world ----

let A: SeededOrg; // initiator
let P: SeededOrg; // participant of every fixture
let Q: SeededOrg; // invited to every fixture, not accepted
let B: SeededOrg; // unrelated, with statements of its own
beforeAll(async () => {
  [A, P, Q, B] = [await seedOrg(), await seedOrg(), await seedOrg(), await seedOrg()];
});

type Fixture = { id: string; thread: string; reply: string };

/**
 * A statement of `org` under review: hy text "…", P a participant and Q invited (for A's), one thread (by a
 * participant member, or B's own member) with one reply; resolved when `resolved`; then put in `state`.
 */
async function fixture(org: SeededOrg, state: StatementState = 'draft', resolved = false): Promise<Fixture> {
  const id = await seedReviewStatement(org, 'draft');
  let author = org.member;
  if (org === A) {
    await addParticipant(id, P);
    await invitePending(id, Q, A.owner.userId);
    author = P.member;
  }
  const { id: thread } = await addComment(ctxFor(author), { statementId: id, body: 'A thread' });
  const { id: reply } = await addComment(ctxFor(org.owner), {
    statementId: id,
    body: 'A reply',
    parentId: thread,
  });
  if (resolved) await resolveComment(ctxFor(org.owner), { statementId: id, commentId: thread });
  if (state !== 'draft') await setState(id, state);
  return { id, thread, reply };
}

const eventsOf = (statementId: string, type: AuditEventType) =>
  db()
    .select()
    .from(auditEvents)
    .where(
      and(
        eq(auditEvents.chainType, 'statement'),
        eq(auditEvents.chainId, statementId),
        eq(auditEvents.type, type),
      ),
    );
const comment = async (id: string) =>
  (await db().select().from(statementComments).where(eq(statementComments.id, id)))[0]!;

// ---- one definition per matrix entry ----

type Def = {
  id: EntryId;
  /** The fixture the cells start from (reopen needs a resolved thread). */
  resolved: boolean;
  input: (f: Fixture) => Input;
  lib: (actor: Actor | null, i: Input) => Promise<unknown>;
  action: (...args: unknown[]) => Promise<unknown>;
  effect: (f: Fixture, i: Input, actor: Actor) => Promise<void>;
};

const refInput = (f: Fixture): Input => ({ statementId: f.id, commentId: f.thread });
const refLib = (i: Input) => ({ statementId: i.statementId!, commentId: i.commentId! });

const DEFS: Def[] = [
  {
    id: 'app/_actions/comments.ts#addCommentAction',
    resolved: false,
    input: (f) => ({
      statementId: f.id,
      body: `Shorten this ${tag()}`,
      anchorLang: 'en',
      anchorVersion: '1',
      anchorExact: 'draft law',
      anchorPrefix: 'We call for the ',
      anchorSuffix: '.',
    }),
    lib: (a, i) =>
      addComment(ctxFor(a), {
        statementId: i.statementId!,
        body: i.body!,
        parentId: i.parentId ?? null,
        anchor: i.anchorExact
          ? {
              lang: i.anchorLang!,
              version: Number(i.anchorVersion),
              exact: i.anchorExact,
              prefix: i.anchorPrefix!,
              suffix: i.anchorSuffix!,
            }
          : null,
      }),
    action: actions.addCommentAction,
    effect: async (f, i, actor) => {
      const rows = await db().select().from(statementComments).where(eq(statementComments.body, i.body!));
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({
        statementId: f.id,
        authorUserId: actor.userId,
        parentId: i.parentId ?? null,
      });
      if (i.anchorExact) expect(rows[0]!.anchor).toMatchObject({ lang: 'en', exact: 'draft law' });
      const ev = (await eventsOf(f.id, 'comment.added')).filter((e) => e.data.commentId === rows[0]!.id);
      expect(ev).toHaveLength(1);
    },
  },
  {
    id: 'app/_actions/comments.ts#resolveCommentAction',
    resolved: false,
    input: refInput,
    lib: (a, i) => resolveComment(ctxFor(a), refLib(i)),
    action: actions.resolveCommentAction,
    effect: async (f, _i, actor) => {
      expect(await comment(f.thread)).toMatchObject({ resolvedBy: actor.userId });
      expect((await comment(f.thread)).resolvedAt).not.toBeNull();
      expect(await eventsOf(f.id, 'comment.resolved')).toHaveLength(1);
    },
  },
  {
    id: 'app/_actions/comments.ts#reopenCommentAction',
    resolved: true,
    input: refInput,
    lib: (a, i) => reopenComment(ctxFor(a), refLib(i)),
    action: actions.reopenCommentAction,
    effect: async (f) => {
      expect(await comment(f.thread)).toMatchObject({ resolvedAt: null, resolvedBy: null });
      expect(await eventsOf(f.id, 'comment.reopened')).toHaveLength(1);
    },
  },
];
const defOf = (id: EntryId) => DEFS.find((d) => d.id === id)!;

function invoke(def: Def, layer: Layer, actor: Actor | null, i: Input): Promise<Outcome> {
  if (layer === 'lib') return libOutcome(() => def.lib(actor, i));
  h.actor = actor;
  return actionOutcome(() => def.action(null, form(i)));
}

// ---- a probe per cell ----

type Probe = {
  call: () => Promise<Outcome>;
  effect?: () => Promise<void>;
  twin?: () => Promise<Outcome>;
  twinEffect?: () => Promise<void>;
  /** I2: another denial whose answer must be exactly the same. */
  same?: () => Promise<Outcome>;
};

const REVIEW_STATES = ['draft', 'open', 'reopened'];
const isAdd = (def: Def) => def.id.endsWith('#addCommentAction');
const asRole = (role: string): Actor =>
  role === 'INIT-M'
    ? A.member
    : role === 'INIT-A'
      ? A.admin
      : role === 'INV-M'
        ? P.member
        : role === 'INV-P'
          ? Q.owner
          : B.owner;

async function probeFor(def: Def, cell: Cell, layer: Layer): Promise<Probe> {
  const go = (actor: Actor | null, i: Input) => () => invoke(def, layer, actor, i);
  const state = cell.state ?? '';
  const reviewState = REVIEW_STATES.includes(state) ? (state as StatementState) : 'draft';
  const f = await fixture(A, reviewState, def.resolved);
  const i = def.input(f);
  /** The allowed twin: someone who may, on the same fixture. */
  const allowedFor = (actor: Actor, input = i, fx = f) => ({
    twin: go(actor, input),
    twinEffect: () => def.effect(fx, input, actor),
  });

  if (cell.role === 'ANON') return { call: go(null, i), ...allowedFor(A.member) };
  if (cell.role === 'OTHER' || cell.role === 'INV-P')
    return { call: go(asRole(cell.role), i), ...allowedFor(A.member) };

  if (REVIEW_STATES.includes(state)) {
    const actor = asRole(cell.role);
    if (cell.expect.outcome === 'allow') return { call: go(actor, i), effect: () => def.effect(f, i, actor) };
    // A participant member resolving or reopening: refused; an initiator member does it.
    return { call: go(actor, i), ...allowedFor(A.member) };
  }
  if (state.startsWith('published')) {
    await setState(f.id, 'published');
    const g = await fixture(A, 'draft', def.resolved);
    const gi = def.input(g);
    const actor = asRole(cell.role);
    return { call: go(actor, i), twin: go(actor, gi), twinEffect: () => def.effect(g, gi, actor) };
  }
  if (state.startsWith("a reply to another statement's comment")) {
    const other = await fixture(B);
    const ok = {
      ...i,
      parentId: f.thread,
      anchorLang: '',
      anchorVersion: '',
      anchorExact: '',
      anchorPrefix: '',
      anchorSuffix: '',
    };
    return { call: go(P.member, { ...ok, parentId: other.thread }), ...allowedFor(P.member, ok) };
  }
  if (state.startsWith("another organization's statement")) {
    const other = await fixture(B);
    return { call: go(A.owner, { ...i, statementId: other.id }), ...allowedFor(A.owner) };
  }
  if (state.startsWith('a statement id that does not exist')) {
    return {
      call: go(A.owner, { ...i, statementId: crypto.randomUUID() }),
      same: go(B.owner, i),
      ...allowedFor(A.owner),
    };
  }
  if (state === 'a reply instead of a thread')
    return { call: go(A.member, { ...i, commentId: f.reply }), ...allowedFor(A.member) };
  if (state.startsWith("another statement's comment")) {
    const other = await fixture(B, 'draft', def.resolved);
    return {
      call: go(A.owner, { ...i, commentId: other.thread }),
      // The other statement itself, named by an outsider to it: the same answer.
      same: go(A.owner, { statementId: other.id, commentId: other.thread }),
      ...allowedFor(A.owner),
    };
  }
  if (state.startsWith('a comment id that does not exist')) {
    const other = await fixture(B, 'draft', def.resolved);
    return {
      call: go(A.owner, { ...i, commentId: crypto.randomUUID() }),
      same: go(A.owner, { ...i, commentId: other.thread }),
      ...allowedFor(A.owner),
    };
  }
  throw new Error(
    `lib/comment-access.test.ts has no scenario for ${def.id} × ${cell.role} | ${state} (add: ${isAdd(def)})`,
  );
}

// ---- bookkeeping: "Access matrix (comments): N cases, 0 wrong" ----

const tally = matrixTally('comments', 'access-comments');


async function assertCell(cell: Cell, p: Probe) {
  const before = await digestDomain();
  const got = await p.call();
  if (cell.expect.outcome === 'allow') {
    expect(got, 'allowed').toMatchObject({ ok: true });
    expect(await digestDomain(), 'the allowed call changed the database').not.toBe(before);
    await p.effect!();
    return;
  }
  if (cell.expect.outcome !== 'deny')
    throw new Error(`outcome ${cell.expect.outcome} has no meaning for comments`);
  expect(got, 'refused').toMatchObject({ ok: false, code: cell.expect.code });
  if (cell.expect.code === 'NOT_FOUND') expect((got as { message: string }).message).toBe('errors.notFound');
  expect(await digestDomain(), 'nothing changed after the denial').toBe(before);
  if (p.same) {
    expect(withoutValue(await p.same()), 'the same answer whether or not it exists (I2)').toEqual(
      withoutValue(got),
    );
    expect(await digestDomain()).toBe(before);
  }
  expect(p.twin, 'a denial needs an allowed twin').toBeDefined();
  expect(await p.twin!(), 'allowed twin').toMatchObject({ ok: true });
  expect(await digestDomain(), 'the allowed twin changed the database').not.toBe(before);
  await p.twinEffect!();
}

// ---- the cells, from the matrix ----

const ENTRIES = ACCESS_MATRIX.filter((e) => e.provedBy?.includes('lib/comment-access.test.ts'));

describe('comment matrix (SECURITY.md), every cell of lib/access-matrix.ts', () => {
  it('covers every comment entry of the matrix', () => {
    expect(ENTRIES.map((e) => e.id).sort()).toEqual(DEFS.map((d) => d.id).sort());
    for (const e of ENTRIES) {
      expect(e.roles).toBe('statement');
      expect(e.lib).toEqual({ fn: expect.stringMatching(/^lib\/comments\.ts#/) });
    }
  });

  for (const entry of ENTRIES) {
    const def = defOf(entry.id);
    describe(entry.id, () => {
      for (const cell of entry.cells) {
        for (const layer of ['lib', 'action'] as const) {
          it(`${layer}: ${cell.role}${cell.state ? ` | ${cell.state}` : ''} → ${cell.expect.outcome === 'deny' ? cell.expect.code : cell.expect.outcome}`, () =>
            tally(async () => assertCell(cell, await probeFor(def, cell, layer))));
        }
      }
    });
  }
});

// ---- extra fields a client might add to claim an author, an organization or a resolution ----

describe('extra fields in payloads are refused by the strict schemas and never persisted', () => {
  const EXTRAS: Record<string, string> = {
    authorUserId: '',
    authorOrgId: '',
    resolvedAt: '2020-01-01T00:00:00Z',
    anchor: '{"lang":"hy"}',
  };
  for (const def of DEFS) {
    for (const field of [...Object.keys(EXTRAS), '__proto__']) {
      it(`${def.id.split('#')[1]}: \`${field}\` → INVALID_INPUT, nothing changed; without it the call succeeds`, () =>
        tally(async () => {
          const f = await fixture(A, 'draft', def.resolved);
          const i = def.input(f);
          h.actor = A.admin;
          const value =
            field === 'authorUserId'
              ? B.owner.userId
              : field === 'authorOrgId'
                ? B.org.id
                : (EXTRAS[field] ?? 'x');
          const before = await digestDomain();
          const fd = form(i);
          fd.append(field, value);
          expect(await actionOutcome(() => def.action(null, fd))).toMatchObject({
            ok: false,
            code: 'INVALID_INPUT',
          });
          if (field === '__proto__') {
            const o = { ...(JSON.parse('{"__proto__":{"authorUserId":"x"}}') as Input), ...i };
            expect(Object.keys(o)).toContain('__proto__');
            expect(await actionOutcome(() => def.action(o))).toMatchObject({
              ok: false,
              code: 'INVALID_INPUT',
            });
          }
          expect(await digestDomain()).toBe(before);
          expect(await actionOutcome(() => def.action(null, form(i)))).toMatchObject({ ok: true });
          await def.effect(f, i, A.admin);
          const mine = await db()
            .select()
            .from(statementComments)
            .where(eq(statementComments.statementId, f.id));
          expect(mine.some((c) => c.authorUserId === B.owner.userId || c.authorOrgId === B.org.id)).toBe(
            false,
          );
        }));
    }
  }
});

describe('a removed participant is refused on their very next call', () => {
  it('their participant organization no longer reviews → NOT_FOUND, nothing changed; members of others still comment', () =>
    tally(async () => {
      const f = await fixture(A);
      const c = ctxFor(P.member);
      await addComment(c, { statementId: f.id, body: 'While a participant' });
      const { statementParticipants } = await import('@/db/schema');
      const removed = await db()
        .delete(statementParticipants)
        .where(and(eq(statementParticipants.statementId, f.id), eq(statementParticipants.orgId, P.org.id)))
        .returning();
      const before = await digestDomain();
      expect(await libOutcome(() => addComment(c, { statementId: f.id, body: 'After' }))).toMatchObject({
        ok: false,
        code: 'NOT_FOUND',
      });
      expect(await digestDomain()).toBe(before);
      expect(
        await libOutcome(() => addComment(ctxFor(A.member), { statementId: f.id, body: 'Still here' })),
      ).toMatchObject({ ok: true });
      // The product has no "remove a participant" yet: put the row back, so P's accepted invitation and its
      // participation agree again for the invariant checker (invitations.accepted_without_party).
      await db().insert(statementParticipants).values(removed);
    }));
});

describe('invariants after this file', () => {
  it('the invariant checker finds nothing in what every call above wrote', async () => {
    expect((await checkInvariants(db())).filter((x) => x.count > 0)).toEqual([]);
  });
});
