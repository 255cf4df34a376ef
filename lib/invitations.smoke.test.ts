// Smoke test of the invitation core (the full suite is lib/invitations.test.ts).
import { eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { getDb } from '@/db';
import { outbox, statementInvitations } from '@/db/schema';
import type { Actor } from './context';
import { acceptInvitation, declineInvitation, expireInvitations, getInvitationBoard, inviteOrganizations, openInvitation, previewInvitationPublic } from './invitations';
import type { OutgoingMail } from './mail/transport';
import { relayOnce } from './outbox';
import { createStatement } from './statements';
import { createUser, ctxFor } from './testing/db';
import { seedOrg, type SeededOrg } from './testing/orgs';
import { createOrganization } from './orgs';

let s: SeededOrg;
let o: SeededOrg;
beforeAll(async () => {
  [s, o] = await Promise.all([seedOrg(), seedOrg()]);
});

const sent: OutgoingMail[] = [];
const transport = { send: async (m: OutgoingMail) => void sent.push(m) };
const tokenFor = (to: string) => {
  const m = [...sent].reverse().find((x) => x.to === to);
  return m ? /#t=([A-Za-z0-9_-]{43})/.exec(m.text)?.[1] ?? null : null;
};

describe('invitations (smoke)', () => {
  it('invites an organization and a contact, accepts and declines', async () => {
    const { id } = await createStatement(ctxFor(s.member), { orgId: s.org.id, title: 'Letter', primaryLang: 'en', timeZone: 'Asia/Yerevan' });
    const signBy = new Date(Date.now() + 10 * 86400_000);
    const contact: Actor = await createUser();
    const r = await inviteOrganizations(ctxFor(s.admin), { statementId: id, kind: 'participant', targets: [{ orgId: o.org.id }, { email: contact.email }], message: 'Please join', signBy, locale: 'en' });
    expect(r.created).toHaveLength(2);
    const rows = await getDb().select().from(outbox).where(eq(outbox.kind, 'statement.invitation_reminder'));
    expect(rows.length).toBeGreaterThanOrEqual(2 * 2 + 1); // org: owner+admin × 2 rules; contact × 2 rules
    await relayOnce(getDb(), { transport, batch: 100 });
    const t = tokenFor(contact.email);
    expect(t).toBeTruthy();
    const pub = await previewInvitationPublic(getDb(), { token: t! });
    expect(pub.inviters).toEqual([s.org.name]);
    expect(pub.maskedEmail).toMatch(/^.…@example\.org$/);
    const opened = await openInvitation(ctxFor(contact), { token: t! });
    expect(opened.title).toBe('Letter');
    expect(opened.canCreateOrg).toBe(true);
    const org = await createOrganization(ctxFor(contact), { name: `Contact NGO ${Date.now()}`, confirmDistinct: true });
    await acceptInvitation(ctxFor(contact), { token: t!, orgId: org.id });
    const ot = tokenFor(o.owner.email);
    expect(ot).toBeTruthy();
    await expect(declineInvitation(ctxFor(o.member), { token: ot!, reason: 'x' })).rejects.toThrow();
    await declineInvitation(ctxFor(o.owner), { token: ot!, reason: 'Not our topic' });
    const board = await getInvitationBoard(ctxFor(s.member), id);
    expect(board.counts.accepted).toBe(1);
    expect(board.counts.declined).toBe(1);
    expect(board.items.find((i) => i.state === 'declined')?.declineReason).toBe('Not our topic');
    const pendingReminders = await getDb().select().from(outbox).where(eq(outbox.kind, 'statement.invitation_reminder'));
    expect(pendingReminders.every((x) => x.status === 'cancelled')).toBe(true);
  });

  it('expires once', async () => {
    const { id } = await createStatement(ctxFor(s.member), { orgId: s.org.id, title: 'L2', primaryLang: 'en', timeZone: 'Asia/Yerevan' });
    const contact = await createUser();
    await inviteOrganizations(ctxFor(s.admin), { statementId: id, kind: 'participant', targets: [{ email: contact.email }], locale: 'hy' });
    const later = new Date(Date.now() + 15 * 86400_000);
    expect(await expireInvitations(getDb(), { now: later })).toBeGreaterThanOrEqual(1);
    expect(await expireInvitations(getDb(), { now: later })).toBe(0);
    const [inv] = await getDb().select().from(statementInvitations).where(eq(statementInvitations.statementId, id));
    expect(inv!.status).toBe('expired');
  });
});
