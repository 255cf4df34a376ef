// Verifying a signed public record (R6; PRODUCT.md, Public record): the verify page and POST /api/verify.
// A pasted record is re-canonicalized (RFC 8785), hashed and its Ed25519 signature checked against this instance's
// current and retired keys; then compared with the live record of the statement it names. A URL is accepted only
// on this instance's own origin (APP_URL) and only for the record and page paths, and it is resolved from the
// database: nothing here ever opens a connection to an address a visitor supplied (no SSRF by construction).
// Public and read-only: no actor, and the answer holds public data only (I13).
import { RateLimiterDrizzle, RateLimiterRes } from 'rate-limiter-flexible';
import { z } from 'zod';
import type { DbOrTx } from '@/db';
import { getDb } from '@/db';
import { rateLimits } from '@/db/schema';
import { env } from './env';
import { AppError } from './errors';
import { LOCALES } from './i18n';
import { getPublicStatement, getRecordRevision } from './publishing';
import { jsonDifferences, verifyEnvelope, type SignedRecord, type VerifyResult } from './record';

/** The largest pasted record (UTF-8 bytes). */
export const VERIFY_RECORD_MAX_BYTES = 5 * 1024 * 1024;
/** The request body cap: a 5 MB record escaped as a JSON string, plus room for the escapes of quotes. */
export const VERIFY_BODY_MAX_BYTES = 2 * VERIFY_RECORD_MAX_BYTES + 16 * 1024;
export const VERIFY_URL_MAX = 2048;
/** Records nest about 20 levels (texts' documents ≤ 12, I9); anything far deeper is not a record. */
const MAX_DEPTH = 64;

export const verifyBodySchema = z.union([
  z.object({ record: z.string().min(1) }).strict(),
  z.object({ url: z.string().trim().min(1).max(VERIFY_URL_MAX) }).strict(),
]);
export type VerifyInput = z.infer<typeof verifyBodySchema>;

// ---- URLs: this instance's own record and page paths only ----

export type UrlTarget = { slug: string; seq: number | null };
/** Why a URL is refused: not a URL at all; not this site (scheme, host, port or user info); not a record path. */
export type UrlRefusal = 'urlInvalid' | 'urlNotThisSite' | 'urlNotARecord';

const SLUG = '([a-z0-9]+(?:-[a-z0-9]+)*)';
const RECORD_PATHS: { re: RegExp; seq: boolean }[] = [
  { re: new RegExp(`^/data/${SLUG}/record\\.json$`), seq: false },
  { re: new RegExp(`^/data/${SLUG}/records/([1-9][0-9]{0,8})(?:\\.json)?$`), seq: true },
  { re: new RegExp(`^/(?:${LOCALES.join('|')})/s/${SLUG}/?$`), seq: false },
];

/**
 * Which record a URL names, if it is one of this instance's: same origin as `appUrl` (scheme, host and port),
 * no user info, and a path /data/{slug}/record.json, /data/{slug}/records/{seq} or /{lang}/s/{slug}. Pure: it
 * parses, it never connects.
 */
export function resolveOwnUrl(
  raw: string,
  appUrl: string,
): { ok: true; target: UrlTarget } | { ok: false; reason: UrlRefusal } {
  let u: URL;
  try {
    u = new URL(raw.trim());
  } catch {
    return { ok: false, reason: 'urlInvalid' };
  }
  const own = new URL(appUrl);
  if (u.protocol !== 'http:' && u.protocol !== 'https:') return { ok: false, reason: 'urlNotThisSite' };
  if (u.username || u.password || u.origin !== own.origin) return { ok: false, reason: 'urlNotThisSite' };
  for (const { re, seq } of RECORD_PATHS) {
    const m = re.exec(u.pathname);
    if (m) return { ok: true, target: { slug: m[1]!, seq: seq ? Number(m[2]) : null } };
  }
  return { ok: false, reason: 'urlNotARecord' };
}

// ---- the report ----

export type LiveComparison = {
  slug: string;
  /** The live record's `record_seq`. */
  seq: number;
  state: 'published' | 'closed' | 'withdrawn';
  /** The pasted body is exactly the live record's. */
  sameAsLive: boolean;
  /** JSON paths (a.b[3].c) where the pasted body differs from the live record's (at most 20). */
  differences: string[];
  /** When the pasted record claims an earlier `record_seq`: whether it is exactly that stored revision. */
  revision: { seq: number; matchesStored: boolean; differences: string[] } | null;
};

export type VerifyReport = Omit<VerifyResult, 'live'> & {
  /** The hash the record claims (shown beside the computed one). */
  claimedSha256: string | null;
  /** What the record says it is, for the page. */
  subject: { slug: string; seq: number | null } | null;
  /** null when the record names no statement of this instance. */
  live: LiveComparison | null;
};

function depthWithin(value: unknown, max: number): boolean {
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length) {
    const [v, d] = stack.pop()!;
    if (v === null || typeof v !== 'object') continue;
    if (d >= max) return false;
    for (const c of Array.isArray(v) ? v : Object.values(v)) stack.push([c, d + 1]);
  }
  return true;
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === 'object' && !Array.isArray(v);

async function compareWithLive(db: DbOrTx, record: Record<string, unknown>): Promise<LiveComparison | null> {
  if (typeof record.slug !== 'string') return null;
  const live = await getPublicStatement(db, record.slug);
  if (!live) return null;
  const differences = jsonDifferences(record, live.record);
  const seq = live.record.record_seq;
  let revision: LiveComparison['revision'] = null;
  const claimed = record.record_seq;
  if (typeof claimed === 'number' && Number.isInteger(claimed) && claimed >= 1 && claimed < seq) {
    const stored = await getRecordRevision(db, live.slug, claimed);
    if (stored) {
      const diff = jsonDifferences(record, stored.record);
      revision = { seq: claimed, matchesStored: diff.length === 0, differences: diff };
    }
  }
  return {
    slug: live.slug,
    seq,
    state: live.state,
    sameAsLive: differences.length === 0,
    differences,
    revision,
  };
}

/** Verify a parsed envelope and compare it with the live record. */
export async function reportFor(db: DbOrTx, envelope: unknown): Promise<VerifyReport> {
  const deepEnough = depthWithin(envelope, MAX_DEPTH);
  const result: VerifyResult = deepEnough
    ? verifyEnvelope(envelope)
    : {
        ok: false,
        hashOk: false,
        computedSha256: null,
        signatureOk: false,
        key: { id: '', status: 'unknown' },
        error: 'shape',
      };
  const env = isObject(envelope) ? (envelope as Partial<Record<keyof SignedRecord, unknown>>) : {};
  const record = isObject(env.record) ? env.record : null;
  const live = deepEnough && record ? await compareWithLive(db, record) : null;
  const { live: _unused, ...rest } = result;
  void _unused;
  return {
    ...rest,
    claimedSha256: typeof env.sha256 === 'string' ? env.sha256.slice(0, 128) : null,
    subject:
      record && typeof record.slug === 'string'
        ? {
            slug: record.slug.slice(0, 200),
            seq: typeof record.record_seq === 'number' ? record.record_seq : null,
          }
        : null,
    live,
  };
}

const unparseable = (): VerifyReport => ({
  ok: false,
  error: 'unparseable',
  hashOk: false,
  computedSha256: null,
  claimedSha256: null,
  signatureOk: false,
  key: { id: '', status: 'unknown' },
  subject: null,
  live: null,
});

/**
 * Verify what a visitor submitted: the text of a signed record, or the URL of one of this instance's records
 * (resolved from the database, never fetched). Public: anyone may verify; it reads published data only.
 * A text that is not JSON is a report (`error: 'unparseable'`), not a refusal; a refused URL or a record that
 * does not exist is an AppError (INVALID_INPUT / NOT_FOUND).
 */
export async function verifySubmission(ctx: { db: DbOrTx }, input: VerifyInput): Promise<VerifyReport> {
  if ('record' in input) {
    if (Buffer.byteLength(input.record, 'utf8') > VERIFY_RECORD_MAX_BYTES)
      throw new AppError('INVALID_INPUT', 'verify.tooLarge', { record: ['verify.tooLarge'] });
    let parsed: unknown;
    try {
      parsed = JSON.parse(input.record);
    } catch {
      return unparseable();
    }
    return reportFor(ctx.db, parsed);
  }
  const r = resolveOwnUrl(input.url, env().APP_URL);
  if (!r.ok) throw new AppError('INVALID_INPUT', `verify.${r.reason}`, { url: [`verify.${r.reason}`] });
  const envelope =
    r.target.seq === null
      ? ((await getPublicStatement(ctx.db, r.target.slug))?.envelope ?? null)
      : await getRecordRevision(ctx.db, r.target.slug, r.target.seq);
  if (!envelope) throw new AppError('NOT_FOUND', 'verify.notFound', { url: ['verify.notFound'] });
  return reportFor(ctx.db, envelope);
}

// ---- rate limit (per client address; counters in PostgreSQL, shared by every instance) ----

const limiters = new Map<string, RateLimiterDrizzle>();

/** Verifications per address per RATE_LIMIT_WINDOW_SECONDS: RATE_LIMIT_VERIFY_PER_IP (default 120). */
export function verifyRateLimit(): { points: number; duration: number } {
  const e = env();
  return { points: e.RATE_LIMIT_VERIFY_PER_IP, duration: e.RATE_LIMIT_WINDOW_SECONDS };
}

/** Count one verification from `ip`; throws RATE_LIMITED (with Retry-After) when its bucket is empty. */
export async function hitVerify(ip: string): Promise<void> {
  const { points, duration } = verifyRateLimit();
  const key = `${points}:${duration}:${process.env.DATABASE_URL}`;
  let l = limiters.get(key);
  if (!l) {
    l = new RateLimiterDrizzle({
      storeClient: getDb(),
      schema: rateLimits,
      keyPrefix: 'verify_ip',
      points,
      duration,
      clearExpiredByTimeout: false,
    });
    limiters.set(key, l);
  }
  try {
    await l.consume(ip.toLowerCase());
  } catch (e) {
    if (e instanceof RateLimiterRes)
      throw new AppError('RATE_LIMITED', 'errors.rateLimited', undefined, Math.ceil(e.msBeforeNext / 1000));
    throw e;
  }
}
