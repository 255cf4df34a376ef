// RSS 2.0 and Atom 1.0 feeds of published statements (R3): every statement, per language, per organization
// (initiated or signed). The builders are pure (entries in, XML out) and escape every text; `feedEntries` is the
// one query. Entries come from the signed public record (binding snapshots), never from live profiles or user
// rows: no e-mail address or user id can appear (SECURITY.md I13). Newest first by display date, at most 50.
import { sql } from 'drizzle-orm';
import type { DbOrTx } from '@/db';
import { escapeHtml } from './editor/render';
import { languageName } from './languages';
import { initiatorNames, LANG_CODE, outputText, signedCount, textFor, uiLocaleOf } from './public-outputs';
import { excerptOf, plainText } from './publishing';
import type { RecordDocument } from './record';

export const FEED_LIMIT = 50;

export type FeedEntry = {
  slug: string;
  /** The language of the entry's title and excerpt. */
  lang: string;
  title: string;
  /** Absolute URL of the public page. */
  link: string;
  /** YYYY-MM-DD, the date the statement carries. */
  displayDate: string;
  /** ISO instant the server published it. */
  publishedAt: string;
  excerpt: string;
  initiators: string[];
  signatories: number;
  state: RecordDocument['state'];
};

export type FeedMeta = {
  title: string;
  subtitle: string;
  /** Absolute URL of this feed (rel=self) and of the page it mirrors. */
  selfUrl: string;
  siteUrl: string;
  /** Interface language of the feed's own strings. */
  lang: string;
  /** ISO instant of the newest change. */
  updated: string;
};

// ---- escaping ----

// XML 1.0 Char: #x9 | #xA | #xD | [#x20-#xD7FF] | [#xE000-#xFFFD] | [#x10000-#x10FFFF]; lone surrogates are not.
const NOT_XML_CHAR = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

/** Drop characters XML 1.0 does not allow (control characters, lone surrogates, U+FFFE/FFFF). */
export const xmlSafe = (s: string): string => String(s ?? '').replace(NOT_XML_CHAR, '');

/** Text for element content or an attribute value: XML-safe and escaped. */
export function xmlText(s: string): string {
  return xmlSafe(s)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

const el = (name: string, text: string, attrs = '') => `<${name}${attrs}>${xmlText(text)}</${name}>`;

/** RFC 822 date of a YYYY-MM-DD day or an ISO instant (RSS). */
export function rfc822(value: string): string {
  return dayOrInstant(value).toUTCString();
}

/** RFC 3339 (Atom). */
export function rfc3339(value: string): string {
  return dayOrInstant(value)
    .toISOString()
    .replace(/\.\d{3}Z$/, 'Z');
}

function dayOrInstant(value: string): Date {
  const d = /^\d{4}-\d{2}-\d{2}$/.test(value) ? new Date(`${value}T00:00:00Z`) : new Date(value);
  return Number.isNaN(d.getTime()) ? new Date(0) : d;
}

/** The line under an excerpt: "Initiated by X · 3 signatories". */
function byline(e: FeedEntry, uiLang: string): string {
  const t = outputText(uiLang);
  const parts = [];
  if (e.initiators.length) parts.push(t('initiatedBy', { names: e.initiators.join(', ') }));
  parts.push(t('signatoryCount', { count: e.signatories }));
  if (e.state === 'withdrawn') parts.push(t('stateWithdrawn'));
  else if (e.state === 'closed') parts.push(t('stateClosed'));
  return parts.join(' · ');
}

/** HTML for readers that show a description: every text escaped as HTML first (then as XML by the caller). */
const descriptionHtml = (e: FeedEntry, uiLang: string) =>
  `<p>${escapeHtml(e.excerpt)}</p><p>${escapeHtml(byline(e, uiLang))}</p>`;

const NS = 'urn:undersigned:feed:1';

// ---- builders ----

/** RSS 2.0. Titles are plain text; the description is HTML whose texts are escaped (so markup in a title or a text stays text). */
export function buildRss(meta: FeedMeta, entries: FeedEntry[]): string {
  const items = entries.map((e) =>
    [
      '<item>',
      el('title', e.title),
      el('link', e.link),
      el('guid', e.link, ' isPermaLink="true"'),
      el('pubDate', rfc822(e.displayDate)),
      el('dc:date', rfc3339(e.publishedAt)),
      ...e.initiators.map((n) => el('dc:creator', n)),
      el('description', descriptionHtml(e, meta.lang)),
      el('us:signatories', String(e.signatories)),
      el('us:state', e.state),
      '</item>',
    ].join(''),
  );
  return [
    '<?xml version="1.0" encoding="UTF-8"?>\n',
    `<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:us="${NS}">`,
    '<channel>',
    el('title', meta.title),
    el('link', meta.siteUrl),
    el('description', meta.subtitle),
    el('language', meta.lang),
    el('lastBuildDate', rfc822(meta.updated)),
    `<atom:link href="${xmlText(meta.selfUrl)}" rel="self" type="application/rss+xml"/>`,
    ...items,
    '</channel>',
    '</rss>\n',
  ].join('');
}

/** Atom 1.0. Titles and summaries are `type="text"`; the content is escaped HTML. */
export function buildAtom(meta: FeedMeta, entries: FeedEntry[]): string {
  const items = entries.map((e) =>
    [
      `<entry xml:lang="${xmlText(e.lang)}">`,
      el('id', e.link),
      el('title', e.title, ' type="text"'),
      `<link rel="alternate" type="text/html" href="${xmlText(e.link)}"/>`,
      el('updated', rfc3339(e.displayDate)),
      el('published', rfc3339(e.publishedAt)),
      ...(e.initiators.length ? e.initiators : ['Undersigned']).map(
        (n) => `<author>${el('name', n)}</author>`,
      ),
      el('summary', e.excerpt, ' type="text"'),
      el('content', descriptionHtml(e, meta.lang), ' type="html"'),
      el('us:signatories', String(e.signatories)),
      el('us:state', e.state),
      '</entry>',
    ].join(''),
  );
  return [
    '<?xml version="1.0" encoding="UTF-8"?>\n',
    `<feed xmlns="http://www.w3.org/2005/Atom" xmlns:us="${NS}" xml:lang="${xmlText(meta.lang)}">`,
    el('id', meta.selfUrl),
    el('title', meta.title, ' type="text"'),
    el('subtitle', meta.subtitle, ' type="text"'),
    `<link rel="self" type="application/atom+xml" href="${xmlText(meta.selfUrl)}"/>`,
    `<link rel="alternate" type="text/html" href="${xmlText(meta.siteUrl)}"/>`,
    el('updated', rfc3339(meta.updated)),
    `<author>${el('name', 'Undersigned')}</author>`,
    el('generator', 'Undersigned'),
    ...items,
    '</feed>\n',
  ].join('');
}

/** One feed entry from a signed record, in `lang` when the version has it (else the primary language). */
export function entryOf(record: RecordDocument, lang: string | null, origin: string): FeedEntry {
  const text = textFor(record, lang ?? record.primary_lang);
  const pageLang = uiLocaleOf(lang ?? text.lang);
  return {
    slug: record.slug,
    lang: text.lang,
    title: text.title,
    link: `${origin}/${pageLang}/s/${record.slug}`,
    displayDate: record.display_date,
    publishedAt: record.published_at,
    excerpt: excerptOf(plainText(text.body)),
    initiators: initiatorNames(record, text.lang),
    signatories: signedCount(record),
    state: record.state,
  };
}

// ---- advertising them ----

/** A feed's title in an interface language: the feed's own title, and the title of a page's link to it. */
export function feedTitle(scope: FeedScope, uiLang: string, orgName = ''): string {
  const t = outputText(uiLang);
  if (scope.kind === 'lang') return t('feedLangTitle', { language: languageName(scope.lang, uiLang) });
  if (scope.kind === 'org') return t('feedOrgTitle', { org: orgName });
  return t('feedAllTitle');
}

/**
 * Next metadata `alternates.types` advertising feeds in a page's head (`<link rel="alternate" type=… title=…>`):
 * each feed in RSS and in Atom, titled in the page's language. A page that sets `alternates` replaces the layout's,
 * so every public page that does passes the feeds it wants advertised, the all-statements feed first.
 */
export function feedAlternates(uiLang: string, scopes: { scope: FeedScope; orgName?: string }[]) {
  const feeds = [{ scope: { kind: 'all' } as FeedScope }, ...scopes.filter((f) => f.scope.kind !== 'all')].filter(
    (f) => f.scope.kind !== 'lang' || LANG_CODE.test(f.scope.lang),
  );
  const of = (format: FeedFormat, label: string) =>
    feeds.map((f) => ({ url: feedPath(f.scope, format), title: `${feedTitle(f.scope, uiLang, f.orgName)} (${label})` }));
  return { 'application/rss+xml': of('rss', 'RSS'), 'application/atom+xml': of('atom', 'Atom') };
}

// ---- the query ----

export type FeedScope = { kind: 'all' } | { kind: 'lang'; lang: string } | { kind: 'org'; slug: string };
export type FeedFormat = 'rss' | 'atom';

/** Path of a feed on this site. */
export function feedPath(scope: FeedScope, format: FeedFormat): string {
  const file = format === 'rss' ? 'rss.xml' : 'atom.xml';
  if (scope.kind === 'lang') return `/feeds/lang/${scope.lang}/${file}`;
  if (scope.kind === 'org') return `/feeds/org/${scope.slug}/${file}`;
  return `/feeds/${file}`;
}

/**
 * Permission: anyone (public data only). The newest published statements of a scope with their signed records;
 * null when the scope does not exist (an unknown organization, a malformed language code).
 */
export async function feedEntries(
  db: DbOrTx,
  scope: FeedScope,
): Promise<{
  org: { name: string; names: Partial<Record<string, string>> } | null;
  records: { record: RecordDocument; updatedAt: Date }[];
} | null> {
  let where = sql`TRUE`;
  let org: { id: string; name: string; names: Partial<Record<string, string>> } | null = null;
  if (scope.kind === 'lang') {
    if (!LANG_CODE.test(scope.lang)) return null;
    where = sql`${scope.lang} = ANY(v.langs)`;
  } else if (scope.kind === 'org') {
    if (scope.slug.length > 100 || !/^[a-z0-9]+(-[a-z0-9]+)*$/.test(scope.slug)) return null;
    const [o] = (await db.execute(
      sql`SELECT id, name, names FROM organizations WHERE slug = ${scope.slug}`,
    )) as unknown as { id: string; name: string; names: Partial<Record<string, string>> }[];
    if (!o) return null;
    org = o;
    // Initiated, or listed in the record (bound to the published version, not withdrawn before publication).
    where = sql`(EXISTS (SELECT 1 FROM statement_initiators si WHERE si.statement_id = p.statement_id AND si.org_id = ${o.id})
      OR EXISTS (SELECT 1 FROM signatures s WHERE s.statement_id = p.statement_id AND s.org_id = ${o.id}
                  AND (r.canonical::jsonb -> 'signatories') @> jsonb_build_array(jsonb_build_object('id', s.id::text))))`;
  }
  const rows = (await db.execute(sql`
    SELECT r.canonical, p.updated_at
      FROM publications p
      JOIN statement_versions v ON v.id = p.version_id
      JOIN public_records r ON r.statement_id = p.statement_id AND r.seq = p.record_seq
     WHERE ${where}
     ORDER BY p.display_date DESC, p.published_at DESC, p.slug
     LIMIT ${FEED_LIMIT}`)) as unknown as { canonical: string; updated_at: Date | string }[];
  return {
    org: org ? { name: org.name, names: org.names } : null,
    records: rows.map((r) => ({
      record: JSON.parse(r.canonical) as RecordDocument,
      updatedAt: new Date(r.updated_at),
    })),
  };
}

/** Permission: anyone. The XML of a feed, or null when its scope does not exist. */
export async function renderFeed(
  db: DbOrTx,
  scope: FeedScope,
  format: FeedFormat,
  origin: string,
): Promise<string | null> {
  const found = await feedEntries(db, scope);
  if (!found) return null;
  const uiLang = scope.kind === 'lang' ? uiLocaleOf(scope.lang) : 'en';
  const t = outputText(uiLang);
  const entryLang = scope.kind === 'lang' ? scope.lang : null;
  const entries = found.records.map((r) => entryOf(r.record, entryLang, origin));
  const newest = found.records.reduce((m, r) => Math.max(m, r.updatedAt.getTime()), 0);
  const orgName = found.org ? (found.org.names[uiLang] ?? found.org.name) : '';
  const meta: FeedMeta = {
    title: feedTitle(scope, uiLang, orgName),
    subtitle: scope.kind === 'org' ? t('feedOrgSubtitle', { org: orgName }) : t('feedAllSubtitle'),
    selfUrl: `${origin}${feedPath(scope, format)}`,
    siteUrl: scope.kind === 'org' ? `${origin}/${uiLang}/orgs/${scope.slug}` : `${origin}/${uiLang}`,
    lang: uiLang,
    updated: new Date(newest).toISOString(),
  };
  return format === 'rss' ? buildRss(meta, entries) : buildAtom(meta, entries);
}
