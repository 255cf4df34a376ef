// The access matrix, cell by cell (SECURITY.md "Tests that prove it"). Two layers, both driven by
// lib/access-matrix.ts:
//  - lib: the domain function of each entry called directly with a Ctx per role;
//  - action: the exported server action itself, with Next's request adapters (headers, cookies, redirect,
//    revalidation) and Auth.js's session reader replaced by test doubles, so its strict zod schema, origin
//    check and actor check run for real against the real database.
// Every denial asserts its error code and an unchanged digestDomain(), and is paired with an allowed twin
// that succeeds and does change the database. Cells of entries with no domain function of ours (Auth.js)
// are proved over HTTP (e2e/csrf.spec.ts, e2e/tokens.spec.ts) and counted here as such.
import crypto from 'node:crypto';
import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { getDb, getSql } from '@/db';
import { auditEvents, memberships, notificationOptOuts, outbox, sessions, users } from '@/db/schema';
import { ACCESS_MATRIX, splitId, type Cell, type EntryId, type Expect } from './access-matrix';
import type { Actor } from './context';
import { isAppError } from './errors';
import { signUnsubscribe } from './outbox';
import { createUser, ctxFor, digestDomain } from './testing/db';
import { recordFigure } from './testing/figures';
import { createOrganization } from './orgs';
import { setInterfaceLocale, signOutEverywhere, unsubscribe } from './users';

// ---- test doubles for the Next.js / Auth.js adapters (never for our database) ----

const h = vi.hoisted(() => ({
  headers: new Headers(),
  actor: null as { userId: string; email: string } | null,
  signIn: [] as unknown[][],
  signOut: [] as unknown[][],
}));

class Redirect extends Error {
  constructor(public url: string) {
    super(`redirect ${url}`);
  }
}

vi.mock('next/headers', () => ({
  headers: async () => h.headers,
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
  signIn: async (...args: unknown[]) => {
    h.signIn.push(args);
  },
  signOut: async (...args: unknown[]) => {
    h.signOut.push(args);
  },
}));

// Imported after the mocks are registered (vi.mock is hoisted above imports).
const { setLocaleAction } = await import('@/app/_actions/account');
const { requestSignInAction, signOutAction, signOutEverywhereAction } = await import('@/app/_actions/auth');
const { createOrganizationAction, findSimilarOrganizationsAction } = await import('@/app/_actions/orgs');

const APP = 'http://localhost:3000'; // APP_URL in vitest.config.ts
// Many sign-in requests from one address in one file: raise the limits (one test elsewhere proves the defaults block).
process.env.RATE_LIMIT_SIGNIN_PER_IP = '100000';
process.env.RATE_LIMIT_SIGNIN_PER_EMAIL = '100000';
const sameOrigin = () =>
  new Headers({
    host: 'localhost:3000',
    origin: APP,
    'sec-fetch-site': 'same-origin',
    'x-client-ip': '127.0.0.1',
  });

beforeEach(() => {
  h.headers = sameOrigin();
  h.actor = null;
  h.signIn = [];
  h.signOut = [];
});

// ---- bookkeeping: "Access matrix: N cases, 0 wrong" ----

let cases = 0;
let wrong = 0;
let viaHttp = 0;
async function tally(fn: () => Promise<void>) {
  cases++;
  try {
    await fn();
  } catch (e) {
    wrong++;
    throw e;
  }
}

afterAll(() => {
  const line = `Access matrix: ${cases} cases, ${wrong} wrong`;
  console.log(
    `${line} (and ${delegated} cells proved in the files named by their entries' provedBy, ${viaHttp} over HTTP in e2e/)`,
  );
  if (wrong === 0 && cases > 0) recordFigure('access-foundation', line);
});

// ---- helpers ----

type Outcome = { ok: true; redirect?: string } | { ok: false; code: string; message: string };

/** Run a domain function or a server action and normalize what happened. */
async function outcomeOf(call: () => Promise<unknown>): Promise<Outcome> {
  try {
    const r = await call();
    if (r && typeof r === 'object' && 'ok' in r && (r as { ok: unknown }).ok === false) {
      const f = r as unknown as { code: string; message: string };
      return { ok: false, code: f.code, message: f.message };
    }
    return { ok: true };
  } catch (e) {
    if (e instanceof Redirect) return { ok: true, redirect: e.url };
    if (isAppError(e)) return { ok: false, code: e.code, message: e.message };
    throw e;
  }
}

async function seedSession(userId: string): Promise<string> {
  const token = crypto.randomBytes(32).toString('hex');
  await getDb()
    .insert(sessions)
    .values({ sessionToken: token, userId, expires: new Date(Date.now() + 86_400_000) });
  return token;
}

/** Everything in the database about one account: its row, sessions, audit chain, mail and opt-outs. */
async function accountDigest(a: Actor): Promise<string> {
  const s = getSql();
  const parts = await Promise.all([
    s`SELECT u::text AS r FROM users u WHERE id = ${a.userId}`,
    s`SELECT x::text AS r FROM sessions x WHERE user_id = ${a.userId} ORDER BY session_token`,
    s`SELECT x::text AS r FROM audit_events x WHERE chain_id = ${a.userId} ORDER BY seq`,
    s`SELECT x::text AS r FROM audit_chain_heads x WHERE chain_id = ${a.userId}`,
    s`SELECT x::text AS r FROM outbox x WHERE to_email = ${a.email} ORDER BY id`,
    s`SELECT x::text AS r FROM notification_opt_outs x WHERE email = ${a.email} ORDER BY scope`,
  ]);
  return crypto
    .createHash('sha256')
    .update(JSON.stringify(parts.map((p) => p.map((r) => r.r))))
    .digest('hex');
}

const countSessions = async (userId: string) =>
  (
    await getDb()
      .select({ n: sql<number>`count(*)::int` })
      .from(sessions)
      .where(eq(sessions.userId, userId))
  )[0]!.n;
const localeOf = async (userId: string) =>
  (await getDb().select({ l: users.locale }).from(users).where(eq(users.id, userId)))[0]!.l;
const form = (fields: Record<string, string>) => {
  const f = new FormData();
  for (const [k, v] of Object.entries(fields)) f.append(k, v);
  return f;
};
/** A link whose payload is replaced but whose MAC is kept (someone editing their own link). */
function swapAddress(link: string, email: string): string {
  const [payload, mac] = link.split('.');
  const body = JSON.parse(Buffer.from(payload!, 'base64url').toString('utf8')) as { e: string; s: string };
  return `${Buffer.from(JSON.stringify({ ...body, e: email })).toString('base64url')}.${mac}`;
}

// ---- a probe per cell: how to perform it, its twin, and what "changed" means ----

type Probe = {
  /** Perform the cell's call as its role. */
  call: () => Promise<unknown>;
  /** Denials: the allowed twin (same call, by someone allowed / with a valid capability). */
  twin?: () => Promise<unknown>;
  /** When the effect is outside the database (a test double was called), say whether it happened. */
  effect?: () => boolean | Promise<boolean>;
  /** own-only: the account that must stay untouched. */
  victim?: Actor;
};
type Scenario = (cell: Cell) => Promise<Probe>;
const key = (c: Cell) => `${c.role}${c.state ? ` | ${c.state}` : ''}`;

async function assertCell(expect_: Expect, p: Probe) {
  if (expect_.outcome === 'deny') {
    const before = await digestDomain();
    const got = await outcomeOf(p.call);
    expect(got, 'refused').toMatchObject({ ok: false, code: expect_.code });
    expect(await digestDomain(), 'nothing changed after the denial').toBe(before);
    if (p.effect) expect(await p.effect(), 'no effect after the denial').toBe(false);
    expect(p.twin, 'a denial needs an allowed twin').toBeDefined();
    const twin = await outcomeOf(p.twin!);
    expect(twin, 'allowed twin').toMatchObject({ ok: true });
    if (p.effect) expect(await p.effect(), 'the allowed twin had its effect').toBe(true);
    else expect(await digestDomain(), 'the allowed twin changed the database').not.toBe(before);
    return;
  }
  if (expect_.outcome === 'allow') {
    const before = await digestDomain();
    const got = await outcomeOf(p.call);
    expect(got, 'allowed').toMatchObject({ ok: true });
    if (p.effect) expect(await p.effect(), 'the allowed call had its effect').toBe(true);
    else expect(await digestDomain(), 'the allowed call changed the database').not.toBe(before);
    return;
  }
  if (expect_.outcome === 'own-only') {
    expect(p.victim, 'own-only needs a victim account').toBeDefined();
    const victimBefore = await accountDigest(p.victim!);
    const before = await digestDomain();
    const got = await outcomeOf(p.call);
    expect(got, 'allowed on one’s own account').toMatchObject({ ok: true });
    if (p.effect) expect(await p.effect(), 'it had its effect on the caller').toBe(true);
    else expect(await digestDomain(), 'it changed the caller’s account').not.toBe(before);
    expect(await accountDigest(p.victim!), 'the other account is untouched').toBe(victimBefore);
    return;
  }
  throw new Error(`outcome ${expect_.outcome} is proved over HTTP, not here`);
}

// ---- lib layer: the domain functions with a Ctx per role ----

const libScenarios: Partial<Record<EntryId, Record<string, Scenario>>> = {
  'app/_actions/account.ts#setLocaleAction': {
    ANON: async () => {
      const u = await createUser();
      return {
        call: () => setInterfaceLocale(ctxFor(null), { locale: 'hy' }),
        twin: () => setInterfaceLocale(ctxFor(u), { locale: 'hy' }),
      };
    },
    USER: async () => {
      const u = await createUser();
      return {
        call: () => setInterfaceLocale(ctxFor(u), { locale: 'ru' }),
        effect: async () => (await localeOf(u.userId)) === 'ru',
      };
    },
    OTHER: async () => {
      const victim = await createUser();
      const other = await createUser();
      return { call: () => setInterfaceLocale(ctxFor(other), { locale: 'hy' }), victim };
    },
  },
  'app/_actions/auth.ts#signOutEverywhereAction': {
    ANON: async () => {
      const u = await createUser();
      await seedSession(u.userId);
      return { call: () => signOutEverywhere(ctxFor(null)), twin: () => signOutEverywhere(ctxFor(u)) };
    },
    USER: async () => {
      const u = await createUser();
      await seedSession(u.userId);
      await seedSession(u.userId);
      return {
        call: () => signOutEverywhere(ctxFor(u)),
        effect: async () => (await countSessions(u.userId)) === 0,
      };
    },
    OTHER: async () => {
      const victim = await createUser();
      await seedSession(victim.userId);
      const other = await createUser();
      await seedSession(other.userId);
      return { call: () => signOutEverywhere(ctxFor(other)), victim };
    },
  },
  'app/_actions/orgs.ts#createOrganizationAction': {
    ANON: async () => {
      const u = await createUser();
      const name = `Civic Group ${crypto.randomBytes(4).toString('hex')}`;
      return {
        call: () => createOrganization(ctxFor(null), { name, confirmDistinct: true }),
        twin: () => createOrganization(ctxFor(u), { name, confirmDistinct: true }),
      };
    },
    USER: async () => {
      const u = await createUser();
      return {
        call: () =>
          createOrganization(ctxFor(u), {
            name: `Civic Group ${crypto.randomBytes(4).toString('hex')}`,
            confirmDistinct: true,
          }),
        effect: async () =>
          (
            await getDb()
              .select()
              .from(memberships)
              .where(and(eq(memberships.userId, u.userId), eq(memberships.role, 'owner')))
          ).length === 1,
      };
    },
    OTHER: async () => {
      const victim = await createUser();
      const other = await createUser();
      return {
        call: () =>
          createOrganization(ctxFor(other), {
            name: `Civic Group ${crypto.randomBytes(4).toString('hex')}`,
            confirmDistinct: true,
          }),
        victim,
      };
    },
  },
  'app/api/unsubscribe/route.ts#POST': {
    'ANON | valid link': async () => {
      const email = `nobody-${crypto.randomUUID()}@example.org`;
      return {
        call: () =>
          unsubscribe(ctxFor(null), { u: signUnsubscribe(email, `statement:${crypto.randomUUID()}`) }),
      };
    },
    'USER | own valid link': async () => {
      const u = await createUser();
      return {
        call: () =>
          unsubscribe(ctxFor(u), { u: signUnsubscribe(u.email, 'statement:' + crypto.randomUUID()) }),
      };
    },
    'ANON | forged MAC': async () => {
      const u = await createUser();
      const good = signUnsubscribe(u.email, 'statement:' + crypto.randomUUID());
      const forged = `${good.split('.')[0]}.${crypto.randomBytes(32).toString('base64url')}`;
      return {
        call: () => unsubscribe(ctxFor(null), { u: forged }),
        twin: () => unsubscribe(ctxFor(null), { u: good }),
      };
    },
    "OTHER | another's address swapped into one's own link": async () => {
      const victim = await createUser();
      const other = await createUser();
      const own = signUnsubscribe(other.email, 'statement:' + crypto.randomUUID());
      return {
        call: () => unsubscribe(ctxFor(other), { u: swapAddress(own, victim.email) }),
        twin: () => unsubscribe(ctxFor(other), { u: own }),
      };
    },
    'OTHER | a non-existent address swapped in (same answer, I2)': async () => {
      const other = await createUser();
      const own = signUnsubscribe(other.email, 'statement:' + crypto.randomUUID());
      return {
        call: () =>
          unsubscribe(ctxFor(other), { u: swapAddress(own, `ghost-${crypto.randomUUID()}@example.org`) }),
        twin: () => unsubscribe(ctxFor(other), { u: own }),
      };
    },
  },
};

// ---- action layer: the exported server actions, through action() ----

/** Act as `actor` for the next action call (what Auth.js's auth() would report). */
const as = (actor: Actor | null) => {
  h.actor = actor;
};

const actionScenarios: Partial<Record<EntryId, Record<string, Scenario>>> = {
  'app/_actions/orgs.ts#createOrganizationAction': {
    ANON: async () => {
      const u = await createUser();
      const fields = {
        name: `Civic Group ${crypto.randomBytes(4).toString('hex')}`,
        city: 'Gyumri',
        confirmDistinct: 'on',
      };
      return {
        call: async () => (as(null), createOrganizationAction(null, form(fields))),
        twin: async () => (as(u), createOrganizationAction(null, form(fields))),
      };
    },
    USER: async () => {
      const u = await createUser();
      return {
        call: async () => (
          as(u),
          createOrganizationAction(
            null,
            form({ name: `Civic Group ${crypto.randomBytes(4).toString('hex')}`, confirmDistinct: 'on' }),
          )
        ),
        effect: async () =>
          (
            await getDb()
              .select()
              .from(memberships)
              .where(and(eq(memberships.userId, u.userId), eq(memberships.role, 'owner')))
          ).length === 1,
      };
    },
    OTHER: async () => {
      const victim = await createUser();
      const other = await createUser();
      return {
        call: async () => (
          as(other),
          createOrganizationAction(
            null,
            form({ name: `Civic Group ${crypto.randomBytes(4).toString('hex')}`, confirmDistinct: 'on' }),
          )
        ),
        victim,
      };
    },
  },
  'app/_actions/orgs.ts#findSimilarOrganizationsAction': {
    ANON: async () => {
      const u = await createUser();
      // A read: the twin's effect is an answer, not a change.
      let answered = false;
      return {
        call: async () => (as(null), findSimilarOrganizationsAction(null, form({ name: 'Civic Group' }))),
        twin: async () => {
          as(u);
          const r = (await findSimilarOrganizationsAction(null, form({ name: 'Civic Group' }))) as {
            ok: boolean;
          };
          answered = r.ok;
          return r;
        },
        effect: () => answered,
      };
    },
    USER: async () => {
      const u = await createUser();
      const name = `Helsinki Citizens Assembly ${crypto.randomBytes(3).toString('hex')}`;
      await createOrganization(ctxFor(u), { name, confirmDistinct: true });
      let found: unknown = null;
      return {
        call: async () => {
          as(u);
          const r = (await findSimilarOrganizationsAction(null, form({ name: name.toUpperCase() }))) as {
            ok: boolean;
            data?: { name: string }[];
          };
          found = r.data?.map((o) => o.name);
          return r;
        },
        effect: () => Array.isArray(found) && (found as string[]).includes(name),
      };
    },
    OTHER: async () => {
      const victim = await createUser();
      const other = await createUser();
      return {
        call: async () => (as(other), findSimilarOrganizationsAction(null, form({ name: 'Civic Group' }))),
        effect: () => true,
        victim,
      };
    },
  },
  'app/_actions/account.ts#setLocaleAction': {
    ANON: async () => {
      const u = await createUser();
      return {
        call: async () => (as(null), setLocaleAction(null, form({ locale: 'hy' }))),
        twin: async () => (as(u), setLocaleAction(null, form({ locale: 'hy' }))),
      };
    },
    USER: async () => {
      const u = await createUser();
      // The header's language switcher calls it directly with an object.
      return {
        call: async () => (as(u), setLocaleAction({ locale: 'ru' })),
        effect: async () => (await localeOf(u.userId)) === 'ru',
      };
    },
    OTHER: async () => {
      const victim = await createUser();
      const other = await createUser();
      return { call: async () => (as(other), setLocaleAction(null, form({ locale: 'hy' }))), victim };
    },
  },
  'app/_actions/auth.ts#requestSignInAction': {
    ANON: async () => {
      const email = `new-${crypto.randomUUID()}@Example.org`;
      return {
        call: async () => (as(null), requestSignInAction(null, form({ email }))),
        effect: () =>
          h.signIn.length === 1 && (h.signIn[0]![1] as { email: string }).email === email.toLowerCase(),
      };
    },
    USER: async () => {
      const u = await createUser();
      return {
        call: async () => (
          as(u),
          requestSignInAction(null, form({ email: u.email, next: '//evil.example/x' }))
        ),
        // An off-site `next` falls back to the dashboard.
        effect: () =>
          h.signIn.length === 1 && (h.signIn[0]![1] as { redirectTo: string }).redirectTo === '/dashboard',
      };
    },
    OTHER: async () => {
      const victim = await createUser();
      const other = await createUser();
      // Asking for a link to someone else's address only mails that address; nothing of theirs changes.
      return {
        call: async () => (as(other), requestSignInAction(null, form({ email: victim.email }))),
        effect: () => h.signIn.length === 1,
        victim,
      };
    },
  },
  'app/_actions/auth.ts#signOutAction': {
    ANON: async () => {
      const u = await createUser();
      return {
        call: async () => (as(null), signOutAction(null, form({}))),
        twin: async () => (as(u), signOutAction(null, form({}))),
        effect: () => h.signOut.length === 1,
      };
    },
    USER: async () => {
      const u = await createUser();
      return {
        call: async () => (as(u), signOutAction(null, form({}))),
        effect: () => h.signOut.length === 1,
      };
    },
    OTHER: async () => {
      const victim = await createUser();
      await seedSession(victim.userId);
      const other = await createUser();
      // Auth.js ends the session named by the caller's own cookie; the action takes no session or user id.
      return {
        call: async () => (as(other), signOutAction(null, form({}))),
        effect: () => h.signOut.length === 1,
        victim,
      };
    },
  },
  'app/_actions/auth.ts#signOutEverywhereAction': {
    ANON: async () => {
      const u = await createUser();
      await seedSession(u.userId);
      return {
        call: async () => (as(null), signOutEverywhereAction(null, form({}))),
        twin: async () => (as(u), signOutEverywhereAction(null, form({}))),
      };
    },
    USER: async () => {
      const u = await createUser();
      await seedSession(u.userId);
      return {
        call: async () => (as(u), signOutEverywhereAction(null, form({}))),
        effect: async () => (await countSessions(u.userId)) === 0,
      };
    },
    OTHER: async () => {
      const victim = await createUser();
      await seedSession(victim.userId);
      const other = await createUser();
      await seedSession(other.userId);
      return { call: async () => (as(other), signOutEverywhereAction(null, form({}))), victim };
    },
  },
};

// ---- the cells, from the matrix ----

let delegated = 0;
describe('access matrix: every cell', () => {
  for (const entry of ACCESS_MATRIX) {
    for (const cell of entry.cells) {
      const k = key(cell);
      const runnable =
        cell.expect.outcome === 'allow' ||
        cell.expect.outcome === 'deny' ||
        cell.expect.outcome === 'own-only';
      // Cells another test file proves against the same lib function (the registry test checks it calls it).
      if (entry.provedBy) {
        delegated++;
        continue;
      }
      if ('fn' in entry.lib && runnable) {
        it(`lib ${entry.lib.fn} — ${entry.id} × ${k} → ${cell.expect.outcome}`, async () => {
          const s = libScenarios[entry.id]?.[k];
          expect(s, `lib/access.test.ts has no lib scenario for ${entry.id} × ${k}`).toBeDefined();
          await tally(async () => assertCell(cell.expect, await s!(cell)));
        });
      }
      if (entry.kind === 'action') {
        it(`action ${entry.id} × ${k} → ${cell.expect.outcome}`, async () => {
          const s = actionScenarios[entry.id]?.[k];
          expect(s, `lib/access.test.ts has no action scenario for ${entry.id} × ${k}`).toBeDefined();
          await tally(async () => assertCell(cell.expect, await s!(cell)));
        });
      }
      if (entry.kind === 'route' && !('fn' in entry.lib && runnable)) viaHttp++;
    }
  }
});

// ---- the wiring every action shares: signed out, strict schemas, origin check ----

// Every exported action, found the way the registry finds them (a new app/_actions file is picked up here).
const actionModules = import.meta.glob<Record<string, (...args: unknown[]) => Promise<unknown>>>(
  '../app/_actions/*.ts',
);
async function actionFn(entryId: string) {
  const { file, name } = splitId(entryId);
  const load = actionModules[`../${file}`];
  if (!load) throw new Error(`${file} not found by import.meta.glob`);
  const fn = (await load())[name];
  if (typeof fn !== 'function') throw new Error(`${entryId} is not an exported function`);
  return fn;
}

/** Where the allowed twin has an observable effect beyond "past the check": what it is. */
const EFFECTS: Record<string, (u: Actor) => Promise<boolean>> = {
  'app/_actions/account.ts#setLocaleAction': async (u) => (await localeOf(u.userId)) === 'hy',
  'app/_actions/auth.ts#requestSignInAction': async () => h.signIn.length === 1,
  'app/_actions/auth.ts#signOutAction': async () => h.signOut.length === 1,
  'app/_actions/auth.ts#signOutEverywhereAction': async (u) => (await countSessions(u.userId)) === 0,
  'app/_actions/orgs.ts#createOrganizationAction': async (u) =>
    (await getDb().select().from(memberships).where(eq(memberships.userId, u.userId))).length === 1,
};

// Extra fields a client might add to claim a state, a role, an owner or another account.
const EXTRA_FIELDS = ['status', 'role', 'userId', 'ownerId', 'initiatorOrgId'];

describe('every server action: signed out, strict input and the origin check', () => {
  for (const entry of ACCESS_MATRIX.filter((e) => e.kind === 'action')) {
    const sample = entry.sample;
    if (!sample) throw new Error(`${entry.id}: no sample payload in lib/access-matrix.ts`);
    const { name } = splitId(entry.id);
    const effect = EFFECTS[entry.id];
    const call = async (
      fields: Record<string, string> | FormData | Record<string, unknown>,
      mode: 'form' | 'object',
    ) => {
      const fn = await actionFn(entry.id);
      return fn(
        null,
        mode === 'form'
          ? fields instanceof FormData
            ? fields
            : form(fields as Record<string, string>)
          : fields,
      );
    };
    const signedIn = async () => {
      const u = await createUser();
      await seedSession(u.userId);
      as(u);
      return u;
    };
    /** The twin: the same call without the offending part gets past the check (and, where known, takes effect). */
    const twin = async (u: Actor, refusedCode: string) => {
      const got = await outcomeOf(() => call(sample(), 'form'));
      if (effect) {
        expect(got, 'allowed twin').toMatchObject({ ok: true });
        expect(await effect(u), 'the allowed twin took effect').toBe(true);
      } else expect(got.ok ? 'ok' : got.code, 'the twin gets past this check').not.toBe(refusedCode);
    };

    if (!entry.public) {
      it(`${name}: signed out → UNAUTHENTICATED, nothing changed`, async () => {
        await tally(async () => {
          as(null);
          const before = await digestDomain();
          expect(await outcomeOf(() => call(sample(), 'form'))).toMatchObject({
            ok: false,
            code: 'UNAUTHENTICATED',
          });
          expect(await digestDomain()).toBe(before);
          const u = await signedIn();
          await twin(u, 'UNAUTHENTICATED');
        });
      });
    }

    for (const field of EXTRA_FIELDS.filter((f) => !(f in sample()))) {
      for (const mode of ['form', 'object'] as const) {
        it(`${name}: extra field \`${field}\` (${mode}) → INVALID_INPUT, nothing changed`, async () => {
          await tally(async () => {
            const u = await signedIn();
            const before = await digestDomain();
            const payload = JSON.parse(
              JSON.stringify({
                ...sample(),
                [field]: field === 'status' ? 'published' : field === 'role' ? 'owner' : crypto.randomUUID(),
              }),
            ) as Record<string, string>;
            expect(await outcomeOf(() => call(payload, mode))).toMatchObject({
              ok: false,
              code: 'INVALID_INPUT',
            });
            expect(await digestDomain()).toBe(before);
            if (effect) expect(await effect(u)).toBe(false);
            await twin(u, 'INVALID_INPUT');
          });
        });
      }
    }

    it(`${name}: \`__proto__\` as a form field and as an own JSON key → INVALID_INPUT, nothing changed`, async () => {
      await tally(async () => {
        const u = await signedIn();
        const before = await digestDomain();
        const f = form(sample());
        f.append('__proto__', 'x');
        expect(await outcomeOf(() => call(f, 'form'))).toMatchObject({ ok: false, code: 'INVALID_INPUT' });
        const o = {
          ...(JSON.parse('{"__proto__":{"role":"owner"}}') as Record<string, unknown>),
          ...sample(),
        };
        expect(Object.keys(o)).toContain('__proto__');
        expect(await outcomeOf(() => call(o, 'object'))).toMatchObject({ ok: false, code: 'INVALID_INPUT' });
        expect(await digestDomain()).toBe(before);
        if (effect) expect(await effect(u)).toBe(false);
        await twin(u, 'INVALID_INPUT');
      });
    });

    const variants: [string, () => Headers][] = [
      [
        'a foreign Origin',
        () =>
          new Headers({ host: 'localhost:3000', origin: 'https://evil.example', 'x-client-ip': '127.0.0.1' }),
      ],
      ['no Origin', () => new Headers({ host: 'localhost:3000', 'x-client-ip': '127.0.0.1' })],
      [
        'Origin: null',
        () => new Headers({ host: 'localhost:3000', origin: 'null', 'x-client-ip': '127.0.0.1' }),
      ],
      [
        'Sec-Fetch-Site: cross-site',
        () =>
          new Headers({
            host: 'localhost:3000',
            origin: APP,
            'sec-fetch-site': 'cross-site',
            'x-client-ip': '127.0.0.1',
          }),
      ],
    ];
    for (const [label, hdrs] of variants) {
      it(`${name}: ${label} → FORBIDDEN, nothing changed; from our origin it passes`, async () => {
        await tally(async () => {
          const u = await signedIn();
          h.headers = hdrs();
          const before = await digestDomain();
          expect(await outcomeOf(() => call(sample(), 'form'))).toMatchObject({
            ok: false,
            code: 'FORBIDDEN',
          });
          expect(await digestDomain()).toBe(before);
          if (effect) expect(await effect(u)).toBe(false);
          h.headers = sameOrigin();
          await twin(u, 'FORBIDDEN');
        });
      });
    }
  }

  it('setLocaleAction: an unknown locale is refused and changes nothing', async () => {
    await tally(async () => {
      const u = await createUser();
      as(u);
      const before = await digestDomain();
      for (const locale of ['de', 'EN', 'hy\u0000', '<script>', '../en']) {
        expect(await outcomeOf(() => setLocaleAction(null, form({ locale })))).toMatchObject({
          ok: false,
          code: 'INVALID_INPUT',
        });
      }
      expect(await digestDomain()).toBe(before);
    });
  });

  it('requestSignInAction: malformed addresses are refused with a field error and no link is requested', async () => {
    await tally(async () => {
      for (const email of [
        '',
        'not-an-address',
        '"<img src=x onerror=alert(1)>"@example.org',
        'a\u0000@example.org',
        `${'a'.repeat(300)}@example.org`,
      ]) {
        const r = (await requestSignInAction(null, form({ email }))) as {
          ok: boolean;
          fieldErrors?: Record<string, string[]>;
        };
        expect(r.ok).toBe(false);
        expect(r.fieldErrors?.email?.length).toBeGreaterThan(0);
      }
      expect(h.signIn).toEqual([]);
    });
  });
});

// ---- what the allowed twins write: the change, its audit event and its outbox row, nothing about others ----

describe('allowed calls write their audit trail', () => {
  it('signOutEverywhere: sessions gone, one audit event, one notice queued', async () => {
    await tally(async () => {
      const u = await createUser();
      await seedSession(u.userId);
      await seedSession(u.userId);
      const r = await signOutEverywhere(ctxFor(u));
      expect(r).toEqual({ sessionsEnded: 2 });
      const ev = await getDb()
        .select()
        .from(auditEvents)
        .where(and(eq(auditEvents.chainId, u.userId), eq(auditEvents.type, 'user.signed_out_everywhere')));
      expect(ev).toHaveLength(1);
      expect(await getDb().select().from(outbox).where(eq(outbox.auditEventId, ev[0]!.id))).toHaveLength(1);
    });
  });

  it('unsubscribe: idempotent, one opt-out, one audit event', async () => {
    await tally(async () => {
      const u = await createUser();
      const link = signUnsubscribe(u.email, 'statement:' + crypto.randomUUID());
      expect(await unsubscribe(ctxFor(null), { u: link })).toMatchObject({ changed: true });
      const before = await digestDomain();
      expect(await unsubscribe(ctxFor(null), { u: link })).toMatchObject({ changed: false });
      expect(await digestDomain()).toBe(before);
      expect(
        await getDb().select().from(notificationOptOuts).where(eq(notificationOptOuts.email, u.email)),
      ).toHaveLength(1);
    });
  });
});
