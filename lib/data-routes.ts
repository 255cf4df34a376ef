// The public data routes (R3, R4, R6): feeds, the signed record and its revisions, the signatories CSV and the PDF.
// Plain Web Responses (no next/* imports), shared by the thin route files under app/feeds and app/data. Public and
// cacheable: no session, no cookies, nothing from the request but the path; absolute links use APP_URL (never the
// request's Host, so a cache cannot be poisoned with another host's links). No e-mail address or user id (I13).
import { getDb } from '@/db';
import { signatoriesCsv } from './csv';
import { env } from './env';
import { buildAtom, buildRss, feedPath, renderFeed, type FeedFormat, type FeedScope } from './feeds';
import { isLocale } from './i18n';
import { getStatementPdf } from './pdf';
import { outputText } from './public-outputs';
import { getPublicStatement, getRecordRevision } from './publishing';

/** CDN caching beside each instance's ISR cache (revalidate = 30): refreshed within about 30 s everywhere. */
export const PUBLIC_CACHE_CONTROL = 'public, s-maxage=30, stale-while-revalidate=300';

const origin = () => env().APP_URL.replace(/\/+$/, '');

// `next build` prerenders routes without parameters (the feeds of every statement) with no database: that first
// render is an empty feed, replaced by the first regeneration.
const buildPhase = () => process.env.NEXT_PHASE === 'phase-production-build';

const json = (body: unknown, status = 200, extra: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), {
    status,
    headers: {
      'Content-Type': 'application/json; charset=utf-8',
      'Cache-Control': PUBLIC_CACHE_CONTROL,
      'X-Content-Type-Options': 'nosniff',
      ...extra,
    },
  });

const notFound = () => json({ error: { code: 'NOT_FOUND', message: 'errors.notFound' } }, 404);

const FEED_TYPES: Record<FeedFormat, string> = {
  rss: 'application/rss+xml; charset=utf-8',
  atom: 'application/atom+xml; charset=utf-8',
};

export async function feedResponse(scope: FeedScope, format: FeedFormat): Promise<Response> {
  const xml =
    buildPhase() && scope.kind === 'all'
      ? emptyFeed(format)
      : await renderFeed(getDb(), scope, format, origin());
  if (xml === null) return notFound();
  return new Response(xml, {
    headers: {
      'Content-Type': FEED_TYPES[format],
      'Cache-Control': PUBLIC_CACHE_CONTROL,
      'X-Content-Type-Options': 'nosniff',
    },
  });
}

function emptyFeed(format: FeedFormat): string {
  const t = outputText('en');
  const meta = {
    title: t('feedAllTitle'),
    subtitle: t('feedAllSubtitle'),
    selfUrl: `${origin()}${feedPath({ kind: 'all' }, format)}`,
    siteUrl: `${origin()}/en`,
    lang: 'en',
    updated: new Date(0).toISOString(),
  };
  return format === 'rss' ? buildRss(meta, []) : buildAtom(meta, []);
}

/** The latest signed envelope { record, sha256, key_id, signature }, exactly as stored. */
export async function recordResponse(slug: string): Promise<Response> {
  const pub = await getPublicStatement(getDb(), slug);
  return pub ? json(pub.envelope, 200, { 'Access-Control-Allow-Origin': '*' }) : notFound();
}

/** One revision of the record, at its stable URL. */
export async function revisionResponse(slug: string, seq: string): Promise<Response> {
  if (!/^[1-9]\d{0,8}$/.test(seq)) return notFound();
  const env = await getRecordRevision(getDb(), slug, Number(seq));
  return env ? json(env, 200, { 'Access-Control-Allow-Origin': '*' }) : notFound();
}

/** The signatories as CSV in the list order of `lang` (UTF-8 with BOM, formula-safe). */
export async function signatoriesCsvResponse(slug: string, lang: string): Promise<Response> {
  if (!isLocale(lang)) return notFound();
  const pub = await getPublicStatement(getDb(), slug);
  if (!pub) return notFound();
  return new Response(signatoriesCsv(pub, lang), {
    headers: {
      'Content-Type': 'text/csv; charset=utf-8; header=present',
      'Content-Disposition': `attachment; filename="${pub.slug}-signatories.csv"`,
      'Cache-Control': PUBLIC_CACHE_CONTROL,
      'X-Content-Type-Options': 'nosniff',
    },
  });
}

/** The stored PDF of the current record in `lang` (rendered and stored on first request after a change). */
export async function statementPdfResponse(slug: string, lang: string): Promise<Response> {
  if (!isLocale(lang)) return notFound();
  const pdf = await getStatementPdf(getDb(), slug, lang, origin());
  if (!pdf) return notFound();
  return new Response(new Uint8Array(pdf.bytes), {
    headers: {
      'Content-Type': 'application/pdf',
      'Content-Length': String(pdf.size),
      'Content-Disposition': `inline; filename="${slug}.pdf"`,
      'Cache-Control': PUBLIC_CACHE_CONTROL,
      'X-Content-Type-Options': 'nosniff',
      ETag: `"${pdf.sha256}"`,
    },
  });
}
