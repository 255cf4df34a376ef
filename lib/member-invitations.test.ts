// Member invitations end to end below the UI: the invitation e-mail goes through the outbox with a token
// *reference* (the relay mints the token at send time, into the development mailbox only); the link
// accepts once, as the invited address; unknown, expired, used, revoked and forwarded tokens are refused
// alike and change nothing; a resend mints a fresh token and using either consumes both; parallel
// accepts from two OS processes join once; declining ends the invitation.
import crypto from 'node:crypto';
import path from 'node:path';
import { and, eq, sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { getDb } from '@/db';
import { auditEvents, devMailbox, memberInvitations, memberships, outbox, tokens } from '@/db/schema';
import type { Actor } from './context';
import { isAppError } from './errors';
import {
  acceptMemberInvitation,
  declineMemberInvitation,
  inviteMember,
  listMyPendingMemberInvitations,
  previewMemberInvitation,
  resendMemberInvitation,
  revokeMemberInvitation,
} from './members';
import { relayOnce } from './outbox';
import { holdBarrier } from './testing/barrier';
import { parseResult } from './testing/children/_main';
import { createUser, ctxFor, digestDomain, runChild } from './testing/db';
import { tablesContaining } from './testing/dump';
import { orgInvariantProblems, roleOf, seedOrg, type SeededOrg } from './testing/orgs';
import { hashToken } from './tokens';

const db = () => getDb();
const LINK = /\/invite\/member#t=([A-Za-z0-9_-]{43})/;
const REFUSED = { ok: false, code: 'NOT_FOUND', message: 'errors.linkInvalid' };

type Outcome = { ok: true; value: unknown } | { ok: false; code: string; message: string };
async function outcomeOf(fn: () => Promise<unknown>): Promise<Outcome> {
  try {
    return { ok: true, value: await fn() };
  } catch (e) {
    if (isAppError(e)) return { ok: false, code: e.code, message: e.message };
    throw e;
  }
}

/** Run the relay (no SMTP_URL: the development mailbox) and return the newest invitation token mailed to `email`. */
async function deliverAndReadToken(email: string): Promise<string> {
  expect(process.env.SMTP_URL, 'tests use the development mailbox').toBeFalsy();
  await relayOnce(db(), { batch: 100 });
  const rows = await db().select().from(devMailbox).where(eq(devMailbox.toEmail, email)).orderBy(sql`${devMailbox.createdAt} DESC`);
  expect(rows.length, `a message to ${email} in dev_mailbox`).toBeGreaterThan(0);
  const m = rows[0]!.text.match(LINK);
  expect(m, 'the message carries /invite/member#t=…').not.toBeNull();
  expect(rows[0]!.text).toContain('http://localhost:3000/invite/member#t=');
  return m![1]!;
}

async function invitation(id: string) {
  const [i] = await db().select().from(memberInvitations).where(eq(memberInvitations.id, id));
  return i!;
}

/** Invite a brand-new person to `s`'s organization and mail the invitation: their account, the invitation id, the token. */
async function invited(s: SeededOrg, opts: { role?: 'member' | 'admin'; by?: Actor } = {}) {
  const person = await createUser(`invitee-${crypto.randomBytes(4).toString('hex')}@example.org`);
  const { invitationId } = await inviteMember(ctxFor(opts.by ?? s.owner), { orgId: s.org.id, email: person.email, role: opts.role ?? 'member', title: 'Lawyer' });
  const token = await deliverAndReadToken(person.email);
  return { person, invitationId, token };
}

let s: SeededOrg;
beforeAll(async () => {
  s = await seedOrg();
});

describe('the invitation e-mail', () => {
  it('goes through the outbox with a token reference; the token exists only in the mailed link (hash in tokens)', async () => {
    const email = `fresh-${crypto.randomBytes(4).toString('hex')}@example.org`;
    const { invitationId } = await inviteMember(ctxFor(s.admin), { orgId: s.org.id, email: email.toUpperCase(), role: 'member' });
    const [row] = await db().select().from(outbox).where(eq(outbox.dedupeKey, `member_invitation:${invitationId}:sent`));
    expect(row).toMatchObject({ kind: 'org.member_invitation', toEmail: email, status: 'pending' });
    expect(row!.tokenRef).toMatchObject({ purpose: 'member_invitation', subjectId: invitationId, path: '/invite/member' });
    // No token yet: the relay mints it when it sends.
    expect(await db().select().from(tokens).where(eq(tokens.subjectId, invitationId))).toHaveLength(0);
    const [ev] = await db().select().from(auditEvents).where(eq(auditEvents.id, row!.auditEventId));
    expect(ev!.type).toBe('org.member_invited');

    const token = await deliverAndReadToken(email);
    const [t] = await db().select().from(tokens).where(eq(tokens.subjectId, invitationId));
    expect(t).toMatchObject({ tokenHash: hashToken(token), email, purpose: 'member_invitation', consumedAt: null });
    // The plaintext token is stored nowhere but in the development mailbox (not in the outbox row, not in tokens).
    expect(await tablesContaining(token)).toEqual(['public.dev_mailbox']);
    const [sent] = await db().select().from(outbox).where(eq(outbox.dedupeKey, `member_invitation:${invitationId}:sent`));
    expect(sent!.status).toBe('sent');
    expect(JSON.stringify(sent)).not.toContain(token);
  });
});

describe('accepting with the token', () => {
  it('works once, as the invited address: membership, accepted invitation, org.member_joined', async () => {
    const { person, invitationId, token } = await invited(s);
    // A preview (what the landing page shows) consumes nothing.
    expect(await previewMemberInvitation(ctxFor(person), { token })).toMatchObject({ orgSlug: s.org.slug, role: 'member' });
    expect(await previewMemberInvitation(ctxFor(person), { token })).toMatchObject({ orgSlug: s.org.slug });

    const r = await acceptMemberInvitation(ctxFor(person), { token });
    expect(r).toEqual({ orgId: s.org.id, slug: s.org.slug, role: 'member' });
    expect(await roleOf(s.org.id, person.userId)).toBe('member');
    const [m] = await db().select().from(memberships).where(and(eq(memberships.orgId, s.org.id), eq(memberships.userId, person.userId)));
    expect(m!.title).toBe('Lawyer');
    expect(await invitation(invitationId)).toMatchObject({ status: 'accepted', acceptedBy: person.userId });
    const joined = await db()
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.chainId, s.org.id), eq(auditEvents.type, 'org.member_joined'), sql`${auditEvents.data}->>'invitationId' = ${invitationId}`));
    expect(joined).toHaveLength(1);
    expect(joined[0]!.actorUserId).toBe(person.userId);

    // Used: the same answer as any bad link, and nothing changes.
    const before = await digestDomain();
    expect(await outcomeOf(() => acceptMemberInvitation(ctxFor(person), { token }))).toEqual(REFUSED);
    expect(await outcomeOf(() => declineMemberInvitation(ctxFor(person), { token }))).toEqual(REFUSED);
    expect(await outcomeOf(() => previewMemberInvitation(ctxFor(person), { token }))).toEqual(REFUSED);
    expect(await digestDomain()).toBe(before);
  });

  it('unknown, expired, used, revoked and forwarded tokens are refused alike and change nothing', async () => {
    const refusals: { name: string; got: Outcome }[] = [];
    const refuse = async (name: string, fn: () => Promise<unknown>) => {
      const before = await digestDomain();
      refusals.push({ name, got: await outcomeOf(fn) });
      expect(await digestDomain(), `${name}: nothing changed`).toBe(before);
    };

    // unknown: well-formed random, malformed, empty
    const { person, invitationId, token } = await invited(s);
    await refuse('unknown', () => acceptMemberInvitation(ctxFor(person), { token: crypto.randomBytes(32).toString('base64url') }));
    await refuse('malformed', () => acceptMemberInvitation(ctxFor(person), { token: `${token}x` }));
    await refuse('empty', () => acceptMemberInvitation(ctxFor(person), { token: '' }));
    await refuse('unknown (preview)', () => previewMemberInvitation(ctxFor(person), { token: crypto.randomBytes(32).toString('base64url') }));

    // forwarded: another signed-in address holds the link — refused, and the token is NOT consumed
    const forwardee = await createUser();
    await refuse('forwarded', () => acceptMemberInvitation(ctxFor(forwardee), { token }));
    await refuse('forwarded (decline)', () => declineMemberInvitation(ctxFor(forwardee), { token }));
    await refuse('forwarded (preview)', () => previewMemberInvitation(ctxFor(forwardee), { token }));
    expect(await roleOf(s.org.id, forwardee.userId)).toBeNull();

    // expired: the clock past the invitation's 14 days
    const later = new Date(Date.now() + 15 * 86400_000);
    await refuse('expired (clock)', () => acceptMemberInvitation(ctxFor(person, { now: later }), { token }));
    await refuse('expired (clock, preview)', () => previewMemberInvitation(ctxFor(person, { now: later }), { token }));
    // …and the token's own expiry, with the invitation itself still open
    const other = await invited(s);
    await db().update(tokens).set({ expiresAt: new Date(Date.now() - 1000) }).where(eq(tokens.subjectId, other.invitationId));
    await refuse('expired (token row)', () => acceptMemberInvitation(ctxFor(other.person), { token: other.token }));

    // revoked
    const rev = await invited(s);
    await revokeMemberInvitation(ctxFor(s.admin), { invitationId: rev.invitationId });
    await refuse('revoked', () => acceptMemberInvitation(ctxFor(rev.person), { token: rev.token }));
    await refuse('revoked (by id)', () => acceptMemberInvitation(ctxFor(rev.person), { invitationId: rev.invitationId }));

    // the real invitee can still accept after all of that (the forward consumed nothing)
    expect(await acceptMemberInvitation(ctxFor(person), { token })).toMatchObject({ orgId: s.org.id });
    await refuse('used', () => acceptMemberInvitation(ctxFor(person), { token }));
    await refuse('used (by the forwardee)', () => acceptMemberInvitation(ctxFor(forwardee), { token }));

    for (const r of refusals) expect(r.got, r.name).toEqual(REFUSED);
    expect(refusals).toHaveLength(14);
    expect((await invitation(invitationId)).status).toBe('accepted');
    expect((await invitation(rev.invitationId)).status).toBe('revoked');
    console.log(`Member invitation tokens: ${refusals.length} unknown/malformed/forwarded/expired/revoked/used attempts, 0 accepted`);
  });

  it('a resend mints a fresh token; using either consumes both', async () => {
    for (const use of ['old', 'new'] as const) {
      const { person, invitationId, token: first } = await invited(s);
      await resendMemberInvitation(ctxFor(s.owner), { invitationId });
      const second = await deliverAndReadToken(person.email);
      expect(second).not.toBe(first);
      const live = await db().select().from(tokens).where(and(eq(tokens.subjectId, invitationId), sql`${tokens.consumedAt} IS NULL`));
      expect(live).toHaveLength(2);

      const [used, spare] = use === 'old' ? [first, second] : [second, first];
      await acceptMemberInvitation(ctxFor(person), { token: used });
      const before = await digestDomain();
      expect(await outcomeOf(() => acceptMemberInvitation(ctxFor(person), { token: spare })), `the ${use === 'old' ? 'new' : 'old'} token after using the ${use} one`).toEqual(REFUSED);
      expect(await digestDomain()).toBe(before);
      const stillLive = await db().select().from(tokens).where(and(eq(tokens.subjectId, invitationId), sql`${tokens.consumedAt} IS NULL`));
      expect(stillLive).toHaveLength(0);
      expect(await roleOf(s.org.id, person.userId)).toBe('member');
    }
  });
});

describe('accepting from the dashboard (by invitation id)', () => {
  it('another address → NOT_FOUND and nothing changed; the invited address → joins', async () => {
    const { person, invitationId } = await invited(s);
    const stranger = await createUser();
    const before = await digestDomain();
    for (const who of [stranger, s.admin, s.outsider]) {
      expect(await outcomeOf(() => acceptMemberInvitation(ctxFor(who), { invitationId }))).toMatchObject({ ok: false, code: 'NOT_FOUND' });
      expect(await outcomeOf(() => declineMemberInvitation(ctxFor(who), { invitationId }))).toMatchObject({ ok: false, code: 'NOT_FOUND' });
    }
    expect(await outcomeOf(() => acceptMemberInvitation(ctxFor(stranger), { invitationId: crypto.randomUUID() }))).toEqual(REFUSED);
    expect(await digestDomain()).toBe(before);
    // The invited person sees it among their pending invitations, and joins.
    expect((await listMyPendingMemberInvitations(ctxFor(person))).map((i) => i.id)).toContain(invitationId);
    expect((await listMyPendingMemberInvitations(ctxFor(stranger))).map((i) => i.id)).not.toContain(invitationId);
    await acceptMemberInvitation(ctxFor(person), { invitationId });
    expect(await roleOf(s.org.id, person.userId)).toBe('member');
    expect(await listMyPendingMemberInvitations(ctxFor(person))).toHaveLength(0);
  });
});

describe('declining', () => {
  it('by token ends the invitation: declined, tokens dead, audited; accepting afterwards is refused', async () => {
    const { person, invitationId, token } = await invited(s);
    await declineMemberInvitation(ctxFor(person), { token });
    expect(await invitation(invitationId)).toMatchObject({ status: 'declined' });
    expect(await db().select().from(tokens).where(and(eq(tokens.subjectId, invitationId), sql`${tokens.consumedAt} IS NULL`))).toHaveLength(0);
    const ev = await db()
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.type, 'org.member_invitation_declined'), sql`${auditEvents.data}->>'invitationId' = ${invitationId}`));
    expect(ev).toHaveLength(1);
    const before = await digestDomain();
    expect(await outcomeOf(() => acceptMemberInvitation(ctxFor(person), { token }))).toEqual(REFUSED);
    expect(await outcomeOf(() => acceptMemberInvitation(ctxFor(person), { invitationId }))).toEqual(REFUSED);
    expect(await digestDomain()).toBe(before);
    expect(await roleOf(s.org.id, person.userId)).toBeNull();
    // The organization can invite the same address again.
    await inviteMember(ctxFor(s.owner), { orgId: s.org.id, email: person.email, role: 'member' });
  });

  it('by invitation id (dashboard) ends it too', async () => {
    const { person, invitationId, token } = await invited(s);
    await declineMemberInvitation(ctxFor(person), { invitationId });
    expect((await invitation(invitationId)).status).toBe('declined');
    expect(await outcomeOf(() => acceptMemberInvitation(ctxFor(person), { token }))).toEqual(REFUSED);
  });
});

describe('parallel accepts from two OS processes', () => {
  const child = path.join(process.cwd(), 'lib', 'testing', 'children', 'accept-member-invitation.ts');

  for (const mixed of [false, true]) {
    it(`10 accepts of one invitation (${mixed ? 'half by token, half by id' : 'all by token'}) → exactly one membership, no errors`, async () => {
      const { person, invitationId, token } = await invited(s);
      const barrier = await holdBarrier();
      const params = JSON.stringify({ token, invitationId, userId: person.userId, email: person.email, n: 5, barrierKey: barrier.key, mixed });
      const runs = Promise.all([runChild(child, [params]), runChild(child, [params])]);
      try {
        await barrier.waitForWaiters(10, 60_000);
      } finally {
        await barrier.release();
      }
      const results = (await runs).map((r) => {
        expect(r.code, r.stderr).toBe(0);
        return parseResult<{ ok: number; refused: number; refusals: string[]; errors: string[] }>(r.stdout);
      });
      const ok = results.reduce((n, r) => n + r.ok, 0);
      const refused = results.reduce((n, r) => n + r.refused, 0);
      expect(results.flatMap((r) => r.errors), 'no unexpected errors (deadlocks, constraint violations)').toEqual([]);
      expect(ok).toBe(1);
      expect(refused).toBe(9);
      expect(new Set(results.flatMap((r) => r.refusals))).toEqual(new Set(['NOT_FOUND errors.linkInvalid']));
      const rows = await db().select().from(memberships).where(and(eq(memberships.orgId, s.org.id), eq(memberships.userId, person.userId)));
      expect(rows).toHaveLength(1);
      const joined = await db()
        .select()
        .from(auditEvents)
        .where(and(eq(auditEvents.type, 'org.member_joined'), sql`${auditEvents.data}->>'invitationId' = ${invitationId}`));
      expect(joined).toHaveLength(1);
    });
  }
});

// Last: after every role change, removal, transfer and departure above — no organization without an owner,
// and every organization's audit chain verifies.
describe('invariants after this file (checked directly in SQL)', () => {
  it('every organization has an owner and an org.created event; every chain verifies', async () => {
    const p = await orgInvariantProblems();
    expect(p.organizations).toBeGreaterThan(0);
    expect(p).toMatchObject({ ownerless: [], uncreated: [], chains: [] });
  });
});
