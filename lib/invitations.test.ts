// Statement invitations below the UI (PRODUCT.md Invitation, Outbox, Tokens; SECURITY.md I8, I11): inviting by
// organization and by e-mail, the links (refused alike, consumed only by an answer, bound to the address, one
// answer under concurrency from two OS processes, never stored or logged in plaintext), who may answer, the
// shared-mailbox handoff, resend / revoke / remind / decline, the status board and what participants see.
// Links are read from the messages the relay sends (a capturing transport), as an invitee reads them.
// Time moves through ctx.now (the domain's clock); expiry after the relay's sweep is in
// lib/invitation-reminders.test.ts, where the relay's clock moves too.
import crypto from 'node:crypto';
import { and, eq, sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { getDb } from '@/db';
import {
  auditEvents,
  outbox,
  statementInitiators,
  statementInvitations,
  statementParticipants,
  tokens,
  type AuditEventType,
} from '@/db/schema';
import { verifyChain } from './audit';
import type { Actor } from './context';
import { isAppError } from './errors';
import { checkInvariants } from './invariants';
import {
  acceptInvitation,
  BULK_INVITE_MAX,
  confirmSharedMailbox,
  declineInvitation,
  expireInvitations,
  getInvitationBoard,
  invitationCountsFor,
  invitationExpiry,
  inviteOrganizations,
  listStatementOrganizations,
  listWaitingForMe,
  liveTokenCount,
  openInvitation,
  openInvitationByHandoff,
  previewInvitationPublic,
  remindInvitation,
  resendInvitation,
  revokeInvitation,
  type InviteInput,
} from './invitations';
import { createOrganization } from './orgs';
import { createStatement, saveText } from './statements';
import { holdBarrier } from './testing/barrier';
import { parseResult } from './testing/children/_main';
import { createUser, ctxFor, digestDomain, runChild } from './testing/db';
import { dumpTables } from './testing/dump';
import { recordFigure } from './testing/figures';
import { mailCatcher, participate, tokenIn } from './testing/invitations';
import { seedOrg, uniqueOrgName, type SeededOrg } from './testing/orgs';
import { docOf } from './testing/review';
import { hashToken } from './tokens';

const db = () => getDb();
const DAY = 86_400_000;
const MIN = 60_000;
const tag = () => crypto.randomBytes(4).toString('hex');
const catcher = mailCatcher();
const INVALID = { ok: false, code: 'NOT_FOUND', message: 'errors.invitationLinkInvalid' };

// Everything the code under test prints, to prove no link ever reaches a log.
const logged: string[] = [];
beforeAll(() => {
  for (const m of ['log', 'info', 'warn', 'error', 'debug'] as const) {
    const orig = console[m].bind(console);
    vi.spyOn(console, m).mockImplementation((...args: unknown[]) => {
      logged.push(args.map((a) => (a instanceof Error ? `${a.message}\n${a.stack}` : typeof a === 'string' ? a : JSON.stringify(a))).join(' '));
      orig(...args);
    });
  }
});
/** Plaintext capabilities handed out in this file besides mailed links (shared-mailbox handoffs). */
const handoffs: string[] = [];

type Outcome = { ok: true; value: unknown } | { ok: false; code: string; message: string; retryAfterSeconds?: number };
async function outcomeOf(fn: () => Promise<unknown>): Promise<Outcome> {
  try {
    return { ok: true, value: await fn() };
  } catch (e) {
    if (isAppError(e)) return { ok: false, code: e.code, message: e.message, ...(e.retryAfterSeconds ? { retryAfterSeconds: e.retryAfterSeconds } : {}) };
    throw e;
  }
}

// ---- the world ----

let A: SeededOrg; // initiator
let B: SeededOrg;
let C: SeededOrg;
let D: SeededOrg;
let P: SeededOrg;
beforeAll(async () => {
  [A, B, C, D, P] = [await seedOrg(), await seedOrg(), await seedOrg(), await seedOrg(), await seedOrg()];
});

type St = { id: string; title: string };
async function statement(): Promise<St> {
  const title = `Open letter ${tag()}`;
  const { id } = await createStatement(ctxFor(A.owner), { orgId: A.org.id, title, primaryLang: 'en', summary: null, timeZone: 'Asia/Yerevan' });
  return { id, title };
}

/** A person with an organization of their own (owner): someone who can accept an e-mail invitation for it. */
async function personWithOrg(prefix = 'contact'): Promise<{ user: Actor; orgId: string }> {
  const user = await createUser(`${prefix}-${tag()}@example.org`);
  const org = await createOrganization(ctxFor(user), { name: uniqueOrgName('Contact Group'), confirmDistinct: true });
  return { user, orgId: org.id };
}

async function contactLink(f: St, email: string, opts: { now?: Date; signBy?: Date; by?: Actor } = {}) {
  const r = await inviteOrganizations(ctxFor(opts.by ?? A.admin, { now: opts.now }), {
    statementId: f.id,
    kind: 'participant',
    targets: [{ email }],
    signBy: opts.signBy ?? null,
    message: 'Please join us',
    locale: 'en',
  });
  const invitationId = r.created[0]!.invitationId;
  return { invitationId, token: tokenIn(await catcher.deliver(), email, f.title) };
}
async function orgLink(f: St, org: SeededOrg, kind: 'participant' | 'co_initiator' = 'participant') {
  const r = await inviteOrganizations(ctxFor(A.admin), { statementId: f.id, kind, targets: [{ orgId: org.org.id }], locale: 'en' });
  const invitationId = r.created[0]!.invitationId;
  const mails = await catcher.deliver();
  return { invitationId, token: tokenIn(mails, org.admin.email, f.title), ownerToken: tokenIn(mails, org.owner.email, f.title) };
}
async function invitation(id: string) {
  const [i] = await db().select().from(statementInvitations).where(eq(statementInvitations.id, id));
  return i!;
}
const eventsNaming = async (statementId: string, type: AuditEventType, invitationId: string) =>
  (
    await db()
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.chainType, 'statement'), eq(auditEvents.chainId, statementId), eq(auditEvents.type, type)))
  ).filter((e) => e.data.invitationId === invitationId);
const mailOf = (invitationId: string) => db().select().from(outbox).where(sql`${outbox.data}->>'invitationId' = ${invitationId}`);
const tokensOf = (invitationId: string) =>
  db().select().from(tokens).where(and(eq(tokens.subjectId, invitationId), eq(tokens.purpose, 'statement_invitation')));
/** Travel past an invitation's expiry in SQL (its links too), so the relay's sweep at the real clock finds it. */
async function ageOut(invitationId: string) {
  await db().update(statementInvitations).set({ expiresAt: sql`now() - interval '1 minute'` }).where(eq(statementInvitations.id, invitationId));
  await db().update(tokens).set({ expiresAt: sql`now() - interval '1 minute'` }).where(eq(tokens.subjectId, invitationId));
}

// ---- inviting ----

describe('inviting (S1)', () => {
  it('by organization and by e-mail: one invitation each with its event; mail to the owners/admins (not plain members) and the contact; links minted only when sent', async () => {
    const f = await statement();
    const contact = `Contact-${tag()}@Example.org`;
    const now = new Date();
    const signBy = new Date(now.getTime() + 10 * DAY);
    const r = await inviteOrganizations(ctxFor(A.admin, { now }), {
      statementId: f.id,
      kind: 'participant',
      targets: [{ orgId: B.org.id }, { email: contact }],
      message: 'Please join',
      signBy,
      locale: 'hy',
    });
    expect(r.skipped).toEqual([]);
    expect(r.created.map((c) => c.target)).toEqual([B.org.name, contact.toLowerCase()]);
    const [byOrg, byEmail] = await Promise.all(r.created.map((c) => invitation(c.invitationId)));
    const common = { statementId: f.id, kind: 'participant', status: 'pending', message: 'Please join', locale: 'hy', invitedBy: A.admin.userId, viewedAt: null };
    expect(byOrg).toMatchObject({ ...common, targetOrgId: B.org.id, email: null });
    expect(byEmail).toMatchObject({ ...common, targetOrgId: null, email: contact.toLowerCase() });
    for (const inv of [byOrg!, byEmail!]) {
      expect(inv.signBy).toEqual(signBy);
      expect(inv.createdAt).toEqual(now);
      expect(inv.expiresAt).toEqual(new Date(now.getTime() + 14 * DAY));
      const ev = await eventsNaming(f.id, 'invitation.sent', inv.id);
      expect(ev).toHaveLength(1);
      expect(ev[0]!.data).toMatchObject({ kind: 'participant', targetOrgId: inv.targetOrgId, byEmail: !!inv.email });
      // Every message of the invitation, written with its event; a token *reference*, never a token.
      const mail = await mailOf(inv.id);
      expect(mail.every((m) => m.auditEventId === ev[0]!.id)).toBe(true);
      expect(mail.every((m) => m.tokenRef?.subjectId === inv.id && m.tokenRef.purpose === 'statement_invitation' && m.tokenRef.path === '/invite/statement')).toBe(true);
      expect(await tokensOf(inv.id)).toEqual([]);
    }
    const mail = (await mailOf(byOrg!.id)).map((m) => ({ kind: m.kind, to: m.toEmail, key: m.dedupeKey, at: m.notBefore.getTime() }));
    const admins = [B.admin.email, B.owner.email].sort();
    expect(mail.filter((m) => m.kind === 'statement.invitation').map((m) => m.to).sort()).toEqual(admins);
    expect(mail.filter((m) => m.kind === 'statement.invitation_reminder').map((m) => m.key).sort()).toEqual(
      ['3d', '1d'].flatMap((rule) => admins.map((e) => `reminder:${byOrg!.id}:${rule}:0:${e}`)).sort(),
    );
    expect(new Set(mail.filter((m) => m.kind !== 'statement.invitation').map((m) => m.at))).toEqual(
      new Set([signBy.getTime() - 3 * DAY, signBy.getTime() - DAY]),
    );
    expect((await mailOf(byEmail!.id)).map((m) => m.dedupeKey).sort()).toEqual(
      [`invitation:${byEmail!.id}:sent:${contact.toLowerCase()}`, `reminder:${byEmail!.id}:1d:0`, `reminder:${byEmail!.id}:3d:0`].sort(),
    );

    // The relay sends the invitations (the reminders are not due): a fresh link per message, its hash stored.
    const sent = await catcher.deliver();
    const mine = sent.filter((m) => m.text.includes(f.title));
    expect(mine.map((m) => m.to).sort()).toEqual([...admins, contact.toLowerCase()].sort());
    expect(mine.some((m) => m.to === B.member.email)).toBe(false);
    for (const m of mine) {
      const t = tokenIn(mine, m.to, f.title);
      const [row] = await db().select().from(tokens).where(eq(tokens.tokenHash, hashToken(t)));
      expect(row).toMatchObject({ email: m.to, purpose: 'statement_invitation', consumedAt: null });
      expect(row!.expiresAt).toEqual(byOrg!.expiresAt);
    }
  });

  it('expires_at = max(created + 14 days, sign_by + 1 day); the links expire with it', async () => {
    const t = new Date('2031-03-01T10:00:00Z');
    expect(invitationExpiry(t, null)).toEqual(new Date('2031-03-15T10:00:00Z'));
    expect(invitationExpiry(t, new Date('2031-03-05T10:00:00Z'))).toEqual(new Date('2031-03-15T10:00:00Z'));
    expect(invitationExpiry(t, new Date('2031-03-20T18:30:00Z'))).toEqual(new Date('2031-03-21T18:30:00Z'));
    const f = await statement();
    const now = new Date();
    for (const [signBy, expected] of [
      [null, now.getTime() + 14 * DAY],
      [new Date(now.getTime() + 5 * DAY), now.getTime() + 14 * DAY],
      [new Date(now.getTime() + 20 * DAY), now.getTime() + 21 * DAY],
    ] as const) {
      const email = `exp-${tag()}@example.org`;
      const { invitationId, token } = await contactLink(f, email, { now, signBy: signBy ?? undefined });
      expect((await invitation(invitationId)).expiresAt.getTime()).toBe(expected);
      const [row] = await db().select().from(tokens).where(eq(tokens.tokenHash, hashToken(token)));
      expect(row!.expiresAt.getTime()).toBe(expected);
    }
  });

  it('reported as skipped, not errors: already invited, participant, initiator, duplicates; a co-initiator invitation to a participant is sent', async () => {
    const f = await statement();
    const x = `dup-${tag()}@example.org`;
    const first = await inviteOrganizations(ctxFor(A.admin), {
      statementId: f.id,
      kind: 'participant',
      targets: [{ orgId: C.org.id }, { orgId: C.org.id }, { email: x }, { email: ` ${x.toUpperCase()} ` }, { orgId: A.org.id }],
      locale: 'en',
    });
    expect(first.created.map((c) => c.target)).toEqual([C.org.name, x]);
    expect(first.skipped).toEqual([
      { target: C.org.name, reason: 'duplicate' },
      { target: x, reason: 'duplicate' },
      { target: A.org.name, reason: 'alreadyInitiator' },
    ]);
    const again = await inviteOrganizations(ctxFor(A.admin), { statementId: f.id, kind: 'participant', targets: [{ orgId: C.org.id }, { email: x }], locale: 'en' });
    expect(again).toEqual({ created: [], skipped: [{ target: C.org.name, reason: 'alreadyInvited' }, { target: x, reason: 'alreadyInvited' }] });
    await participate(f.id, D, { by: A.admin });
    const part = await inviteOrganizations(ctxFor(A.admin), { statementId: f.id, kind: 'participant', targets: [{ orgId: D.org.id }], locale: 'en' });
    expect(part).toEqual({ created: [], skipped: [{ target: D.org.name, reason: 'alreadyParticipant' }] });
    const co = await inviteOrganizations(ctxFor(A.admin), { statementId: f.id, kind: 'co_initiator', targets: [{ orgId: D.org.id }], locale: 'en' });
    expect(co.created).toHaveLength(1);
    // C, x, D (as participant, then as co-initiator).
    expect(await listEvents(f.id, 'invitation.sent')).toBe(4);
  });

  it('an expired invitation not yet swept does not block a new one: the sweep inside the invite records it first', async () => {
    const f = await statement();
    const email = `again-${tag()}@example.org`;
    const old = await contactLink(f, email);
    const later = new Date(Date.now() + 15 * DAY);
    const r = await inviteOrganizations(ctxFor(A.admin, { now: later }), { statementId: f.id, kind: 'participant', targets: [{ email }], locale: 'en' });
    expect(r.created).toHaveLength(1);
    expect(await invitation(old.invitationId)).toMatchObject({ status: 'expired' });
    expect(await eventsNaming(f.id, 'invitation.expired', old.invitationId)).toHaveLength(1);
    expect(await liveTokenCount(db(), old.invitationId)).toBe(0);
  });

  it(`bulk: ${BULK_INVITE_MAX} lines with duplicates → one invitation per address; ${BULK_INVITE_MAX + 1} refused whole, nothing changed`, async () => {
    const f = await statement();
    const unique = Array.from({ length: BULK_INVITE_MAX - 10 }, (_, i) => `bulk-${i}-${tag()}@example.org`);
    const targets = [...unique, ...unique.slice(0, 10).map((e) => e.toUpperCase())].map((email) => ({ email }));
    expect(targets).toHaveLength(BULK_INVITE_MAX);
    const before = await digestDomain();
    const tooMany = await outcomeOf(() =>
      inviteOrganizations(ctxFor(A.admin), { statementId: f.id, kind: 'participant', targets: [...targets, { email: `one-more-${tag()}@example.org` }], locale: 'en' }),
    );
    expect(tooMany).toMatchObject({ ok: false, code: 'INVALID_INPUT', message: 'errors.tooManyInvitees' });
    expect(await digestDomain()).toBe(before);
    const r = await inviteOrganizations(ctxFor(A.admin), { statementId: f.id, kind: 'participant', targets, locale: 'en' });
    expect(r.created).toHaveLength(unique.length);
    expect(r.skipped).toHaveLength(10);
    expect(r.skipped.every((x) => x.reason === 'duplicate')).toBe(true);
    const rows = await db().select().from(statementInvitations).where(eq(statementInvitations.statementId, f.id));
    expect(new Set(rows.map((x) => x.email))).toEqual(new Set(unique));
    expect(await listEvents(f.id, 'invitation.sent')).toBe(unique.length);
  });

  it('refused before anything is written: a sign-by instant in the past (or now), no invitees, an unknown organization', async () => {
    const f = await statement();
    const now = new Date();
    const before = await digestDomain();
    const base = { statementId: f.id, kind: 'participant' as const, locale: 'en' as const };
    const cases: [InviteInput, string][] = [
      [{ ...base, targets: [{ email: `p-${tag()}@example.org` }], signBy: new Date(now.getTime() - MIN) }, 'errors.signByPast'],
      [{ ...base, targets: [{ email: `p-${tag()}@example.org` }], signBy: now }, 'errors.signByPast'],
      [{ ...base, targets: [] }, 'errors.noInvitees'],
      [{ ...base, targets: [{ orgId: crypto.randomUUID() }] }, 'errors.unknownOrganization'],
      [{ ...base, targets: [{ orgId: 'not-a-uuid' }] }, 'errors.unknownOrganization'],
    ];
    for (const [input, message] of cases)
      expect(await outcomeOf(() => inviteOrganizations(ctxFor(A.admin, { now }), input))).toMatchObject({ ok: false, code: 'INVALID_INPUT', message });
    expect(await digestDomain()).toBe(before);
    // The twin: a sign-by instant a minute ahead is accepted.
    const ok = await inviteOrganizations(ctxFor(A.admin, { now }), { ...base, targets: [{ email: `p-${tag()}@example.org` }], signBy: new Date(now.getTime() + MIN) });
    expect(ok.created).toHaveLength(1);
  });
});
const listEvents = async (statementId: string, type: AuditEventType) =>
  (
    await db()
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.chainType, 'statement'), eq(auditEvents.chainId, statementId), eq(auditEvents.type, type)))
  ).length;

// ---- links ----

let refusedTries = 0;
describe('links (I8)', () => {
  it('unknown, expired, used, revoked and forwarded links: the same answer from every link action, nothing consumed; the live link then works', async () => {
    const f = await statement();
    const R = await personWithOrg('rightful');
    const Fw = await personWithOrg('forwardee');
    const live = await contactLink(f, R.user.email);
    const expired = await contactLink(await statement(), R.user.email);
    const exp = (await invitation(expired.invitationId)).expiresAt;
    const used = await contactLink(await statement(), R.user.email);
    await declineInvitation(ctxFor(R.user), { token: used.token });
    const revoked = await contactLink(await statement(), R.user.email);
    const { statementId } = await invitation(revoked.invitationId);
    await revokeInvitation(ctxFor(A.admin), { statementId, invitationId: revoked.invitationId });

    const past = new Date(exp.getTime() + MIN);
    const cases: { name: string; token: string; who: { user: Actor; orgId: string }; now?: Date }[] = [
      { name: 'unknown', token: crypto.randomBytes(32).toString('base64url'), who: R },
      { name: 'malformed', token: 'not a token', who: R },
      { name: 'expired', token: expired.token, who: R, now: past },
      { name: 'expired, forwarded', token: expired.token, who: Fw, now: past },
      { name: 'used', token: used.token, who: R },
      { name: 'revoked', token: revoked.token, who: R },
      { name: 'forwarded', token: live.token, who: Fw },
    ];
    const before = await digestDomain();
    const liveTokens = await db().select().from(tokens).where(sql`${tokens.consumedAt} IS NULL`);
    for (const c of cases) {
      const ctx = ctxFor(c.who.user, { now: c.now });
      const tries: [string, () => Promise<unknown>][] = [
        ['accept', () => acceptInvitation(ctx, { token: c.token, orgId: c.who.orgId })],
        ['decline', () => declineInvitation(ctx, { token: c.token, reason: 'no' })],
        ['confirmSharedMailbox', () => confirmSharedMailbox(ctx, { token: c.token })],
      ];
      // The signed-in landing tells the rightful recipient their link expired (next test); everyone else: invalid.
      if (c.name !== 'expired') tries.push(['open', () => openInvitation(ctx, { token: c.token })]);
      // The public landing shows a live link to anyone who holds it (a forward included): by design.
      if (c.name !== 'forwarded') tries.push(['preview', () => previewInvitationPublic(db(), { token: c.token, now: c.now })]);
      for (const [fn, call] of tries) {
        expect(await outcomeOf(call), `${c.name} × ${fn}`).toEqual(INVALID);
        refusedTries++;
      }
    }
    expect(await digestDomain(), 'nothing consumed, nothing written').toBe(before);
    expect(await db().select().from(tokens).where(sql`${tokens.consumedAt} IS NULL`)).toEqual(liveTokens);
    // The twin: the live link, by its rightful recipient.
    await acceptInvitation(ctxFor(R.user), { token: live.token, orgId: R.orgId });
    expect(await invitation(live.invitationId)).toMatchObject({ status: 'accepted', acceptedOrgId: R.orgId, respondedBy: R.user.userId });
    expect(await outcomeOf(() => acceptInvitation(ctxFor(R.user), { token: live.token, orgId: R.orgId }))).toEqual(INVALID);
    refusedTries++;
    recordFigure('tokens-invitations', `Tokens (statement invitations): ${refusedTries} unknown/expired/used/revoked/forwarded tries, 0 accepted`);
  });

  it('the rightful recipient of an expired link is told so (signed in, on opening it); nothing is consumed; anyone else gets the invalid answer', async () => {
    const f = await statement();
    const R = await createUser();
    const other = await createUser();
    const link = await contactLink(f, R.email);
    const past = new Date((await invitation(link.invitationId)).expiresAt.getTime() + MIN);
    const before = await digestDomain();
    expect(await outcomeOf(() => openInvitation(ctxFor(R, { now: past }), { token: link.token }))).toEqual({
      ok: false,
      code: 'NOT_FOUND',
      message: 'errors.invitationLinkExpired',
    });
    expect(await outcomeOf(() => openInvitation(ctxFor(other, { now: past }), { token: link.token }))).toEqual(INVALID);
    expect(await outcomeOf(() => declineInvitation(ctxFor(R, { now: past }), { token: link.token }))).toEqual(INVALID);
    expect(await digestDomain()).toBe(before);
    // After the relay's sweep recorded `expired` (which ends the links), still told so: the bug this guards
    // against answered "invalid" once the sweep had run.
    await ageOut(link.invitationId);
    expect(await expireInvitations(db())).toBeGreaterThanOrEqual(1);
    expect(await invitation(link.invitationId)).toMatchObject({ status: 'expired' });
    expect(await outcomeOf(() => openInvitation(ctxFor(R), { token: link.token }))).toMatchObject({ message: 'errors.invitationLinkExpired' });
    expect(await outcomeOf(() => openInvitation(ctxFor(other), { token: link.token }))).toEqual(INVALID);
    // A revoked (not expired) invitation of the same person: invalid, not expired.
    const rev = await contactLink(f, R.email);
    await revokeInvitation(ctxFor(A.admin), { statementId: f.id, invitationId: rev.invitationId });
    expect(await outcomeOf(() => openInvitation(ctxFor(R), { token: rev.token }))).toEqual(INVALID);
  });

  it('the public landing (previewInvitationPublic) changes nothing and does not mark viewed: who invites and a masked address only', async () => {
    const f = await statement();
    const R = await createUser(`jane-${tag()}@example.org`);
    const link = await contactLink(f, R.email);
    const before = await digestDomain();
    for (let i = 0; i < 3; i++)
      expect(await previewInvitationPublic(db(), { token: link.token })).toEqual({ inviters: [A.org.name], maskedEmail: 'j…@example.org', kind: 'participant' });
    expect(await digestDomain()).toBe(before);
    expect((await invitation(link.invitationId)).viewedAt).toBeNull();
    expect(await eventsNaming(f.id, 'invitation.viewed', link.invitationId)).toEqual([]);
    expect(await liveTokenCount(db(), link.invitationId)).toBe(1);
    expect((await getInvitationBoard(ctxFor(A.member), f.id)).items[0]!.state).toBe('sent');
  });

  it('openInvitation (signed in as the invited address) marks viewed once, with one audit event; opening again changes nothing', async () => {
    const f = await statement();
    const R = await personWithOrg();
    const link = await contactLink(f, R.user.email);
    const opened = await openInvitation(ctxFor(R.user), { token: link.token });
    expect(opened).toMatchObject({
      invitationId: link.invitationId,
      statementId: f.id,
      title: f.title,
      message: 'Please join us',
      inviters: [A.org.name],
      invitedEmail: R.user.email,
      via: 'link',
      canCreateOrg: true,
      targetOrg: null,
    });
    expect(opened.eligibleOrgs.map((o) => o.id)).toEqual([R.orgId]);
    const viewedAt = (await invitation(link.invitationId)).viewedAt;
    expect(viewedAt).not.toBeNull();
    expect(await eventsNaming(f.id, 'invitation.viewed', link.invitationId)).toHaveLength(1);
    const before = await digestDomain();
    await openInvitation(ctxFor(R.user), { token: link.token });
    expect(await digestDomain()).toBe(before);
    expect(await eventsNaming(f.id, 'invitation.viewed', link.invitationId)).toHaveLength(1);
    // Opening consumes nothing: the link still answers.
    expect(await liveTokenCount(db(), link.invitationId)).toBe(1);
    const board = await getInvitationBoard(ctxFor(A.member), f.id);
    expect(board.items[0]).toMatchObject({ state: 'viewed', viewedAt: viewedAt!.toISOString() });
  });

  it('20 parallel accepts from two OS processes (link and dashboard mixed): one participant row, one invitation.accepted', async () => {
    const f = await statement();
    const X = await seedOrg();
    const link = await orgLink(f, X);
    const barrier = await holdBarrier();
    const params = JSON.stringify({
      token: link.ownerToken,
      invitationId: link.invitationId,
      orgId: X.org.id,
      userId: X.owner.userId,
      email: X.owner.email,
      n: 10,
      barrierKey: barrier.key,
      mixed: true,
    });
    const child = 'lib/testing/children/accept-invitation.ts';
    const runs = Promise.all([runChild(child, [params]), runChild(child, [params])]);
    try {
      await barrier.waitForWaiters(20, 45_000);
    } finally {
      await barrier.release();
    }
    const results = await runs;
    for (const r of results) {
      expect(r.code, r.stderr).toBe(0);
      logged.push(r.stdout, r.stderr);
    }
    const parsed = results.map((r) => parseResult<{ ok: number; refused: number; refusals: string[]; errors: string[] }>(r.stdout));
    expect(parsed.flatMap((p) => p.errors)).toEqual([]);
    expect(parsed.reduce((n, p) => n + p.ok, 0)).toBe(1);
    expect(parsed.reduce((n, p) => n + p.refused, 0)).toBe(19);
    expect(new Set(parsed.flatMap((p) => p.refusals))).toEqual(new Set(['NOT_FOUND errors.invitationLinkInvalid']));
    expect(await db().select().from(statementParticipants).where(eq(statementParticipants.statementId, f.id))).toHaveLength(1);
    expect(await eventsNaming(f.id, 'invitation.accepted', link.invitationId)).toHaveLength(1);
    expect(await invitation(link.invitationId)).toMatchObject({ status: 'accepted', acceptedOrgId: X.org.id });
    expect(await liveTokenCount(db(), link.invitationId)).toBe(0);
    expect(await verifyChain(db(), { type: 'statement', id: f.id })).toEqual([]);
    expect((await checkInvariants(db())).filter((x) => x.count > 0)).toEqual([]);
    recordFigure('concurrency-invitation-accepts', 'Concurrent: 20 accepts of one invitation from 2 processes, 1 participant, 0 duplicated');
  });
});

// ---- who answers (I11) ----

describe('only an owner/admin commits the organization (I11)', () => {
  it('a plain member cannot accept for their organization (FORBIDDEN, nothing changed; from the dashboard: the invalid answer); its admin can', async () => {
    const f = await statement();
    const X = await seedOrg();
    const mine = await contactLink(f, X.member.email);
    const before = await digestDomain();
    expect(await outcomeOf(() => acceptInvitation(ctxFor(X.member), { token: mine.token, orgId: X.org.id }))).toEqual({
      ok: false,
      code: 'FORBIDDEN',
      message: 'errors.onlyAdminsAnswer',
    });
    const byOrg = await inviteOrganizations(ctxFor(A.admin), { statementId: f.id, kind: 'participant', targets: [{ orgId: X.org.id }], locale: 'en' });
    const orgInv = byOrg.created[0]!.invitationId;
    const after = await digestDomain();
    expect(await outcomeOf(() => acceptInvitation(ctxFor(X.member), { invitationId: orgInv, orgId: X.org.id }))).toEqual(INVALID);
    expect(await outcomeOf(() => declineInvitation(ctxFor(X.member), { invitationId: orgInv }))).toEqual(INVALID);
    expect(await digestDomain()).toBe(after);
    expect(before).not.toBe(after);
    expect(await liveTokenCount(db(), mine.invitationId)).toBe(1);
    expect((await invitation(mine.invitationId)).status).toBe('pending');
    // The allowed twin: the admin, from the dashboard.
    await acceptInvitation(ctxFor(X.admin), { invitationId: orgInv, orgId: X.org.id });
    expect(await invitation(orgInv)).toMatchObject({ status: 'accepted', respondedBy: X.admin.userId, acceptedOrgId: X.org.id });
    expect(await db().select().from(statementParticipants).where(and(eq(statementParticipants.statementId, f.id), eq(statementParticipants.orgId, X.org.id)))).toHaveLength(1);
  });

  it('accepting for an organization other than the invited one is refused, nothing changed; for the invited one it works', async () => {
    const f = await statement();
    const other = await createOrganization(ctxFor(B.owner), { name: uniqueOrgName('Other Group'), confirmDistinct: true });
    const link = await orgLink(f, B);
    const before = await digestDomain();
    expect(await outcomeOf(() => acceptInvitation(ctxFor(B.owner), { token: link.ownerToken, orgId: other.id }))).toEqual({
      ok: false,
      code: 'FORBIDDEN',
      message: 'errors.notInvitedOrganization',
    });
    expect(await outcomeOf(() => acceptInvitation(ctxFor(B.owner), { token: link.ownerToken, orgId: crypto.randomUUID() }))).toMatchObject({ ok: false, code: 'FORBIDDEN' });
    // An e-mail invitation accepted for an organization the person does not administer.
    const R = await createUser();
    const c = await contactLink(f, R.email);
    const mid = await digestDomain();
    expect(await outcomeOf(() => acceptInvitation(ctxFor(R), { token: c.token, orgId: C.org.id }))).toEqual({
      ok: false,
      code: 'FORBIDDEN',
      message: 'errors.onlyAdminsAnswer',
    });
    expect(await digestDomain()).toBe(mid);
    expect(before).not.toBe(mid);
    await acceptInvitation(ctxFor(B.owner), { token: link.ownerToken, orgId: B.org.id });
    expect(await invitation(link.invitationId)).toMatchObject({ status: 'accepted', acceptedOrgId: B.org.id });
  });

  it("co-initiator: its members gain the initiators' rights (save the text, see the board; its admins invite) and it is listed among the initiators", async () => {
    const f = await statement();
    const X = await seedOrg();
    await participate(f.id, X, { by: A.admin });
    // A participant's member may not edit.
    expect(await outcomeOf(() => saveText(ctxFor(X.member), { statementId: f.id, lang: 'en', baseVersion: 0, title: 'x', doc: docOf('x') }))).toMatchObject({ ok: false, code: 'FORBIDDEN' });
    const co = await orgLink(f, X, 'co_initiator');
    const r = await acceptInvitation(ctxFor(X.admin), { token: co.token, orgId: X.org.id });
    expect(r).toEqual({ statementId: f.id, orgId: X.org.id, kind: 'co_initiator' });
    const inits = await db().select().from(statementInitiators).where(eq(statementInitiators.statementId, f.id));
    expect(inits.map((i) => [i.orgId, i.role]).sort()).toEqual([[A.org.id, 'primary'], [X.org.id, 'co']].sort());
    expect(await saveText(ctxFor(X.member), { statementId: f.id, lang: 'en', baseVersion: 0, title: f.title, doc: docOf('By the co-initiator') })).toMatchObject({ version: 1, changed: true });
    expect((await getInvitationBoard(ctxFor(X.member), f.id)).canManage).toBe(false);
    expect((await getInvitationBoard(ctxFor(X.admin), f.id)).canManage).toBe(true);
    const inv = await inviteOrganizations(ctxFor(X.admin), { statementId: f.id, kind: 'participant', targets: [{ email: `via-co-${tag()}@example.org` }], locale: 'en' });
    expect(inv.created).toHaveLength(1);
    const orgs = await listStatementOrganizations(ctxFor(X.member), f.id);
    expect(orgs.access).toEqual({ kind: 'initiator', role: 'member' });
    expect(orgs.initiators.map((o) => [o.id, o.role])).toEqual([[A.org.id, 'primary'], [X.org.id, 'co']]);
    expect(orgs.participants).toEqual([]);
  });
});

// ---- shared mailbox ----

describe('a shared mailbox (info@…) hands the invitation to a personal account', () => {
  it('signed in as info@: confirm; a personal account in the same browser accepts within 15 minutes; both users recorded', async () => {
    const f = await statement();
    const mailbox = await createUser(`info-${tag()}@example.org`);
    const person = await personWithOrg('personal');
    const link = await contactLink(f, mailbox.email);
    // Before the mailbox confirms, the personal account holding the link is a forward.
    const before = await digestDomain();
    expect(await outcomeOf(() => openInvitation(ctxFor(person.user), { token: link.token }))).toEqual(INVALID);
    expect(await outcomeOf(() => confirmSharedMailbox(ctxFor(person.user), { token: link.token }))).toEqual(INVALID);
    expect(await outcomeOf(() => acceptInvitation(ctxFor(person.user), { token: link.token, orgId: person.orgId }))).toEqual(INVALID);
    expect(await digestDomain()).toBe(before);

    const t0 = new Date();
    expect(await openInvitation(ctxFor(mailbox, { now: t0 }), { token: link.token })).toMatchObject({ title: f.title });
    const { handoff, expiresInSeconds } = await confirmSharedMailbox(ctxFor(mailbox, { now: t0 }), { token: link.token });
    handoffs.push(handoff);
    expect(expiresInSeconds).toBe(15 * 60);
    expect(handoff).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(await eventsNaming(f.id, 'invitation.mailbox_confirmed', link.invitationId)).toHaveLength(1);
    // The mailed link is used up by the handoff.
    expect(await outcomeOf(() => acceptInvitation(ctxFor(mailbox), { token: link.token, orgId: person.orgId }))).toEqual(INVALID);
    expect(await outcomeOf(() => previewInvitationPublic(db(), { token: link.token }))).toEqual(INVALID);

    const t14 = new Date(t0.getTime() + 14 * MIN);
    const shown = await openInvitationByHandoff(ctxFor(person.user, { now: t14 }), { handoff });
    expect(shown).toMatchObject({ via: 'handoff', invitedEmail: mailbox.email, title: f.title });
    expect(shown.eligibleOrgs.map((o) => o.id)).toEqual([person.orgId]);
    await acceptInvitation(ctxFor(person.user, { now: t14 }), { handoff, orgId: person.orgId });
    expect(await invitation(link.invitationId)).toMatchObject({
      status: 'accepted',
      respondedBy: person.user.userId,
      provenBy: mailbox.userId,
      acceptedOrgId: person.orgId,
    });
    const ev = await eventsNaming(f.id, 'invitation.accepted', link.invitationId);
    expect(ev).toHaveLength(1);
    expect(ev[0]!).toMatchObject({ actorUserId: person.user.userId, data: { provenBy: mailbox.userId, orgId: person.orgId } });
    const item = (await getInvitationBoard(ctxFor(A.admin), f.id)).items.find((i) => i.id === link.invitationId)!;
    expect(item).toMatchObject({ state: 'accepted', provenBy: mailbox.email, respondedBy: person.user.email });
    // Used once.
    expect(await outcomeOf(() => acceptInvitation(ctxFor(person.user, { now: t14 }), { handoff, orgId: person.orgId }))).toEqual(INVALID);
    expect(await liveTokenCount(db(), link.invitationId)).toBe(0);
  });

  it('after 15 minutes the handoff is refused and nothing changes; another signed-in address with the link gets the invalid answer', async () => {
    const f = await statement();
    const mailbox = await createUser(`info-${tag()}@example.org`);
    const person = await personWithOrg('late');
    const link = await contactLink(f, mailbox.email);
    const t0 = new Date();
    const { handoff } = await confirmSharedMailbox(ctxFor(mailbox, { now: t0 }), { token: link.token });
    handoffs.push(handoff);
    const late = new Date(t0.getTime() + 15 * MIN + 1000);
    const before = await digestDomain();
    expect(await outcomeOf(() => openInvitationByHandoff(ctxFor(person.user, { now: late }), { handoff }))).toEqual(INVALID);
    expect(await outcomeOf(() => acceptInvitation(ctxFor(person.user, { now: late }), { handoff, orgId: person.orgId }))).toEqual(INVALID);
    expect(await outcomeOf(() => declineInvitation(ctxFor(person.user, { now: late }), { handoff }))).toEqual(INVALID);
    expect(await digestDomain()).toBe(before);
    expect((await invitation(link.invitationId)).status).toBe('pending');
    // The twin: a minute before the end it still works (decline, this time).
    const justInTime = new Date(t0.getTime() + 14 * MIN + 59_000);
    await declineInvitation(ctxFor(person.user, { now: justInTime }), { handoff, reason: 'Not for us' });
    expect(await invitation(link.invitationId)).toMatchObject({ status: 'declined', respondedBy: person.user.userId, provenBy: mailbox.userId, declineReason: 'Not for us' });
  });
});

// ---- managing: resend, revoke, remind, decline; the board ----

describe('managing invitations (S2, S3)', () => {
  it('resend: the relay mints a fresh link; older links keep working until one is used, then all are consumed', async () => {
    const f = await statement();
    const R = await personWithOrg();
    const first = await contactLink(f, R.user.email);
    await resendInvitation(ctxFor(A.admin), { statementId: f.id, invitationId: first.invitationId });
    expect(await tokensOf(first.invitationId)).toHaveLength(1); // minted when sent, not when resent
    const second = tokenIn(await catcher.deliver(), R.user.email, f.title);
    expect(second).not.toBe(first.token);
    expect(await tokensOf(first.invitationId)).toHaveLength(2);
    expect(await eventsNaming(f.id, 'invitation.resent', first.invitationId)).toHaveLength(1);
    for (const t of [first.token, second]) expect(await previewInvitationPublic(db(), { token: t })).toMatchObject({ inviters: [A.org.name] });
    expect(await liveTokenCount(db(), first.invitationId)).toBe(2);
    // The older link is used: the newer one dies with it.
    await acceptInvitation(ctxFor(R.user), { token: first.token, orgId: R.orgId });
    expect(await outcomeOf(() => openInvitation(ctxFor(R.user), { token: second }))).toEqual(INVALID);
    expect((await tokensOf(first.invitationId)).every((t) => t.consumedAt !== null)).toBe(true);
    // Not pending any more: nothing to resend.
    const before = await digestDomain();
    expect(await outcomeOf(() => resendInvitation(ctxFor(A.admin), { statementId: f.id, invitationId: first.invitationId }))).toMatchObject({ ok: false, code: 'INVALID_STATE' });
    expect(await digestDomain()).toBe(before);
  });

  it('revoke: links die, pending reminders are cancelled, one event; revoking again is refused', async () => {
    const f = await statement();
    const R = await personWithOrg();
    const signBy = new Date(Date.now() + 10 * DAY);
    const link = await contactLink(f, R.user.email, { signBy });
    expect((await mailOf(link.invitationId)).filter((m) => m.status === 'pending')).toHaveLength(2);
    await revokeInvitation(ctxFor(A.admin), { statementId: f.id, invitationId: link.invitationId });
    expect(await invitation(link.invitationId)).toMatchObject({ status: 'revoked', respondedBy: A.admin.userId });
    expect(await eventsNaming(f.id, 'invitation.revoked', link.invitationId)).toHaveLength(1);
    expect((await mailOf(link.invitationId)).map((m) => [m.kind, m.status]).sort()).toEqual(
      [['statement.invitation', 'sent'], ['statement.invitation_reminder', 'cancelled'], ['statement.invitation_reminder', 'cancelled']].sort(),
    );
    expect(await liveTokenCount(db(), link.invitationId)).toBe(0);
    for (const call of [
      () => previewInvitationPublic(db(), { token: link.token }),
      () => openInvitation(ctxFor(R.user), { token: link.token }),
      () => acceptInvitation(ctxFor(R.user), { token: link.token, orgId: R.orgId }),
      () => acceptInvitation(ctxFor(R.user), { invitationId: link.invitationId, orgId: R.orgId }),
    ])
      expect(await outcomeOf(call)).toEqual(INVALID);
    // At the reminders' time the relay sends the revoked invitee nothing.
    const sent = await catcher.deliver({ now: new Date(signBy.getTime() - DAY + MIN) });
    expect(sent.filter((m) => m.to === R.user.email)).toEqual([]);
    const before = await digestDomain();
    for (const call of [
      () => revokeInvitation(ctxFor(A.admin), { statementId: f.id, invitationId: link.invitationId }),
      () => remindInvitation(ctxFor(A.admin, { now: new Date(Date.now() + 2 * DAY) }), { statementId: f.id, invitationId: link.invitationId }),
    ])
      expect(await outcomeOf(call)).toMatchObject({ ok: false, code: 'INVALID_STATE', message: 'errors.invitationNotPending' });
    expect(await digestDomain()).toBe(before);
  });

  it('remind now: RATE_LIMITED with the time to wait, nothing changed; allowed after the interval (24 h), with a fresh link', async () => {
    const f = await statement();
    const R = await createUser();
    const t0 = new Date();
    const link = await contactLink(f, R.email, { now: t0 });
    const ref = { statementId: f.id, invitationId: link.invitationId };
    const at = (h: number) => ctxFor(A.admin, { now: new Date(t0.getTime() + h * 3_600_000) });
    const before = await digestDomain();
    expect(await outcomeOf(() => remindInvitation(at(1), ref))).toEqual({
      ok: false,
      code: 'RATE_LIMITED',
      message: 'errors.remindTooSoon',
      retryAfterSeconds: 23 * 3600,
    });
    expect(await digestDomain()).toBe(before);
    expect(await remindInvitation(at(24), ref)).toEqual({ invitationId: link.invitationId, remindedAt: new Date(t0.getTime() + 24 * 3_600_000).toISOString() });
    expect((await invitation(link.invitationId)).lastRemindedAt).toEqual(new Date(t0.getTime() + 24 * 3_600_000));
    expect(await eventsNaming(f.id, 'invitation.reminded', link.invitationId)).toHaveLength(1);
    const reminder = tokenIn(await catcher.deliver(), R.email, f.title);
    expect(reminder).not.toBe(link.token);
    const mid = await digestDomain();
    expect(await outcomeOf(() => remindInvitation(at(30), ref))).toMatchObject({ ok: false, code: 'RATE_LIMITED', retryAfterSeconds: 18 * 3600 });
    expect(await digestDomain()).toBe(mid);
    await remindInvitation(at(48), ref);
    expect(await eventsNaming(f.id, 'invitation.reminded', link.invitationId)).toHaveLength(2);
  });

  it('decline with a reason: on the board for initiators; participants see neither declines nor pending invitations', async () => {
    const f = await statement();
    await participate(f.id, P, { by: A.admin });
    const declined = await orgLink(f, D);
    const pending = await orgLink(f, C);
    const revoked = await contactLink(f, `gone-${tag()}@example.org`);
    await revokeInvitation(ctxFor(A.admin), { statementId: f.id, invitationId: revoked.invitationId });
    await declineInvitation(ctxFor(D.admin), { token: declined.token, reason: '  Not our topic  ' });
    expect(await invitation(declined.invitationId)).toMatchObject({ status: 'declined', declineReason: 'Not our topic', respondedBy: D.admin.userId });
    const ev = await eventsNaming(f.id, 'invitation.declined', declined.invitationId);
    expect(ev).toHaveLength(1);
    // The reason is for the initiators' board, not for the audit trail other readers may see.
    expect(ev[0]!.data).toEqual({ invitationId: declined.invitationId, provenBy: null, withReason: true });
    const board = await getInvitationBoard(ctxFor(A.member), f.id);
    expect(board.items.find((i) => i.id === declined.invitationId)).toMatchObject({ state: 'declined', declineReason: 'Not our topic', respondedBy: expect.any(String) });
    // A participant's member: the organizations taking part, nothing else.
    const orgs = await listStatementOrganizations(ctxFor(P.member), f.id);
    expect(orgs.access).toEqual({ kind: 'participant', role: 'member' });
    expect(orgs.initiators.map((o) => o.id)).toEqual([A.org.id]);
    expect(orgs.participants.map((o) => o.id)).toEqual([P.org.id]);
    expect(JSON.stringify(orgs)).not.toContain(D.org.name);
    expect(JSON.stringify(orgs)).not.toContain(C.org.name);
    expect(JSON.stringify(orgs)).not.toContain('Not our topic');
    const before = await digestDomain();
    expect(await outcomeOf(() => getInvitationBoard(ctxFor(P.member), f.id))).toMatchObject({ ok: false, code: 'FORBIDDEN' });
    expect(await outcomeOf(() => getInvitationBoard(ctxFor(P.owner), f.id))).toMatchObject({ ok: false, code: 'FORBIDDEN' });
    expect(await outcomeOf(() => getInvitationBoard(ctxFor(C.owner), f.id))).toEqual({ ok: false, code: 'NOT_FOUND', message: 'errors.notFound' });
    expect(await outcomeOf(() => getInvitationBoard(ctxFor(B.owner), f.id))).toEqual({ ok: false, code: 'NOT_FOUND', message: 'errors.notFound' });
    expect(await outcomeOf(() => listStatementOrganizations(ctxFor(C.owner), f.id))).toMatchObject({ ok: false, code: 'NOT_FOUND' });
    expect(await outcomeOf(() => invitationCountsFor(ctxFor(P.member), [f.id]))).toEqual({ ok: true, value: {} });
    expect(await digestDomain()).toBe(before);
    expect(pending.invitationId).toBeTruthy();
  });

  it('the board hides nothing from initiators: every state, reasons, who and when; counts and progress', async () => {
    const f = await statement();
    const signBy = new Date(Date.now() + 10 * DAY);
    const sent = await contactLink(f, `sent-${tag()}@example.org`, { signBy });
    const viewer = await createUser();
    const viewed = await contactLink(f, viewer.email);
    await openInvitation(ctxFor(viewer), { token: viewed.token });
    const accepted = await orgLink(f, B);
    await acceptInvitation(ctxFor(B.admin), { token: accepted.token, orgId: B.org.id });
    const declined = await orgLink(f, D);
    await declineInvitation(ctxFor(D.owner), { token: declined.ownerToken, reason: 'Too late for us' });
    const revoked = await contactLink(f, `revoked-${tag()}@example.org`);
    await revokeInvitation(ctxFor(A.admin), { statementId: f.id, invitationId: revoked.invitationId });
    const expired = await contactLink(f, `expired-${tag()}@example.org`);
    await ageOut(expired.invitationId);
    // Past its expiry and not yet swept, the board already shows it expired; the sweep then records it.
    expect((await getInvitationBoard(ctxFor(A.member), f.id)).items.find((i) => i.id === expired.invitationId)!.state).toBe('expired');
    await expireInvitations(db());

    const board = await getInvitationBoard(ctxFor(A.member), f.id);
    const by = (id: string) => board.items.find((i) => i.id === id)!;
    expect(by(sent.invitationId)).toMatchObject({ state: 'sent', byEmail: true, signBy: signBy.toISOString(), remindersScheduled: 2, invitedBy: expect.any(String) });
    expect(by(viewed.invitationId)).toMatchObject({ state: 'viewed', viewedAt: expect.any(String) });
    expect(by(accepted.invitationId)).toMatchObject({ state: 'accepted', target: B.org.name, targetOrgSlug: B.org.slug, acceptedOrg: B.org.name, respondedAt: expect.any(String) });
    expect(by(declined.invitationId)).toMatchObject({ state: 'declined', declineReason: 'Too late for us' });
    expect(by(revoked.invitationId)).toMatchObject({ state: 'revoked', remindersScheduled: 0 });
    expect(by(expired.invitationId)).toMatchObject({ state: 'expired' });
    expect(board.counts).toEqual({ sent: 1, viewed: 1, accepted: 1, declined: 1, revoked: 1, expired: 1, total: 5, answered: 2, progress: 0.2 });
    expect(board.canManage).toBe(false);
    expect((await getInvitationBoard(ctxFor(A.owner), f.id)).canManage).toBe(true);
    expect(await invitationCountsFor(ctxFor(A.member), [f.id])).toEqual({ [f.id]: board.counts });
    expect(await invitationCountsFor(ctxFor(B.owner), [f.id])).toEqual({});
  });

  it("listWaitingForMe: pending invitations to my organizations (owners/admins) or my address; then the drafts we review", async () => {
    const f = await statement();
    const W = await seedOrg();
    const R = await personWithOrg();
    const signBy = new Date(Date.now() + 5 * DAY);
    const toW = await inviteOrganizations(ctxFor(A.admin), { statementId: f.id, kind: 'participant', targets: [{ orgId: W.org.id }], signBy, locale: 'en' });
    const toR = await contactLink(f, R.user.email);
    const waiting = async (a: Actor) => (await listWaitingForMe(ctxFor(a))).invitations.filter((i) => i.statementId === f.id);
    expect(await waiting(W.owner)).toEqual([
      expect.objectContaining({ id: toW.created[0]!.invitationId, title: f.title, targetOrg: W.org.name, inviters: A.org.name, signBy: signBy.toISOString(), timeZone: 'Asia/Yerevan' }),
    ]);
    expect((await waiting(W.admin)).map((i) => i.id)).toEqual([toW.created[0]!.invitationId]);
    expect(await waiting(W.member)).toEqual([]);
    expect((await waiting(R.user)).map((i) => i.id)).toEqual([toR.invitationId]);
    expect(await waiting(A.admin)).toEqual([]);

    await acceptInvitation(ctxFor(W.owner), { invitationId: toW.created[0]!.invitationId, orgId: W.org.id });
    expect(await waiting(W.owner)).toEqual([]);
    const reviews = async (a: Actor) => (await listWaitingForMe(ctxFor(a))).reviews.filter((r) => r.statementId === f.id);
    expect(await reviews(W.member)).toEqual([expect.objectContaining({ statementId: f.id, state: 'draft', title: f.title, orgName: W.org.name, signBy: signBy.toISOString() })]);
    expect(await reviews(A.member)).toEqual([]);
    expect(await reviews(B.owner)).toEqual([]);
    // Expired: no longer waiting.
    await ageOut(toR.invitationId);
    expect(await waiting(R.user)).toEqual([]);
    await expireInvitations(db());
  });
});

// ---- no link in plaintext anywhere ----

describe('links are stored and logged nowhere in plaintext (I8)', () => {
  it('no table (outbox, audit events, tokens… every column) holds any link this file received; only their hashes are in tokens; no log line has one', async () => {
    const links = [...new Set([...catcher.tokens(), ...handoffs])];
    expect(links.length).toBeGreaterThan(40);
    for (const t of links) expect(t).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const tables = await dumpTables();
    expect([...tables.keys()]).toEqual(expect.arrayContaining(['public.outbox', 'public.tokens', 'public.audit_events', 'public.statement_invitations']));
    const found: string[] = [];
    for (const [table, text] of tables) for (const t of links) if (text.includes(t)) found.push(`${table}: ${t.slice(0, 6)}…`);
    expect(found).toEqual([]);
    const tokenTable = tables.get('public.tokens')!;
    for (const t of links) expect(tokenTable.includes(hashToken(t)), 'its hash is stored').toBe(true);
    const log = logged.join('\n');
    expect(logged.length).toBeGreaterThan(0);
    for (const t of links) expect(log.includes(t)).toBe(false);
  });
});

describe('invariants after this file', () => {
  it('the invariant checker finds nothing in what every call above wrote', async () => {
    expect((await checkInvariants(db())).filter((x) => x.count > 0)).toEqual([]);
  });
});
