// The invitation rows of SECURITY.md's matrix ("invite / revoke / resend", "invite a co-initiator", "see declines,
// reasons, pending invitations", "accept / decline invitation or co-initiation for org X"): every cell of
// lib/access-matrix.ts's invitation entries, run from the matrix itself (a cell without a scenario here fails), in
// two layers — the lib function with a Ctx per role, and the exported server action with only Next's request
// adapters (headers, a cookie jar for the shared-mailbox handoff, revalidation) and Auth.js's session reader
// replaced. Each denial asserts its code (and, for NOT_FOUND, the one message: I2 / I8), an unchanged
// digestDomain(), and is paired with an allowed twin that succeeds and does what it should.
//
// Roles: INIT-A / INIT-M (admin / plain member of the initiating organization A), INV-M (plain member of P, a
// participant that accepted through the real path), INV-P (owner of Q, invited and not accepted), OTHER (owner of
// the unrelated B); for links: INVITED (the address the link was mailed to), OTHER (anyone else signed in).
// Links are read from the messages the relay sends (a capturing transport), as an invitee reads them. Statement
// states other than draft are set in SQL (freezing arrives later); an expired link is aged in SQL and swept by
// expireInvitations (the action layer has no clock to move).
import crypto from 'node:crypto';
import { and, eq, sql } from 'drizzle-orm';
import { beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { getDb } from '@/db';
import {
  auditEvents,
  outbox,
  statementInitiators,
  statementInvitations,
  statementParticipants,
  tokens,
  type AuditEventType,
  type StatementState,
} from '@/db/schema';
import { ACCESS_MATRIX, type Cell, type EntryId } from './access-matrix';
import type { Actor } from './context';
import { isAppError } from './errors';
import { checkInvariants } from './invariants';
import {
  acceptInvitation,
  confirmSharedMailbox,
  declineInvitation,
  expireInvitations,
  inviteOrganizations,
  liveTokenCount,
  openInvitation,
  openInvitationByHandoff,
  previewInvitationPublic,
  remindInvitation,
  resendInvitation,
  revokeInvitation,
  searchOrganizationsToInvite,
} from './invitations';
import { changeMemberRole } from './members';
import { createOrganization } from './orgs';
import { createStatement } from './statements';
import { createUser, ctxFor, digestDomain } from './testing/db';
import { inviteOrg, mailCatcher, participate, tokenIn } from './testing/invitations';
import { seedOrg, uniqueOrgName, type SeededOrg } from './testing/orgs';
import { setState } from './testing/review';
import { zonedTimeToUtc } from './validation/invitations';
import { matrixTally, withoutValue } from './testing/tally';

// Every link action counts against the client's address; this file sends many from one.
process.env.RATE_LIMIT_TOKEN_PER_IP = '1000000';

// ---- test doubles for the Next.js / Auth.js adapters (never for our database) ----

const HANDOFF_COOKIE = 'us_invitation_handoff';
const h = vi.hoisted(() => ({
  actor: null as { userId: string; email: string } | null,
  cookies: new Map<string, string>(),
}));
vi.mock('next/headers', () => ({
  headers: async () =>
    new Headers({
      host: 'localhost:3000',
      origin: 'http://localhost:3000',
      'sec-fetch-site': 'same-origin',
      'x-client-ip': '127.0.0.1',
    }),
  cookies: async () => ({
    get: (name: string) => (h.cookies.has(name) ? { name, value: h.cookies.get(name)! } : undefined),
    getAll: () => [...h.cookies].map(([name, value]) => ({ name, value })),
    set: (name: string, value: string) => void h.cookies.set(name, value),
    delete: (name: string) => void h.cookies.delete(name),
  }),
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

const actions = await import('@/app/_actions/invitations');

beforeEach(() => {
  h.actor = null;
  h.cookies.clear();
});

const db = () => getDb();
const tag = () => crypto.randomBytes(4).toString('hex');
const catcher = mailCatcher();

// ---- outcomes, whatever the layer ----

type Layer = 'lib' | 'action';
type Outcome = { ok: true; value?: unknown } | { ok: false; code: string; message: string };
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
  const r = (await fn()) as { ok: boolean; code?: string; message?: string; data?: unknown };
  return r.ok ? { ok: true, value: r.data } : { ok: false, code: r.code!, message: r.message! };
}
const form = (fields: Input) => {
  const f = new FormData();
  for (const [k, v] of Object.entries(fields)) if (v !== undefined) f.append(k, String(v));
  return f;
};

// ---- the world ----

let A: SeededOrg; // initiator
let P: SeededOrg; // participant (when a fixture asks for one)
let Q: SeededOrg; // invited, not accepted (idem)
let B: SeededOrg; // unrelated, with statements of its own
let X: SeededOrg; // the organization invited in the link cells
let X2: { id: string }; // a second organization X's owner owns
let A2: { id: string }; // an organization A's admin owns besides A
let M: Actor; // a shared mailbox (info@…) invited by e-mail
let U: Actor; // a personal account continuing from M; owner of U_ORG
let U_ORG: { id: string };
beforeAll(async () => {
  [A, P, Q, B, X] = [await seedOrg(), await seedOrg(), await seedOrg(), await seedOrg(), await seedOrg()];
  X2 = await createOrganization(ctxFor(X.owner), { name: uniqueOrgName('Second Group'), confirmDistinct: true });
  A2 = await createOrganization(ctxFor(A.admin), { name: uniqueOrgName('Admin Own Group'), confirmDistinct: true });
  M = await createUser(`info-${tag()}@example.org`);
  U = await createUser(`personal-${tag()}@example.org`);
  U_ORG = await createOrganization(ctxFor(U), { name: uniqueOrgName('Personal Group'), confirmDistinct: true });
});

type Fixture = { id: string; title: string };

/** A statement of `org` in draft (with P participating and Q invited when asked); `state` is set by the caller. */
async function fixture(opts: { org?: SeededOrg; participants?: boolean } = {}): Promise<Fixture> {
  const org = opts.org ?? A;
  const title = `Open letter ${tag()}`;
  const { id } = await createStatement(ctxFor(org.owner), {
    orgId: org.org.id,
    title,
    primaryLang: 'en',
    summary: null,
    timeZone: 'Asia/Yerevan',
  });
  if (opts.participants) {
    await participate(id, P, { by: org.admin });
    await inviteOrg(id, Q, { by: org.admin });
  }
  return { id, title };
}

/** An e-mail invitation by A's admin (optionally created at `createdAt`), delivered: its id and the link's token. */
async function contactLink(f: Fixture, email: string, opts: { createdAt?: Date; kind?: 'participant' | 'co_initiator' } = {}) {
  const r = await inviteOrganizations(ctxFor(A.admin, { now: opts.createdAt }), {
    statementId: f.id,
    kind: opts.kind ?? 'participant',
    targets: [{ email }],
    locale: 'en',
  });
  const invitationId = r.created[0]!.invitationId;
  const token = tokenIn(await catcher.deliver(), email.toLowerCase(), f.title);
  return { invitationId, token };
}

/** A directory invitation of `org` by A's admin, delivered: its id and the tokens mailed to its admin and owner. */
async function orgLink(f: Fixture, org: SeededOrg, kind: 'participant' | 'co_initiator' = 'participant') {
  const r = await inviteOrganizations(ctxFor(A.admin), { statementId: f.id, kind, targets: [{ orgId: org.org.id }], locale: 'en' });
  const invitationId = r.created[0]!.invitationId;
  const mails = await catcher.deliver();
  return { invitationId, token: tokenIn(mails, org.admin.email, f.title), ownerToken: tokenIn(mails, org.owner.email, f.title) };
}

/** Travel past an invitation's expiry: its expiry and its links' moved into the past (SQL), then the relay's sweep. */
async function expire(invitationId: string) {
  await db()
    .update(statementInvitations)
    .set({ expiresAt: sql`now() - interval '1 minute'` })
    .where(eq(statementInvitations.id, invitationId));
  await db()
    .update(tokens)
    .set({ expiresAt: sql`now() - interval '1 minute'` })
    .where(eq(tokens.subjectId, invitationId));
  await expireInvitations(db());
}

/** Travel past a handoff's 15 minutes. */
const ageHandoff = (invitationId: string) =>
  db()
    .update(tokens)
    .set({ expiresAt: sql`now() - interval '1 second'` })
    .where(and(eq(tokens.subjectId, invitationId), eq(tokens.purpose, 'invitation_handoff')));

/**
 * An unknown token, and `who`'s own expired, used (declined) and revoked links — each of a fresh statement — for
 * an e-mail invitation to `who` or a directory invitation of `org` (whose admin is `who`).
 */
async function badLinks(who: Actor, org?: SeededOrg): Promise<string[]> {
  const link = async () => {
    const f = await fixture();
    return org ? orgLink(f, org) : contactLink(f, who.email);
  };
  const expired = await link();
  await expire(expired.invitationId);
  const used = await link();
  await declineInvitation(ctxFor(who), { token: used.token });
  const revoked = await link();
  const { statementId } = await invitation(revoked.invitationId);
  await revokeInvitation(ctxFor(A.admin), { statementId, invitationId: revoked.invitationId });
  return [crypto.randomBytes(32).toString('base64url'), expired.token, used.token, revoked.token];
}

const eventsOf = (statementId: string, type: AuditEventType) =>
  db()
    .select()
    .from(auditEvents)
    .where(and(eq(auditEvents.chainType, 'statement'), eq(auditEvents.chainId, statementId), eq(auditEvents.type, type)));
const eventsNaming = async (statementId: string, type: AuditEventType, invitationId: string) =>
  (await eventsOf(statementId, type)).filter((e) => e.data.invitationId === invitationId);
async function invitation(id: string) {
  const [i] = await db().select().from(statementInvitations).where(eq(statementInvitations.id, id));
  return i!;
}

// ---- one definition per matrix entry: how to call it per layer ----

type Def = {
  id: EntryId;
  lib: (actor: Actor | null, i: Input) => Promise<unknown>;
  action: (...args: unknown[]) => Promise<unknown>;
  /** What the action receives (default: the input as form fields); a handoff travels in the cookie jar. */
  toAction?: (i: Input) => unknown;
};
const s = (v: unknown) => String(v);
const proofOf = (i: Input) =>
  i.handoff ? { handoff: s(i.handoff) } : i.invitationId ? { invitationId: s(i.invitationId) } : { token: s(i.token) };
const viaHandoff = (i: Input) => {
  const { handoff, ...rest } = i;
  return form(handoff ? { ...rest, via: 'handoff' } : rest);
};

const SIGN_BY_LOCAL = () => {
  const d = new Date(Date.now() + 10 * 86_400_000);
  return `${d.toISOString().slice(0, 10)}T18:00`;
};

const DEFS: Def[] = [
  {
    id: 'app/_actions/invitations.ts#inviteOrganizationsAction',
    lib: (a, i) =>
      inviteOrganizations(ctxFor(a), {
        statementId: s(i.statementId),
        kind: i.kind === 'co_initiator' ? 'co_initiator' : 'participant',
        targets: [
          ...((i.orgIds as string[] | undefined) ?? []).map((orgId) => ({ orgId })),
          ...(i.emails ? [{ email: s(i.emails) }] : []),
        ],
        message: (i.message as string | undefined) ?? null,
        signBy: i.signBy ? zonedTimeToUtc(s(i.signBy), 'Asia/Yerevan') : null,
        locale: 'en',
      }),
    action: actions.inviteOrganizationsAction,
    // The invite form posts an object (orgIds is a list).
    toAction: (i) => ({ ...i, locale: 'en' }),
  },
  {
    id: 'app/_actions/invitations.ts#resendInvitationAction',
    lib: (a, i) => resendInvitation(ctxFor(a), { statementId: s(i.statementId), invitationId: s(i.invitationId) }),
    action: actions.resendInvitationAction,
  },
  {
    id: 'app/_actions/invitations.ts#remindInvitationAction',
    lib: (a, i) => remindInvitation(ctxFor(a), { statementId: s(i.statementId), invitationId: s(i.invitationId) }),
    action: actions.remindInvitationAction,
  },
  {
    id: 'app/_actions/invitations.ts#revokeInvitationAction',
    lib: (a, i) => revokeInvitation(ctxFor(a), { statementId: s(i.statementId), invitationId: s(i.invitationId) }),
    action: actions.revokeInvitationAction,
  },
  {
    id: 'app/_actions/invitations.ts#searchOrganizationsToInviteAction',
    lib: (a, i) => searchOrganizationsToInvite(ctxFor(a), { statementId: s(i.statementId), q: s(i.q) }),
    action: actions.searchOrganizationsToInviteAction,
  },
  {
    id: 'app/_actions/invitations.ts#previewInvitationPublicAction',
    lib: (_a, i) => previewInvitationPublic(db(), { token: s(i.token) }),
    action: actions.previewInvitationPublicAction,
  },
  {
    id: 'app/_actions/invitations.ts#openInvitationAction',
    lib: (a, i) => openInvitation(ctxFor(a), { token: s(i.token) }),
    action: actions.openInvitationAction,
  },
  {
    id: 'app/_actions/invitations.ts#openInvitationByHandoffAction',
    lib: (a, i) => openInvitationByHandoff(ctxFor(a), { handoff: s(i.handoff ?? crypto.randomBytes(32).toString('base64url')) }),
    action: actions.openInvitationByHandoffAction,
    toAction: () => form({}),
  },
  {
    id: 'app/_actions/invitations.ts#confirmSharedMailboxAction',
    lib: (a, i) => confirmSharedMailbox(ctxFor(a), { token: s(i.token) }),
    action: actions.confirmSharedMailboxAction,
  },
  {
    id: 'app/_actions/invitations.ts#acceptInvitationAction',
    lib: (a, i) => acceptInvitation(ctxFor(a), { ...proofOf(i), orgId: s(i.orgId) }),
    action: actions.acceptInvitationAction,
    toAction: viaHandoff,
  },
  {
    id: 'app/_actions/invitations.ts#declineInvitationAction',
    lib: (a, i) => declineInvitation(ctxFor(a), { ...proofOf(i), reason: (i.reason as string | undefined) ?? null }),
    action: actions.declineInvitationAction,
    toAction: viaHandoff,
  },
];
const defOf = (id: EntryId) => DEFS.find((d) => d.id === id)!;

type Req = { actor: Actor | null; input: Input };

function invoke(def: Def, layer: Layer, r: Req): Promise<Outcome> {
  if (layer === 'lib') return libOutcome(() => def.lib(r.actor, r.input));
  h.actor = r.actor;
  h.cookies.clear();
  if (r.input.handoff) h.cookies.set(HANDOFF_COOKIE, s(r.input.handoff));
  return actionOutcome(() => def.action(null, def.toAction ? def.toAction(r.input) : form(r.input)));
}

// ---- a probe per cell ----

type Probe = {
  /** The cell's call; a denial may list several (e.g. every kind of bad link), all answered alike. */
  calls: Req[];
  /** Denials answered NOT_FOUND: the one message expected. */
  message?: string;
  /** After the allowed call: what it did. */
  effect?: (got: Outcome, layer: Layer) => Promise<void>;
  /** Denials: the allowed twin and what it did. */
  twin?: Req;
  twinEffect?: (got: Outcome, layer: Layer) => Promise<void>;
  /** I2: another denial whose answer must be exactly the same. */
  same?: Req;
};

const NOT_FOUND = 'errors.notFound';
const LINK_INVALID = 'errors.invitationLinkInvalid';
const byRole = (role: string): Actor | null =>
  ({ ANON: null, OTHER: B.owner, 'INV-P': Q.owner, 'INV-M': P.member, 'INIT-M': A.member, 'INIT-A': A.admin })[role] ??
  null;
const stateOf = (cell: Cell): StatementState => {
  const st = (cell.state ?? 'draft').split(',')[0]!.trim();
  return (['draft', 'open', 'reopened'].includes(st) ? st : 'draft') as StatementState;
};
const needsParticipants = (cell: Cell) => cell.role === 'INV-P' || cell.role === 'INV-M';

/** The effect of an allowed invite: one pending invitation for the address, its event and its mail (and reminders). */
function invited(f: Fixture, i: Input) {
  return async () => {
    const rows = await db()
      .select()
      .from(statementInvitations)
      .where(and(eq(statementInvitations.statementId, f.id), eq(statementInvitations.email, s(i.emails).toLowerCase())));
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ status: 'pending', kind: i.kind ?? 'participant', invitedBy: A.admin.userId });
    expect(await eventsNaming(f.id, 'invitation.sent', rows[0]!.id)).toHaveLength(1);
    const mail = await db().select().from(outbox).where(sql`${outbox.data}->>'invitationId' = ${rows[0]!.id}`);
    expect(mail.filter((m) => m.kind === 'statement.invitation')).toHaveLength(1);
    // With a sign-by 10 days ahead: both default reminders (3d, 1d) scheduled.
    expect(mail.filter((m) => m.kind === 'statement.invitation_reminder')).toHaveLength(i.signBy ? 2 : 0);
  };
}

async function probeFor(def: Def, cell: Cell, layer: Layer): Promise<Probe> {
  const state = cell.state ?? '';
  const st = stateOf(cell);
  const name = def.id.split('#')[1]!;
  const statementRoles = ['OTHER', 'INV-P', 'INV-M', 'INIT-M', 'INIT-A', 'ANON'];

  // ---- initiator actions ----
  if (name === 'inviteOrganizationsAction') {
    const f = await fixture({ participants: needsParticipants(cell) });
    await setState(f.id, st);
    const i: Input = { statementId: f.id, kind: 'participant', emails: `Contact-${tag()}@Example.org`, signBy: SIGN_BY_LOCAL(), message: 'Please join' };
    const twin = { twin: { actor: A.admin, input: i }, twinEffect: invited(f, i) };
    if (state.startsWith("another organization's statement")) {
      const f2 = await fixture({ org: B });
      return { calls: [{ actor: A.admin, input: { ...i, statementId: f2.id } }], message: NOT_FOUND, ...twin };
    }
    if (state.startsWith('a statement id that does not exist'))
      return {
        calls: [{ actor: A.admin, input: { ...i, statementId: crypto.randomUUID() } }],
        message: NOT_FOUND,
        same: { actor: B.owner, input: i },
        ...twin,
      };
    if (state === 'draft, a co-initiator') {
      const ci: Input = { statementId: f.id, kind: 'co_initiator', orgIds: [X.org.id] };
      return {
        calls: [{ actor: A.admin, input: ci }],
        effect: async () => {
          const [inv] = await db()
            .select()
            .from(statementInvitations)
            .where(and(eq(statementInvitations.statementId, f.id), eq(statementInvitations.targetOrgId, X.org.id)));
          expect(inv).toMatchObject({ kind: 'co_initiator', status: 'pending' });
          // Its owners and admins are e-mailed; its plain members are not.
          const to = (await db().select().from(outbox).where(sql`${outbox.data}->>'invitationId' = ${inv!.id}`)).map((m) => m.toEmail).sort();
          expect(to).toEqual([X.admin.email, X.owner.email].sort());
        },
      };
    }
    if (cell.role === 'INIT-A') return { calls: [{ actor: A.admin, input: i }], effect: invited(f, i) };
    if (statementRoles.includes(cell.role))
      return { calls: [{ actor: byRole(cell.role), input: i }], message: cell.role === 'ANON' ? undefined : NOT_FOUND, ...twin };
  }

  if (['resendInvitationAction', 'remindInvitationAction', 'revokeInvitationAction', 'searchOrganizationsToInviteAction'].includes(name)) {
    const f = await fixture({ participants: needsParticipants(cell) });
    // Sent more than a day ago, so "remind now" is allowed.
    const inv = await contactLink(f, `contact-${tag()}@example.org`, { createdAt: new Date(Date.now() - 25 * 3_600_000) });
    await setState(f.id, st);
    const i: Input =
      name === 'searchOrganizationsToInviteAction'
        ? { statementId: f.id, q: X.org.name }
        : { statementId: f.id, invitationId: inv.invitationId };
    const effect = async (got: Outcome) => {
      const row = await invitation(inv.invitationId);
      if (name === 'resendInvitationAction') {
        expect(row.status).toBe('pending');
        const ev = await eventsNaming(f.id, 'invitation.resent', inv.invitationId);
        expect(ev).toHaveLength(1);
        expect(await db().select().from(outbox).where(eq(outbox.auditEventId, ev[0]!.id))).toHaveLength(1);
      } else if (name === 'remindInvitationAction') {
        expect(row.lastRemindedAt).not.toBeNull();
        const ev = await eventsNaming(f.id, 'invitation.reminded', inv.invitationId);
        expect(ev).toHaveLength(1);
        const [m] = await db().select().from(outbox).where(eq(outbox.auditEventId, ev[0]!.id));
        expect(m).toMatchObject({ kind: 'statement.invitation_reminder', status: 'pending' });
      } else if (name === 'revokeInvitationAction') {
        expect(row).toMatchObject({ status: 'revoked', respondedBy: A.admin.userId });
        expect(await eventsNaming(f.id, 'invitation.revoked', inv.invitationId)).toHaveLength(1);
        expect(await liveTokenCount(db(), inv.invitationId)).toBe(0);
        expect(await libOutcome(() => previewInvitationPublic(db(), { token: inv.token }))).toMatchObject({ ok: false, code: 'NOT_FOUND' });
      } else {
        const found = (got as { value: { id: string; status: string | null }[] }).value;
        expect(found.find((o) => o.id === X.org.id)).toMatchObject({ status: null });
      }
    };
    const twin = { twin: { actor: A.admin, input: i }, twinEffect: effect };
    if (state.startsWith("another statement's invitation")) {
      const f2 = await fixture();
      const other = await contactLink(f2, `contact-${tag()}@example.org`);
      return { calls: [{ actor: A.admin, input: { ...i, invitationId: other.invitationId } }], message: NOT_FOUND, ...twin };
    }
    if (state.startsWith('an invitation id that does not exist'))
      return { calls: [{ actor: A.admin, input: { ...i, invitationId: crypto.randomUUID() } }], message: NOT_FOUND, ...twin };
    if (state === 'an invitation already answered (accepted)') {
      const answered = await inviteOrg(f.id, X, { by: A.admin });
      await acceptInvitation(ctxFor(X.owner), { invitationId: answered, orgId: X.org.id });
      return { calls: [{ actor: A.admin, input: { ...i, invitationId: answered } }], ...twin };
    }
    if (state === 'draft, sent or reminded less than the interval ago') {
      const fresh = await contactLink(f, `contact-${tag()}@example.org`);
      return { calls: [{ actor: A.admin, input: { ...i, invitationId: fresh.invitationId } }], ...twin };
    }
    if (cell.role === 'INIT-A') return { calls: [{ actor: A.admin, input: i }], effect };
    if (statementRoles.includes(cell.role))
      return { calls: [{ actor: byRole(cell.role), input: i }], message: cell.role === 'ANON' ? undefined : NOT_FOUND, ...twin };
  }

  // ---- link actions ----
  if (name === 'previewInvitationPublicAction' || name === 'openInvitationAction' || name === 'confirmSharedMailboxAction') {
    const f = await fixture();
    const invitee = name === 'confirmSharedMailboxAction' ? M : await createUser();
    const link = await contactLink(f, invitee.email);
    const i = { token: link.token };
    const effect = async (got: Outcome) => {
      const row = await invitation(link.invitationId);
      if (name === 'previewInvitationPublicAction') {
        // The public landing only: who invites and a masked address; no title, no message; nothing marked.
        expect((got as { value: unknown }).value).toEqual({
          inviters: [A.org.name],
          maskedEmail: `${invitee.email[0]}…@example.org`,
          kind: 'participant',
        });
        expect(row.viewedAt).toBeNull();
        expect(await liveTokenCount(db(), link.invitationId)).toBe(1);
      } else if (name === 'openInvitationAction') {
        expect((got as { value: { title: string } }).value.title).toBe(f.title);
        expect(row.viewedAt).not.toBeNull();
        expect(await eventsNaming(f.id, 'invitation.viewed', link.invitationId)).toHaveLength(1);
      } else {
        expect(row).toMatchObject({ status: 'pending', provenBy: M.userId });
        expect(await eventsNaming(f.id, 'invitation.mailbox_confirmed', link.invitationId)).toHaveLength(1);
        const [handoff] = await db()
          .select()
          .from(tokens)
          .where(and(eq(tokens.subjectId, link.invitationId), eq(tokens.purpose, 'invitation_handoff')));
        expect(handoff).toMatchObject({ email: M.email, consumedAt: null });
        // The link itself is used up; the handoff goes to this browser only (an HttpOnly cookie).
        expect(await liveTokenCount(db(), link.invitationId)).toBe(1);
        if (layer === 'action') expect(h.cookies.get(HANDOFF_COOKIE)).toMatch(/^[A-Za-z0-9_-]{43}$/);
        else expect((got as { value: { expiresInSeconds: number } }).value.expiresInSeconds).toBe(900);
      }
    };
    const twin = { twin: { actor: invitee, input: i }, twinEffect: effect };
    if (cell.role === 'ANON' && !state) return { calls: [{ actor: null, input: i }], ...twin };
    if (state === 'a live link' || (cell.role === 'INVITED' && (!state || state.startsWith('signed in as'))))
      return { calls: [{ actor: cell.role === 'ANON' ? null : invitee, input: i }], effect };
    if (cell.role === 'OTHER' && name === 'previewInvitationPublicAction')
      return { calls: [{ actor: B.owner, input: i }], effect };
    if (state === 'an unknown, expired, used or revoked link' && name === 'previewInvitationPublicAction') {
      const bad = await badLinks(invitee);
      return { calls: bad.map((token) => ({ actor: null, input: { token } })), message: LINK_INVALID, twin: { actor: null, input: i }, twinEffect: effect };
    }
    if (state === 'an unknown, expired, used or revoked link' || state === 'an unknown, used or revoked link') {
      let bad = await badLinks(invitee);
      if (name === 'openInvitationAction') bad = [bad[0]!, bad[2]!, bad[3]!];
      return { calls: bad.map((token) => ({ actor: invitee, input: { token } })), message: LINK_INVALID, ...twin };
    }
    if (state.startsWith('their own link, expired')) {
      const old = await contactLink(await fixture(), invitee.email);
      await expire(old.invitationId);
      return { calls: [{ actor: invitee, input: { token: old.token } }], message: 'errors.invitationLinkExpired', ...twin };
    }
    if (cell.role === 'OTHER') {
      const calls: Req[] = [{ actor: B.owner, input: i }];
      if (state.includes('expired')) {
        const old = await contactLink(await fixture(), invitee.email);
        await expire(old.invitationId);
        calls.push({ actor: B.owner, input: { token: old.token } });
      }
      return { calls, message: LINK_INVALID, ...twin };
    }
  }

  if (name === 'openInvitationByHandoffAction') {
    const f = await fixture();
    const link = await contactLink(f, M.email);
    const { handoff } = await confirmSharedMailbox(ctxFor(M), { token: link.token });
    const i = { handoff };
    const effect = async (got: Outcome) => {
      const v = (got as { value: { via: string; invitedEmail: string; title: string; eligibleOrgs: { id: string }[] } }).value;
      expect(v).toMatchObject({ via: 'handoff', invitedEmail: M.email, title: f.title });
      expect(v.eligibleOrgs.map((o) => o.id)).toContain(U_ORG.id);
    };
    const twin = { twin: { actor: U, input: i }, twinEffect: effect };
    if (cell.role === 'ANON') return { calls: [{ actor: null, input: i }], ...twin };
    if (state.startsWith('a personal account')) return { calls: [{ actor: U, input: i }], effect };
    if (state === 'the same handoff after 15 minutes') {
      const old = await contactLink(await fixture(), M.email);
      const aged = await confirmSharedMailbox(ctxFor(M), { token: old.token });
      await ageHandoff(old.invitationId);
      return { calls: [{ actor: U, input: { handoff: aged.handoff } }], message: LINK_INVALID, ...twin };
    }
    if (state === 'no handoff in this browser') return { calls: [{ actor: B.owner, input: {} }], message: LINK_INVALID, ...twin };
  }

  if (name === 'acceptInvitationAction') {
    const f = await fixture();
    const accepted = (invitationId: string, org: { id: string }, by: Actor, kind: 'participant' | 'co_initiator' = 'participant', provenBy: string | null = null) =>
      async () => {
        expect(await invitation(invitationId)).toMatchObject({ status: 'accepted', acceptedOrgId: org.id, respondedBy: by.userId, provenBy });
        const ev = await eventsNaming(f.id, 'invitation.accepted', invitationId);
        expect(ev).toHaveLength(1);
        expect(ev[0]!.data).toMatchObject({ orgId: org.id, kind, provenBy });
        if (kind === 'participant') {
          const [part] = await db()
            .select()
            .from(statementParticipants)
            .where(and(eq(statementParticipants.statementId, f.id), eq(statementParticipants.orgId, org.id)));
          expect(part).toMatchObject({ invitationId, acceptedBy: by.userId });
        } else {
          const [ini] = await db()
            .select()
            .from(statementInitiators)
            .where(and(eq(statementInitiators.statementId, f.id), eq(statementInitiators.orgId, org.id)));
          expect(ini).toMatchObject({ role: 'co' });
        }
        expect(await liveTokenCount(db(), invitationId)).toBe(0);
      };
    if (state.includes('owner/admin of the invited organization, by the link')) {
      const link = await orgLink(f, X);
      await setState(f.id, st);
      return { calls: [{ actor: X.admin, input: { token: link.token, orgId: X.org.id } }], effect: accepted(link.invitationId, X.org, X.admin) };
    }
    const link = await orgLink(f, X);
    const i = { token: link.token, orgId: X.org.id };
    const twin = { twin: { actor: X.admin, input: i }, twinEffect: accepted(link.invitationId, X.org, X.admin) };
    if (cell.role === 'ANON') return { calls: [{ actor: null, input: i }], ...twin };
    if (state.startsWith('admin of the invited organization, from the dashboard'))
      return { calls: [{ actor: X.admin, input: { invitationId: link.invitationId, orgId: X.org.id } }], effect: accepted(link.invitationId, X.org, X.admin) };
    if (state === 'a co-initiator invitation') {
      const co = await orgLink(f, P, 'co_initiator');
      return { calls: [{ actor: P.admin, input: { token: co.token, orgId: P.org.id } }], effect: accepted(co.invitationId, P.org, P.admin, 'co_initiator') };
    }
    if (state.startsWith("a personal account with the shared mailbox's handoff")) {
      const mb = await contactLink(f, M.email);
      const { handoff } = await confirmSharedMailbox(ctxFor(M), { token: mb.token });
      return {
        calls: [{ actor: U, input: { handoff, orgId: U_ORG.id } }],
        effect: async () => {
          await accepted(mb.invitationId, U_ORG, U, 'participant', M.userId)();
          // The handoff is used up (and the action clears its cookie).
          expect(await libOutcome(() => openInvitationByHandoff(ctxFor(U), { handoff }))).toMatchObject({ ok: false, code: 'NOT_FOUND' });
          if (layer === 'action') expect(h.cookies.has(HANDOFF_COOKIE)).toBe(false);
        },
      };
    }
    if (state === 'the handoff after 15 minutes') {
      const mb = await contactLink(f, M.email);
      const { handoff } = await confirmSharedMailbox(ctxFor(M), { token: mb.token });
      await ageHandoff(mb.invitationId);
      const fresh = await contactLink(await fixture(), M.email);
      const next = await confirmSharedMailbox(ctxFor(M), { token: fresh.token });
      return {
        calls: [{ actor: U, input: { handoff, orgId: U_ORG.id } }],
        message: LINK_INVALID,
        twin: { actor: U, input: { handoff: next.handoff, orgId: U_ORG.id } },
        twinEffect: async () => expect((await invitation(fresh.invitationId)).status).toBe('accepted'),
      };
    }
    if (state === 'a plain member of the organization named') {
      const mine = await contactLink(f, X.member.email);
      const adm = await contactLink(f, X2Admin().email);
      return {
        calls: [{ actor: X.member, input: { token: mine.token, orgId: X.org.id } }],
        twin: { actor: X2Admin(), input: { token: adm.token, orgId: X2.id } },
        twinEffect: accepted(adm.invitationId, X2, X2Admin()),
      };
    }
    if (state === 'for an organization other than the invited one')
      return { calls: [{ actor: X.owner, input: { token: link.ownerToken, orgId: X2.id } }], twin: { actor: X.owner, input: { token: link.ownerToken, orgId: X.org.id } }, twinEffect: accepted(link.invitationId, X.org, X.owner) };
    if (state === 'for an organization that already initiates the statement') {
      const mine = await contactLink(f, A.admin.email);
      return {
        calls: [{ actor: A.admin, input: { token: mine.token, orgId: A.org.id } }],
        twin: { actor: A.admin, input: { token: mine.token, orgId: A2.id } },
        twinEffect: accepted(mine.invitationId, A2, A.admin),
      };
    }
    if (state === 'an unknown, expired, used or revoked link') {
      const bad = await badLinks(X.admin, X);
      return { calls: bad.map((token) => ({ actor: X.admin, input: { token, orgId: X.org.id } })), message: LINK_INVALID, ...twin };
    }
    if (state.startsWith('a forwarded link')) return { calls: [{ actor: B.owner, input: { token: link.token, orgId: B.org.id } }], message: LINK_INVALID, ...twin };
    if (state.startsWith('from the dashboard, an invitation id addressed to someone else'))
      return {
        calls: [{ actor: B.owner, input: { invitationId: link.invitationId, orgId: B.org.id } }],
        message: LINK_INVALID,
        same: { actor: B.owner, input: { invitationId: crypto.randomUUID(), orgId: B.org.id } },
        twin: { actor: X.admin, input: { invitationId: link.invitationId, orgId: X.org.id } },
        twinEffect: accepted(link.invitationId, X.org, X.admin),
      };
  }

  if (name === 'declineInvitationAction') {
    const f = await fixture();
    const declined = (invitationId: string, by: Actor, reason: string | null) => async () => {
      expect(await invitation(invitationId)).toMatchObject({ status: 'declined', respondedBy: by.userId, declineReason: reason });
      expect(await eventsNaming(f.id, 'invitation.declined', invitationId)).toHaveLength(1);
      expect(await liveTokenCount(db(), invitationId)).toBe(0);
    };
    if (state === 'a contact invitation, by the invited address') {
      const who = await createUser();
      const c = await contactLink(f, who.email);
      return { calls: [{ actor: who, input: { token: c.token } }], effect: declined(c.invitationId, who, null) };
    }
    if (state === "the link's address is no longer an owner/admin of the invited organization") {
      const W = await seedOrg();
      const w = await orgLink(f, W);
      await changeMemberRole(ctxFor(W.owner), { orgId: W.org.id, membershipId: W.m.admin, role: 'member' });
      return {
        calls: [{ actor: W.admin, input: { token: w.token, reason: 'x' } }],
        twin: { actor: W.owner, input: { token: w.ownerToken, reason: 'Not now' } },
        twinEffect: declined(w.invitationId, W.owner, 'Not now'),
      };
    }
    const link = await orgLink(f, X);
    const i = { token: link.token, reason: 'Not our topic' };
    const twin = { twin: { actor: X.admin, input: i }, twinEffect: declined(link.invitationId, X.admin, 'Not our topic') };
    if (cell.role === 'ANON') return { calls: [{ actor: null, input: i }], ...twin };
    if (state.startsWith('owner/admin of the invited organization')) return { calls: [{ actor: X.admin, input: i }], effect: twin.twinEffect };
    if (state === 'an unknown, expired, used or revoked link') {
      const bad = await badLinks(X.admin, X);
      return { calls: bad.map((token) => ({ actor: X.admin, input: { token, reason: 'x' } })), message: LINK_INVALID, ...twin };
    }
    if (state === 'a forwarded link') return { calls: [{ actor: B.owner, input: i }], message: LINK_INVALID, ...twin };
  }
  throw new Error(`lib/invitation-access.test.ts has no scenario for ${def.id} × ${cell.role} | ${state}`);
}
/** X2's owner (X's owner created it): an admin of X2 who is not X's plain member. */
const X2Admin = () => X.owner;

// ---- bookkeeping: "Access matrix (invitations): N cases, 0 wrong" ----

const tally = matrixTally('invitations', 'access-invitations');


async function assertCell(entryMutates: boolean, cell: Cell, p: Probe, def: Def, layer: Layer) {
  const before = await digestDomain();
  if (cell.expect.outcome === 'allow') {
    expect(p.calls).toHaveLength(1);
    const got = await invoke(def, layer, p.calls[0]!);
    expect(got, 'allowed').toMatchObject({ ok: true });
    if (entryMutates) expect(await digestDomain(), 'the allowed call changed the database').not.toBe(before);
    else expect(await digestDomain(), 'a read changes nothing').toBe(before);
    await p.effect!(got, layer);
    return;
  }
  if (cell.expect.outcome !== 'deny') throw new Error(`outcome ${cell.expect.outcome} has no meaning here`);
  let first: Outcome | null = null;
  for (const c of p.calls) {
    const got = await invoke(def, layer, c);
    expect(got, 'refused').toMatchObject({ ok: false, code: cell.expect.code });
    if (p.message && cell.expect.code === 'NOT_FOUND') expect((got as { message: string }).message).toBe(p.message);
    if (first) expect(withoutValue(got), 'every bad link gets the same answer').toEqual(withoutValue(first));
    first ??= got;
    expect(await digestDomain(), 'nothing changed after the denial').toBe(before);
  }
  if (p.same) {
    expect(withoutValue(await invoke(def, layer, p.same)), 'the same answer whether or not it exists (I2)').toEqual(withoutValue(first!));
    expect(await digestDomain()).toBe(before);
  }
  expect(p.twin, 'a denial needs an allowed twin').toBeDefined();
  const twin = await invoke(def, layer, p.twin!);
  expect(twin, 'allowed twin').toMatchObject({ ok: true });
  if (entryMutates) expect(await digestDomain(), 'the allowed twin changed the database').not.toBe(before);
  await p.twinEffect!(twin, layer);
}

// ---- the cells, from the matrix ----

const ENTRIES = ACCESS_MATRIX.filter((e) => e.provedBy?.includes('lib/invitation-access.test.ts'));

describe('invitation matrix (SECURITY.md), every cell of lib/access-matrix.ts', () => {
  it('covers every invitation entry of the matrix, and every exported invitation action', () => {
    expect(ENTRIES.map((e) => e.id).sort()).toEqual(DEFS.map((d) => d.id).sort());
    const exported = Object.keys(actions).map((n) => `app/_actions/invitations.ts#${n}`);
    expect(exported.sort()).toEqual(DEFS.map((d) => d.id).sort());
    for (const e of ENTRIES) expect(e.lib).toEqual({ fn: expect.stringMatching(/^lib\/invitations\.ts#/) });
  });

  for (const entry of ENTRIES) {
    const def = defOf(entry.id);
    describe(entry.id, () => {
      for (const cell of entry.cells) {
        for (const layer of ['lib', 'action'] as const) {
          it(`${layer}: ${cell.role}${cell.state ? ` | ${cell.state}` : ''} → ${cell.expect.outcome === 'deny' ? cell.expect.code : cell.expect.outcome}`, () =>
            tally(async () => assertCell(entry.mutates, cell, await probeFor(def, cell, layer), def, layer)));
        }
      }
    });
  }
});

describe('participants read; they do not see the board', () => {
  it('the board: initiators see every invitation; participants FORBIDDEN, the invited and outsiders NOT_FOUND, nothing changed', () =>
    tally(async () => {
      const { getInvitationBoard } = await import('./invitations');
      const f = await fixture({ participants: true });
      const before = await digestDomain();
      for (const [who, code] of [
        [P.member, 'FORBIDDEN'],
        [P.owner, 'FORBIDDEN'],
        [Q.owner, 'NOT_FOUND'],
        [B.owner, 'NOT_FOUND'],
      ] as const)
        expect(await libOutcome(() => getInvitationBoard(ctxFor(who), f.id))).toMatchObject({ ok: false, code });
      expect(await libOutcome(() => getInvitationBoard(ctxFor(null), f.id))).toMatchObject({ ok: false, code: 'UNAUTHENTICATED' });
      expect(await digestDomain()).toBe(before);
      const board = await getInvitationBoard(ctxFor(A.member), f.id);
      expect(board.canManage).toBe(false);
      expect(board.items.map((x) => x.state).sort()).toEqual(['accepted', 'sent']);
      expect((await getInvitationBoard(ctxFor(A.admin), f.id)).canManage).toBe(true);
    }));
});

describe('invariants after this file', () => {
  it('the invariant checker finds nothing in what every call above wrote', async () => {
    expect((await checkInvariants(db())).filter((f) => f.count > 0)).toEqual([]);
  });
});
