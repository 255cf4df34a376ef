// The public archive (R2) and the statements of an organization's public page. Public reads: they take the database
// only (no actor), cover published statements only (published, closed, withdrawn — never drafts), and return no
// e-mail address or user id (I13). Each page of results is one query (plus a count when a page lies past the end).
//
// The signatory count and the initiator follow the public record's rules (lib/record.ts recordSignatories): a
// signature counts when it is bound to the published version and its latest event is not a withdrawal; the
// initiator is the primary (then earliest) initiating organization, named from its binding snapshot.
import { sql, type SQL } from 'drizzle-orm';
import type { DbOrTx } from '@/db';
import type { DocJSON } from './editor/extensions';
import { excerptOf, plainText } from './publishing';

export const ARCHIVE_PAGE_SIZE = 20;
export const QUERY_MAX = 200;

export type ArchiveItem = {
  slug: string;
  /** In the UI language when the version has it, else in the primary language (`textLang` says which). */
  title: string;
  textLang: string;
  /** The date the initiators chose (YYYY-MM-DD), not the server's publication time. */
  displayDate: string;
  publishedAt: string;
  /** About 50 words of the text, ending in "[…]" when cut. */
  excerpt: string;
  /** The first initiating organization's name, in the UI language when it has one. */
  initiator: string | null;
  /** Signed and not withdrawn. */
  signatories: number;
  langs: string[];
  state: 'published' | 'closed' | 'withdrawn';
};

export type ArchiveQuery = {
  q?: string | null;
  /** An organization's slug: statements it initiated or signed. */
  org?: string | null;
  /** A language of the published version. */
  language?: string | null;
  year?: number | string | null;
  page?: number;
  /** The interface language: titles, excerpts and names in it when available. */
  lang: string;
};

export type ArchivePage = { items: ArchiveItem[]; total: number; page: number; pageCount: number };

const LANG_RE = /^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/;
const YEAR_RE = /^\d{4}$/;
const SLUG_RE = /^[a-z0-9]+(-[a-z0-9]+)*$/;

/** `%`, `_` and the escape character itself, taken literally inside ILIKE. */
export const likeEscape = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

/** The search string as used: trimmed, at most QUERY_MAX characters, lower case (as search_text is stored). */
export function normalizeQuery(q: string | null | undefined): string {
  return (q ?? '').replace(/\s+/g, ' ').trim().slice(0, QUERY_MAX).toLocaleLowerCase('und');
}

/** Published statements (any public state) — the base condition of every list here. */
const PUBLIC = sql`p.record_seq > 0 AND s.state IN ('published', 'closed', 'withdrawn')`;

/** The organization signed the published version and has not withdrawn. */
const signedBy = (orgId: SQL) => sql`EXISTS (
  SELECT 1 FROM signatures sg
    JOIN signature_bindings b ON b.signature_id = sg.id AND b.version_number = p.version_number
   WHERE sg.statement_id = p.statement_id AND sg.org_id = ${orgId}
     AND coalesce((SELECT e.kind::text FROM signature_events e WHERE e.signature_id = sg.id ORDER BY e.seq DESC LIMIT 1), '') <> 'withdrawn')`;
const initiatedBy = (orgId: SQL) => sql`EXISTS (SELECT 1 FROM statement_initiators si WHERE si.statement_id = p.statement_id AND si.org_id = ${orgId})`;

type Row = {
  slug: string;
  display_date: string;
  published_at: string | Date;
  state: ArchiveItem['state'];
  primary_lang: string;
  langs: string[];
  text_lang: string;
  title: string | null;
  body: DocJSON | null;
  initiator_names: Record<string, string> | null;
  signatories: number;
  total: number;
};

/** One page of items matching `where`, newest first (display date, then publication time). */
async function queryItems(db: DbOrTx, where: SQL, lang: string, limit: number, offset: number): Promise<{ rows: Row[] }> {
  const rows = (await db.execute(sql`
    WITH page AS MATERIALIZED (
      SELECT p.statement_id, p.slug, p.display_date, p.published_at, p.version_id, p.version_number,
             s.state::text AS state, s.primary_lang, count(*) OVER ()::int AS total
        FROM publications p
        JOIN statements s ON s.id = p.statement_id
        JOIN statement_versions v ON v.id = p.version_id
       WHERE ${PUBLIC} AND ${where}
       ORDER BY p.display_date DESC, p.published_at DESC, p.statement_id
       LIMIT ${limit} OFFSET ${offset}
    )
    SELECT pg.slug, pg.display_date, pg.published_at, pg.state, pg.primary_lang, pg.total, v.langs,
           tl.lang AS text_lang,
           x.texts -> tl.lang ->> 'title' AS title,
           x.texts -> tl.lang -> 'body' AS body,
           (SELECT b.snapshot -> 'names'
              FROM statement_initiators si
              JOIN signatures sg ON sg.statement_id = si.statement_id AND sg.org_id = si.org_id
              JOIN signature_bindings b ON b.signature_id = sg.id AND b.version_number = pg.version_number
             WHERE si.statement_id = pg.statement_id
               AND NOT coalesce((SELECT e.kind = 'withdrawn' AND e.at <= pg.published_at
                                   FROM signature_events e WHERE e.signature_id = sg.id ORDER BY e.seq DESC LIMIT 1), false)
             ORDER BY (si.role = 'primary') DESC, si.joined_at, b.seq DESC
             LIMIT 1) AS initiator_names,
           (SELECT count(DISTINCT b.signature_id)::int
              FROM signature_bindings b
             WHERE b.statement_id = pg.statement_id AND b.version_number = pg.version_number
               AND coalesce((SELECT e.kind::text FROM signature_events e WHERE e.signature_id = b.signature_id ORDER BY e.seq DESC LIMIT 1), '') <> 'withdrawn'
           ) AS signatories
      FROM page pg
      JOIN statement_versions v ON v.id = pg.version_id
      CROSS JOIN LATERAL (SELECT v.canonical::jsonb -> 'texts' AS texts) x
      CROSS JOIN LATERAL (SELECT CASE WHEN x.texts ? ${lang} THEN ${lang}::text ELSE pg.primary_lang END AS lang) tl
     ORDER BY pg.display_date DESC, pg.published_at DESC, pg.statement_id`)) as unknown as Row[];
  return { rows: [...rows] };
}

function toItem(r: Row, lang: string): ArchiveItem {
  const names = r.initiator_names;
  const initiator = names ? (names[lang] ?? names.default ?? Object.values(names)[0] ?? null) : null;
  return {
    slug: r.slug,
    title: r.title ?? '',
    textLang: r.text_lang,
    displayDate: r.display_date,
    publishedAt: new Date(r.published_at).toISOString(),
    excerpt: excerptOf(plainText(r.body ?? undefined)),
    initiator,
    signatories: Number(r.signatories) || 0,
    langs: r.langs,
    state: r.state,
  };
}

/** Permission: anyone. Published statements, newest first, searched and filtered; 20 per page. */
export async function listArchive(db: DbOrTx, input: ArchiveQuery): Promise<ArchivePage> {
  const page = Math.max(1, Math.min(Number.isInteger(input.page) ? input.page! : 1, 100_000));
  const conds: SQL[] = [];
  const q = normalizeQuery(input.q);
  if (q) {
    // Full-text (`simple`: no stemming, works for Armenian) or a substring (the trigram index serves ILIKE).
    conds.push(
      sql`(to_tsvector('simple', p.search_text) @@ plainto_tsquery('simple', lower(${q})) OR p.search_text ILIKE '%' || lower(${likeEscape(q)}) || '%')`,
    );
  }
  const org = input.org?.trim();
  if (org) {
    if (!SLUG_RE.test(org)) return { items: [], total: 0, page, pageCount: 0 };
    const orgId = sql`(SELECT o.id FROM organizations o WHERE o.slug = ${org})`;
    conds.push(sql`(${initiatedBy(orgId)} OR ${signedBy(orgId)})`);
  }
  const language = input.language?.trim();
  if (language) {
    if (!LANG_RE.test(language)) return { items: [], total: 0, page, pageCount: 0 };
    conds.push(sql`${language} = ANY(v.langs)`);
  }
  const year = input.year == null || input.year === '' ? '' : String(input.year).trim();
  if (year) {
    if (!YEAR_RE.test(year)) return { items: [], total: 0, page, pageCount: 0 };
    conds.push(sql`left(p.display_date, 4) = ${year}`);
  }
  const where = conds.length ? sql.join(conds, sql` AND `) : sql`true`;
  const { rows } = await queryItems(db, where, input.lang, ARCHIVE_PAGE_SIZE, (page - 1) * ARCHIVE_PAGE_SIZE);
  let total = rows[0]?.total ?? 0;
  if (rows.length === 0 && page > 1) {
    const [c] = (await db.execute(sql`
      SELECT count(*)::int AS n FROM publications p
        JOIN statements s ON s.id = p.statement_id
        JOIN statement_versions v ON v.id = p.version_id
       WHERE ${PUBLIC} AND ${where}`)) as unknown as { n: number }[];
    total = c?.n ?? 0;
  }
  return { items: rows.map((r) => toItem(r, input.lang)), total, page, pageCount: Math.ceil(total / ARCHIVE_PAGE_SIZE) };
}

/** Permission: anyone. The published statements an organization initiated, and those it signed (without initiating). */
export async function orgStatements(db: DbOrTx, orgId: string, lang: string, limit = 100): Promise<{ initiated: ArchiveItem[]; signed: ArchiveItem[] }> {
  const id = sql`${orgId}::uuid`;
  const [initiated, signed] = await Promise.all([
    queryItems(db, initiatedBy(id), lang, limit, 0),
    queryItems(db, sql`NOT ${initiatedBy(id)} AND ${signedBy(id)}`, lang, limit, 0),
  ]);
  return { initiated: initiated.rows.map((r) => toItem(r, lang)), signed: signed.rows.map((r) => toItem(r, lang)) };
}

export type ArchiveFacets = {
  orgs: { slug: string; name: string }[];
  languages: string[];
  years: string[];
};

/** Permission: anyone. The values the archive's filters offer: organizations that initiated or signed a published
 * statement (named in the UI language, sorted with Intl.Collator), the languages of published versions, their years. */
export async function archiveFacets(db: DbOrTx, lang: string): Promise<ArchiveFacets> {
  const [orgs, langs, years] = await Promise.all([
    db.execute(sql`
      SELECT o.slug, o.name, o.names FROM organizations o
       WHERE o.id IN (
         SELECT si.org_id FROM statement_initiators si
           JOIN publications p ON p.statement_id = si.statement_id JOIN statements s ON s.id = p.statement_id
          WHERE ${PUBLIC}
         UNION
         SELECT sx.org_id FROM signatures sx
           JOIN publications p ON p.statement_id = sx.statement_id JOIN statements s ON s.id = p.statement_id
          WHERE ${PUBLIC} AND sx.org_id IS NOT NULL AND ${signedBy(sql`sx.org_id`)})`) as unknown as Promise<
      { slug: string; name: string; names: Record<string, string> | null }[]
    >,
    db.execute(sql`
      SELECT DISTINCT unnest(v.langs) AS lang FROM publications p
        JOIN statements s ON s.id = p.statement_id
        JOIN statement_versions v ON v.id = p.version_id
       WHERE ${PUBLIC}`) as unknown as Promise<{ lang: string }[]>,
    db.execute(sql`
      SELECT DISTINCT left(p.display_date, 4) AS year FROM publications p
        JOIN statements s ON s.id = p.statement_id
       WHERE ${PUBLIC} ORDER BY 1 DESC`) as unknown as Promise<{ year: string }[]>,
  ]);
  let collator: Intl.Collator;
  try {
    collator = new Intl.Collator(lang, { ignorePunctuation: true, sensitivity: 'base', numeric: true });
  } catch {
    collator = new Intl.Collator('und', { ignorePunctuation: true, sensitivity: 'base', numeric: true });
  }
  return {
    orgs: [...orgs]
      .map((o) => ({ slug: o.slug, name: o.names?.[lang] || o.name }))
      .sort((a, b) => collator.compare(a.name, b.name) || a.slug.localeCompare(b.slug)),
    languages: [...langs].map((l) => l.lang).sort(),
    years: [...years].map((y) => y.year),
  };
}

/** A YYYY-MM-DD calendar date in the reader's language ("12 March 2024", "12 марта 2024 г."…). */
export function formatCalendarDate(date: string, locale: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!m) return date;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  try {
    return new Intl.DateTimeFormat(locale, { dateStyle: 'long', timeZone: 'UTC' }).format(d);
  } catch {
    return date;
  }
}
