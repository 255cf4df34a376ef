// The organization matrix of SECURITY.md ("Organization actions"), every cell at the lib level:
// roles non-member, member, admin, owner (and signed out) × every organization action. Each denial
// asserts its error code and an unchanged digest of the domain tables; every action has an allowed
// twin that succeeds and changes the database. Plus: I2 (a missing organization answers exactly like
// one you are not a member of), IDOR (ids from another organization), and a removed member's next call.
import crypto from 'node:crypto';
import { and, eq, like } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { getDb } from '@/db';
import { memberInvitations, memberships, organizations, outbox } from '@/db/schema';
import type { Actor } from './context';
import { isAppError, type ErrorCode } from './errors';
import {
  changeMemberRole,
  inviteMember,
  leaveOrganization,
  listMembers,
  removeMember,
  resendMemberInvitation,
  revokeMemberInvitation,
  setMemberTitle,
  transferOwnership,
} from './members';
import { getOrganizationForMember, getPublicOrganization, setOrganizationLogo, setSigningPolicy, updateOrganizationProfile } from './orgs';
import { ctxFor, digestDomain } from './testing/db';
import { orgInvariantProblems, roleOf, seedOrg, tinyPng, type SeededOrg, type SeedOpts } from './testing/orgs';
import { matrixTally } from './testing/tally';

type Who = 'anon' | 'nonMember' | 'member' | 'admin' | 'owner';
type Want = 'allow' | ErrorCode;
type Outcome = { ok: true; value: unknown } | { ok: false; code: ErrorCode; message: string };

async function outcomeOf(fn: () => Promise<unknown>): Promise<Outcome> {
  try {
    return { ok: true, value: await fn() };
  } catch (e) {
    if (isAppError(e)) return { ok: false, code: e.code, message: e.message };
    throw e;
  }
}

const actorOf = (s: SeededOrg, who: Who): Actor | null =>
  who === 'anon' ? null : who === 'nonMember' ? s.outsider : s[who];
const ctxOf = (s: SeededOrg, who: Who) => ctxFor(actorOf(s, who));

// Targets "someone else with role R" (never the actor: acting on oneself is its own row).
const otherMember = (s: SeededOrg, who: Who) => (who === 'member' ? s.m.member2! : s.m.member);
const otherAdmin = (s: SeededOrg, who: Who) => (who === 'admin' ? s.m.admin2! : s.m.admin);
const otherOwner = (s: SeededOrg, who: Who) => (who === 'owner' ? s.m.owner2! : s.m.owner);
const ownMembership = (s: SeededOrg, who: Who) => (who === 'member' || who === 'admin' || who === 'owner' ? s.m[who] : s.m.member);

const db = () => getDb();
async function membershipById(id: string) {
  const [m] = await db().select().from(memberships).where(eq(memberships.id, id));
  return m ?? null;
}
async function orgRow(id: string) {
  const [o] = await db().select().from(organizations).where(eq(organizations.id, id));
  return o!;
}
async function invitationRow(id: string) {
  const [i] = await db().select().from(memberInvitations).where(eq(memberInvitations.id, id));
  return i!;
}
const freshEmail = () => `new-${crypto.randomBytes(5).toString('hex')}@example.org`;

let png: Buffer;

type Action = {
  name: string;
  /** The SECURITY.md row it proves. */
  row: string;
  cells: Partial<Record<Who, Want>>;
  call: (s: SeededOrg, who: Who) => Promise<unknown>;
  /** Extra people or invitations the allowed twin needs. */
  need?: SeedOpts;
  /** After an allowed call: the specific change (beyond "the digest changed"). */
  effect?: (s: SeededOrg, who: Who, result: unknown) => Promise<void>;
  /** Reads: allowed calls change nothing. */
  read?: boolean;
  /** Public reads have no "missing organization = not a member" cell. */
  public?: boolean;
};

const PROFILE_ROLES = { anon: 'UNAUTHENTICATED', nonMember: 'NOT_FOUND', member: 'FORBIDDEN', admin: 'allow', owner: 'allow' } as const;
const OWNER_ONLY = { anon: 'UNAUTHENTICATED', nonMember: 'NOT_FOUND', member: 'FORBIDDEN', admin: 'FORBIDDEN', owner: 'allow' } as const;
const ANY_MEMBER = { anon: 'UNAUTHENTICATED', nonMember: 'NOT_FOUND', member: 'allow', admin: 'allow', owner: 'allow' } as const;

const ACTIONS: Action[] = [
  {
    name: 'edit profile',
    row: 'edit profile',
    cells: PROFILE_ROLES,
    call: (s, who) => updateOrganizationProfile(ctxOf(s, who), { orgId: s.org.id, name: s.org.name, city: 'Gyumri', description: `Edited by ${who}` }),
    effect: async (s, who) => {
      const o = await orgRow(s.org.id);
      expect(o.description).toBe(`Edited by ${who}`);
      expect(o.city).toBe('Gyumri');
    },
  },
  {
    name: 'upload logo',
    row: 'edit profile',
    cells: PROFILE_ROLES,
    call: (s, who) => setOrganizationLogo(ctxOf(s, who), { orgId: s.org.id, bytes: png }),
    effect: async (s, _who, r) => expect((await orgRow(s.org.id)).logoFileId).toBe((r as { fileId: string }).fileId),
  },
  {
    name: 'invite a member',
    row: 'invite / remove members, set titles',
    cells: PROFILE_ROLES,
    call: (s, who) => inviteMember(ctxOf(s, who), { orgId: s.org.id, email: freshEmail(), role: 'member' }),
    effect: async (s, _who, r) => {
      const inv = await invitationRow((r as { invitationId: string }).invitationId);
      expect(inv).toMatchObject({ orgId: s.org.id, role: 'member', status: 'pending' });
      const mail = await db().select().from(outbox).where(eq(outbox.dedupeKey, `member_invitation:${inv.id}:sent`));
      expect(mail).toHaveLength(1);
    },
  },
  {
    name: 'invite an admin',
    row: 'make a member admin; change roles of admins/owners',
    cells: OWNER_ONLY,
    call: (s, who) => inviteMember(ctxOf(s, who), { orgId: s.org.id, email: freshEmail(), role: 'admin' }),
    effect: async (_s, _who, r) => expect((await invitationRow((r as { invitationId: string }).invitationId)).role).toBe('admin'),
  },
  {
    name: 'invite an owner',
    row: 'make a member admin; change roles of admins/owners',
    cells: OWNER_ONLY,
    call: (s, who) => inviteMember(ctxOf(s, who), { orgId: s.org.id, email: freshEmail(), role: 'owner' }),
    effect: async (_s, _who, r) => expect((await invitationRow((r as { invitationId: string }).invitationId)).role).toBe('owner'),
  },
  {
    name: 'remove a member',
    row: 'invite / remove members, set titles',
    cells: PROFILE_ROLES,
    call: (s, who) => removeMember(ctxOf(s, who), { orgId: s.org.id, membershipId: otherMember(s, who) }),
    effect: async (s) => expect(await membershipById(s.m.member)).toBeNull(),
  },
  {
    name: 'remove an admin',
    row: 'invite / remove members, set titles (admins: not owners)',
    cells: PROFILE_ROLES,
    need: { admin2: true },
    call: (s, who) => removeMember(ctxOf(s, who), { orgId: s.org.id, membershipId: otherAdmin(s, who) }),
    effect: async (s, who) => expect(await membershipById(otherAdmin(s, who))).toBeNull(),
  },
  {
    name: 'remove an owner (another owner exists)',
    row: 'invite / remove members (admins: not owners); never zero owners',
    cells: OWNER_ONLY,
    need: { owner2: true },
    call: (s, who) => removeMember(ctxOf(s, who), { orgId: s.org.id, membershipId: otherOwner(s, who) }),
    effect: async (s, who) => {
      expect(await membershipById(otherOwner(s, who))).toBeNull();
      expect(await roleOf(s.org.id, s.owner.userId)).toBe('owner');
    },
  },
  {
    name: 'remove oneself (use leave instead)',
    row: 'leave',
    cells: { owner: 'INVALID_STATE', admin: 'INVALID_STATE' },
    call: (s, who) => removeMember(ctxOf(s, who), { orgId: s.org.id, membershipId: ownMembership(s, who) }),
  },
  {
    name: "set a member's title",
    row: 'invite / remove members, set titles',
    cells: PROFILE_ROLES,
    call: (s, who) => setMemberTitle(ctxOf(s, who), { orgId: s.org.id, membershipId: otherMember(s, who), title: `Treasurer (${who})` }),
    effect: async (s, who) => expect((await membershipById(s.m.member))!.title).toBe(`Treasurer (${who})`),
  },
  {
    name: "set an admin's title",
    row: 'invite / remove members, set titles (admins: not owners)',
    cells: PROFILE_ROLES,
    need: { admin2: true },
    call: (s, who) => setMemberTitle(ctxOf(s, who), { orgId: s.org.id, membershipId: otherAdmin(s, who), title: 'Secretary' }),
    effect: async (s, who) => expect((await membershipById(otherAdmin(s, who)))!.title).toBe('Secretary'),
  },
  {
    name: "set an owner's title",
    row: 'invite / remove members, set titles (admins: not owners)',
    cells: OWNER_ONLY,
    need: { owner2: true },
    call: (s, who) => setMemberTitle(ctxOf(s, who), { orgId: s.org.id, membershipId: otherOwner(s, who), title: 'Chairperson' }),
    effect: async (s, who) => expect((await membershipById(otherOwner(s, who)))!.title).toBe('Chairperson'),
  },
  {
    name: 'set one’s own title',
    row: 'invite / remove members, set titles',
    cells: ANY_MEMBER,
    call: (s, who) => setMemberTitle(ctxOf(s, who), { orgId: s.org.id, membershipId: ownMembership(s, who), title: 'Volunteer' }),
    effect: async (s, who) => expect((await membershipById(ownMembership(s, who)))!.title).toBe('Volunteer'),
  },
  {
    name: 'make a member admin',
    row: 'make a member admin',
    cells: OWNER_ONLY,
    call: (s, who) => changeMemberRole(ctxOf(s, who), { orgId: s.org.id, membershipId: otherMember(s, who), role: 'admin' }),
    effect: async (s) => expect((await membershipById(s.m.member))!.role).toBe('admin'),
  },
  {
    name: 'make a member owner',
    row: 'change roles of admins/owners',
    cells: OWNER_ONLY,
    call: (s, who) => changeMemberRole(ctxOf(s, who), { orgId: s.org.id, membershipId: otherMember(s, who), role: 'owner' }),
    effect: async (s) => expect((await membershipById(s.m.member))!.role).toBe('owner'),
  },
  {
    name: 'demote an admin',
    row: 'change roles of admins/owners',
    cells: OWNER_ONLY,
    need: { admin2: true },
    call: (s, who) => changeMemberRole(ctxOf(s, who), { orgId: s.org.id, membershipId: otherAdmin(s, who), role: 'member' }),
    effect: async (s, who) => expect((await membershipById(otherAdmin(s, who)))!.role).toBe('member'),
  },
  {
    name: 'demote another owner',
    row: 'change roles of admins/owners (never zero owners)',
    cells: OWNER_ONLY,
    need: { owner2: true },
    call: (s, who) => changeMemberRole(ctxOf(s, who), { orgId: s.org.id, membershipId: otherOwner(s, who), role: 'admin' }),
    effect: async (s, who) => expect((await membershipById(otherOwner(s, who)))!.role).toBe('admin'),
  },
  {
    name: 'promote oneself to owner',
    row: 'change roles of admins/owners',
    cells: { member: 'FORBIDDEN', admin: 'FORBIDDEN' },
    call: (s, who) => changeMemberRole(ctxOf(s, who), { orgId: s.org.id, membershipId: ownMembership(s, who), role: 'owner' }),
  },
  {
    name: 'demote oneself as the last owner',
    row: 'never zero owners',
    cells: { owner: 'INVALID_STATE' },
    call: (s, who) => changeMemberRole(ctxOf(s, who), { orgId: s.org.id, membershipId: ownMembership(s, who), role: 'admin' }),
  },
  {
    name: 'demote oneself while another owner exists',
    row: 'never zero owners',
    cells: { owner: 'allow' },
    need: { owner2: true },
    call: (s, who) => changeMemberRole(ctxOf(s, who), { orgId: s.org.id, membershipId: ownMembership(s, who), role: 'admin' }),
    effect: async (s) => {
      expect(await roleOf(s.org.id, s.owner.userId)).toBe('admin');
      expect(await roleOf(s.org.id, s.owner2!.userId)).toBe('owner');
    },
  },
  {
    name: 'transfer ownership',
    row: 'transfer ownership',
    cells: OWNER_ONLY,
    call: (s, who) => transferOwnership(ctxOf(s, who), { orgId: s.org.id, membershipId: otherMember(s, who) }),
    effect: async (s) => {
      expect(await roleOf(s.org.id, s.member.userId)).toBe('owner');
      expect(await roleOf(s.org.id, s.owner.userId)).toBe('admin');
    },
  },
  {
    name: 'change signing policy',
    row: 'change signing policy',
    cells: OWNER_ONLY,
    call: (s, who) => setSigningPolicy(ctxOf(s, who), { orgId: s.org.id, policy: 'members' }),
    effect: async (s) => expect((await orgRow(s.org.id)).signingPolicy).toBe('members'),
  },
  {
    name: 'leave',
    row: 'leave',
    cells: { anon: 'UNAUTHENTICATED', nonMember: 'NOT_FOUND', member: 'allow', admin: 'allow', owner: 'INVALID_STATE' },
    call: (s, who) => leaveOrganization(ctxOf(s, who), { orgId: s.org.id }),
    effect: async (s, who) => expect(await roleOf(s.org.id, actorOf(s, who)!.userId)).toBeNull(),
  },
  {
    name: 'leave while another owner exists',
    row: 'leave (allow unless last owner)',
    cells: { owner: 'allow' },
    need: { owner2: true },
    call: (s, who) => leaveOrganization(ctxOf(s, who), { orgId: s.org.id }),
    effect: async (s) => {
      expect(await roleOf(s.org.id, s.owner.userId)).toBeNull();
      expect(await roleOf(s.org.id, s.owner2!.userId)).toBe('owner');
    },
  },
  {
    name: 'revoke a member invitation',
    row: 'invite / remove members',
    cells: PROFILE_ROLES,
    need: { invitations: true },
    call: (s, who) => revokeMemberInvitation(ctxOf(s, who), { invitationId: s.inv!.member }),
    effect: async (s) => expect((await invitationRow(s.inv!.member)).status).toBe('revoked'),
  },
  {
    name: 'revoke an admin invitation',
    row: 'make a member admin (owners only)',
    cells: OWNER_ONLY,
    need: { invitations: true },
    call: (s, who) => revokeMemberInvitation(ctxOf(s, who), { invitationId: s.inv!.admin }),
    effect: async (s) => expect((await invitationRow(s.inv!.admin)).status).toBe('revoked'),
  },
  {
    name: 'resend a member invitation',
    row: 'invite / remove members',
    cells: PROFILE_ROLES,
    need: { invitations: true },
    call: (s, who) => resendMemberInvitation(ctxOf(s, who), { invitationId: s.inv!.member }),
    effect: async (s) => {
      const rows = await db().select().from(outbox).where(like(outbox.dedupeKey, `member_invitation:${s.inv!.member}:%`));
      expect(rows).toHaveLength(2);
    },
  },
  {
    name: 'resend an admin invitation',
    row: 'make a member admin (owners only)',
    cells: OWNER_ONLY,
    need: { invitations: true },
    call: (s, who) => resendMemberInvitation(ctxOf(s, who), { invitationId: s.inv!.admin }),
    effect: async (s) => {
      const rows = await db().select().from(outbox).where(like(outbox.dedupeKey, `member_invitation:${s.inv!.admin}:%`));
      expect(rows).toHaveLength(2);
    },
  },
  {
    name: 'read the member list',
    row: 'non-members get 404 on private pages',
    cells: ANY_MEMBER,
    read: true,
    need: { invitations: true },
    call: (s, who) => listMembers(ctxOf(s, who), { orgId: s.org.id }),
    effect: async (s, who, r) => {
      const list = r as Awaited<ReturnType<typeof listMembers>>;
      expect(list.role).toBe(who);
      expect(list.members.map((m) => m.id).sort()).toEqual([s.m.owner, s.m.admin, s.m.member].sort());
      // Pending invitations (with e-mail addresses) are for admins and owners only.
      expect(list.invitations.map((i) => i.email).sort()).toEqual(who === 'member' ? [] : [s.inv!.memberEmail, s.inv!.adminEmail].sort());
    },
  },
  {
    name: 'read the management view',
    row: 'non-members get 404 on private pages',
    cells: ANY_MEMBER,
    read: true,
    call: (s, who) => getOrganizationForMember(ctxOf(s, who), s.org.slug),
    effect: async (s, who, r) => expect(r).toMatchObject({ org: { id: s.org.id, signingPolicy: 'admins' }, role: who }),
  },
  {
    name: 'read the public profile',
    row: 'read public profile',
    cells: { anon: 'allow', nonMember: 'allow', member: 'allow', admin: 'allow', owner: 'allow' },
    read: true,
    public: true,
    call: (s) => getPublicOrganization(db(), s.org.slug),
    effect: async (s, _who, r) => {
      expect(r).toMatchObject({ id: s.org.id, name: s.org.name, verified: false });
      // No members, no e-mail addresses, no user ids (I13).
      const text = JSON.stringify(r);
      for (const a of [s.owner, s.admin, s.member]) {
        expect(text).not.toContain(a.email);
        expect(text).not.toContain(a.userId);
      }
    },
  },
];

// ---- bookkeeping: "Access matrix (organizations): N cases, 0 wrong" ----

const tally = matrixTally('organizations', 'access-orgs');

// One organization for every denial (a denial changes nothing, so they can share it — the digest proves it);
// every allowed call gets a fresh organization of its own.
let shared: SeededOrg;
beforeAll(async () => {
  png = await tinyPng();
  shared = await seedOrg({ admin2: true, member2: true, invitations: true });
});

async function assertDenied(want: ErrorCode, call: () => Promise<unknown>): Promise<Outcome & { ok: false }> {
  const before = await digestDomain();
  const got = await outcomeOf(call);
  expect(got, 'refused').toMatchObject({ ok: false, code: want });
  expect(await digestDomain(), 'nothing changed after the denial').toBe(before);
  return got as Outcome & { ok: false };
}

describe('organization matrix (SECURITY.md), lib level', () => {
  it('every action with a denial has an allowed twin', () => {
    for (const a of ACTIONS) {
      const denied = Object.values(a.cells).some((w) => w !== 'allow');
      if (!denied) continue;
      const twin = Object.values(a.cells).includes('allow') || ACTIONS.some((b) => b !== a && b.row === a.row && Object.values(b.cells).includes('allow'));
      expect(twin, `${a.name} has an allowed twin`).toBe(true);
    }
  });

  for (const a of ACTIONS) {
    describe(a.name, () => {
      for (const [who, want] of Object.entries(a.cells) as [Who, Want][]) {
        it(`${who} → ${want}`, () =>
          tally(async () => {
            if (want !== 'allow') {
              const got = await assertDenied(want, () => a.call(shared, who));
              if (want === 'NOT_FOUND') expect(got.message).toBe('errors.notFound');
              return;
            }
            const s = await seedOrg(a.need ?? {});
            const before = await digestDomain();
            const got = await outcomeOf(() => a.call(s, who));
            expect(got, 'allowed').toMatchObject({ ok: true });
            if (a.read) expect(await digestDomain(), 'a read changes nothing').toBe(before);
            else expect(await digestDomain(), 'the allowed call changed the database').not.toBe(before);
            await a.effect?.(s, who, (got as { value: unknown }).value);
          }));
      }
      if (!a.public && a.cells.nonMember === 'NOT_FOUND') {
        // I2: an organization (or invitation) that does not exist answers exactly like one you are not in —
        // even to someone who is an owner elsewhere.
        it('missing organization → the same NOT_FOUND as a non-member', () =>
          tally(async () => {
            const ghost: SeededOrg = {
              ...shared,
              org: { ...shared.org, id: crypto.randomUUID(), slug: `no-such-org-${crypto.randomBytes(3).toString('hex')}` },
              inv: { ...shared.inv!, member: crypto.randomUUID(), admin: crypto.randomUUID() },
            };
            const missing = await assertDenied('NOT_FOUND', () => a.call(ghost, 'owner'));
            const nonMember = await outcomeOf(() => a.call(shared, 'nonMember'));
            expect(missing).toEqual(nonMember);
          }));
      }
    });
  }
});

describe('IDOR: ids from another organization', () => {
  let a: SeededOrg;
  let b: SeededOrg;
  beforeAll(async () => {
    [a, b] = [await seedOrg({ invitations: true }), await seedOrg({ invitations: true })];
  });

  const viaA: { name: string; who: 'admin' | 'owner'; call: (actor: Actor, membershipId: string) => Promise<unknown> }[] = [
    { name: 'remove member', who: 'admin', call: (actor, id) => removeMember(ctxFor(actor), { orgId: a.org.id, membershipId: id }) },
    { name: 'set title', who: 'admin', call: (actor, id) => setMemberTitle(ctxFor(actor), { orgId: a.org.id, membershipId: id, title: 'Hijacked' }) },
    { name: 'change role', who: 'owner', call: (actor, id) => changeMemberRole(ctxFor(actor), { orgId: a.org.id, membershipId: id, role: 'owner' }) },
    { name: 'transfer ownership', who: 'owner', call: (actor, id) => transferOwnership(ctxFor(actor), { orgId: a.org.id, membershipId: id }) },
  ];
  for (const v of viaA) {
    it(`${v.name}: A's ${v.who} with A's org id and a membership id of B → NOT_FOUND, nothing changed`, () =>
      tally(async () => {
        const got = await assertDenied('NOT_FOUND', () => v.call(a[v.who], b.m.member));
        expect(got.message).toBe('errors.notFound');
        expect(await roleOf(b.org.id, b.member.userId)).toBe('member');
      }));
  }
  it('the same calls with A’s own membership id succeed (the allowed twin)', () =>
    tally(async () => {
      const before = await digestDomain();
      await setMemberTitle(ctxFor(a.admin), { orgId: a.org.id, membershipId: a.m.member, title: 'Accountant' });
      expect((await membershipById(a.m.member))!.title).toBe('Accountant');
      expect(await digestDomain()).not.toBe(before);
    }));
  for (const kind of ['resend', 'revoke'] as const) {
    it(`${kind} B's invitation as A's owner → NOT_FOUND, nothing changed`, () =>
      tally(async () => {
        const fn = kind === 'resend' ? resendMemberInvitation : revokeMemberInvitation;
        await assertDenied('NOT_FOUND', () => fn(ctxFor(a.owner), { invitationId: b.inv!.member }));
        expect((await invitationRow(b.inv!.member)).status).toBe('pending');
      }));
  }
  it("A's owner cannot edit B by passing B's id", () =>
    tally(async () => {
      await assertDenied('NOT_FOUND', () => updateOrganizationProfile(ctxFor(a.owner), { orgId: b.org.id, name: 'Taken over' }));
    }));
});

describe('a removed member is denied on their very next call', () => {
  it('admin removed → NOT_FOUND everywhere at once; a demoted admin → FORBIDDEN', () =>
    tally(async () => {
      const s = await seedOrg({ admin2: true });
      // While an admin: allowed.
      await updateOrganizationProfile(ctxFor(s.admin), { orgId: s.org.id, name: s.org.name, description: 'before removal' });
      await removeMember(ctxFor(s.owner), { orgId: s.org.id, membershipId: s.m.admin });
      const before = await digestDomain();
      for (const call of [
        () => updateOrganizationProfile(ctxFor(s.admin), { orgId: s.org.id, name: s.org.name, description: 'after removal' }),
        () => inviteMember(ctxFor(s.admin), { orgId: s.org.id, email: freshEmail(), role: 'member' }),
        () => removeMember(ctxFor(s.admin), { orgId: s.org.id, membershipId: s.m.member }),
        () => listMembers(ctxFor(s.admin), { orgId: s.org.id }),
        () => getOrganizationForMember(ctxFor(s.admin), s.org.slug),
        () => leaveOrganization(ctxFor(s.admin), { orgId: s.org.id }),
      ]) {
        expect(await outcomeOf(call)).toMatchObject({ ok: false, code: 'NOT_FOUND' });
      }
      expect(await digestDomain()).toBe(before);
      // Demoted (still a member): the next admin action is refused.
      await changeMemberRole(ctxFor(s.owner), { orgId: s.org.id, membershipId: s.m.admin2!, role: 'member' });
      await assertDenied('FORBIDDEN', () => updateOrganizationProfile(ctxFor(s.admin2!), { orgId: s.org.id, name: s.org.name, description: 'demoted' }));
      expect((await orgRow(s.org.id)).description).toBe('before removal');
      const [still] = await db().select().from(memberships).where(and(eq(memberships.orgId, s.org.id), eq(memberships.userId, s.admin2!.userId)));
      expect(still!.role).toBe('member');
    }));
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
