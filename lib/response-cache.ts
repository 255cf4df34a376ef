// A short-lived in-memory copy of the responses Next.js serves from its own cache (ISR "HIT"), in front of Next's
// request handler (scripts/server.ts). What a reverse proxy's micro-cache does, inside the app's server so that a
// single instance without a CDN survives a statement going viral: a public page, feed or data file that Next has
// already rendered and cached is answered straight from memory, compressed once (gzip/brotli) instead of per
// request, without routing, middleware or React.
//
// Correctness:
// - Only GET requests without the App Router's navigation headers (rsc, next-router-*, next-url, next-action) and
//   without a Range header; only 200 responses that Next marked `x-nextjs-cache: HIT` with a shared-cache
//   `Cache-Control` (s-maxage, not private/no-store) and no Set-Cookie. Signed-in and other dynamic pages are never
//   HIT, so they are never stored.
// - An entry is fresh for `ttlSeconds` (default 2); then the next request refreshes it from Next while concurrent
//   ones get the expired copy (at most STALE_GRACE_MS old, or older only while Next itself answers with its expired
//   page and re-renders — the same content), and requests for a URL being filled wait for that one response
//   (at most FILL_TIMEOUT_MS) instead of all reaching Next. Any request other than GET/HEAD handled by this instance — every state
//   change is one (server actions, route handlers) — empties the cache when its response finishes (after the
//   change committed and the public paths were revalidated), and a response that was being produced while a write
//   finished is not stored (generation counter). Other instances' changes reach this one through Next's own
//   revalidation (revalidate = 30 s); this cache adds at most `ttlSeconds` to that bound (README "Deploying").
// - Memory is bounded: entries larger than maxEntryBytes are not stored, and the least recently used entries are
//   dropped beyond maxBytes (the uncompressed and compressed copies all count).
import type { IncomingMessage, ServerResponse } from 'node:http';
import zlib from 'node:zlib';

export type ResponseCacheOptions = {
  ttlSeconds: number;
  maxBytes: number;
  maxEntryBytes?: number;
  fillTimeoutMs?: number;
  now?: () => number;
  /** POST paths that change nothing public (checked without the query): they leave the cache as it is. */
  readOnlyPosts?: readonly string[];
};

/** Record verification only reads (and counts the client against its rate limit): it changes no public page. */
export const READ_ONLY_POSTS = ['/api/verify'] as const;

type Entry = {
  headers: [string, string | string[]][];
  body: Buffer;
  gzip?: Buffer;
  br?: Buffer;
  storedAt: number;
  bytes: number;
  // The last refresh found Next itself answering with its expired page (x-nextjs-cache: STALE) while it re-renders:
  // until a refresh stores the new page, this copy is what Next would send anyway.
  nextStale: boolean;
  // While nextStale: no new refresh before this instant (Next is busy re-rendering; asking again at once only
  // sends the same old page through Next's whole pipeline).
  retryAt: number;
};

// An expired copy is still served for this long while one request refreshes it from Next (so that 50 waiting
// clients do not all reach Next when a copy expires); never after a write on this instance (the cache is emptied).
const STALE_GRACE_MS = 30_000;
// Requests held back by a fill are released (to Next) when it has not answered within this time, and a new fill
// may start: a client that reads slowly cannot hold the others.
const FILL_TIMEOUT_MS = 5_000;
// While Next answers STALE, ask it again at most this often.
const STALE_RETRY_MS = 250;

const NAVIGATION_HEADERS = ['rsc', 'next-router-state-tree', 'next-router-prefetch', 'next-router-segment-prefetch', 'next-url', 'next-action', 'range'];
// Headers that describe one transfer, not the resource.
const TRANSFER_HEADERS = new Set(['content-length', 'content-encoding', 'transfer-encoding', 'connection', 'keep-alive', 'date', 'set-cookie', 'age']);

/** br, gzip or identity, from an Accept-Encoding header (q=0 excludes an encoding). */
export function negotiateEncoding(header: string | undefined): 'br' | 'gzip' | null {
  if (!header) return null;
  const accepted = new Map<string, number>();
  for (const part of header.toLowerCase().split(',')) {
    const [name, ...params] = part.trim().split(';');
    const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    accepted.set(name!.trim(), q ? Number(q.slice(2)) || 0 : 1);
  }
  const ok = (e: string) => (accepted.get(e) ?? accepted.get('*') ?? 0) > 0;
  return ok('br') ? 'br' : ok('gzip') ? 'gzip' : null;
}

function sharedCacheable(cacheControl: string | undefined): boolean {
  if (!cacheControl) return false;
  const cc = cacheControl.toLowerCase();
  return /(^|[\s,])s-maxage=\d+/.test(cc) && !/(^|[\s,])(private|no-store|no-cache)([\s,=]|$)/.test(cc);
}

export function createResponseCache(opts: ResponseCacheOptions) {
  const now = opts.now ?? Date.now;
  const maxEntryBytes = opts.maxEntryBytes ?? Math.min(opts.maxBytes / 4, 16 * 1024 * 1024);
  const fillTimeout = opts.fillTimeoutMs ?? FILL_TIMEOUT_MS;
  const readOnlyPosts = new Set<string>(opts.readOnlyPosts ?? READ_ONLY_POSTS);
  const pathOf = (url: string | undefined) => (url ?? '').split('?')[0]!;
  const entries = new Map<string, Entry>(); // insertion order = recency (re-inserted on use)
  let bytes = 0;
  let generation = 0;

  const drop = (key: string) => {
    const e = entries.get(key);
    if (!e) return;
    bytes -= e.bytes;
    entries.delete(key);
  };
  const account = (key: string, e: Entry, extra: number) => {
    e.bytes += extra;
    bytes += extra;
    for (const k of entries.keys()) {
      if (bytes <= opts.maxBytes) break;
      if (k !== key) drop(k);
    }
    if (bytes > opts.maxBytes) drop(key);
  };
  const clear = () => {
    generation++;
    entries.clear();
    bytes = 0;
  };

  function eligible(req: IncomingMessage): boolean {
    if (req.method !== 'GET' || !req.url) return false;
    return !NAVIGATION_HEADERS.some((h) => req.headers[h] !== undefined);
  }

  function serve(req: IncomingMessage, res: ServerResponse, key: string, e: Entry) {
    entries.delete(key);
    entries.set(key, e); // most recently used
    const enc = negotiateEncoding(req.headers['accept-encoding'] as string | undefined);
    let body = e.body;
    if (enc === 'br') {
      if (!e.br) account(key, e, (e.br = zlib.brotliCompressSync(e.body, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 5 } })).length);
      body = e.br;
    } else if (enc === 'gzip') {
      if (!e.gzip) account(key, e, (e.gzip = zlib.gzipSync(e.body, { level: 6 })).length);
      body = e.gzip;
    }
    res.statusCode = 200;
    for (const [k, v] of e.headers) res.setHeader(k, v);
    if (enc) res.setHeader('Content-Encoding', enc);
    res.setHeader('Content-Length', body.length);
    if (Number.isFinite(e.storedAt)) res.setHeader('Age', String(Math.floor((now() - e.storedAt) / 1000)));
    res.end(body);
  }

  // Fills in flight (key → when it started and the requests waiting for its outcome).
  const inFlight = new Map<string, { since: number; queue: (() => void)[] }>();

  /** An expired copy may stand in for Next's answer while a fill is in flight (see STALE_GRACE_MS, nextStale). */
  const usable = (e: Entry | undefined, t: number): e is Entry =>
    !!e && (t - e.storedAt < opts.ttlSeconds * 1000 + STALE_GRACE_MS || e.nextStale);

  /** Answers from the cache, or passes the request to `forward` (Next's handler) and keeps a cacheable response. */
  function handle(req: IncomingMessage, res: ServerResponse, forward: () => void) {
    if (!eligible(req)) {
      if (req.method !== 'GET' && req.method !== 'HEAD' && !(req.method === 'POST' && readOnlyPosts.has(pathOf(req.url)))) res.once('finish', clear);
      forward();
      return;
    }
    const key = req.url!;
    const hit = entries.get(key);
    const t = now();
    if (hit && (t - hit.storedAt < opts.ttlSeconds * 1000 || (hit.nextStale && t < hit.retryAt))) return serve(req, res, key, hit);
    const flight = inFlight.get(key);
    if (flight && t - flight.since < fillTimeout) {
      // One request is refreshing this URL: an expired copy stands in, else wait for its outcome.
      if (usable(hit, t)) return serve(req, res, key, hit);
      flight.queue.push(() => {
        const e = entries.get(key);
        if (usable(e, now())) serve(req, res, key, e);
        else forward();
      });
      return;
    }
    fill(req, res, key, forward);
  }

  function fill(req: IncomingMessage, res: ServerResponse, key: string, forward: () => void) {
    const flight = { since: now(), queue: [] as (() => void)[] };
    inFlight.set(key, flight);
    const release = () => {
      clearTimeout(timer);
      if (inFlight.get(key) === flight) inFlight.delete(key);
      const queue = flight.queue.splice(0);
      for (const run of queue) run();
    };
    const timer = setTimeout(release, fillTimeout);
    timer.unref?.();

    // Ask Next for an uncompressed body (compressed here, once per copy) and keep a copy of what is written.
    delete req.headers['accept-encoding'];
    const startGeneration = generation;
    const chunks: Buffer[] = [];
    let size = 0;
    let tooBig = false;
    const collect = (chunk: unknown, encoding?: unknown) => {
      if (tooBig || chunk == null || typeof chunk === 'function') return;
      const b = Buffer.isBuffer(chunk) ? chunk : chunk instanceof Uint8Array ? Buffer.from(chunk) : Buffer.from(String(chunk), typeof encoding === 'string' ? (encoding as BufferEncoding) : 'utf8');
      size += b.length;
      if (size > maxEntryBytes) {
        tooBig = true;
        chunks.length = 0;
      } else chunks.push(b);
    };
    const write = res.write;
    const end = res.end;
    res.write = function (this: ServerResponse, chunk: unknown, ...rest: unknown[]) {
      collect(chunk, rest[0]);
      return (write as (...a: unknown[]) => boolean).call(this, chunk, ...rest);
    } as typeof res.write;
    res.end = function (this: ServerResponse, chunk?: unknown, ...rest: unknown[]) {
      collect(chunk, rest[0]);
      return (end as (...a: unknown[]) => ServerResponse).call(this, chunk, ...rest);
    } as typeof res.end;
    res.once('close', () => {
      store(res, key, chunks, tooBig, startGeneration);
      release();
    });
    forward();
  }

  /**
   * Keeps a HIT as a fresh copy. A STALE (Next answering with its expired page while it re-renders) only marks the
   * copy as standing in for that page — or, with no copy yet, is kept as one that is never fresh — so that Next is
   * asked again at most every STALE_RETRY_MS instead of by every request while it re-renders.
   */
  function store(res: ServerResponse, key: string, chunks: Buffer[], tooBig: boolean, startGeneration: number) {
    if (!res.writableFinished || tooBig || generation !== startGeneration || res.statusCode !== 200) return;
    const h = res.getHeaders();
    const state = h['x-nextjs-cache'];
    const old = entries.get(key);
    if (old) old.nextStale = false;
    if ((state !== 'HIT' && state !== 'STALE') || h['set-cookie'] !== undefined || h['content-encoding'] !== undefined) return;
    if (!sharedCacheable(h['cache-control'] as string | undefined)) return;
    const t = now();
    if (state === 'STALE' && old) {
      old.nextStale = true;
      old.retryAt = t + STALE_RETRY_MS;
      return;
    }
    const body = Buffer.concat(chunks);
    const headers = Object.entries(h)
      .filter(([k, v]) => v !== undefined && !TRANSFER_HEADERS.has(k))
      .map(([k, v]) => [k, Array.isArray(v) ? v : String(v)] as [string, string | string[]]);
    const stale = state === 'STALE';
    const entry: Entry = { headers, body, storedAt: stale ? -Infinity : t, bytes: 0, nextStale: stale, retryAt: stale ? t + STALE_RETRY_MS : 0 };
    drop(key);
    entries.set(key, entry);
    account(key, entry, body.length);
  }

  return { handle, clear, size: () => ({ entries: entries.size, bytes }) };
}

export type ResponseCache = ReturnType<typeof createResponseCache>;

/** From the environment: RESPONSE_CACHE_SECONDS (2; 0 turns it off) and RESPONSE_CACHE_MB (64). */
export function responseCacheFromEnv(env: Record<string, string | undefined> = process.env): ResponseCache | null {
  const seconds = env.RESPONSE_CACHE_SECONDS === undefined || env.RESPONSE_CACHE_SECONDS === '' ? 2 : Number(env.RESPONSE_CACHE_SECONDS);
  const mb = env.RESPONSE_CACHE_MB === undefined || env.RESPONSE_CACHE_MB === '' ? 64 : Number(env.RESPONSE_CACHE_MB);
  if (!Number.isFinite(seconds) || seconds < 0) throw new Error(`RESPONSE_CACHE_SECONDS must be a number of seconds ≥ 0, got "${env.RESPONSE_CACHE_SECONDS}"`);
  if (!Number.isFinite(mb) || mb <= 0) throw new Error(`RESPONSE_CACHE_MB must be a positive number, got "${env.RESPONSE_CACHE_MB}"`);
  if (seconds === 0) return null;
  return createResponseCache({ ttlSeconds: seconds, maxBytes: mb * 1024 * 1024 });
}
