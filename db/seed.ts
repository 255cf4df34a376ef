// Demo data for development: demo accounts, and organizations taken from the real statements in
// db/fixtures/statements (their signatory names), so a new user sees a living app. Idempotent.
// Accounts are created through Auth.js's own adapter; everything else through the domain functions,
// so demo data carries its audit events like real data.
import { DrizzleAdapter } from '@auth/drizzle-adapter';
import { and, eq } from 'drizzle-orm';
import fs from 'node:fs';
import path from 'node:path';
import type { Db } from './index';
import { accounts, memberInvitations, memberships, organizations, sessions, statementTexts, users, verificationTokens } from './schema';
import type { Actor } from '../lib/context';
import type { Locale } from '../lib/i18n';
import { changeMemberRole, inviteMember, acceptMemberInvitation } from '../lib/members';
import { normalizeOrgName } from '../lib/org-names';
import { createOrganization, setSigningPolicy } from '../lib/orgs';
import { setInterfaceLocale } from '../lib/users';
import { buildQuoteSelector, textOfHtml } from '../lib/anchors';
import type { DocJSON } from '../lib/editor/extensions';
import { renderDoc } from '../lib/editor/render';
import { addComment } from '../lib/comments';
import { acceptInvitation, inviteOrganizations } from '../lib/invitations';
import { freezeVersion, signForOrganization } from '../lib/signing';
import { createStatement, saveText } from '../lib/statements';

export const DEMO_USERS: { email: string; name: string; locale: Locale }[] = [
  { email: 'anna@demo.undersigned.am', name: 'Anna Hakobyan', locale: 'hy' },
  { email: 'david@demo.undersigned.am', name: 'David Petrosyan', locale: 'en' },
  { email: 'olga@demo.undersigned.am', name: 'Olga Sarkisova', locale: 'ru' },
  { email: 'coalition@demo.undersigned.am', name: 'Demo coalition desk', locale: 'en' },
];

type FixtureSignatory = { name: string; kind: 'organization' | 'individual'; location?: string; group?: string };
type Fixture = { language: string; signatories: FixtureSignatory[] };

export function fixtureOrganizations(dir = path.join(process.cwd(), 'db', 'fixtures', 'statements')) {
  const seen = new Map<string, { name: string; language: string; location?: string }>();
  for (const file of fs.readdirSync(dir).filter((f) => f.endsWith('.json')).sort()) {
    const f = JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8')) as Fixture;
    for (const s of f.signatories) {
      if (s.kind !== 'organization') continue;
      const key = normalizeOrgName(s.name);
      if (!seen.has(key)) seen.set(key, { name: s.name, language: f.language, location: s.location });
    }
  }
  return [...seen.values()];
}

async function ensureUser(db: Db, u: (typeof DEMO_USERS)[number]): Promise<Actor> {
  const [existing] = await db.select({ id: users.id }).from(users).where(eq(users.email, u.email));
  if (existing) return { userId: existing.id, email: u.email };
  const adapter = DrizzleAdapter(db, { usersTable: users, accountsTable: accounts, sessionsTable: sessions, verificationTokensTable: verificationTokens });
  const user = await adapter.createUser!({ id: crypto.randomUUID(), email: u.email, name: u.name, emailVerified: new Date() });
  await setInterfaceLocale({ db, actor: { userId: user.id, email: u.email } }, { locale: u.locale });
  return { userId: user.id, email: u.email };
}

/** Add `member` to the organization as `role`, the way a real person joins: an invitation they accept. */
async function addMember(db: Db, owner: Actor, orgId: string, member: Actor, role: 'admin' | 'member', title: string) {
  const [m] = await db.select().from(memberships).where(and(eq(memberships.orgId, orgId), eq(memberships.userId, member.userId)));
  if (m) return;
  const { invitationId } = await inviteMember({ db, actor: owner }, { orgId, email: member.email, role: 'member', title });
  await acceptMemberInvitation({ db, actor: member }, { invitationId });
  if (role === 'admin') {
    const [mm] = await db.select().from(memberships).where(and(eq(memberships.orgId, orgId), eq(memberships.userId, member.userId)));
    await changeMemberRole({ db, actor: owner }, { orgId, membershipId: mm!.id, role: 'admin' });
  }
}

export async function seedDemo(db: Db): Promise<{ created: number; organizations: number }> {
  let created = 0;
  const actors: Record<string, Actor> = {};
  for (const u of DEMO_USERS) {
    const before = await db.select({ id: users.id }).from(users).where(eq(users.email, u.email));
    actors[u.email.split('@')[0]!] = await ensureUser(db, u);
    if (before.length === 0) created++;
  }
  const { anna, david, olga, coalition } = actors as Record<'anna' | 'david' | 'olga' | 'coalition', Actor>;

  let orgCount = 0;
  const list = fixtureOrganizations();
  for (const [i, o] of list.entries()) {
    const [exists] = await db.select({ id: organizations.id }).from(organizations).where(eq(organizations.normalizedName, normalizeOrgName(o.name)));
    if (exists) continue;
    // The first Armenian organization belongs to Anna (with David as admin and Olga as member); the first
    // English one to David; the rest to the coalition desk account.
    const owner = i === 0 ? anna : o.language === 'en' && !list.slice(0, i).some((p) => p.language === 'en') ? david : coalition;
    const { id } = await createOrganization(
      { db, actor: owner },
      { name: o.name, names: { [o.language]: o.name }, country: o.location ?? (o.language === 'hy' ? 'Հայաստան' : null), city: o.language === 'hy' && /Վանաձոր/.test(o.name) ? 'Վանաձոր' : null, confirmDistinct: true },
    );
    orgCount++;
    if (owner === anna) {
      await addMember(db, anna, id, david, 'admin', 'Program coordinator');
      await addMember(db, anna, id, olga, 'member', 'Lawyer');
      await setSigningPolicy({ db, actor: anna }, { orgId: id, policy: 'admins' });
    }
  }
  // Leave one pending invitation so the dashboard shows what one looks like.
  const [annaOrg] = await db.select({ id: organizations.id }).from(memberships).innerJoin(organizations, eq(organizations.id, memberships.orgId)).where(and(eq(memberships.userId, david.userId), eq(memberships.role, 'owner')));
  if (annaOrg) {
    const [pending] = await db.select().from(memberInvitations).where(and(eq(memberInvitations.orgId, annaOrg.id), eq(memberInvitations.email, anna.email)));
    if (!pending && !(await db.select().from(memberships).where(and(eq(memberships.orgId, annaOrg.id), eq(memberships.userId, anna.userId)))).length) {
      await inviteMember({ db, actor: david }, { orgId: annaOrg.id, email: anna.email, role: 'member', title: 'Partner' });
    }
  }
  await seedDemoStatement(db, { anna, david });
  await seedDemoSigning(db, { anna, david });
  return { created, organizations: orgCount };
}

type FixtureText = { title: string; language: string; body_text: string };

/**
 * One draft in review, so the dashboards, the board and the review page show what they look like: Anna's
 * organization drafts a real statement (fixture 02, Armenian), invites David's organization (which accepts and
 * comments on a passage) and a contact who has not answered yet. Through the domain functions, with their audit
 * events and e-mails. Skipped when the statement already exists.
 */
async function seedDemoStatement(db: Db, { anna, david }: { anna: Actor; david: Actor }) {
  const dir = path.join(process.cwd(), 'db', 'fixtures', 'statements');
  const file = fs.readdirSync(dir).find((f) => f.startsWith('02-'));
  if (!file) return;
  const f = JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8')) as FixtureText;
  const [exists] = await db.select({ id: statementTexts.statementId }).from(statementTexts).where(eq(statementTexts.title, f.title));
  if (exists) return;
  const owned = (userId: string) =>
    db
      .select({ id: organizations.id })
      .from(memberships)
      .innerJoin(organizations, eq(organizations.id, memberships.orgId))
      .where(and(eq(memberships.userId, userId), eq(memberships.role, 'owner')))
      .orderBy(organizations.createdAt)
      .limit(1);
  const [annaOrg] = await owned(anna.userId);
  const [davidOrg] = await owned(david.userId);
  if (!annaOrg || !davidOrg) return;
  const ctx = (actor: Actor) => ({ db, actor });
  const { id } = await createStatement(ctx(anna), { orgId: annaOrg.id, title: f.title, primaryLang: 'hy', timeZone: 'Asia/Yerevan', summary: null });
  const paragraphs = f.body_text.split(/\n+/).map((p) => p.trim()).filter(Boolean);
  const doc = { type: 'doc', content: paragraphs.map((text) => ({ type: 'paragraph', content: [{ type: 'text', text }] })) };
  const { version } = await saveText(ctx(anna), { statementId: id, lang: 'hy', baseVersion: 0, title: f.title, doc });
  const signBy = new Date(Date.now() + 10 * 86_400_000);
  const { created } = await inviteOrganizations(ctx(anna), {
    statementId: id,
    kind: 'participant',
    targets: [{ orgId: davidOrg.id }, { email: 'info@partner-ngo.example' }],
    message: 'Հարգելի գործընկերներ, խնդրում ենք կարդալ նախագիծը և մեկնաբանել։',
    signBy,
    locale: 'hy',
  });
  const toDavid = created.find((c) => !c.target.includes('@'));
  if (!toDavid) return;
  await acceptInvitation(ctx(david), { invitationId: toDavid.invitationId, orgId: davidOrg.id });
  // David comments on a passage of the first paragraph (the text as the review page reads it).
  const text = textOfHtml(renderDoc(doc as DocJSON).html);
  const first = paragraphs[0] ?? '';
  const at = Math.max(0, text.indexOf(first));
  const start = at + Math.min(40, Math.floor(first.length / 3));
  const selector = buildQuoteSelector(text, start, Math.min(at + first.length, start + 60));
  if (selector) {
    await addComment(ctx(david), {
      statementId: id,
      body: 'Could we cite the exact date and number of the NSS announcement here?',
      anchor: { lang: 'hy', version, ...selector },
    });
  }
  await addComment(ctx(david), { statementId: id, body: 'We support the statement overall. https://www.transparency.am' });
}

/**
 * One statement open for signature, so the sign page, the signatures board and the receipts have something to
 * show: Anna's organization drafts fixture 05 (Armenian), invites David's organization (which accepts), freezes
 * version 1; Anna signs for her organization, David for his. Through the domain functions. Skipped when it exists.
 */
async function seedDemoSigning(db: Db, { anna, david }: { anna: Actor; david: Actor }) {
  const dir = path.join(process.cwd(), 'db', 'fixtures', 'statements');
  const file = fs.readdirSync(dir).find((f) => f.startsWith('05-'));
  if (!file) return;
  const f = JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8')) as FixtureText;
  const [exists] = await db.select({ id: statementTexts.statementId }).from(statementTexts).where(eq(statementTexts.title, f.title));
  if (exists) return;
  const owned = async (userId: string) =>
    (
      await db
        .select({ id: organizations.id })
        .from(memberships)
        .innerJoin(organizations, eq(organizations.id, memberships.orgId))
        .where(and(eq(memberships.userId, userId), eq(memberships.role, 'owner')))
        .orderBy(organizations.createdAt)
        .limit(1)
    )[0];
  const annaOrg = await owned(anna.userId);
  const davidOrg = await owned(david.userId);
  if (!annaOrg || !davidOrg) return;
  const ctx = (actor: Actor) => ({ db, actor });
  const { id } = await createStatement(ctx(anna), { orgId: annaOrg.id, title: f.title, primaryLang: 'hy', timeZone: 'Asia/Yerevan', summary: null });
  const paragraphs = f.body_text.split(/\n+/).map((p) => p.trim()).filter(Boolean);
  const doc = { type: 'doc', content: paragraphs.map((text) => ({ type: 'paragraph', content: [{ type: 'text', text }] })) };
  await saveText(ctx(anna), { statementId: id, lang: 'hy', baseVersion: 0, title: f.title, doc });
  const { created } = await inviteOrganizations(ctx(anna), {
    statementId: id,
    kind: 'participant',
    targets: [{ orgId: davidOrg.id }],
    signBy: new Date(Date.now() + 7 * 86_400_000),
    locale: 'hy',
  });
  if (!created[0]) return;
  await acceptInvitation(ctx(david), { invitationId: created[0].invitationId, orgId: davidOrg.id });
  const { version } = await freezeVersion(ctx(anna), { statementId: id });
  await signForOrganization(ctx(anna), { statementId: id, orgId: annaOrg.id, version, title: 'Նախագահ' });
  await signForOrganization(ctx(david), { statementId: id, orgId: davidOrg.id, version, title: 'Director', showName: true });
}

/**
 * The repository's fixture statements (db/fixtures/statements/*.json), imported and published as past statements
 * (R8), in "joined" order. Idempotent: a file already imported (same source URL or content) changes nothing.
 * Their organizations match those seeded above by normalized name and location.
 */
export async function seedImportedStatements(db: Db, dir = path.join(process.cwd(), 'db', 'fixtures', 'statements')) {
  const { importStatement } = await import('../lib/import');
  const out: { file: string; slug: string; created: boolean; lang: string }[] = [];
  for (const file of fs.readdirSync(dir).filter((f) => f.endsWith('.json')).sort()) {
    const r = await importStatement(db, JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8')), { order: 'joined' });
    out.push({ file, slug: r.slug, created: r.created, lang: r.lang });
  }
  return out;
}
