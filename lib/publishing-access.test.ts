// The publishing rows of SECURITY.md's matrix ("freeze version / reopen / publish", "add correction, close, withdraw
// statement"): every cell of lib/access-matrix.ts's publishing entries (publish, close, withdraw, correction, joining
// window), run from the matrix itself (a cell without a scenario here fails). Cells are called on the
// lib/publishing.ts functions with a Ctx per role: signed out, a member of an unrelated organization (OTHER), the
// owner of an organization invited and not accepted (INV-P), the owner, an admin and a member of a participant
// (INV-M), a plain initiator member (INIT-M), the initiator's owner and admin and a co-initiator's admin (INIT-A),
// plus wrong states, a substituted id (IDOR) and a missing statement (the same answer as OTHER's, I2). Each denial
// asserts its code and an unchanged digestDomain(), and is paired with an allowed twin that succeeds and writes what
// it should. A last block runs the server actions themselves (strict schema, origin check, session) once each.
import crypto from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import { beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { getDb } from '@/db';
import { auditEvents, publicRecords, publications, statementCorrections, statements, type AuditEventType } from '@/db/schema';
import { ACCESS_MATRIX, type Cell, type MatrixEntry } from './access-matrix';
import type { Actor } from './context';
import { isAppError } from './errors';
import { checkInvariants } from './invariants';
import { addCorrection, closeStatement, publishStatement, setJoining, withdrawStatement } from './publishing';
import { envelopeOf, verifyEnvelope, type RecordDocument } from './record';
import { freezeVersion, reopenStatement, signForOrganization } from './signing';
import { ctxFor, digestDomain } from './testing/db';
import { participate } from './testing/invitations';
import { seedOrg, type SeededOrg } from './testing/orgs';
import { invitePending, seedReviewStatement } from './testing/review';
import { matrixTally, withoutValue } from './testing/tally';

// ---- test doubles for the Next.js / Auth.js adapters (never for our database) ----

const h = vi.hoisted(() => ({ actor: null as { userId: string; email: string } | null, origin: 'http://localhost:3000' }));
vi.mock('next/headers', () => ({
  headers: async () =>
    new Headers({ host: 'localhost:3000', origin: h.origin, 'sec-fetch-site': 'same-origin', 'x-client-ip': '127.0.0.1' }),
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
    h.actor ? { user: { id: h.actor.userId, email: h.actor.email }, expires: new Date(Date.now() + 3600_000).toISOString() } : null,
  signIn: async () => {},
  signOut: async () => {},
}));
const actions = await import('@/app/_actions/publishing');

beforeEach(() => {
  h.actor = null;
  h.origin = 'http://localhost:3000';
});

const db = () => getDb();
const rnd = () => crypto.randomBytes(4).toString('hex');
const DAY = 86_400_000;

// ---- outcomes ----

type Outcome = { ok: true; value?: unknown } | { ok: false; code: string; message: string };
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
const form = (fields: Record<string, unknown>) => {
  const f = new FormData();
  for (const [k, v] of Object.entries(fields)) if (v !== undefined && v !== null) f.append(k, String(v));
  return f;
};

// ---- the world ----

let A: SeededOrg; // primary initiator
let C: SeededOrg; // co-initiator of every fixture of A's
let P: SeededOrg; // participant of every fixture of A's (accepted through the real path)
let Q: SeededOrg; // invited to every fixture of A's, not accepted
let B: SeededOrg; // unrelated, with statements of its own
beforeAll(async () => {
  [A, C, P, Q, B] = [await seedOrg(), await seedOrg(), await seedOrg(), await seedOrg(), await seedOrg()];
});

type Stage = 'draft' | 'reopened' | 'unbound' | 'open' | 'published' | 'closed' | 'withdrawn';
const STAGE_ORDER: Stage[] = ['draft', 'reopened', 'unbound', 'open', 'published', 'closed', 'withdrawn'];

/**
 * A statement of `org` (hy + en). For A's: C co-initiates, P takes part, Q is invited. Then, through the real
 * functions: frozen and signed by every initiating organization (`unbound`: by C only, so A is not bound), reopened,
 * or published (slug kept), closed, withdrawn.
 */
async function fixture(stage: Stage, org: SeededOrg = A): Promise<{ id: string; slug: string | null }> {
  const id = await seedReviewStatement(org, 'draft');
  const initiators = org === A ? [A, C] : [org];
  if (org === A) {
    await participate(id, C, { by: A.admin, kind: 'co_initiator' });
    await participate(id, P, { by: A.admin });
    await invitePending(id, Q, A.owner.userId);
  }
  if (stage === 'draft') return { id, slug: null };
  await freezeVersion(ctxFor(org.owner), { statementId: id });
  for (const o of stage === 'unbound' ? initiators.slice(1) : initiators)
    await signForOrganization(ctxFor(o.admin), { statementId: id, orgId: o.org.id, version: 1 });
  if (stage === 'reopened') await reopenStatement(ctxFor(org.owner), { statementId: id });
  if (STAGE_ORDER.indexOf(stage) < STAGE_ORDER.indexOf('published')) return { id, slug: null };
  const slug = `pub-${rnd()}`;
  await publishStatement(ctxFor(org.owner), { statementId: id, slug, displayDate: '2024-05-01', listOrder: 'joined', joinUntil: null });
  if (stage === 'closed') await closeStatement(ctxFor(org.owner), { statementId: id });
  if (stage === 'withdrawn') await withdrawStatement(ctxFor(org.owner), { statementId: id, reason: 'Withdrawn for the test' });
  return { id, slug };
}

const statementOf = async (id: string) => (await db().select().from(statements).where(eq(statements.id, id)))[0]!;
const pubOf = async (id: string) => (await db().select().from(publications).where(eq(publications.statementId, id)))[0];
const eventsOf = (statementId: string, type: AuditEventType) =>
  db()
    .select()
    .from(auditEvents)
    .where(and(eq(auditEvents.chainType, 'statement'), eq(auditEvents.chainId, statementId), eq(auditEvents.type, type)));
async function liveRecord(id: string): Promise<{ record: RecordDocument; ok: boolean }> {
  const pub = (await pubOf(id))!;
  const [row] = await db()
    .select()
    .from(publicRecords)
    .where(and(eq(publicRecords.statementId, id), eq(publicRecords.seq, pub.recordSeq)));
  const env = envelopeOf(row!);
  return { record: env.record, ok: verifyEnvelope(env).ok };
}

// ---- calls ----

type Kind = 'publish' | 'close' | 'withdraw' | 'correction' | 'joining';
type Args = { statementId: string; slug?: string; displayDate?: string; reason?: string; joinUntil?: Date | null; body?: string };
type Call = (actor: Actor | null, a: Args) => Promise<Outcome>;

const CALLS: Record<Kind, Call> = {
  publish: (actor, a) =>
    libOutcome(() =>
      publishStatement(ctxFor(actor), {
        statementId: a.statementId,
        slug: a.slug ?? `letter-${rnd()}`,
        displayDate: a.displayDate ?? '2024-05-01',
        listOrder: 'joined',
        joinUntil: null,
      }),
    ),
  close: (actor, a) => libOutcome(() => closeStatement(ctxFor(actor), { statementId: a.statementId })),
  withdraw: (actor, a) => libOutcome(() => withdrawStatement(ctxFor(actor), { statementId: a.statementId, reason: a.reason ?? 'Superseded by a joint statement' })),
  correction: (actor, a) =>
    libOutcome(() => addCorrection(ctxFor(actor), { statementId: a.statementId, lang: 'hy', body: a.body ?? 'Ուղղում՝ ամսաթիվը մարտի 3-ն է։' })),
  joining: (actor, a) =>
    libOutcome(() => setJoining(ctxFor(actor), { statementId: a.statementId, joinUntil: a.joinUntil === undefined ? new Date(Date.now() + 7 * DAY) : a.joinUntil })),
};
const KINDS: Record<string, Kind> = {
  publishStatementAction: 'publish',
  closeStatementAction: 'close',
  withdrawStatementAction: 'withdraw',
  addCorrectionAction: 'correction',
  setJoiningAction: 'joining',
};
const kindOf = (entry: MatrixEntry): Kind => {
  const k = KINDS[entry.id.split('#')[1]!];
  if (!k) throw new Error(`no publishing call for ${entry.id}`);
  return k;
};
/** The state the allowed cells of an action act in. */
const BASE: Record<Kind, Stage> = { publish: 'open', close: 'published', withdraw: 'published', correction: 'published', joining: 'published' };

/** What an allowed call of this kind writes on statement `id` (acted on by `actor`), beyond "the database changed". */
function effectOf(kind: Kind, id: string, actor: Actor, before: { records: number }) {
  return async () => {
    const st = await statementOf(id);
    const pub = await pubOf(id);
    expect(pub, 'published').toBeDefined();
    const { record, ok } = await liveRecord(id);
    expect(ok, 'the new record verifies').toBe(true);
    expect(pub!.recordSeq, 'a new record revision').toBe(before.records + 1);
    const one = async (type: AuditEventType) => {
      const evs = await eventsOf(id, type);
      expect(evs, type).toHaveLength(1);
      expect(evs[0]!.actorUserId).toBe(actor.userId);
    };
    if (kind === 'publish') {
      expect(st.state).toBe('published');
      expect(pub).toMatchObject({ publishedBy: actor.userId, recordSeq: 1, displayDate: '2024-05-01' });
      expect(record).toMatchObject({ state: 'published', record_seq: 1 });
      await one('statement.published');
    } else if (kind === 'close') {
      expect(st.state).toBe('closed');
      expect(pub!.closedAt).not.toBeNull();
      expect(record.state).toBe('closed');
      await one('statement.closed');
    } else if (kind === 'withdraw') {
      expect(st.state).toBe('withdrawn');
      expect(pub!.withdrawReason).toBe('Superseded by a joint statement');
      expect(record).toMatchObject({ state: 'withdrawn', withdrawn: { reason: 'Superseded by a joint statement' } });
      await one('statement.withdrawn');
    } else if (kind === 'correction') {
      const cs = await db().select().from(statementCorrections).where(eq(statementCorrections.statementId, id));
      expect(cs.map((c) => c.createdBy)).toEqual([actor.userId]);
      expect(record.corrections.map((c) => c.body)).toEqual(['Ուղղում՝ ամսաթիվը մարտի 3-ն է։']);
      await one('statement.correction_added');
    } else {
      expect(pub!.joinUntil).not.toBeNull();
      expect(record.join_until).toBe(pub!.joinUntil!.toISOString());
      await one('statement.joining_changed');
    }
  };
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

const STAGE_PREFIXES: [string, Stage][] = [
  ['draft', 'draft'],
  ['reopened', 'reopened'],
  ['open, an initiating organization not bound', 'unbound'],
  ['open', 'open'],
  ['published', 'published'],
  ['closed', 'closed'],
  ['withdrawn', 'withdrawn'],
];
const stageIn = (state: string, kind: Kind): Stage => STAGE_PREFIXES.find(([p]) => state.startsWith(p))?.[1] ?? BASE[kind];

async function probeFor(entry: MatrixEntry, cell: Cell): Promise<Probe> {
  const kind = kindOf(entry);
  const call = CALLS[kind];
  const state = cell.state ?? '';
  const go = (actor: Actor | null, a: Args) => () => call(actor, a);
  const stage = stageIn(state, kind);
  const { id } = await fixture(stage);
  const a: Args = { statementId: id };
  const recordsNow = async (sid: string) => (await pubOf(sid))?.recordSeq ?? 0;
  /** The allowed twin: A's admin on this fixture, or — when this one is in a wrong state — on a fresh one in the right state. */
  const allowed = async (fid?: string) => {
    const target = fid ?? (stage === BASE[kind] ? id : (await fixture(BASE[kind])).id);
    const before = { records: await recordsNow(target) };
    return { twin: go(A.admin, { statementId: target }), twinEffect: effectOf(kind, target, A.admin, before) };
  };

  if (cell.expect.outcome === 'allow') {
    const actor = state.includes('co-initiating') ? C.admin : state.includes('owner of the initiating') ? A.owner : A.admin;
    const before = { records: await recordsNow(id) };
    return { call: go(actor, a), effect: effectOf(kind, id, actor, before) };
  }
  if (cell.role === 'ANON') return { call: go(null, a), same: go(null, { statementId: crypto.randomUUID() }), ...(await allowed()) };
  if (cell.role === 'OTHER') return { call: go(B.owner, a), same: go(B.owner, { statementId: crypto.randomUUID() }), ...(await allowed()) };
  if (cell.role === 'INV-P') return { call: go(Q.owner, a), ...(await allowed()) };
  if (cell.role === 'INV-M') {
    const actor = state.includes('owner of a participant') ? P.owner : state.includes('admin of a participant') ? P.admin : P.member;
    return { call: go(actor, a), ...(await allowed()) };
  }
  if (cell.role === 'INIT-M') return { call: go(A.member, a), ...(await allowed()) };
  // INIT-A: wrong states, wrong input, other statements.
  if (state.startsWith("another organization's statement")) {
    const other = await fixture(BASE[kind], B);
    return { call: go(A.admin, { statementId: other.id }), same: go(B.owner, a), ...(await allowed()) };
  }
  if (state.startsWith('a statement id that does not exist'))
    return { call: go(A.admin, { statementId: crypto.randomUUID() }), same: go(B.owner, a), ...(await allowed()) };
  if (state.includes('a slug another statement already has')) {
    const other = await fixture('published', B);
    return { call: go(A.admin, { ...a, slug: other.slug! }), ...(await allowed()) };
  }
  if (state.includes('an impossible display date')) return { call: go(A.admin, { ...a, displayDate: '2021-02-30' }), ...(await allowed()) };
  if (state.includes('no reason')) return { call: go(A.admin, { ...a, reason: '   ' }), ...(await allowed()) };
  if (state.includes('an instant in the past')) return { call: go(A.admin, { ...a, joinUntil: new Date(Date.now() - 60_000) }), ...(await allowed()) };
  if (cell.expect.outcome === 'deny' && cell.expect.code === 'INVALID_STATE') return { call: go(A.admin, a), ...(await allowed()) };
  throw new Error(`lib/publishing-access.test.ts has no scenario for ${entry.id} × ${cell.role} | ${state}`);
}

// ---- bookkeeping: "Access matrix (publishing): N cases, 0 wrong" ----

const tally = matrixTally('publishing', 'access-publishing');

async function assertCell(entry: MatrixEntry, cell: Cell, p: Probe) {
  const before = await digestDomain();
  const got = await p.call();
  if (cell.expect.outcome === 'allow') {
    expect(got, 'allowed').toMatchObject({ ok: true });
    expect(await digestDomain(), 'the allowed call changed the database').not.toBe(before);
    await p.effect!();
    return;
  }
  if (cell.expect.outcome !== 'deny') throw new Error(`outcome ${cell.expect.outcome} has no meaning for publishing`);
  expect(got, 'refused').toMatchObject({ ok: false, code: cell.expect.code });
  if (cell.expect.code === 'NOT_FOUND') expect((got as { message: string }).message).toBe('errors.notFound');
  expect(await digestDomain(), 'nothing changed after the denial').toBe(before);
  if (p.same) {
    expect(withoutValue(await p.same()), 'the same answer whether or not it exists (I2)').toEqual(withoutValue(got));
    expect(await digestDomain()).toBe(before);
  }
  expect(p.twin, 'a denial needs an allowed twin').toBeDefined();
  expect(await p.twin!(), 'allowed twin').toMatchObject({ ok: true });
  expect(await digestDomain(), 'the allowed twin changed the database').not.toBe(before);
  await p.twinEffect!();
}

// ---- the cells, from the matrix ----

const ENTRIES = ACCESS_MATRIX.filter((e) => e.provedBy?.includes('lib/publishing-access.test.ts'));

describe('publishing matrix (SECURITY.md), every cell of lib/access-matrix.ts', () => {
  it('covers every publishing action of the matrix, each with every statement role', () => {
    expect(ENTRIES.map((e) => e.id).sort()).toEqual(
      [
        'app/_actions/publishing.ts#addCorrectionAction',
        'app/_actions/publishing.ts#closeStatementAction',
        'app/_actions/publishing.ts#publishStatementAction',
        'app/_actions/publishing.ts#setJoiningAction',
        'app/_actions/publishing.ts#withdrawStatementAction',
      ].sort(),
    );
    for (const e of ENTRIES) {
      expect(e.lib).toEqual({ fn: expect.stringMatching(/^lib\/publishing\.ts#/) });
      // Only initiator owners and admins are ever allowed.
      expect(e.cells.filter((c) => c.expect.outcome === 'allow').every((c) => c.role === 'INIT-A')).toBe(true);
      expect(new Set(e.cells.map((c) => c.role))).toEqual(new Set(['ANON', 'OTHER', 'INV-P', 'INV-M', 'INIT-M', 'INIT-A']));
    }
  });

  for (const entry of ENTRIES) {
    describe(entry.id, () => {
      for (const cell of entry.cells) {
        it(`lib: ${cell.role}${cell.state ? ` | ${cell.state}` : ''} → ${cell.expect.outcome === 'deny' ? cell.expect.code : cell.expect.outcome}`, () =>
          tally(async () => assertCell(entry, cell, await probeFor(entry, cell))));
      }
    });
  }
});

// ---- the server actions themselves: strict schema, origin check, session, then the same lib function ----

describe('the publishing server actions, as the initiator admin sends them', () => {
  type Def = { name: keyof typeof actions; kind: Kind; stage: Stage; fields: (id: string) => Record<string, string> };
  const DEFS: Def[] = [
    {
      name: 'publishStatementAction',
      kind: 'publish',
      stage: 'open',
      fields: (id) => ({ statementId: id, slug: `action-${rnd()}`, displayDate: '2024-05-01', listOrder: 'joined', joinUntil: '' }),
    },
    { name: 'closeStatementAction', kind: 'close', stage: 'published', fields: (id) => ({ statementId: id }) },
    { name: 'withdrawStatementAction', kind: 'withdraw', stage: 'published', fields: (id) => ({ statementId: id, reason: 'Superseded by a joint statement' }) },
    { name: 'addCorrectionAction', kind: 'correction', stage: 'published', fields: (id) => ({ statementId: id, lang: 'hy', body: 'Ուղղում՝ ամսաթիվը մարտի 3-ն է։' }) },
    {
      name: 'setJoiningAction',
      kind: 'joining',
      stage: 'published',
      fields: (id) => ({ statementId: id, joinUntil: new Date(Date.now() + 7 * DAY).toISOString() }),
    },
  ];
  for (const def of DEFS) {
    it(`${def.name}: cross-origin, signed out, or with an extra field → refused and nothing changed; the same form from our origin takes effect`, () =>
      tally(async () => {
        const { id } = await fixture(def.stage);
        const fields = def.fields(id);
        const run = (f: FormData | Record<string, string>) => actionOutcome(() => (actions[def.name] as (...args: unknown[]) => Promise<unknown>)(null, f));
        const before = await digestDomain();
        h.actor = A.admin;
        h.origin = 'https://evil.example';
        expect(await run(form(fields))).toMatchObject({ ok: false, code: 'FORBIDDEN' });
        h.origin = 'http://localhost:3000';
        h.actor = null;
        expect(await run(form(fields))).toMatchObject({ ok: false, code: 'UNAUTHENTICATED' });
        h.actor = A.admin;
        for (const [k, v] of [
          ['status', 'published'],
          ['role', 'owner'],
          ['publishedBy', B.owner.userId],
        ] as const)
          expect(await run(form({ ...fields, [k]: v }))).toMatchObject({ ok: false, code: 'INVALID_INPUT' });
        expect(await digestDomain()).toBe(before);
        const records = (await pubOf(id))?.recordSeq ?? 0;
        expect(await run(form(fields))).toMatchObject({ ok: true });
        await effectOf(def.kind, id, A.admin, { records })();
      }));
  }

  it('publishStatementAction: the joining window as the form sends it (an ISO instant) is kept; an unparseable one is refused', () =>
    tally(async () => {
      const { id } = await fixture('open');
      h.actor = A.admin;
      const until = new Date(Date.now() + 3 * DAY);
      const fields = { statementId: id, slug: `window-${rnd()}`, displayDate: '2024-05-01', listOrder: 'alphabetical', joinUntil: until.toISOString() };
      const before = await digestDomain();
      expect(await actionOutcome(() => actions.publishStatementAction(null, form({ ...fields, joinUntil: 'next tuesday' })))).toMatchObject({
        ok: false,
        code: 'INVALID_INPUT',
      });
      expect(await digestDomain()).toBe(before);
      expect(await actionOutcome(() => actions.publishStatementAction({ ...fields }))).toMatchObject({ ok: true });
      expect(await pubOf(id)).toMatchObject({ joinUntil: until, listOrder: 'alphabetical', slug: fields.slug });
    }));
});

describe('invariants after this file', () => {
  it('the invariant checker finds nothing in what every call above wrote', async () => {
    expect((await checkInvariants(db())).filter((x) => x.count > 0)).toEqual([]);
  });
});
