// Seeding helpers for organization tests: an organization with an owner, an admin, a member and an
// outsider, built the way people build one — createOrganization, an invitation each member accepts
// (inviteMember + acceptMemberInvitation by invitation id), then changeMemberRole. No direct inserts.
import crypto from 'node:crypto';
import { and, eq, sql } from 'drizzle-orm';
import { getDb } from '@/db';
import { memberships, type OrgRole } from '@/db/schema';
import { verifyChain, type ChainProblem } from '../audit';
import type { Actor } from '../context';
import { acceptMemberInvitation, changeMemberRole, inviteMember } from '../members';
import { createOrganization, type OrgProfileInput } from '../orgs';
import { createUser, ctxFor } from './db';

const rnd = () => crypto.randomBytes(4).toString('hex');

/** A unique, valid organization name (no similar-name conflicts between seeds). */
export const uniqueOrgName = (prefix = 'Test NGO') => `${prefix} ${rnd()}${rnd()}`;

/** The membership id of `userId` in `orgId` (or null). */
export async function membershipIdOf(orgId: string, userId: string): Promise<string | null> {
  const [m] = await getDb()
    .select({ id: memberships.id })
    .from(memberships)
    .where(and(eq(memberships.orgId, orgId), eq(memberships.userId, userId)));
  return m?.id ?? null;
}

/** The role of `userId` in `orgId` (or null), read straight from the table. */
export async function roleOf(orgId: string, userId: string): Promise<OrgRole | null> {
  const [m] = await getDb()
    .select({ role: memberships.role })
    .from(memberships)
    .where(and(eq(memberships.orgId, orgId), eq(memberships.userId, userId)));
  return m?.role ?? null;
}

/** Add `user` to the organization with `role`: invited by `by` as a member, accepted, then promoted by `by`. */
export async function addMember(by: Actor, orgId: string, user: Actor, role: OrgRole, title?: string): Promise<string> {
  const { invitationId } = await inviteMember(ctxFor(by), { orgId, email: user.email, role: 'member', title: title ?? null });
  await acceptMemberInvitation(ctxFor(user), { invitationId });
  const id = (await membershipIdOf(orgId, user.userId))!;
  if (role !== 'member') await changeMemberRole(ctxFor(by), { orgId, membershipId: id, role });
  return id;
}

export type SeededOrg = {
  org: { id: string; slug: string; name: string };
  owner: Actor;
  admin: Actor;
  member: Actor;
  /** Signed in, member of nothing here. */
  outsider: Actor;
  /** Present with `{ admin2: true }` / `{ owner2: true }`. */
  admin2?: Actor;
  owner2?: Actor;
  member2?: Actor;
  /** Membership ids by person. */
  m: { owner: string; admin: string; member: string; admin2?: string; owner2?: string; member2?: string };
  /** Pending invitations (with `{ invitations: true }`), by the role they offer. */
  inv?: { member: string; admin: string; memberEmail: string; adminEmail: string };
};

export type SeedOpts = { profile?: Partial<OrgProfileInput>; admin2?: boolean; owner2?: boolean; member2?: boolean; invitations?: boolean };

/**
 * An organization with owner, admin and member (and optionally a second admin, owner or member, and two
 * pending invitations: one for a member, one for an admin), plus an outsider account.
 */
export async function seedOrg(opts: SeedOpts = {}): Promise<SeededOrg> {
  const tag = rnd();
  const [owner, admin, member, outsider] = await Promise.all([
    createUser(`owner-${tag}@example.org`),
    createUser(`admin-${tag}@example.org`),
    createUser(`member-${tag}@example.org`),
    createUser(`outsider-${tag}@example.org`),
  ]);
  const name = opts.profile?.name ?? uniqueOrgName();
  const org = await createOrganization(ctxFor(owner), { confirmDistinct: true, ...opts.profile, name });
  const s: SeededOrg = {
    org: { id: org.id, slug: org.slug, name },
    owner,
    admin,
    member,
    outsider,
    m: {
      owner: (await membershipIdOf(org.id, owner.userId))!,
      admin: await addMember(owner, org.id, admin, 'admin'),
      member: await addMember(owner, org.id, member, 'member', 'Coordinator'),
    },
  };
  if (opts.admin2) {
    s.admin2 = await createUser(`admin2-${tag}@example.org`);
    s.m.admin2 = await addMember(owner, org.id, s.admin2, 'admin');
  }
  if (opts.owner2) {
    s.owner2 = await createUser(`owner2-${tag}@example.org`);
    s.m.owner2 = await addMember(owner, org.id, s.owner2, 'owner');
  }
  if (opts.member2) {
    s.member2 = await createUser(`member2-${tag}@example.org`);
    s.m.member2 = await addMember(owner, org.id, s.member2, 'member');
  }
  if (opts.invitations) {
    const memberEmail = `invited-member-${tag}@example.org`;
    const adminEmail = `invited-admin-${tag}@example.org`;
    const a = await inviteMember(ctxFor(owner), { orgId: org.id, email: memberEmail, role: 'member' });
    const b = await inviteMember(ctxFor(owner), { orgId: org.id, email: adminEmail, role: 'admin' });
    s.inv = { member: a.invitationId, admin: b.invitationId, memberEmail, adminEmail };
  }
  return s;
}

/** A tiny valid PNG (made with sharp). */
export async function tinyPng(width = 8, height = 8, color = { r: 200, g: 30, b: 60 }): Promise<Buffer> {
  const sharp = (await import('sharp')).default;
  return sharp({ create: { width, height, channels: 3, background: color } }).png().toBuffer();
}

/**
 * The organization invariants, checked straight in SQL (lib/invariants.ts is another team's): every
 * organization has at least one owner, was created with an `org.created` event, and its audit chain verifies.
 */
export async function orgInvariantProblems(): Promise<{ ownerless: string[]; uncreated: string[]; chains: ChainProblem[]; organizations: number }> {
  const db = getDb();
  const ownerless = (await db.execute(sql`
    SELECT o.id FROM organizations o
    WHERE NOT EXISTS (SELECT 1 FROM memberships m WHERE m.org_id = o.id AND m.role = 'owner')`)) as unknown as { id: string }[];
  const uncreated = (await db.execute(sql`
    SELECT o.id FROM organizations o
    WHERE NOT EXISTS (SELECT 1 FROM audit_events e WHERE e.chain_type = 'organization' AND e.chain_id = o.id AND e.seq = 1 AND e.type = 'org.created')`)) as unknown as { id: string }[];
  const orgs = (await db.execute(sql`SELECT id FROM organizations ORDER BY id`)) as unknown as { id: string }[];
  const chains: ChainProblem[] = [];
  for (const o of orgs) chains.push(...(await verifyChain(db, { type: 'organization', id: o.id })));
  return { ownerless: ownerless.map((r) => r.id), uncreated: uncreated.map((r) => r.id), chains, organizations: orgs.length };
}
