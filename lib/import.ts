// Import of past statements (R8): a file in the fixture format (db/fixtures/README.md) becomes a published statement
// through its own path — one transaction creates the statement, its text, version 1, the organizations still
// missing (unverified), one `imported` signature and binding per signatory in file order, the publication, an
// optional primary initiator, the `statement.imported` audit event and the first signed public record.
// The publish rule that initiators must be bound does not apply. A file's identity is its `source_url`, else the
// SHA-256 of its normalized content: importing it again changes nothing. Run by the instance operator
// (`npm run import`), never by a web request, so there is no actor to authorize.
import { asc, eq, inArray, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Db, Tx } from '@/db';
import {
  organizations,
  publications,
  signatureBindings,
  signatures,
  statementInitiators,
  statements,
  statementTexts,
  statementVersions,
  type BindingSnapshot,
  type ListOrder,
} from '@/db/schema';
import { appendAudit } from './audit';
import { canonicalJson, sha256Hex } from './canonical';
import type { DocJSON } from './editor/extensions';
import { validateDoc } from './editor/validate';
import { AppError } from './errors';
import { isLocale, LOCALES, type Locale } from './i18n';
import { normalizeOrgName, slugFor } from './org-names';
import { freeSlug, revalidatePublic, searchTextOf, validDisplayDate } from './publishing';
import { refreshRecord } from './record';
import { canonicalVersion, type VersionTexts } from './signing';
import { safeText } from './validation/strings';

export const IMPORT_TIME_ZONE = 'Asia/Yerevan';
export const IMPORT_MAX_SIGNATORIES = 20_000;
const LANG = /^[a-z]{2,3}(-[A-Z][a-z]{3})?(-(?:[A-Z]{2}|\d{3}))?$/;

// Optional text: absent, null and blank all mean "not given".
const optText = (max: number) =>
  safeText(max)
    .nullish()
    .transform((v) => (v ? v : null));

const signatorySchema = z.object({
  name: safeText(1000).pipe(z.string().min(1, { message: 'must not be empty' })),
  kind: z.enum(['organization', 'individual'], { message: "must be 'organization' or 'individual'" }),
  location: optText(300),
  role: optText(500),
  group: optText(300),
  joined_after_publication: z
    .boolean({ message: 'must be true, false or null' })
    .nullish()
    .transform((v) => v === true),
});

/** The fixture format. Unknown keys (notes, completeness…) are ignored; `null` stands for "not given". */
export const importFileSchema = z.object({
  title: optText(1000),
  title_en: optText(1000),
  date: optText(20).refine((d) => d === null || validDisplayDate(d), { message: 'must be a date YYYY-MM-DD' }),
  language: optText(20)
    .refine((l) => l === null || LANG.test(l), { message: 'must be a language code such as hy, en or ru' })
    .transform((l) => l ?? 'hy'),
  source_url: optText(2000).refine(
    (u) => {
      if (u === null) return true;
      try {
        const p = new URL(u).protocol;
        return p === 'https:' || p === 'http:';
      } catch {
        return false;
      }
    },
    { message: 'must be an http(s) URL' },
  ),
  body_text: optText(1_000_000),
  signatories: z
    .array(signatorySchema, { message: 'must be a list of signatories' })
    .min(1, { message: 'must list at least one signatory' })
    .max(IMPORT_MAX_SIGNATORIES, { message: `must list at most ${IMPORT_MAX_SIGNATORIES} signatories` }),
});

export type ImportFile = z.infer<typeof importFileSchema>;
export type ImportSignatory = ImportFile['signatories'][number];
export type ImportOptions = { order?: ListOrder; initiator?: string | null; now?: Date };
export type ImportResult = {
  slug: string;
  statementId: string;
  /** false when a statement with this file's identity was already imported (nothing changed). */
  created: boolean;
  /** The interface language of the public URL: the file's language when it is en, hy or ru, else en. */
  lang: Locale;
};

const pathOf = (path: readonly PropertyKey[]) =>
  path.reduce<string>((acc, p) => (typeof p === 'number' ? `${acc}[${p}]` : acc ? `${acc}.${String(p)}` : String(p)), '') || '(file)';

const invalid = (message: string, field = '_') => new AppError('INVALID_INPUT', message, { [field]: ['errors.invalidInput'] });

/** Validate a parsed JSON file; INVALID_INPUT naming every bad field by its path (e.g. `signatories[3].kind`). */
export function parseImportFile(file: unknown): ImportFile {
  if (!file || typeof file !== 'object' || Array.isArray(file)) throw invalid('the file must be a JSON object with "title" and "signatories"');
  const r = importFileSchema.safeParse(file);
  if (!r.success) {
    const issues = r.error.issues.slice(0, 10);
    const message = issues.map((i) => `${pathOf(i.path)}: ${i.message}`).join('; ') + (r.error.issues.length > 10 ? ` (and ${r.error.issues.length - 10} more)` : '');
    const fieldErrors: Record<string, string[]> = {};
    for (const i of r.error.issues) (fieldErrors[i.path.map(String).join('.') || '_'] ??= []).push('errors.invalidInput');
    throw new AppError('INVALID_INPUT', message, fieldErrors);
  }
  if (!r.data.title && !r.data.title_en) throw invalid('title: a title (or title_en) is required', 'title');
  return r.data;
}

// ---- derived values (pure) ----

const signatoryKey = (s: ImportSignatory) =>
  s.kind === 'organization' ? `o:${normalizeOrgName(s.name)}|${s.location ? normalizeOrgName(s.location) : ''}` : `i:${individualKey(s)}`;

/** Imported individuals have no e-mail: unique per statement by normalized name + role. */
export const individualKey = (s: Pick<ImportSignatory, 'name' | 'role'>) => `${normalizeOrgName(s.name)}|${s.role ? normalizeOrgName(s.role) : ''}`;

function rejectDuplicates(f: ImportFile) {
  const seen = new Map<string, number>();
  f.signatories.forEach((s, i) => {
    const k = signatoryKey(s);
    const first = seen.get(k);
    if (first !== undefined)
      throw invalid(`signatories[${i}]: "${s.name}" is listed twice (same as signatories[${first}]; ${s.kind === 'organization' ? 'same name and location' : 'same name and role'})`, `signatories.${i}.name`);
    seen.set(k, i);
  });
}

function inlineText(line: string): DocJSON[] {
  // The source's bold passages survive as **…** in the scraped text.
  const out: DocJSON[] = [];
  let at = 0;
  for (const m of line.matchAll(/\*\*(.+?)\*\*/g)) {
    const inner = m[1]!.trim();
    if (!inner) continue;
    if (m.index! > at) out.push({ type: 'text', text: line.slice(at, m.index) });
    out.push({ type: 'text', text: m[1]!, marks: [{ type: 'bold' }] });
    at = m.index! + m[0].length;
  }
  if (at < line.length) out.push({ type: 'text', text: line.slice(at) });
  return out.filter((n) => n.text);
}

/** The body as a stored Tiptap document: one paragraph per non-empty line (blank lines and newlines separate them). */
export function bodyDoc(body: string | null): DocJSON {
  const paragraphs = (body ?? '')
    .replace(/\r\n?/g, '\n')
    .split(/\n+/)
    .map((p) => p.trim())
    .filter(Boolean);
  const doc: DocJSON = {
    type: 'doc',
    content: paragraphs.length ? paragraphs.map((p) => ({ type: 'paragraph', content: inlineText(p) })) : [{ type: 'paragraph' }],
  };
  const v = validateDoc(doc);
  if (!v.ok) throw invalid(`body_text: cannot be stored (${v.problem.reason}${v.problem.detail ? `: ${v.problem.detail}` : ''})`, 'body_text');
  return v.doc;
}

/** Without a source URL, a file is identified by the SHA-256 of its normalized content (known keys only, nulls dropped). */
export function importKeyOf(f: ImportFile): string {
  if (f.source_url) return f.source_url;
  const clean = (o: object) =>
    Object.fromEntries(Object.entries(o).filter(([, v]) => v !== null && v !== false).map(([k, v]) => [k, typeof v === 'string' ? v.normalize('NFC') : v]));
  const { signatories, ...rest } = f;
  return `sha256:${sha256Hex(Buffer.from(canonicalJson({ ...clean(rest), signatories: signatories.map(clean) }), 'utf8'))}`;
}

export const urlLang = (language: string): Locale => (isLocale(language) ? language : 'en');

/** The statement's public page. */
export const publicUrl = (appUrl: string, lang: Locale, slug: string) => `${appUrl.replace(/\/+$/, '')}/${lang}/s/${slug}`;

function todayIn(timeZone: string, now: Date): string {
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).formatToParts(now);
  const get = (t: string) => parts.find((p) => p.type === t)?.value ?? '';
  return `${get('year')}-${get('month')}-${get('day')}`;
}

function pgCode(e: unknown): { code?: string; constraint?: string } {
  for (let x = e as { code?: unknown; constraint_name?: unknown; cause?: unknown } | undefined, i = 0; x && i < 5; x = x.cause as typeof x, i++) {
    if (typeof x.code === 'string' && /^[0-9A-Z]{5}$/.test(x.code)) return { code: x.code, constraint: typeof x.constraint_name === 'string' ? x.constraint_name : undefined };
  }
  return {};
}

// ---- organizations ----

type OrgRow = { id: string; city: string | null; country: string | null; verifiedAt: Date | null };

const norm = (v: string | null | undefined) => (v ? normalizeOrgName(v) : '');

/**
 * The existing organization this signatory is, or null: same normalized name AND the same location (the file's
 * location equals the organization's city, country or "city, country", normalized). A signatory without a location
 * matches an organization without one, else the only organization of that name; otherwise it is not guessed.
 */
function pickOrganization(candidates: OrgRow[], location: string | null, used: Set<string>): OrgRow | null {
  const free = candidates.filter((c) => !used.has(c.id));
  if (location) {
    const l = norm(location);
    return free.find((c) => [norm(c.city), norm(c.country), norm(c.city && c.country ? `${c.city}, ${c.country}` : null)].includes(l)) ?? null;
  }
  const unlocated = free.find((c) => !c.city && !c.country);
  if (unlocated) return unlocated;
  return candidates.length === 1 && free.length === 1 ? free[0]! : null;
}

async function freeOrgSlug(tx: Tx, name: string): Promise<string> {
  const base = slugFor(name);
  const taken = new Set(
    (await tx.select({ slug: organizations.slug }).from(organizations).where(sql`${organizations.slug} = ${base} OR ${organizations.slug} LIKE ${base + '-%'}`)).map((r) => r.slug),
  );
  if (!taken.has(base)) return base;
  for (let n = 2; ; n++) if (!taken.has(`${base}-${n}`)) return `${base}-${n}`;
}

async function createImportedOrganization(tx: Tx, s: ImportSignatory, lang: string, statementId: string, now: Date): Promise<OrgRow> {
  const names = (LOCALES as readonly string[]).includes(lang) ? { [lang]: s.name } : {};
  const slug = await freeOrgSlug(tx, s.name);
  const [org] = await tx
    .insert(organizations)
    .values({
      slug,
      name: s.name,
      names,
      normalizedName: normalizeOrgName(s.name),
      searchText: [s.name, ...Object.values(names)].map(normalizeOrgName).join(' | '),
      city: s.location,
      country: null,
      createdBy: null,
      createdAt: now,
      updatedAt: now,
    })
    .returning({ id: organizations.id, city: organizations.city, country: organizations.country, verifiedAt: organizations.verifiedAt });
  await appendAudit(tx, { chain: { type: 'organization', id: org!.id }, type: 'org.created', actorUserId: null, data: { slug, name: s.name, via: 'import', statementId }, now });
  return org!;
}

// ---- the import ----

/**
 * Import a statement file (R8) and publish it. The operator's tool (CLI, seed): no actor. Returns created:false and
 * changes nothing when a publication with the file's identity (source URL, else content hash) exists.
 */
export async function importStatement(db: Db, file: unknown, opts: ImportOptions = {}): Promise<ImportResult> {
  const f = parseImportFile(file);
  const order = opts.order ?? 'joined';
  if (order !== 'joined' && order !== 'alphabetical') throw invalid(`order: must be 'joined' or 'alphabetical' (got "${String(order)}")`, 'order');
  let initiatorIndex: number | null = null;
  if (opts.initiator !== undefined && opts.initiator !== null) {
    const wanted = opts.initiator.trim();
    const orgs = f.signatories.map((s, i) => ({ s, i })).filter(({ s }) => s.name === wanted);
    const asOrg = orgs.filter(({ s }) => s.kind === 'organization');
    if (asOrg.length === 0)
      throw invalid(
        orgs.length
          ? `initiator: "${wanted}" is an individual in the file; only an organization can be the initiator`
          : `initiator: "${wanted}" is not an organization signatory of the file (give the name exactly as in the file)`,
        'initiator',
      );
    if (asOrg.length > 1) throw invalid(`initiator: "${wanted}" names ${asOrg.length} signatories of the file (different locations); it must name one`, 'initiator');
    initiatorIndex = asOrg[0]!.i;
  }
  rejectDuplicates(f);
  const doc = bodyDoc(f.body_text);
  const importKey = importKeyOf(f);
  const title = (f.title ?? f.title_en)!;
  const lang = f.language;
  const now = opts.now ?? new Date();
  const displayDate = f.date ?? todayIn(IMPORT_TIME_ZONE, now);

  const existing = async (q: Pick<Db, 'select'>) =>
    (await q.select({ statementId: publications.statementId, slug: publications.slug }).from(publications).where(eq(publications.importKey, importKey)))[0];

  for (let attempt = 1; ; attempt++) {
    try {
      const out = await db.transaction(async (tx): Promise<ImportResult> => {
        // Concurrent imports of one file wait here; the second then finds the first's publication.
        await tx.execute(sql`SELECT pg_advisory_xact_lock(hashtext(${'undersigned:import:' + importKey}))`);
        const found = await existing(tx);
        if (found) return { slug: found.slug, statementId: found.statementId, created: false, lang: urlLang(lang) };
        // Organizations are matched or created under a lock per name (sorted: no deadlock between two imports).
        const orgNames = [...new Set(f.signatories.filter((s) => s.kind === 'organization').map((s) => normalizeOrgName(s.name)))].sort();
        for (const n of orgNames) await tx.execute(sql`SELECT pg_advisory_xact_lock(hashtext(${'undersigned:org:' + n}))`);

        const [st] = await tx
          .insert(statements)
          .values({ state: 'published', primaryLang: lang, timeZone: IMPORT_TIME_ZONE, createdBy: null, createdAt: now, lastEditedAt: now, lastEditedBy: null })
          .returning({ id: statements.id });
        const statementId = st!.id;
        await tx.insert(statementTexts).values({ statementId, lang, title, doc, lockVersion: 0, createdAt: now, updatedAt: now, updatedBy: null });
        const texts: VersionTexts = { [lang]: { title, body: doc } };
        const { canonical, sha256 } = canonicalVersion(statementId, 1, texts);
        const [version] = await tx
          .insert(statementVersions)
          .values({ statementId, number: 1, langs: [lang], canonical, contentSha256: sha256, frozenBy: null, frozenAt: now })
          .returning({ id: statementVersions.id });
        await tx.update(statements).set({ currentVersion: 1 }).where(eq(statements.id, statementId));

        // Signers: existing organizations (same normalized name and location) or new unverified ones.
        const candidates = new Map<string, OrgRow[]>();
        if (orgNames.length) {
          const rows = await tx
            .select({ id: organizations.id, normalizedName: organizations.normalizedName, city: organizations.city, country: organizations.country, verifiedAt: organizations.verifiedAt })
            .from(organizations)
            .where(inArray(organizations.normalizedName, orgNames))
            .orderBy(asc(organizations.createdAt), asc(organizations.id));
          for (const { normalizedName, ...r } of rows) (candidates.get(normalizedName) ?? candidates.set(normalizedName, []).get(normalizedName)!).push(r);
        }
        const used = new Set<string>();
        const signers: { orgId: string | null; individualKey: string | null; verified: boolean }[] = [];
        let createdOrgs = 0;
        for (const s of f.signatories) {
          if (s.kind === 'individual') {
            signers.push({ orgId: null, individualKey: individualKey(s), verified: false });
            continue;
          }
          const n = normalizeOrgName(s.name);
          let org = pickOrganization(candidates.get(n) ?? [], s.location, used);
          if (!org) {
            org = await createImportedOrganization(tx, s, lang, statementId, now);
            createdOrgs++;
            (candidates.get(n) ?? candidates.set(n, []).get(n)!).push(org);
          }
          used.add(org.id);
          signers.push({ orgId: org.id, individualKey: null, verified: !!org.verifiedAt });
        }

        // One signature and one binding per signatory; bindings in file order (their seq is the "joined" order).
        const sigIds: string[] = [];
        const CHUNK = 1000;
        for (let i = 0; i < signers.length; i += CHUNK) {
          const rows = await tx
            .insert(signatures)
            .values(signers.slice(i, i + CHUNK).map((x) => ({ statementId, orgId: x.orgId, individualKey: x.individualKey, method: 'imported' as const, createdBy: null, createdAt: now })))
            .returning({ id: signatures.id, orgId: signatures.orgId, individualKey: signatures.individualKey });
          const byKey = new Map(rows.map((r) => [r.orgId ?? `i:${r.individualKey}`, r.id]));
          for (const x of signers.slice(i, i + CHUNK)) sigIds.push(byKey.get(x.orgId ?? `i:${x.individualKey}`)!);
        }
        for (let i = 0; i < f.signatories.length; i += CHUNK) {
          await tx.insert(signatureBindings).values(
            f.signatories.slice(i, i + CHUNK).map((s, j) => {
              const snapshot: BindingSnapshot = {
                names: { default: s.name },
                city: s.location ?? null,
                country: null,
                verified: signers[i + j]!.verified,
                title: s.role ?? null,
                personName: null,
                individual: s.kind === 'individual',
                group: s.group ?? null,
                joinedLater: !!s.joined_after_publication,
              };
              return {
                signatureId: sigIds[i + j]!,
                statementId,
                versionId: version!.id,
                versionNumber: 1,
                contentSha256: sha256,
                signedBy: null,
                signerRole: null,
                policy: null,
                snapshot,
                signedAt: now,
              };
            }),
          );
        }

        const slug = await freeSlug(tx, f.title_en ?? title);
        await tx.insert(publications).values({
          statementId,
          slug,
          versionId: version!.id,
          versionNumber: 1,
          displayDate,
          publishedAt: now,
          publishedBy: null,
          listOrder: order,
          sourceUrl: f.source_url,
          importKey,
          searchText: searchTextOf(texts),
          updatedAt: now,
        });
        if (initiatorIndex !== null) {
          await tx.insert(statementInitiators).values({ statementId, orgId: signers[initiatorIndex]!.orgId!, role: 'primary', joinedAt: now });
        }
        await appendAudit(tx, {
          chain: { type: 'statement', id: statementId },
          type: 'statement.imported',
          actorUserId: null,
          data: {
            slug,
            sourceUrl: f.source_url,
            importKey,
            signatories: f.signatories.length,
            order,
            versionId: version!.id,
            contentSha256: sha256,
            displayDate,
            initiatorOrgId: initiatorIndex !== null ? signers[initiatorIndex]!.orgId : null,
            organizationsCreated: createdOrgs,
          },
          now,
        });
        await refreshRecord(tx, statementId, now);
        return { slug, statementId, created: true, lang: urlLang(lang) };
      });
      if (out.created) await revalidatePublic(out.slug);
      return out;
    } catch (e) {
      const { code, constraint } = pgCode(e);
      if (code !== '23505' || attempt >= 3) throw e;
      // The same file imported at the same moment through another path: it is there now.
      if (constraint === 'publications_import_key') {
        const found = await existing(db);
        if (found) return { slug: found.slug, statementId: found.statementId, created: false, lang: urlLang(lang) };
      }
      // Otherwise a slug taken by a concurrent import of another file: try again with a fresh one.
    }
  }
}
