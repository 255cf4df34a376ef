// Reminders and expiry with a controllable clock (PRODUCT.md Invitation, Outbox; issue S3): the relay's clock is
// moved with relayOnce({ now }) (claimDue and the invitation guard read it instead of PostgreSQL's now()), the
// domain's with ctx.now. Each rule's reminder goes out once at its time and not before; none after a decline,
// a revocation, an acceptance or the expiry — cancelled rows, and the relay's guard for rows already claimed;
// none twice with two relay processes started together; the expiry recorded once by two concurrent sweeps.
import crypto from 'node:crypto';
import { and, eq, inArray, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getDb } from '@/db';
import { auditEvents, outbox, statementInvitations, tokens } from '@/db/schema';
import { checkInvariants } from './invariants';
import {
  acceptInvitation,
  declineInvitation,
  expireInvitations,
  inviteOrganizations,
  liveTokenCount,
  openInvitation,
  previewInvitationPublic,
  reminderRules,
  revokeInvitation,
} from './invitations';
import type { OutgoingMail } from './mail/transport';
import { claimDue, relayOnce } from './outbox';
import { declineToSign, freezeVersion, reopenStatement, signForOrganization, withdrawSignature } from './signing';
import { createStatement, saveText } from './statements';
import { holdBarrier } from './testing/barrier';
import { parseResult } from './testing/children/_main';
import { createUser, ctxFor, runChild } from './testing/db';
import { recordFigure } from './testing/figures';
import { INVITE_LINK, mailCatcher, tokenIn } from './testing/invitations';
import { seedOrg, type SeededOrg } from './testing/orgs';
import { docOf } from './testing/review';
import { enqueueTestNotice } from './testing/seed';
import { startSmtpCapture, type SmtpCapture } from './testing/smtp-capture';

const db = () => getDb();
const DAY = 86_400_000;
const HOUR = 3_600_000;
const MIN = 60_000;
const tag = () => crypto.randomBytes(4).toString('hex');
const catcher = mailCatcher();
const isReminder = (m: OutgoingMail) => m.subject.startsWith('Reminder:');
const to = (mails: OutgoingMail[], emails: string[]) => mails.filter((m) => emails.includes(m.to));

let A: SeededOrg;
let capture: SmtpCapture;
beforeAll(async () => {
  A = await seedOrg();
  capture = await startSmtpCapture();
});
afterAll(async () => {
  await capture.close();
});

async function statement() {
  const title = `Open letter ${tag()}`;
  const { id } = await createStatement(ctxFor(A.owner), { orgId: A.org.id, title, primaryLang: 'en', summary: null, timeZone: 'Asia/Yerevan' });
  return { id, title };
}

/** Invite `targets` at T0 with a sign-by instant at T0 + 10 days; the invitations are sent right away. */
async function invited(targets: ({ orgId: string } | { email: string })[], t0: Date) {
  const f = await statement();
  const signBy = new Date(t0.getTime() + 10 * DAY);
  const r = await inviteOrganizations(ctxFor(A.admin, { now: t0 }), { statementId: f.id, kind: 'participant', targets, signBy, locale: 'en' });
  // The invitation messages themselves are due when written (PostgreSQL's clock, a moment after t0).
  const first = await catcher.deliver({ now: new Date(t0.getTime() + MIN) });
  return { f, signBy, ids: r.created.map((c) => c.invitationId), first, r3: new Date(signBy.getTime() - 3 * DAY), r1: new Date(signBy.getTime() - DAY) };
}
const reminderRows = (ids: string[]) =>
  db()
    .select()
    .from(outbox)
    .where(and(eq(outbox.kind, 'statement.invitation_reminder'), inArray(sql`${outbox.data}->>'invitationId'`, ids)));

describe('automatic reminders (S3), on the relay’s clock', () => {
  it('each rule (3 days, 1 day before sign-by) reaches every recipient once, at its time, not before, with a fresh working link', async () => {
    const t0 = new Date();
    const W = await seedOrg();
    const contact = `contact-${tag()}@example.org`;
    const { f, ids, first, r3, r1 } = await invited([{ orgId: W.org.id }, { email: contact }], t0);
    const people = [W.owner.email, W.admin.email, contact];
    const about = (mails: OutgoingMail[]) => to(mails, people).filter((m) => m.text.includes(f.title));
    expect(about(first).map((m) => m.to).sort()).toEqual([...people].sort());
    expect(about(first).some(isReminder)).toBe(false);
    expect(reminderRules()).toEqual([
      { rule: '3d', offsetMs: 3 * DAY },
      { rule: '1d', offsetMs: DAY },
    ]);

    const timeline: [Date, number][] = [
      [new Date(r3.getTime() - MIN), 0],
      [r3, 3],
      [new Date(r3.getTime() + HOUR), 0],
      [new Date(r1.getTime() - MIN), 0],
      [r1, 3],
      [new Date(r1.getTime() + 12 * HOUR), 0],
    ];
    const reminders: OutgoingMail[] = [];
    for (const [now, n] of timeline) {
      const all = await catcher.deliver({ now });
      const sent = about(all);
      expect(to(all, people), 'nothing else to these people').toEqual(sent);
      expect(sent, now.toISOString()).toHaveLength(n);
      expect(sent.every(isReminder)).toBe(true);
      reminders.push(...sent);
      for (const m of sent) {
        expect(m.text).toContain(f.title);
        // A fresh link, working at that time.
        const t = INVITE_LINK.exec(m.text)![1]!;
        expect(await previewInvitationPublic(db(), { token: t, now })).toMatchObject({ inviters: [A.org.name] });
      }
    }
    const per = new Map<string, number>();
    for (const m of reminders) per.set(m.to, (per.get(m.to) ?? 0) + 1);
    expect(Object.fromEntries(per)).toEqual(Object.fromEntries(people.map((p) => [p, 2])));
    const rows = await reminderRows(ids);
    expect(rows).toHaveLength(6);
    expect(rows.every((r) => r.status === 'sent' && r.attempts === 1)).toBe(true);
  });

  it('INVITATION_REMINDERS is the schedule: "36h" → one reminder 36 hours before sign-by', async () => {
    const prev = process.env.INVITATION_REMINDERS;
    process.env.INVITATION_REMINDERS = '36h';
    try {
      const t0 = new Date();
      const contact = `h36-${tag()}@example.org`;
      const { ids, signBy } = await invited([{ email: contact }], t0);
      const rows = await reminderRows(ids);
      expect(rows.map((r) => [r.dedupeKey, r.notBefore.getTime()])).toEqual([[`reminder:${ids[0]}:36h:0`, signBy.getTime() - 36 * HOUR]]);
      expect(to(await catcher.deliver({ now: new Date(signBy.getTime() - 36 * HOUR - MIN) }), [contact])).toEqual([]);
      expect(to(await catcher.deliver({ now: new Date(signBy.getTime() - 36 * HOUR) }), [contact])).toHaveLength(1);
    } finally {
      if (prev === undefined) delete process.env.INVITATION_REMINDERS;
      else process.env.INVITATION_REMINDERS = prev;
    }
  });

  it('a sign-by closer than a rule: that reminder is not scheduled (it would be in the past)', async () => {
    const t0 = new Date();
    const f = await statement();
    const contact = `soon-${tag()}@example.org`;
    const r = await inviteOrganizations(ctxFor(A.admin, { now: t0 }), {
      statementId: f.id,
      kind: 'participant',
      targets: [{ email: contact }],
      signBy: new Date(t0.getTime() + 2 * DAY),
      locale: 'en',
    });
    expect((await reminderRows([r.created[0]!.invitationId])).map((x) => x.dedupeKey)).toEqual([`reminder:${r.created[0]!.invitationId}:1d:0`]);
  });
});

describe('no reminder after the answer, the revocation or the expiry', () => {
  it('declined: its reminders are cancelled and none is sent at their time', async () => {
    const t0 = new Date();
    const R = await createUser();
    const { f, ids, first, r3, r1 } = await invited([{ email: R.email }], t0);
    await declineInvitation(ctxFor(R, { now: new Date(t0.getTime() + HOUR) }), { token: tokenIn(first, R.email, f.title), reason: 'No' });
    expect((await reminderRows(ids)).map((x) => x.status)).toEqual(['cancelled', 'cancelled']);
    for (const now of [r3, r1, new Date(r1.getTime() + HOUR)]) expect(to(await catcher.deliver({ now }), [R.email])).toEqual([]);
  });

  it('revoked after the relay claimed its reminder: the row stays claimed, and the relay’s guard cancels it instead of sending', async () => {
    const t0 = new Date();
    const contact = `claimed-${tag()}@example.org`;
    const { f, ids, r3 } = await invited([{ email: contact }], t0);
    // Everything due before the 3-day reminder is out of the way; then a relay claims the reminder and stalls.
    await catcher.deliver({ now: new Date(r3.getTime() - MIN) });
    const claimed = (await claimDue(db(), 1000, r3)).filter((r) => r.data.invitationId === ids[0]);
    expect(claimed.map((r) => [r.dedupeKey, r.status])).toEqual([[`reminder:${ids[0]}:3d:0`, 'sending']]);
    await revokeInvitation(ctxFor(A.admin, { now: new Date(r3.getTime() + 10_000) }), { statementId: f.id, invitationId: ids[0]! });
    const rows = await reminderRows(ids);
    // Revocation cancels what is pending; the claimed row is not (it is the relay's until its lease ends)…
    expect(Object.fromEntries(rows.map((r) => [r.dedupeKey, r.status]))).toEqual({
      [`reminder:${ids[0]}:3d:0`]: 'sending',
      [`reminder:${ids[0]}:1d:0`]: 'cancelled',
    });
    // …and when a relay takes it again (the lease ran out), the guard finds the invitation no longer pending.
    const sent = await catcher.deliver({ now: new Date(r3.getTime() + 3 * MIN) });
    expect(to(sent, [contact])).toEqual([]);
    expect((await reminderRows(ids)).every((r) => r.status === 'cancelled')).toBe(true);
  });

  it('declined while the relay is mid-pass: the reminder claimed in the same batch is cancelled by the guard', async () => {
    const t0 = new Date();
    const R = await createUser();
    const { f, ids, first, r3 } = await invited([{ email: R.email }], t0);
    const token = tokenIn(first, R.email, f.title);
    await catcher.deliver({ now: new Date(r3.getTime() - 2 * HOUR) });
    // A message due just before the reminder: sending it is when the invitee answers.
    const trigger = `trigger-${tag()}@example.org`;
    await enqueueTestNotice({ to: trigger, notBefore: new Date(r3.getTime() - HOUR) });
    const sent: OutgoingMail[] = [];
    const stats = await relayOnce(db(), {
      now: r3,
      batch: 1000,
      transport: {
        send: async (m) => {
          if (m.to === trigger) await declineInvitation(ctxFor(R, { now: new Date(r3.getTime() - HOUR) }), { token });
          sent.push(m);
        },
      },
    });
    expect(sent.map((m) => m.to)).toContain(trigger);
    expect(to(sent, [R.email])).toEqual([]);
    expect(stats.cancelled).toBeGreaterThanOrEqual(1);
    expect((await reminderRows(ids)).map((r) => r.status)).toEqual(['cancelled', 'cancelled']);
  });

  it('past expires_at: the relay sends nothing more of it even before the sweep has run', async () => {
    const t0 = new Date();
    const f = await statement();
    const contact = `late-${tag()}@example.org`;
    // Never sent until the relay comes back after the invitation expired.
    const r = await inviteOrganizations(ctxFor(A.admin, { now: t0 }), { statementId: f.id, kind: 'participant', targets: [{ email: contact }], locale: 'en' });
    const id = r.created[0]!.invitationId;
    expect(to(await catcher.deliver({ now: new Date(t0.getTime() + 15 * DAY) }), [contact])).toEqual([]);
    expect((await db().select().from(outbox).where(sql`${outbox.data}->>'invitationId' = ${id}`)).map((m) => m.status)).toEqual(['cancelled']);
    expect(await db().select().from(tokens).where(eq(tokens.subjectId, id))).toEqual([]);
  });
});

describe('after acceptance: reminders to sign the current version (keyed by version)', () => {
  /** A statement with a text that can be frozen, `orgs` invited at t0 (sign-by t0 + 10 days) and accepted at t0 + 1 hour. */
  async function acceptedBy(orgs: SeededOrg[], t0: Date, pending: SeededOrg[] = []) {
    const title = `Signable letter ${tag()}`;
    const { id } = await createStatement(ctxFor(A.owner), { orgId: A.org.id, title, primaryLang: 'en', summary: null, timeZone: 'Asia/Yerevan' });
    await saveText(ctxFor(A.owner, { now: t0 }), { statementId: id, lang: 'en', baseVersion: 0, title, doc: docOf('We ask for a public consultation.') });
    const signBy = new Date(t0.getTime() + 10 * DAY);
    const r = await inviteOrganizations(ctxFor(A.admin, { now: t0 }), {
      statementId: id,
      kind: 'participant',
      targets: [...orgs, ...pending].map((o) => ({ orgId: o.org.id })),
      signBy,
      locale: 'en',
    });
    await catcher.deliver({ now: new Date(t0.getTime() + MIN) });
    const inv = new Map(r.created.map((c, i) => [[...orgs, ...pending][i]!.org.id, c.invitationId]));
    for (const o of orgs) await acceptInvitation(ctxFor(o.owner, { now: new Date(t0.getTime() + HOUR) }), { invitationId: inv.get(o.org.id)!, orgId: o.org.id });
    return { id, title, inv, signBy, r3: new Date(signBy.getTime() - 3 * DAY), r1: new Date(signBy.getTime() - DAY) };
  }
  /** Only reminders (freezing and signing also mail these people: signing open, receipts). */
  const rem = (mails: OutgoingMail[], people: string[]) => to(mails, people).filter(isReminder);
  const adminsOf = (o: SeededOrg) => [o.owner.email, o.admin.email].map((e) => e.toLowerCase()).sort();
  /** dedupe key → status of the reminder rows of `invitationId`. */
  const keys = async (invitationId: string) => Object.fromEntries((await reminderRows([invitationId])).map((r) => [r.dedupeKey, r.status]));
  const expectedKeys = (invitationId: string, o: SeededOrg, rules: string[], version: number, status: string) =>
    Object.fromEntries(rules.flatMap((rule) => adminsOf(o).map((e) => [`reminder:${invitationId}:${rule}:${version}:${e}`, status])));
  const signLinkOnly = (m: OutgoingMail, statementId: string) => {
    expect(m.text).toContain(`/statements/${statementId}/sign`);
    expect(m.text).not.toMatch(INVITE_LINK);
    expect(m.text).not.toContain('#t=');
  };

  it('accepted: its reminders are kept and sent with a link to the sign page (no token) while it is not bound to the current version; they stop once it signed', async () => {
    const t0 = new Date();
    const [W1, W2] = [await seedOrg(), await seedOrg()];
    const s = await acceptedBy([W1!, W2!], t0);
    const i1 = s.inv.get(W1!.org.id)!;
    // Kept through the acceptance, keyed :0 (no version frozen yet), one per owner/admin.
    expect(await keys(i1)).toEqual(expectedKeys(i1, W1!, ['3d', '1d'], 0, 'pending'));
    // Frozen: the unsent :0 rows are cancelled, a :1 set is scheduled.
    await freezeVersion(ctxFor(A.owner, { now: new Date(t0.getTime() + 2 * HOUR) }), { statementId: s.id });
    expect(await keys(i1)).toEqual({ ...expectedKeys(i1, W1!, ['3d', '1d'], 0, 'cancelled'), ...expectedKeys(i1, W1!, ['3d', '1d'], 1, 'pending') });
    expect(rem(await catcher.deliver({ now: new Date(s.r3.getTime() - MIN) }), [...adminsOf(W1!), ...adminsOf(W2!)])).toEqual([]);
    // The 3-day reminder goes out to both: the sign page, no invitation link.
    const at3 = rem(await catcher.deliver({ now: s.r3 }), [...adminsOf(W1!), ...adminsOf(W2!)]);
    expect(at3.map((m) => m.to).sort()).toEqual([...adminsOf(W1!), ...adminsOf(W2!)].sort());
    for (const m of at3) {
      expect(m.text).toContain(s.title);
      signLinkOnly(m, s.id);
    }
    // W1 signs version 1; W2 does not.
    await signForOrganization(ctxFor(W1!.owner, { now: new Date(s.r3.getTime() + 2 * HOUR) }), { statementId: s.id, orgId: W1!.org.id, version: 1 });
    expect(rem(await catcher.deliver({ now: new Date(s.r1.getTime() - MIN) }), [...adminsOf(W1!), ...adminsOf(W2!)])).toEqual([]);
    const at1 = rem(await catcher.deliver({ now: s.r1 }), [...adminsOf(W1!), ...adminsOf(W2!)]);
    expect(at1.map((m) => m.to).sort()).toEqual(adminsOf(W2!));
    for (const m of at1) signLinkOnly(m, s.id);
    // The signer's rows were cancelled by the relay, not sent.
    expect(await keys(i1)).toMatchObject(expectedKeys(i1, W1!, ['1d'], 1, 'cancelled'));
    const i2 = s.inv.get(W2!.org.id)!;
    expect(await keys(i2)).toMatchObject(expectedKeys(i2, W2!, ['1d'], 1, 'sent'));
  });

  it('declined to sign or withdrew: cancelled by the relay at their time; an accepted organization that did nothing is reminded', async () => {
    const t0 = new Date();
    const [D, X, U] = [await seedOrg(), await seedOrg(), await seedOrg()];
    const s = await acceptedBy([D!, X!, U!], t0);
    const t1 = new Date(t0.getTime() + 2 * HOUR);
    await freezeVersion(ctxFor(A.owner, { now: t1 }), { statementId: s.id });
    await declineToSign(ctxFor(D!.admin, { now: t1 }), { statementId: s.id, orgId: D!.org.id, reason: 'Outside our mandate' });
    await signForOrganization(ctxFor(X!.owner, { now: t1 }), { statementId: s.id, orgId: X!.org.id, version: 1 });
    await withdrawSignature(ctxFor(X!.owner, { now: t1 }), { statementId: s.id, orgId: X!.org.id });
    const people = [D!, X!, U!].flatMap(adminsOf);
    for (const now of [s.r3, s.r1]) {
      const sent = rem(await catcher.deliver({ now }), people);
      expect(sent.map((m) => m.to).sort(), now.toISOString()).toEqual(adminsOf(U!));
      for (const m of sent) signLinkOnly(m, s.id);
    }
    for (const o of [D!, X!]) {
      const i = s.inv.get(o.org.id)!;
      expect(await keys(i)).toEqual({
        ...expectedKeys(i, o, ['3d', '1d'], 0, 'cancelled'),
        ...expectedKeys(i, o, ['3d', '1d'], 1, 'cancelled'),
      });
    }
  });

  it('a freeze of v2 schedules a set keyed :2 and cancels unsent :1 rows; an organization that must re-confirm is reminded until it does; a pending invitation keeps its invitation link', async () => {
    const t0 = new Date();
    const [W, P] = [await seedOrg(), await seedOrg()];
    const s = await acceptedBy([W!], t0, [P!]);
    const iw = s.inv.get(W!.org.id)!;
    const ip = s.inv.get(P!.org.id)!;
    await freezeVersion(ctxFor(A.owner, { now: new Date(t0.getTime() + 2 * HOUR) }), { statementId: s.id });
    await signForOrganization(ctxFor(W!.admin, { now: new Date(t0.getTime() + 3 * HOUR) }), { statementId: s.id, orgId: W!.org.id, version: 1 });
    await reopenStatement(ctxFor(A.owner, { now: new Date(t0.getTime() + 4 * HOUR) }), { statementId: s.id });
    await saveText(ctxFor(A.owner, { now: new Date(t0.getTime() + 4 * HOUR) }), { statementId: s.id, lang: 'en', baseVersion: 1, title: s.title, doc: docOf('We ask for a public consultation of ninety days.') });
    await freezeVersion(ctxFor(A.owner, { now: new Date(t0.getTime() + 5 * HOUR) }), { statementId: s.id });
    expect(await keys(iw)).toEqual({
      ...expectedKeys(iw, W!, ['3d', '1d'], 0, 'cancelled'),
      ...expectedKeys(iw, W!, ['3d', '1d'], 1, 'cancelled'),
      ...expectedKeys(iw, W!, ['3d', '1d'], 2, 'pending'),
    });
    expect(await keys(ip)).toEqual({
      ...expectedKeys(ip, P!, ['3d', '1d'], 0, 'cancelled'),
      ...expectedKeys(ip, P!, ['3d', '1d'], 1, 'cancelled'),
      ...expectedKeys(ip, P!, ['3d', '1d'], 2, 'pending'),
    });
    // At the 3-day mark W (bound to v1 only) is asked to sign v2; P, still invited, gets its invitation link.
    const at3 = rem(await catcher.deliver({ now: s.r3 }), [...adminsOf(W!), ...adminsOf(P!)]);
    expect(at3.map((m) => m.to).sort()).toEqual([...adminsOf(W!), ...adminsOf(P!)].sort());
    for (const m of at3.filter((x) => adminsOf(W!).includes(x.to))) signLinkOnly(m, s.id);
    for (const m of at3.filter((x) => adminsOf(P!).includes(x.to))) expect(m.text).toMatch(INVITE_LINK);
    // W re-confirms v2: its 1-day reminders are cancelled at their time; P's go out.
    await signForOrganization(ctxFor(W!.owner, { now: new Date(s.r3.getTime() + HOUR) }), { statementId: s.id, orgId: W!.org.id, version: 2 });
    const at1 = rem(await catcher.deliver({ now: s.r1 }), [...adminsOf(W!), ...adminsOf(P!)]);
    expect(at1.map((m) => m.to).sort()).toEqual(adminsOf(P!));
    expect(await keys(iw)).toMatchObject({ ...expectedKeys(iw, W!, ['3d'], 2, 'sent'), ...expectedKeys(iw, W!, ['1d'], 2, 'cancelled') });
  });
});

describe('several instances', () => {
  it('two relay processes started together at the reminders’ time: every reminder delivered exactly once', async () => {
    const t0 = new Date();
    const contacts = Array.from({ length: 30 }, (_, i) => `pair-${i}-${tag()}@example.org`);
    const W = await seedOrg();
    const { ids, r1 } = await invited([{ orgId: W.org.id }, ...contacts.map((email) => ({ email }))], t0);
    const people = [W.owner.email, W.admin.email, ...contacts];
    expect(await reminderRows(ids)).toHaveLength(people.length * 2);
    capture.reset();
    const barrier = await holdBarrier();
    const params = JSON.stringify({ mode: 'drain', batch: 4, barrierKey: barrier.key, now: r1.toISOString(), deadlineMs: 120_000 });
    const env = { SMTP_URL: `${capture.url}&pool=true`, APP_URL: 'http://localhost:3000' };
    const relays = [runChild('lib/testing/children/relay.ts', [params], env), runChild('lib/testing/children/relay.ts', [params], env)];
    try {
      await barrier.waitForWaiters(2, 45_000);
    } finally {
      await barrier.release();
    }
    const results = await Promise.all(relays);
    for (const r of results) expect(r.code, r.stderr).toBe(0);
    const stats = results.map((r) => parseResult<{ sent: number; failed: number; retried: number }>(r.stdout));
    expect(stats.reduce((n, s) => n + s.failed + s.retried, 0)).toBe(0);
    const per = capture.perRecipient();
    for (const p of people) expect(per.get(p), p).toBe(2);
    const mine = capture.messages.filter((m) => people.includes(m.to[0]!));
    expect(mine).toHaveLength(people.length * 2);
    expect(mine.every((m) => m.subject.startsWith('Reminder:'))).toBe(true);
    // Each reminder carries its own link: 2 × recipients distinct tokens, none minted twice.
    const links = mine.map((m) => INVITE_LINK.exec(m.text)![1]!);
    expect(new Set(links).size).toBe(links.length);
    const rows = await reminderRows(ids);
    expect(rows.every((r) => r.status === 'sent' && r.attempts === 1)).toBe(true);
    // Run again: nothing left to send.
    const again = await runChild('lib/testing/children/relay.ts', [JSON.stringify({ mode: 'once', now: r1.toISOString() })], env);
    expect(again.code, again.stderr).toBe(0);
    expect(capture.messages.filter((m) => people.includes(m.to[0]!))).toHaveLength(people.length * 2);
    recordFigure(
      'outbox-invitation-reminders',
      `Outbox: ${people.length * 2} scheduled reminders, 2 relay processes, ${mine.length} delivered, 0 duplicated`,
    );
  }, 180_000);

  it('two expiry sweeps started together: each overdue invitation recorded expired once (one invitation.expired event), its links and mail ended', async () => {
    const t0 = new Date();
    const contacts = Array.from({ length: 25 }, (_, i) => `sweep-${i}-${tag()}@example.org`);
    const R = await createUser();
    const { f, ids, first } = await invited([{ email: R.email }, ...contacts.map((email) => ({ email }))], t0);
    const rightful = tokenIn(first, R.email, f.title);
    const later = new Date(t0.getTime() + 15 * DAY);
    const overdue = async () =>
      (
        await db().execute(sql`SELECT count(*)::int AS n FROM statement_invitations WHERE status = 'pending' AND expires_at <= ${later.toISOString()}`)
      )[0] as unknown as { n: number };
    const expected = (await overdue()).n;
    expect(expected).toBeGreaterThanOrEqual(ids.length);
    const barrier = await holdBarrier();
    const params = JSON.stringify({ now: later.toISOString(), barrierKey: barrier.key, limit: 3 });
    const sweeps = [runChild('lib/testing/children/expire-invitations.ts', [params]), runChild('lib/testing/children/expire-invitations.ts', [params])];
    try {
      await barrier.waitForWaiters(2, 45_000);
    } finally {
      await barrier.release();
    }
    const results = await Promise.all(sweeps);
    for (const r of results) expect(r.code, r.stderr).toBe(0);
    const counts = results.map((r) => parseResult<{ expired: number }>(r.stdout).expired);
    expect(counts[0]! + counts[1]!).toBe(expected);
    expect((await overdue()).n).toBe(0);
    const events = await db()
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.chainType, 'statement'), eq(auditEvents.chainId, f.id), eq(auditEvents.type, 'invitation.expired')));
    expect(events.map((e) => e.data.invitationId).sort()).toEqual([...ids].sort());
    const rows = await db().select().from(statementInvitations).where(inArray(statementInvitations.id, ids));
    expect(rows.every((r) => r.status === 'expired' && r.respondedAt?.getTime() === later.getTime())).toBe(true);
    for (const id of ids) expect(await liveTokenCount(db(), id)).toBe(0);
    expect((await reminderRows(ids)).every((r) => r.status === 'cancelled')).toBe(true);
    // A third sweep finds nothing; the rightful recipient is told their link expired, after the sweep too.
    expect(await expireInvitations(db(), { now: later })).toBe(0);
    expect(
      await openInvitation(ctxFor(R, { now: later }), { token: rightful }).then(
        () => null,
        (e: { message: string }) => e.message,
      ),
    ).toBe('errors.invitationLinkExpired');
    recordFigure('concurrency-invitation-expiry', `Concurrent: 2 expiry sweeps over ${expected} overdue invitations, ${counts[0]! + counts[1]!} recorded, 0 twice`);
  }, 120_000);
});

describe('invariants after this file', () => {
  it('the invariant checker finds nothing', async () => {
    expect((await checkInvariants(db())).filter((x) => x.count > 0)).toEqual([]);
  });
});
