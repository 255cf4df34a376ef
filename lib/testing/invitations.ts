// Helpers for statement-invitation tests: a mail transport that keeps what the relay sends (so tests read the
// links the way an invitee does), and participants made the way the product makes them — an initiator admin
// invites the organization, its owner accepts (inviteOrganizations + acceptInvitation), never direct inserts.
import { and, eq, inArray } from 'drizzle-orm';
import { getDb } from '@/db';
import { memberships, statementInitiators, statementInvitations, users, type InvitationKind } from '@/db/schema';
import type { Actor } from '../context';
import { acceptInvitation, inviteOrganizations } from '../invitations';
import type { OutgoingMail, Transport } from '../mail/transport';
import { relayOnce } from '../outbox';
import { ctxFor } from './db';
import type { SeededOrg } from './orgs';

export const INVITE_LINK = /\/invite\/statement#t=([A-Za-z0-9_-]{43})/;

/** A transport that keeps every message; `sent` grows over the whole file, `deliver()` returns one pass's mail. */
export function mailCatcher() {
  const sent: OutgoingMail[] = [];
  const transport: Transport = { send: async (m) => void sent.push(m) };
  return {
    sent,
    transport,
    /** One relay pass over everything due (default clock: PostgreSQL's now()); the messages it sent. */
    async deliver(opts: { now?: Date } = {}): Promise<OutgoingMail[]> {
      const from = sent.length;
      await relayOnce(getDb(), { transport, batch: 1000, now: opts.now });
      return sent.slice(from);
    },
    /** Every invitation token ever mailed (for "stored nowhere" checks). */
    tokens(): string[] {
      return sent.map((m) => INVITE_LINK.exec(m.text)?.[1]).filter((t): t is string => !!t);
    },
  };
}

/** The token in the one message of `mails` to `email` whose text contains `marker` (a statement title). */
export function tokenIn(mails: OutgoingMail[], email: string, marker?: string): string {
  const mine = mails.filter((m) => m.to === email && (!marker || m.text.includes(marker)));
  if (mine.length !== 1) throw new Error(`expected one invitation message to ${email}, got ${mine.length}`);
  const t = INVITE_LINK.exec(mine[0]!.text)?.[1];
  if (!t) throw new Error(`no invitation link in the message to ${email}`);
  return t;
}

async function actorOf(userId: string): Promise<Actor> {
  const [u] = await getDb().select({ email: users.email }).from(users).where(eq(users.id, userId));
  return { userId, email: u!.email };
}

/** An owner or admin of the statement's primary initiator: who invites when a test does not say. */
export async function initiatorAdminOf(statementId: string): Promise<Actor> {
  const [row] = await getDb()
    .select({ userId: memberships.userId })
    .from(statementInitiators)
    .innerJoin(memberships, eq(memberships.orgId, statementInitiators.orgId))
    .where(
      and(
        eq(statementInitiators.statementId, statementId),
        eq(statementInitiators.role, 'primary'),
        inArray(memberships.role, ['owner', 'admin']),
      ),
    )
    .limit(1);
  if (!row) throw new Error(`statement ${statementId} has no initiator admin`);
  return actorOf(row.userId);
}

/** Invite `org` (its owners/admins are e-mailed) as the statement's initiator admin; the pending invitation's id. */
export async function inviteOrg(
  statementId: string,
  org: SeededOrg,
  opts: { by?: Actor | string; kind?: InvitationKind } = {},
): Promise<string> {
  const by = typeof opts.by === 'string' ? await actorOf(opts.by) : (opts.by ?? (await initiatorAdminOf(statementId)));
  const r = await inviteOrganizations(ctxFor(by), {
    statementId,
    kind: opts.kind ?? 'participant',
    targets: [{ orgId: org.org.id }],
    locale: 'en',
  });
  if (r.created[0]) return r.created[0].invitationId;
  // Already invited (and pending): that invitation.
  const [inv] = await getDb()
    .select({ id: statementInvitations.id })
    .from(statementInvitations)
    .where(
      and(
        eq(statementInvitations.statementId, statementId),
        eq(statementInvitations.targetOrgId, org.org.id),
        eq(statementInvitations.status, 'pending'),
      ),
    );
  if (!inv) throw new Error(`could not invite ${org.org.name}: ${JSON.stringify(r.skipped)}`);
  return inv.id;
}

/**
 * Make `org` a participant (or, with kind co_initiator, a co-initiator) the way the product does: invited by an
 * initiator admin, accepted by its owner from the dashboard (by invitation id). Returns the invitation id.
 */
export async function participate(
  statementId: string,
  org: SeededOrg,
  opts: { by?: Actor | string; kind?: InvitationKind } = {},
): Promise<string> {
  const invitationId = await inviteOrg(statementId, org, opts);
  await acceptInvitation(ctxFor(org.owner), { invitationId, orgId: org.org.id });
  return invitationId;
}
