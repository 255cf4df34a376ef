// The statement matrix of SECURITY.md ("create statement for org X", "edit draft", "edit translation /
// restore revision"): every cell of lib/access-matrix.ts's statement entries, run from the matrix itself (a
// cell without a scenario here fails), in two layers each — the lib function with a Ctx per role, and the
// exported server action (or the PUT route handler) with only Next's request adapters and Auth.js's session
// reader replaced. Each denial asserts its code and an unchanged digestDomain() and is paired with an allowed
// twin that succeeds and changes what it should. Plus: id substitution across organizations, extra fields in
// payloads (`state`, `lockVersion`, `initiatorOrgId`, `__proto__`) refused and never persisted, a removed
// member's next save, and the invariant checker over everything this file wrote.
// Participants are made through the real path (an initiator admin invites, the organization's owner accepts):
// INV-M is a plain member of the participant P, INV-P the owner of Q, invited and not yet accepted.
// Statement states other than draft (open, reopened) are set in SQL: freezing and reopening arrive later.
import { setState as setStatementState } from './testing/review';
import crypto from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import { beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { getDb } from '@/db';
import {
  auditEvents,
  statementInitiators,
  statementInvitations,
  statementRevisions,
  statements,
  statementTexts,
  type AuditEventType,
  type StatementState,
} from '@/db/schema';
import { ACCESS_MATRIX, type Cell, type EntryId } from './access-matrix';
import type { Actor } from './context';
import type { DocJSON } from './editor/extensions';
import { HTTP_STATUS, isAppError } from './errors';
import { checkInvariants } from './invariants';
import { removeMember } from './members';
import {
  addTranslation,
  createStatement,
  loadStatementForReader,
  markTranslationUpToDate,
  restoreRevision,
  saveText,
  updateStatementDetails,
} from './statements';
import { ctxFor, digestDomain } from './testing/db';
import { inviteOrg, participate } from './testing/invitations';
import { seedOrg, type SeededOrg } from './testing/orgs';
import { matrixTally, withoutValue } from './testing/tally';

// ---- test doubles for the Next.js / Auth.js adapters (never for our database) ----

const h = vi.hoisted(() => ({ actor: null as { userId: string; email: string } | null }));
class Redirect extends Error {
  constructor(public url: string) {
    super(`redirect ${url}`);
  }
}
const APP = 'http://localhost:3000'; // APP_URL in vitest.config.ts
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

// Imported after the mocks are registered (vi.mock is hoisted above imports).
const actions = await import('@/app/_actions/statements');
const textRoute = await import('@/app/api/statements/[id]/texts/[lang]/route');

beforeEach(() => {
  h.actor = null;
});

const db = () => getDb();
const tag = () => crypto.randomBytes(4).toString('hex');
const docOf = (...paragraphs: string[]): DocJSON => ({
  type: 'doc',
  content: paragraphs.map((text) => ({ type: 'paragraph', content: [{ type: 'text', text }] })),
});

// ---- outcomes, whatever the layer ----

type Layer = 'lib' | 'action' | 'route';
type Outcome =
  | { ok: true; value?: unknown; redirect?: string }
  | { ok: false; code: string; message: string; status?: number; body?: unknown };
type Input = Record<string, unknown>;

async function libOutcome(fn: () => Promise<unknown>): Promise<Outcome> {
  try {
    return { ok: true, value: await fn() };
  } catch (e) {
    if (isAppError(e)) return { ok: false, code: e.code, message: e.message };
    throw e;
  }
}

async function actionOutcome(fn: () => Promise<unknown>): Promise<Outcome> {
  try {
    const r = (await fn()) as { ok: boolean; code?: string; message?: string; data?: unknown };
    return r.ok ? { ok: true, value: r.data } : { ok: false, code: r.code!, message: r.message! };
  } catch (e) {
    if (e instanceof Redirect) return { ok: true, redirect: e.url };
    throw e;
  }
}

async function routeOutcome(res: Response): Promise<Outcome> {
  const body = (await res.json()) as { error?: { code: string; message: string } };
  expect(res.headers.get('cache-control')).toBe('no-store');
  if (res.status === 200) return { ok: true, value: body };
  expect(body.error, `a ${res.status} carries an error`).toBeDefined();
  expect(res.status, 'the status is the code’s').toBe(
    HTTP_STATUS[body.error!.code as keyof typeof HTTP_STATUS],
  );
  return { ok: false, code: body.error!.code, message: body.error!.message, status: res.status, body };
}

const form = (fields: Input) => {
  const f = new FormData();
  for (const [k, v] of Object.entries(fields)) f.append(k, String(v));
  return f;
};

/** The autosave request as the editor sends it. */
function putText(statementId: string, lang: string, body: string, headers: Record<string, string> = {}) {
  return textRoute.PUT(
    new Request(`${APP}/api/statements/${statementId}/texts/${lang}`, {
      method: 'PUT',
      headers: { origin: APP, host: 'localhost:3000', 'content-type': 'application/json', ...headers },
      body,
    }),
    { params: Promise.resolve({ id: statementId, lang }) },
  );
}
const saveBody = (i: Input) => {
  const { statementId: _s, lang: _l, ...body } = i;
  return JSON.stringify(body);
};

// ---- the world: organization A (the initiator) and B (unrelated), and statements in a known shape ----

let A: SeededOrg;
let P: SeededOrg; // participant of fixtures made with `participants`
let Q: SeededOrg; // invited to them, not accepted
let B: SeededOrg;
beforeAll(async () => {
  [A, B, P, Q] = [await seedOrg(), await seedOrg(), await seedOrg(), await seedOrg()];
});

type Fixture = { org: SeededOrg; id: string };

/**
 * A statement of `org` as initiators leave it after some work: primary text (hy) at version 2 ("First draft",
 * then "Second draft"), an English translation added at primary version 1 (so it is out of date), then put in
 * `state` (in SQL: freezing and reopening arrive with a later issue).
 */
async function fixture(
  org: SeededOrg,
  state: StatementState = 'draft',
  opts: { participants?: boolean } = {},
): Promise<Fixture> {
  const c = ctxFor(org.owner);
  const { id } = await createStatement(c, {
    orgId: org.org.id,
    title: 'Open letter',
    primaryLang: 'hy',
    summary: null,
    timeZone: 'Asia/Yerevan',
  });
  await saveText(c, {
    statementId: id,
    lang: 'hy',
    baseVersion: 0,
    title: 'Open letter',
    doc: docOf('First draft'),
  });
  await addTranslation(c, { statementId: id, lang: 'en', title: 'Open letter (en)' });
  await saveText(c, {
    statementId: id,
    lang: 'hy',
    baseVersion: 1,
    title: 'Open letter',
    doc: docOf('Second draft'),
  });
  if (opts.participants) {
    await participate(id, P, { by: org.owner });
    await inviteOrg(id, Q, { by: org.owner });
  }
  if (state !== 'draft') await setStatementState(id, state);
  return { org, id };
}

async function textRow(statementId: string, lang: string) {
  const [t] = await db()
    .select()
    .from(statementTexts)
    .where(and(eq(statementTexts.statementId, statementId), eq(statementTexts.lang, lang)));
  return t ?? null;
}
async function revisionRow(statementId: string, lang: string, version: number) {
  const [r] = await db()
    .select()
    .from(statementRevisions)
    .where(
      and(
        eq(statementRevisions.statementId, statementId),
        eq(statementRevisions.lang, lang),
        eq(statementRevisions.version, version),
      ),
    );
  return r ?? null;
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
async function statementRow(id: string) {
  const [s] = await db().select().from(statements).where(eq(statements.id, id));
  return s!;
}

// ---- one definition per matrix entry: its valid input on a fixture, how to call it per layer, its effect ----

type Def = {
  id: EntryId;
  /** Besides 'lib': the server action or the route handler. */
  via: 'action' | 'route';
  input: (f: Fixture) => Input;
  lib: (actor: Actor | null, i: Input) => Promise<unknown>;
  action?: (...args: unknown[]) => Promise<unknown>;
  /** What an allowed call changed (beyond "the digest changed"). */
  effect: (f: Fixture, i: Input, actor: Actor) => Promise<void>;
  /** Inputs for cells of one state ("draft, stale baseVersion (I6)" …). */
  variants?: Record<string, (f: Fixture) => Input>;
};

const STALE = 'draft, stale baseVersion (I6)';

const DEFS: Def[] = [
  {
    id: 'app/_actions/statements.ts#createStatementAction',
    via: 'action',
    input: (f) => ({
      orgId: f.org.org.id,
      title: `Open letter ${tag()}`,
      primaryLang: 'hy',
      timeZone: 'Asia/Yerevan',
    }),
    lib: (a, i) =>
      createStatement(ctxFor(a), {
        orgId: String(i.orgId),
        title: String(i.title),
        primaryLang: String(i.primaryLang),
        summary: null,
        timeZone: String(i.timeZone),
      }),
    action: actions.createStatementAction,
    effect: async (_f, i, actor) => {
      const rows = await db()
        .select({
          id: statements.id,
          createdBy: statements.createdBy,
          state: statements.state,
          orgId: statementInitiators.orgId,
          role: statementInitiators.role,
        })
        .from(statements)
        .innerJoin(statementInitiators, eq(statementInitiators.statementId, statements.id))
        .innerJoin(
          statementTexts,
          and(eq(statementTexts.statementId, statements.id), eq(statementTexts.lang, 'hy')),
        )
        .where(eq(statementTexts.title, String(i.title)));
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({
        createdBy: actor.userId,
        state: 'draft',
        orgId: i.orgId,
        role: 'primary',
      });
      expect((await textRow(rows[0]!.id, 'hy'))!.lockVersion).toBe(0);
      expect(await eventsOf(rows[0]!.id, 'statement.created')).toHaveLength(1);
    },
  },
  {
    id: 'app/_actions/statements.ts#updateStatementDetailsAction',
    via: 'action',
    input: (f) => ({ statementId: f.id, summary: `Why we write ${tag()}`, timeZone: 'Europe/Moscow' }),
    lib: (a, i) =>
      updateStatementDetails(ctxFor(a), {
        statementId: String(i.statementId),
        summary: String(i.summary),
        timeZone: String(i.timeZone),
      }),
    action: actions.updateStatementDetailsAction,
    effect: async (f, i) => {
      expect(await statementRow(f.id)).toMatchObject({ summary: i.summary, timeZone: 'Europe/Moscow' });
      expect(await eventsOf(f.id, 'statement.details_updated')).toHaveLength(1);
    },
  },
  {
    id: 'app/_actions/statements.ts#addTranslationAction',
    via: 'action',
    input: (f) => ({ statementId: f.id, lang: 'ru', title: 'Открытое письмо' }),
    lib: (a, i) =>
      addTranslation(ctxFor(a), {
        statementId: String(i.statementId),
        lang: String(i.lang),
        title: String(i.title),
      }),
    action: actions.addTranslationAction,
    effect: async (f) => {
      expect(await textRow(f.id, 'ru')).toMatchObject({
        lockVersion: 0,
        alignedPrimaryVersion: 2,
        title: 'Открытое письмо',
      });
      expect((await eventsOf(f.id, 'translation.added')).map((e) => e.data.lang).sort()).toEqual([
        'en',
        'ru',
      ]);
    },
    variants: {
      'draft, a language it already has': (f) => ({ statementId: f.id, lang: 'en', title: 'Again' }),
    },
  },
  {
    id: 'app/_actions/statements.ts#markTranslationUpToDateAction',
    via: 'action',
    input: (f) => ({ statementId: f.id, lang: 'en', primaryVersion: 2 }),
    lib: (a, i) =>
      markTranslationUpToDate(ctxFor(a), {
        statementId: String(i.statementId),
        lang: String(i.lang),
        primaryVersion: Number(i.primaryVersion),
      }),
    action: actions.markTranslationUpToDateAction,
    effect: async (f) => {
      expect((await textRow(f.id, 'en'))!.alignedPrimaryVersion).toBe(2);
      expect(await eventsOf(f.id, 'translation.marked_up_to_date')).toHaveLength(1);
    },
    variants: {
      'draft, the primary changed meanwhile': (f) => ({ statementId: f.id, lang: 'en', primaryVersion: 1 }),
    },
  },
  {
    id: 'app/_actions/statements.ts#restoreRevisionAction',
    via: 'action',
    input: (f) => ({ statementId: f.id, lang: 'hy', version: 1, baseVersion: 2 }),
    lib: (a, i) =>
      restoreRevision(ctxFor(a), {
        statementId: String(i.statementId),
        lang: String(i.lang),
        version: Number(i.version),
        baseVersion: Number(i.baseVersion),
      }),
    action: actions.restoreRevisionAction,
    effect: async (f) => {
      const text = (await textRow(f.id, 'hy'))!;
      const rev = (await revisionRow(f.id, 'hy', 3))!;
      expect(text.lockVersion).toBe(3);
      expect(rev).toMatchObject({
        kind: 'restore',
        restoredFrom: 1,
        doc: (await revisionRow(f.id, 'hy', 1))!.doc,
      });
      expect(text.doc).toEqual(rev.doc);
      const ev = await eventsOf(f.id, 'draft.restored');
      expect(ev.map((e) => e.data.revisionId)).toEqual([rev.id]);
    },
    variants: { [STALE]: (f) => ({ statementId: f.id, lang: 'hy', version: 1, baseVersion: 1 }) },
  },
  {
    id: 'app/api/statements/[id]/texts/[lang]/route.ts#PUT',
    via: 'route',
    input: (f) => ({
      statementId: f.id,
      lang: 'hy',
      baseVersion: 2,
      title: 'Open letter, edited',
      doc: docOf('Third draft', 'A second paragraph'),
    }),
    lib: (a, i) =>
      saveText(ctxFor(a), {
        statementId: String(i.statementId),
        lang: String(i.lang),
        baseVersion: Number(i.baseVersion),
        title: String(i.title),
        doc: i.doc,
      }),
    effect: async (f, i) => {
      const text = (await textRow(f.id, 'hy'))!;
      const rev = (await revisionRow(f.id, 'hy', 3))!;
      expect(text).toMatchObject({ lockVersion: 3, title: i.title, doc: i.doc });
      expect(rev).toMatchObject({ kind: 'save', title: i.title, doc: i.doc });
      const ev = await eventsOf(f.id, 'draft.saved');
      expect(ev.filter((e) => e.data.version === 3).map((e) => e.data.revisionId)).toEqual([rev.id]);
    },
    variants: {
      [STALE]: (f) => ({
        statementId: f.id,
        lang: 'hy',
        baseVersion: 1,
        title: 'Open letter, edited',
        doc: docOf('Third draft'),
      }),
    },
  },
];

const defOf = (id: EntryId) => DEFS.find((d) => d.id === id)!;

function invoke(def: Def, layer: Layer, actor: Actor | null, i: Input): Promise<Outcome> {
  if (layer === 'lib') return libOutcome(() => def.lib(actor, i));
  h.actor = actor;
  if (layer === 'action') return actionOutcome(() => def.action!(null, form(i)));
  return putText(String(i.statementId), String(i.lang), saveBody(i)).then(routeOutcome);
}

// ---- a probe per cell ----

type Probe = {
  call: () => Promise<Outcome>;
  /** After an allowed call: what it changed. */
  effect?: () => Promise<void>;
  /** Denials: the allowed twin and what it changed. */
  twin?: () => Promise<Outcome>;
  twinEffect?: () => Promise<void>;
  /** I2: another denial whose answer must be exactly the same. */
  same?: () => Promise<Outcome>;
};

const EDIT_STATES = ['draft', 'reopened', 'open'] as const;
const initiator = (role: string): Actor => (role === 'INIT-M' ? A.member : A.admin);

async function probeFor(def: Def, cell: Cell, layer: Layer): Promise<Probe> {
  const go = (actor: Actor | null, i: Input) => () => invoke(def, layer, actor, i);
  const state = cell.state ?? '';

  if (def.id === 'app/_actions/statements.ts#createStatementAction') {
    const fa: Fixture = { org: A, id: '' };
    const i = def.input(fa);
    const allowed = { twin: go(A.member, i), twinEffect: () => def.effect(fa, i, A.member) };
    if (cell.role === 'ANON') return { call: go(null, i), ...allowed };
    if (cell.role === 'OTHER' && state === 'not a member of X') return { call: go(B.owner, i), ...allowed };
    if (cell.role === 'OTHER' && state.startsWith('an organization id that does not exist')) {
      const own = def.input({ org: B, id: '' });
      return {
        call: go(B.owner, { ...i, orgId: crypto.randomUUID() }),
        same: go(B.owner, i),
        twin: go(B.owner, own),
        twinEffect: () => def.effect({ org: B, id: '' }, own, B.owner),
      };
    }
    if (cell.role === 'INIT-M' || cell.role === 'INIT-A') {
      const actor = initiator(cell.role);
      return { call: go(actor, i), effect: () => def.effect(fa, i, actor) };
    }
    if (cell.role === 'INV-P' || cell.role === 'INV-M') {
      // Q invited to (P taking part in) a statement of X = A: neither is a member of A.
      await fixture(A, 'draft', { participants: true });
      return { call: go(cell.role === 'INV-P' ? Q.owner : P.member, i), ...allowed };
    }
  } else {
    // "draft", "open, member of a participant organization", "draft, stale baseVersion (I6)" …
    const base = state.split(',')[0]!;
    const editState = (EDIT_STATES as readonly string[]).includes(base) ? (base as StatementState) : 'draft';
    const f = await fixture(A, editState, { participants: cell.role === 'INV-P' || cell.role === 'INV-M' });
    const i = def.input(f);
    const allowedFor = (actor: Actor) => ({ twin: go(actor, i), twinEffect: () => def.effect(f, i, actor) });
    if (cell.role === 'ANON') return { call: go(null, i), ...allowedFor(A.member) };
    // An outsider: even an owner of another organization.
    if (cell.role === 'OTHER') return { call: go(B.owner, i), ...allowedFor(A.member) };
    // Invited, not accepted: the same NOT_FOUND as an outsider.
    if (cell.role === 'INV-P') return { call: go(Q.owner, i), ...allowedFor(A.member) };
    // A participant's member reads the draft but may not change it (FORBIDDEN in every state); the twin is an
    // initiator member's same call on an editable draft.
    if (cell.role === 'INV-M') {
      if (editState !== 'open') return { call: go(P.member, i), ...allowedFor(A.member) };
      const f2 = await fixture(A, 'draft');
      const i2 = def.input(f2);
      return { call: go(P.member, i), twin: go(A.member, i2), twinEffect: () => def.effect(f2, i2, A.member) };
    }
    if (cell.role === 'INIT-M' || cell.role === 'INIT-A') {
      const actor = initiator(cell.role);
      if (state === 'draft' || state === 'reopened')
        return { call: go(actor, i), effect: () => def.effect(f, i, actor) };
      if (state === 'open') {
        // The twin: the same person and call on a statement whose draft is editable.
        const f2 = await fixture(A, 'draft');
        const i2 = def.input(f2);
        return { call: go(actor, i), twin: go(actor, i2), twinEffect: () => def.effect(f2, i2, actor) };
      }
      if (state.startsWith("another organization's statement")) {
        // S2 belongs to B; A's owner names it in an otherwise valid call (same shape, same versions).
        const s2 = await fixture(B, 'draft');
        return { call: go(A.owner, { ...i, statementId: s2.id }), ...allowedFor(A.owner) };
      }
      if (state.startsWith('a statement id that does not exist')) {
        return {
          call: go(A.owner, { ...i, statementId: crypto.randomUUID() }),
          same: go(B.owner, i),
          ...allowedFor(A.owner),
        };
      }
      const variant = def.variants?.[state];
      if (variant) return { call: go(actor, variant(f)), ...allowedFor(actor) };
    }
  }
  throw new Error(`lib/statement-access.test.ts has no scenario for ${def.id} × ${cell.role} | ${state}`);
}

// ---- bookkeeping: "Access matrix (statements): N cases, 0 wrong" ----

const tally = matrixTally('statements', 'access-statements');


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
    throw new Error(`outcome ${cell.expect.outcome} has no meaning for statements`);
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

const ENTRIES = ACCESS_MATRIX.filter((e) => e.provedBy?.includes('lib/statement-access.test.ts'));

describe('statement matrix (SECURITY.md), every cell of lib/access-matrix.ts', () => {
  it('covers every statement entry of the matrix', () => {
    expect(ENTRIES.map((e) => e.id).sort()).toEqual(DEFS.map((d) => d.id).sort());
    for (const e of ENTRIES) {
      expect(e.roles).toBe('statement');
      expect(e.lib).toEqual({ fn: expect.stringMatching(/^lib\/statements\.ts#/) });
    }
  });

  for (const entry of ENTRIES) {
    const def = defOf(entry.id);
    describe(entry.id, () => {
      for (const cell of entry.cells) {
        for (const layer of ['lib', def.via] as const) {
          it(`${layer}: ${cell.role}${cell.state ? ` | ${cell.state}` : ''} → ${cell.expect.outcome === 'deny' ? cell.expect.code : cell.expect.outcome}`, () =>
            tally(async () => assertCell(cell, await probeFor(def, cell, layer))));
        }
      }
    });
  }
});

// ---- the route's answers beyond the code: the current text on a conflict, the JSON path of a refused document ----

describe('PUT /api/statements/[id]/texts/[lang]: what the editor receives', () => {
  it('a stale save → 409 with the current text (version, title, document, who), nothing written; the current version saves', () =>
    tally(async () => {
      const f = await fixture(A);
      h.actor = A.member;
      const before = await digestDomain();
      const res = await putText(
        f.id,
        'hy',
        JSON.stringify({ baseVersion: 1, title: 'Mine', doc: docOf('My text') }),
      );
      expect(res.status).toBe(409);
      const body = (await res.json()) as {
        error: {
          code: string;
          current: { version: number; title: string; doc: unknown; updatedByName: string };
        };
      };
      expect(body.error.code).toBe('CONFLICT');
      expect(body.error.current).toMatchObject({
        version: 2,
        title: 'Open letter',
        doc: (await textRow(f.id, 'hy'))!.doc,
      });
      expect(body.error.current.updatedByName).toBe(A.owner.email.split('@')[0]);
      expect(await digestDomain()).toBe(before);
      // The editor keeps its text on top of the other (keep mine): recorded in the audit event.
      const ok = await putText(
        f.id,
        'hy',
        JSON.stringify({ baseVersion: 2, title: 'Mine', doc: docOf('My text'), resolution: 'keep_mine' }),
      );
      expect(ok.status).toBe(200);
      expect(await ok.json()).toMatchObject({ version: 3, changed: true });
      const ev = (await eventsOf(f.id, 'draft.saved')).find((e) => e.data.version === 3)!;
      expect(ev.data).toMatchObject({ resolution: 'keep_mine', titleChanged: true });
    }));

  it('a save identical to the current text changes nothing and succeeds, whatever its base version', () =>
    tally(async () => {
      const f = await fixture(A);
      h.actor = A.member;
      const before = await digestDomain();
      const res = await putText(
        f.id,
        'hy',
        JSON.stringify({ baseVersion: 0, title: 'Open letter', doc: docOf('Second draft') }),
      );
      expect(res.status).toBe(200);
      expect(await res.json()).toMatchObject({ version: 2, changed: false });
      expect(await digestDomain()).toBe(before);
    }));

  it('a document the editor schema would not keep → 400 with its JSON path, nothing written; the valid one saves', () =>
    tally(async () => {
      const f = await fixture(A);
      h.actor = A.member;
      const before = await digestDomain();
      const bad = {
        type: 'doc',
        content: [
          { type: 'paragraph', content: [{ type: 'text', text: 'ok' }] },
          { type: 'script', content: [] },
        ],
      };
      const res = await putText(
        f.id,
        'hy',
        JSON.stringify({ baseVersion: 2, title: 'Open letter', doc: bad }),
      );
      expect(res.status).toBe(400);
      const body = (await res.json()) as {
        error: { code: string; problem: { path: string; reason: string } };
      };
      expect(body.error).toMatchObject({
        code: 'INVALID_INPUT',
        problem: { path: '$.content[1].type', reason: 'unknownNode' },
      });
      expect(await digestDomain()).toBe(before);
      expect(
        (
          await putText(
            f.id,
            'hy',
            JSON.stringify({ baseVersion: 2, title: 'Open letter', doc: docOf('ok') }),
          )
        ).status,
      ).toBe(200);
    }));

  it('a language the statement does not have, or a malformed one → 404, like a missing statement', () =>
    tally(async () => {
      const f = await fixture(A);
      h.actor = A.member;
      const before = await digestDomain();
      for (const lang of ['de', 'not a language', '..', 'HY']) {
        const res = await putText(
          f.id,
          lang,
          JSON.stringify({ baseVersion: 0, title: 'x', doc: docOf('x') }),
        );
        expect(res.status, lang).toBe(404);
      }
      expect(await digestDomain()).toBe(before);
      expect(
        (
          await putText(
            f.id,
            'en',
            JSON.stringify({ baseVersion: 0, title: 'Open letter (en)', doc: docOf('Translated') }),
          )
        ).status,
      ).toBe(200);
    }));

  it('a cross-site request → 403 before the body is read, nothing written; from our origin it saves', () =>
    tally(async () => {
      const f = await fixture(A);
      h.actor = A.member;
      const before = await digestDomain();
      const body = JSON.stringify({ baseVersion: 2, title: 'Open letter', doc: docOf('x') });
      const variants: Record<string, string>[] = [
        { origin: 'https://evil.example' },
        { origin: '' },
        { origin: 'null' },
        { 'sec-fetch-site': 'cross-site' },
      ];
      for (const headers of variants) {
        const res = await putText(f.id, 'hy', body, headers);
        expect(res.status, JSON.stringify(headers)).toBe(403);
      }
      expect(await digestDomain()).toBe(before);
      expect((await putText(f.id, 'hy', body)).status).toBe(200);
    }));
});

// ---- extra fields a client might add to claim a state, a version or another initiator ----

/** Extra fields, each with a value that would matter if it were persisted. */
const EXTRAS = (): Record<string, unknown> => ({
  state: 'published',
  lockVersion: 99,
  initiatorOrgId: B.org.id,
});
const EXTRA_FIELDS = ['state', 'lockVersion', 'initiatorOrgId', '__proto__'];

/** Nothing a refused field claimed is in the database. */
async function neverPersisted(statementId: string | null) {
  if (statementId) {
    expect((await statementRow(statementId)).state).toBe('draft');
    const texts = await db().select().from(statementTexts).where(eq(statementTexts.statementId, statementId));
    expect(texts.every((t) => t.lockVersion < 99)).toBe(true);
    const inits = await db()
      .select()
      .from(statementInitiators)
      .where(eq(statementInitiators.statementId, statementId));
    expect(inits.map((x) => x.orgId)).toEqual([A.org.id]);
  }
  expect(
    await db()
      .select()
      .from(statementInitiators)
      .where(eq(statementInitiators.orgId, B.org.id))
      .then((r) => r.length),
  ).toBe(bStatements);
  expect(await db().select().from(statements).where(eq(statements.state, 'published'))).toEqual([]);
}
let bStatements = 0;

describe('extra fields in payloads are refused by the strict schemas and never persisted', () => {
  for (const def of DEFS.filter((d) => d.via === 'action')) {
    for (const field of EXTRA_FIELDS) {
      for (const mode of ['form', 'object'] as const) {
        it(`${def.id.split('#')[1]}: \`${field}\` (${mode}) → INVALID_INPUT, nothing changed; without it the call succeeds`, () =>
          tally(async () => {
            bStatements = (
              await db().select().from(statementInitiators).where(eq(statementInitiators.orgId, B.org.id))
            ).length;
            const isCreate = def.id.endsWith('#createStatementAction');
            const f = isCreate ? { org: A, id: '' } : await fixture(A);
            const i = def.input(f);
            h.actor = A.admin;
            const before = await digestDomain();
            let got: Outcome;
            if (field === '__proto__') {
              if (mode === 'form') {
                const fd = form(i);
                fd.append('__proto__', 'x');
                got = await actionOutcome(() => def.action!(null, fd));
              } else {
                const o = {
                  ...(JSON.parse('{"__proto__":{"state":"published","lockVersion":99}}') as Input),
                  ...i,
                };
                expect(Object.keys(o)).toContain('__proto__');
                got = await actionOutcome(() => def.action!(o));
              }
            } else {
              const payload = { ...i, [field]: EXTRAS()[field] };
              got = await actionOutcome(() => def.action!(null, mode === 'form' ? form(payload) : payload));
            }
            expect(got).toMatchObject({ ok: false, code: 'INVALID_INPUT' });
            expect(await digestDomain()).toBe(before);
            await neverPersisted(f.id || null);
            // The twin: the same payload without the extra field.
            expect(await actionOutcome(() => def.action!(null, mode === 'form' ? form(i) : i))).toMatchObject(
              { ok: true },
            );
            await def.effect(f, i, A.admin);
            await neverPersisted(f.id || null);
          }));
      }
    }
  }

  for (const field of EXTRA_FIELDS) {
    it(`PUT autosave: \`${field}\` in the JSON body → 400 INVALID_INPUT, nothing changed; without it the save succeeds`, () =>
      tally(async () => {
        const def = defOf('app/api/statements/[id]/texts/[lang]/route.ts#PUT');
        const f = await fixture(A);
        const i = def.input(f);
        h.actor = A.member;
        const before = await digestDomain();
        const body =
          field === '__proto__'
            ? `{"__proto__":{"state":"published","lockVersion":99},${saveBody(i).slice(1)}`
            : JSON.stringify({ ...JSON.parse(saveBody(i)), [field]: EXTRAS()[field] });
        if (field === '__proto__') expect(Object.keys(JSON.parse(body) as object)).toContain('__proto__');
        const got = await routeOutcome(await putText(f.id, 'hy', body));
        expect(got).toMatchObject({ ok: false, code: 'INVALID_INPUT', status: 400 });
        expect(await digestDomain()).toBe(before);
        await neverPersisted(f.id);
        expect(await routeOutcome(await putText(f.id, 'hy', saveBody(i)))).toMatchObject({
          ok: true,
          value: { version: 3, changed: true },
        });
        await def.effect(f, i, A.member);
        await neverPersisted(f.id);
      }));
  }
});

// ---- a removed member, and what every allowed call above left behind ----

describe('a removed initiator member is refused on their very next call', () => {
  it('saves, restores, translations and details → NOT_FOUND at once, nothing changed', () =>
    tally(async () => {
      const org = await seedOrg();
      const f = await fixture(org);
      const c = ctxFor(org.member);
      await saveText(c, {
        statementId: f.id,
        lang: 'hy',
        baseVersion: 2,
        title: 'Open letter',
        doc: docOf('While a member'),
      });
      await removeMember(ctxFor(org.owner), { orgId: org.org.id, membershipId: org.m.member });
      const before = await digestDomain();
      for (const call of [
        () =>
          saveText(c, {
            statementId: f.id,
            lang: 'hy',
            baseVersion: 3,
            title: 'Open letter',
            doc: docOf('After removal'),
          }),
        () => restoreRevision(c, { statementId: f.id, lang: 'hy', version: 1, baseVersion: 3 }),
        () => addTranslation(c, { statementId: f.id, lang: 'ru', title: 'x' }),
        () => markTranslationUpToDate(c, { statementId: f.id, lang: 'en', primaryVersion: 3 }),
        () => updateStatementDetails(c, { statementId: f.id, summary: 'x', timeZone: 'UTC' }),
        () =>
          createStatement(c, {
            orgId: org.org.id,
            title: 'x',
            primaryLang: 'hy',
            summary: null,
            timeZone: 'UTC',
          }),
      ]) {
        expect(await libOutcome(call)).toMatchObject({
          ok: false,
          code: 'NOT_FOUND',
          message: 'errors.notFound',
        });
      }
      expect(await digestDomain()).toBe(before);
      // Still a member: the admin's save goes through.
      await saveText(ctxFor(org.admin), {
        statementId: f.id,
        lang: 'hy',
        baseVersion: 3,
        title: 'Open letter',
        doc: docOf('By the admin'),
      });
      expect((await textRow(f.id, 'hy'))!.lockVersion).toBe(4);
    }));
});

describe('participants read the draft (C1); invited organizations do not', () => {
  it('INV-M reads through loadStatementForReader; INV-P and outsiders get NOT_FOUND, nothing changed; once Q accepts, its members read', () =>
    tally(async () => {
      const f = await fixture(A, 'draft', { participants: true });
      const r = await loadStatementForReader(db(), ctxFor(P.member), f.id);
      expect(r.statement.id).toBe(f.id);
      expect(r.access).toEqual({ kind: 'participant', role: 'member' });
      expect((await loadStatementForReader(db(), ctxFor(A.member), f.id)).access).toEqual({
        kind: 'initiator',
        role: 'member',
      });
      const before = await digestDomain();
      for (const who of [Q.owner, Q.member, B.owner])
        expect(await libOutcome(() => loadStatementForReader(db(), ctxFor(who), f.id))).toMatchObject({
          ok: false,
          code: 'NOT_FOUND',
          message: 'errors.notFound',
        });
      expect(await digestDomain()).toBe(before);
      // The allowed twin: Q's owner accepts (from the dashboard); Q's members now read it.
      const { acceptInvitation } = await import('./invitations');
      const [inv] = await db()
        .select({ id: statementInvitations.id })
        .from(statementInvitations)
        .where(and(eq(statementInvitations.statementId, f.id), eq(statementInvitations.targetOrgId, Q.org.id)));
      await acceptInvitation(ctxFor(Q.owner), { invitationId: inv!.id, orgId: Q.org.id });
      expect((await loadStatementForReader(db(), ctxFor(Q.member), f.id)).access).toEqual({
        kind: 'participant',
        role: 'member',
      });
    }));
});

describe('invariants after this file', () => {
  it('the invariant checker finds nothing in what every call above wrote', async () => {
    expect((await db().select().from(statements)).length).toBeGreaterThan(50);
    expect((await checkInvariants(db())).filter((f) => f.count > 0)).toEqual([]);
  });
});
