// Organizations: create, profile, logo, signing policy, verification, directory and public reads.
import { and, asc, desc, eq, ilike, isNotNull, ne, or, sql } from 'drizzle-orm';
import crypto from 'node:crypto';
import sharp from 'sharp';
import type { DbOrTx, Tx } from '@/db';
import { files, memberships, organizations, users, type OrgNames, type OrgRole, type SigningPolicy } from '@/db/schema';
import { appendAudit } from './audit';
import { nowOf, type Ctx } from './context';
import { AppError } from './errors';
import { faultPoint } from './fault';
import { LOCALES } from './i18n';
import { domainsMatch, editDistance, normalizeOrgName, slugFor } from './org-names';
import { canChangeSigningPolicy, canEditOrgProfile, requireActor } from './permissions';

export type OrgProfileInput = {
  name: string;
  /** Set when the creator confirmed that a similarly named organization is a different one. */
  confirmDistinct?: boolean;
  names?: OrgNames;
  city?: string | null;
  country?: string | null;
  website?: string | null;
  description?: string | null;
};

const orgChain = (id: string) => ({ type: 'organization' as const, id });

function searchTextOf(name: string, names: OrgNames | undefined): string {
  return [name, ...Object.values(names ?? {})].filter((v): v is string => !!v).map(normalizeOrgName).join(' | ');
}

function cleanNames(names: OrgNames | undefined): OrgNames {
  const out: OrgNames = {};
  for (const l of LOCALES) {
    const v = names?.[l]?.trim();
    if (v) out[l] = v;
  }
  return out;
}

/** The stored columns of a profile, with the derived name keys (normalized name, search text). */
function profileColumns(input: OrgProfileInput) {
  const names = cleanNames(input.names);
  return {
    name: input.name,
    names,
    normalizedName: normalizeOrgName(input.name),
    searchText: searchTextOf(input.name, names),
    city: input.city || null,
    country: input.country || null,
    website: input.website || null,
    description: input.description || null,
  };
}

/** The actor's role in an organization, read inside the caller's transaction (re-checked on every request). */
export async function roleIn(db: DbOrTx, orgId: string, userId: string, lock = false): Promise<OrgRole | null> {
  const q = db.select({ role: memberships.role }).from(memberships).where(and(eq(memberships.orgId, orgId), eq(memberships.userId, userId)));
  const [m] = lock ? await q.for('update') : await q;
  return m?.role ?? null;
}

/** Load an org for a member action: NOT_FOUND for non-members (same answer whether or not it exists). */
export async function loadOrgForMember(tx: Tx, ctx: Ctx, orgId: string): Promise<{ org: typeof organizations.$inferSelect; role: OrgRole }> {
  const actor = requireActor(ctx);
  const [org] = await tx.select().from(organizations).where(eq(organizations.id, orgId)).for('update');
  const role = org ? await roleIn(tx, org.id, actor.userId) : null;
  if (!org || !role) throw new AppError('NOT_FOUND', 'errors.notFound');
  return { org, role };
}

/** Existing organizations whose normalized name is equal or within a small edit distance. */
export async function similarOrganizations(db: DbOrTx, name: string, excludeId?: string) {
  const n = normalizeOrgName(name);
  if (n.length < 3) return [];
  const candidates = await db
    .select({ id: organizations.id, slug: organizations.slug, name: organizations.name, city: organizations.city, normalizedName: organizations.normalizedName })
    .from(organizations)
    .where(
      and(
        excludeId ? ne(organizations.id, excludeId) : undefined,
        or(eq(organizations.normalizedName, n), sql`similarity(${organizations.normalizedName}, ${n}) > 0.5`),
      ),
    )
    .limit(20);
  const max = n.length < 12 ? 1 : 3;
  return candidates
    .filter((c) => c.normalizedName === n || editDistance(c.normalizedName, n, max) <= max || c.normalizedName.includes(n) || n.includes(c.normalizedName))
    .map(({ normalizedName: _n, ...c }) => c);
}

async function uniqueSlug(tx: Tx, name: string): Promise<string> {
  const base = slugFor(name);
  for (let i = 0; i < 50; i++) {
    const slug = i === 0 ? base : `${base}-${i + 1}`;
    const [taken] = await tx.select({ id: organizations.id }).from(organizations).where(eq(organizations.slug, slug));
    if (!taken) return slug;
  }
  return `${base}-${crypto.randomBytes(3).toString('hex')}`;
}

/**
 * Verify by e-mail domain when an owner/admin's confirmed address is on the website's domain; drop an
 * e-mail-domain verification when that stops being true. Operator verification is kept.
 */
export async function reconcileVerification(tx: Tx, orgId: string, actorUserId: string | null, now: Date): Promise<void> {
  const [org] = await tx.select().from(organizations).where(eq(organizations.id, orgId));
  if (!org || org.verificationMethod === 'operator') return;
  const admins = await tx
    .select({ email: users.email })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(and(eq(memberships.orgId, orgId), or(eq(memberships.role, 'owner'), eq(memberships.role, 'admin')), isNotNull(users.emailVerified)));
  const matching = admins.find((a) => domainsMatch(a.email, org.website));
  if (matching && !org.verifiedAt) {
    await tx.update(organizations).set({ verifiedAt: now, verificationMethod: 'email_domain' }).where(eq(organizations.id, orgId));
    await appendAudit(tx, { chain: orgChain(orgId), type: 'org.verified', actorUserId, data: { method: 'email_domain', domain: matching.email.split('@')[1] }, now });
  } else if (!matching && org.verifiedAt && org.verificationMethod === 'email_domain') {
    await tx.update(organizations).set({ verifiedAt: null, verificationMethod: null }).where(eq(organizations.id, orgId));
    await appendAudit(tx, { chain: orgChain(orgId), type: 'org.profile_updated', actorUserId, data: { verification: 'dropped: no owner or admin on the website domain' }, now });
  }
}

/** Permission: any signed-in user; the creator becomes the owner. */
export async function createOrganization(ctx: Ctx, input: OrgProfileInput) {
  const actor = requireActor(ctx);
  const now = nowOf(ctx);
  return ctx.db.transaction(async (tx) => {
    if (!input.confirmDistinct && (await similarOrganizations(tx, input.name)).length > 0) {
      throw new AppError('CONFLICT', 'errors.similarName', { name: ['errors.similarName'] });
    }
    const profile = profileColumns(input);
    const slug = await uniqueSlug(tx, profile.names.en ?? input.name);
    const [org] = await tx
      .insert(organizations)
      .values({
        slug,
        ...profile,
        createdBy: actor.userId,
        createdAt: now,
        updatedAt: now,
      })
      .returning();
    await tx.insert(memberships).values({ orgId: org!.id, userId: actor.userId, role: 'owner', createdAt: now });
    faultPoint('orgs.after_create');
    await appendAudit(tx, { chain: orgChain(org!.id), type: 'org.created', actorUserId: actor.userId, data: { slug, name: input.name }, now });
    await reconcileVerification(tx, org!.id, actor.userId, now);
    return { id: org!.id, slug };
  });
}

/** Permission: owners and admins of the organization. */
export async function updateOrganizationProfile(ctx: Ctx, input: OrgProfileInput & { orgId: string }) {
  const actor = requireActor(ctx);
  const now = nowOf(ctx);
  return ctx.db.transaction(async (tx) => {
    const { org, role } = await loadOrgForMember(tx, ctx, input.orgId);
    if (!canEditOrgProfile(role)) throw new AppError('FORBIDDEN', 'errors.forbidden');
    const next = profileColumns(input);
    const changed = (Object.keys(next) as (keyof typeof next)[]).filter((k) => JSON.stringify(org[k]) !== JSON.stringify(next[k]));
    if (changed.length === 0) return { id: org.id, slug: org.slug, changed: false };
    await tx.update(organizations).set({ ...next, updatedAt: now }).where(eq(organizations.id, org.id));
    await appendAudit(tx, { chain: orgChain(org.id), type: 'org.profile_updated', actorUserId: actor.userId, data: { fields: changed.filter((f) => f !== 'normalizedName' && f !== 'searchText') }, now });
    await reconcileVerification(tx, org.id, actor.userId, now);
    return { id: org.id, slug: org.slug, changed: true };
  });
}

export const LOGO_MAX_BYTES = 2 * 1024 * 1024;
export const LOGO_MAX_SIDE = 512;

/** Decode, bound and re-encode an uploaded image as PNG (metadata dropped). Anything else is refused. */
export async function reencodeLogo(input: Buffer): Promise<{ png: Buffer; width: number; height: number }> {
  if (input.length === 0) throw new AppError('INVALID_INPUT', 'errors.logoEmpty', { logo: ['errors.logoEmpty'] });
  if (input.length > LOGO_MAX_BYTES) throw new AppError('INVALID_INPUT', 'errors.logoTooLarge', { logo: ['errors.logoTooLarge'] });
  try {
    const img = sharp(input, { limitInputPixels: 40_000_000, failOn: 'error' });
    const meta = await img.metadata();
    if (!meta.format || !['png', 'jpeg', 'webp', 'gif'].includes(meta.format)) throw new Error('format');
    const out = await img.rotate().resize(LOGO_MAX_SIDE, LOGO_MAX_SIDE, { fit: 'inside', withoutEnlargement: true }).png().toBuffer({ resolveWithObject: true });
    return { png: out.data, width: out.info.width, height: out.info.height };
  } catch {
    throw new AppError('INVALID_INPUT', 'errors.logoNotImage', { logo: ['errors.logoNotImage'] });
  }
}

/** Permission: owners and admins. The upload is re-encoded before it is stored. */
export async function setOrganizationLogo(ctx: Ctx, input: { orgId: string; bytes: Buffer }) {
  const actor = requireActor(ctx);
  const now = nowOf(ctx);
  // Re-encode before opening the transaction (CPU work, no locks held). Authorization is re-checked inside.
  const { png, width, height } = await reencodeLogo(input.bytes);
  return ctx.db.transaction(async (tx) => {
    const { org, role } = await loadOrgForMember(tx, ctx, input.orgId);
    if (!canEditOrgProfile(role)) throw new AppError('FORBIDDEN', 'errors.forbidden');
    const [file] = await tx
      .insert(files)
      .values({ kind: 'logo', mime: 'image/png', bytes: png, sha256: crypto.createHash('sha256').update(png).digest('hex'), size: png.length, width, height, createdBy: actor.userId, createdAt: now })
      .returning({ id: files.id });
    await tx.update(organizations).set({ logoFileId: file!.id, updatedAt: now }).where(eq(organizations.id, org.id));
    await appendAudit(tx, { chain: orgChain(org.id), type: 'org.logo_updated', actorUserId: actor.userId, data: { fileId: file!.id, width, height }, now });
    return { fileId: file!.id };
  });
}

/** Permission: owners only. */
export async function setSigningPolicy(ctx: Ctx, input: { orgId: string; policy: SigningPolicy }) {
  const actor = requireActor(ctx);
  const now = nowOf(ctx);
  return ctx.db.transaction(async (tx) => {
    const { org, role } = await loadOrgForMember(tx, ctx, input.orgId);
    if (!canChangeSigningPolicy(role)) throw new AppError('FORBIDDEN', 'errors.forbidden');
    if (org.signingPolicy === input.policy) return { policy: input.policy, changed: false };
    await tx.update(organizations).set({ signingPolicy: input.policy, updatedAt: now }).where(eq(organizations.id, org.id));
    await appendAudit(tx, { chain: orgChain(org.id), type: 'org.signing_policy_changed', actorUserId: actor.userId, data: { from: org.signingPolicy, to: input.policy }, now });
    return { policy: input.policy, changed: true };
  });
}

/** Operator command (npm run org:verify): no actor; the instance operator verifies by hand. */
export async function verifyOrganizationByOperator(ctx: Ctx, input: { slug: string; note?: string }) {
  const now = nowOf(ctx);
  return ctx.db.transaction(async (tx) => {
    const [org] = await tx.select().from(organizations).where(eq(organizations.slug, input.slug)).for('update');
    if (!org) throw new AppError('NOT_FOUND', 'errors.notFound');
    if (org.verificationMethod === 'operator') return { id: org.id, changed: false };
    await tx.update(organizations).set({ verifiedAt: now, verificationMethod: 'operator' }).where(eq(organizations.id, org.id));
    await appendAudit(tx, { chain: orgChain(org.id), type: 'org.verified', actorUserId: null, data: { method: 'operator', note: input.note ?? null }, now });
    return { id: org.id, changed: true };
  });
}

// ---- reads ----

export type PublicOrg = {
  id: string;
  slug: string;
  name: string;
  names: OrgNames;
  city: string | null;
  country: string | null;
  website: string | null;
  description: string | null;
  logoFileId: string | null;
  verified: boolean;
  verificationMethod: 'email_domain' | 'operator' | null;
  createdAt: Date;
};

const publicColumns = {
  id: organizations.id,
  slug: organizations.slug,
  name: organizations.name,
  names: organizations.names,
  city: organizations.city,
  country: organizations.country,
  website: organizations.website,
  description: organizations.description,
  logoFileId: organizations.logoFileId,
  verifiedAt: organizations.verifiedAt,
  verificationMethod: organizations.verificationMethod,
  createdAt: organizations.createdAt,
};

const toPublic = ({ verifiedAt, ...o }: { verifiedAt: Date | null } & Omit<PublicOrg, 'verified'>): PublicOrg => ({ ...o, verified: !!verifiedAt });

/** Permission: anyone. The public profile (no members, no e-mail addresses). */
export async function getPublicOrganization(db: DbOrTx, slug: string): Promise<PublicOrg | null> {
  const [o] = await db.select(publicColumns).from(organizations).where(eq(organizations.slug, slug));
  return o ? toPublic(o) : null;
}

/** Permission: anyone. The directory, searchable over names in every language. */
export async function listDirectory(db: DbOrTx, input: { q?: string; page?: number; pageSize?: number }) {
  const pageSize = Math.min(Math.max(input.pageSize ?? 30, 1), 100);
  const page = Math.max(input.page ?? 1, 1);
  const q = input.q ? normalizeOrgName(input.q) : '';
  const where = q ? or(ilike(organizations.searchText, `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`), sql`${organizations.searchText} % ${q}`) : undefined;
  const rows = await db
    .select(publicColumns)
    .from(organizations)
    .where(where)
    .orderBy(desc(sql`${organizations.verifiedAt} IS NOT NULL`), asc(organizations.normalizedName))
    .limit(pageSize + 1)
    .offset((page - 1) * pageSize);
  return { items: rows.slice(0, pageSize).map(toPublic), hasMore: rows.length > pageSize, page };
}

/** Permission: the signed-in user — their organizations and their role in each. */
export async function listMyOrganizations(ctx: Ctx) {
  const actor = requireActor(ctx);
  const rows = await ctx.db
    .select({ ...publicColumns, role: memberships.role, title: memberships.title, signingPolicy: organizations.signingPolicy })
    .from(memberships)
    .innerJoin(organizations, eq(organizations.id, memberships.orgId))
    .where(eq(memberships.userId, actor.userId))
    .orderBy(asc(organizations.normalizedName));
  return rows.map(({ role, title, signingPolicy, ...o }) => ({ ...toPublic(o), role, title, signingPolicy }));
}

/** Permission: members of the organization (others get NOT_FOUND). The management view. */
export async function getOrganizationForMember(ctx: Ctx, slug: string) {
  const actor = requireActor(ctx);
  const [o] = await ctx.db.select({ ...publicColumns, signingPolicy: organizations.signingPolicy }).from(organizations).where(eq(organizations.slug, slug));
  const role = o ? await roleIn(ctx.db, o.id, actor.userId) : null;
  if (!o || !role) throw new AppError('NOT_FOUND', 'errors.notFound');
  const { signingPolicy, ...pub } = o;
  return { org: { ...toPublic(pub), signingPolicy }, role };
}

/** Permission: anyone, for logos (public images). */
export async function getPublicFile(db: DbOrTx, id: string) {
  const [f] = await db.select().from(files).where(and(eq(files.id, id), eq(files.kind, 'logo')));
  return f ?? null;
}
