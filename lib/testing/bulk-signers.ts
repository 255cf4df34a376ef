// Bulk seeding for the signing concurrency test: N participant organizations of one statement, each with an owner,
// written in a few multi-row INSERTs instead of N× (createOrganization + inviteOrganizations + acceptInvitation),
// which would take minutes on a 2-core machine. What the product path would leave is written consistently so the
// invariant checker finds nothing: each organization's chain starts with its org.created event (hash-chained from
// genesis exactly as appendAudit computes it), and each participant has an accepted participant invitation with one
// invitation.sent and one invitation.accepted event appended to the statement's chain after its current head.
// No tokens or invitation mail are written (an accepted invitation has no live link, and no mail means none pending).
import crypto from 'node:crypto';
import { and, eq, sql } from 'drizzle-orm';
import { getDb } from '@/db';
import {
  auditChainHeads,
  auditEvents,
  memberships,
  organizations,
  statementInvitations,
  statementParticipants,
  users,
  type AuditEventType,
} from '@/db/schema';
import { eventHash, GENESIS_HASH, type ChainType } from '../audit';
import type { Actor } from '../context';
import { normalizeOrgName } from '../org-names';

export type BulkSigner = { orgId: string; owner: Actor };

type EventRow = typeof auditEvents.$inferInsert;

/** An event row with its hash computed as appendAudit does (milliseconds, canonical body). */
function chained(prev: { seq: number; hash: string }, chain: { type: ChainType; id: string }, type: AuditEventType, actorUserId: string | null, data: Record<string, unknown>, at: Date): EventRow {
  const seq = prev.seq + 1;
  const createdAt = new Date(Math.floor(at.getTime()));
  const hash = eventHash(prev.hash, { chainType: chain.type, chainId: chain.id, seq, type, actorUserId, data, createdAt: createdAt.toISOString() });
  return { chainType: chain.type, chainId: chain.id, seq, type, actorUserId, data, prevHash: prev.hash, hash, createdAt };
}

async function insertChunked<T>(rows: T[], size: number, insert: (chunk: T[]) => Promise<unknown>) {
  for (let i = 0; i < rows.length; i += size) await insert(rows.slice(i, i + size));
}

/**
 * `n` organizations (policy 'admins', owner only) made participants of `statementId`, invited by `invitedBy` (an
 * initiator admin). One transaction; the statement chain head is locked while its events are appended.
 */
export async function seedBulkParticipants(statementId: string, invitedBy: string, n: number): Promise<BulkSigner[]> {
  const tag = crypto.randomBytes(4).toString('hex');
  const now = new Date(Math.floor(Date.now()));
  return getDb().transaction(async (tx) => {
    const people = Array.from({ length: n }, (_, i) => ({ email: `bulk-${tag}-${i}@example.org`, emailVerified: now }));
    const u: { id: string; email: string }[] = [];
    await insertChunked(people, 500, async (c) => u.push(...(await tx.insert(users).values(c).returning({ id: users.id, email: users.email }))));
    const orgRows = u.map((owner, i) => {
      const name = `Bulk Signer ${tag} ${String(i).padStart(4, '0')}`;
      return { slug: `bulk-signer-${tag}-${i}`, name, names: {}, normalizedName: normalizeOrgName(name), searchText: normalizeOrgName(name), createdBy: owner.id, createdAt: now, updatedAt: now };
    });
    const orgs: { id: string; slug: string; name: string; ownerId: string | null }[] = [];
    await insertChunked(orgRows, 500, async (c) =>
      orgs.push(
        ...(await tx
          .insert(organizations)
          .values(c)
          .returning({ id: organizations.id, slug: organizations.slug, name: organizations.name, ownerId: organizations.createdBy })),
      ),
    );
    // Each organization with its owner (matched by id, not by the order RETURNING happens to give).
    const byId = new Map(u.map((x) => [x.id, x]));
    const ownerOf = (o: { ownerId: string | null }) => byId.get(o.ownerId!)!;
    await insertChunked(
      orgs.map((o) => ({ orgId: o.id, userId: ownerOf(o).id, role: 'owner' as const, createdAt: now })),
      1000,
      (c) => tx.insert(memberships).values(c),
    );
    // org.created: each organization's chain, seq 1 from genesis (createOrganization writes { slug, name }).
    const created = orgs.map((o) => chained({ seq: 0, hash: GENESIS_HASH }, { type: 'organization', id: o.id }, 'org.created', ownerOf(o).id, { slug: o.slug, name: o.name }, now));
    await insertChunked(created, 1000, (c) => tx.insert(auditEvents).values(c));
    await insertChunked(
      created.map((e) => ({ chainType: e.chainType, chainId: e.chainId, seq: e.seq, hash: e.hash })),
      1000,
      (c) => tx.insert(auditChainHeads).values(c),
    );

    // Accepted participant invitations (as inviteOrganizations + acceptInvitation leave them), and their participants.
    const invRows = orgs.map((o) => ({
      statementId,
      kind: 'participant' as const,
      targetOrgId: o.id,
      status: 'accepted' as const,
      locale: 'en',
      expiresAt: new Date(now.getTime() + 14 * 86_400_000),
      invitedBy,
      createdAt: now,
      viewedAt: now,
      respondedAt: now,
      respondedBy: ownerOf(o).id,
      acceptedOrgId: o.id,
    }));
    const invs: { id: string; orgId: string | null; by: string | null }[] = [];
    await insertChunked(invRows, 500, async (c) =>
      invs.push(
        ...(await tx
          .insert(statementInvitations)
          .values(c)
          .returning({ id: statementInvitations.id, orgId: statementInvitations.acceptedOrgId, by: statementInvitations.respondedBy })),
      ),
    );
    await insertChunked(
      invs.map((inv) => ({ statementId, orgId: inv.orgId!, invitationId: inv.id, acceptedBy: inv.by, joinedAt: now })),
      1000,
      (c) => tx.insert(statementParticipants).values(c),
    );

    // The statement chain: invitation.sent then invitation.accepted per invitation, after the locked head.
    await tx.insert(auditChainHeads).values({ chainType: 'statement', chainId: statementId, seq: 0, hash: GENESIS_HASH }).onConflictDoNothing();
    const [head] = await tx
      .select()
      .from(auditChainHeads)
      .where(and(eq(auditChainHeads.chainType, 'statement'), eq(auditChainHeads.chainId, statementId)))
      .for('update');
    let prev = { seq: head!.seq, hash: head!.hash };
    const chain = { type: 'statement' as const, id: statementId };
    const events: EventRow[] = [];
    for (const inv of invs) {
      const sent = chained(prev, chain, 'invitation.sent', invitedBy, { invitationId: inv.id, kind: 'participant', targetOrgId: inv.orgId, byEmail: false }, now);
      const accepted = chained(
        { seq: sent.seq!, hash: sent.hash },
        chain,
        'invitation.accepted',
        inv.by,
        { invitationId: inv.id, kind: 'participant', orgId: inv.orgId, provenBy: null },
        now,
      );
      events.push(sent, accepted);
      prev = { seq: accepted.seq!, hash: accepted.hash };
    }
    await insertChunked(events, 1000, (c) => tx.insert(auditEvents).values(c));
    await tx
      .update(auditChainHeads)
      .set({ seq: prev.seq, hash: prev.hash, updatedAt: sql`now()` })
      .where(and(eq(auditChainHeads.chainType, 'statement'), eq(auditChainHeads.chainId, statementId)));
    return orgs.map((o) => ({ orgId: o.id, owner: { userId: ownerOf(o).id, email: ownerOf(o).email } }));
  });
}
