// The in-memory response cache in front of Next (lib/response-cache.ts), against a real HTTP server whose "Next"
// handler counts its calls: what is stored, what is never stored, compression, expiry, and emptying on writes.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import zlib from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { createResponseCache, negotiateEncoding, responseCacheFromEnv } from './response-cache';

type Reply = { status?: number; headers?: Record<string, string | string[]>; body?: string; chunks?: string[] };

let server: http.Server | null = null;
afterEach(async () => {
  await new Promise<void>((r) => (server ? server.close(() => r()) : r()));
  server = null;
});

async function setup(reply: (req: http.IncomingMessage, n: number) => Reply, opts: { ttlSeconds?: number; maxBytes?: number; maxEntryBytes?: number } = {}) {
  let clock = 1_000_000;
  const cache = createResponseCache({ ttlSeconds: opts.ttlSeconds ?? 2, maxBytes: opts.maxBytes ?? 1 << 20, maxEntryBytes: opts.maxEntryBytes, now: () => clock });
  const seen: { method: string; url: string; acceptEncoding: string | undefined }[] = [];
  server = http.createServer((req, res) => {
    cache.handle(req, res, () => {
      seen.push({ method: req.method!, url: req.url!, acceptEncoding: req.headers['accept-encoding'] as string | undefined });
      const r = reply(req, seen.length);
      res.statusCode = r.status ?? 200;
      for (const [k, v] of Object.entries(r.headers ?? {})) res.setHeader(k, v);
      if (r.chunks) {
        for (const c of r.chunks.slice(0, -1)) res.write(c);
        res.end(r.chunks.at(-1));
      } else res.end(r.body ?? '');
    });
  });
  await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r));
  const origin = `http://127.0.0.1:${(server!.address() as AddressInfo).port}`;
  const get = (path: string, headers: Record<string, string> = {}, method = 'GET') =>
    new Promise<{ status: number; headers: http.IncomingHttpHeaders; body: Buffer }>((resolve, reject) => {
      const req = http.request(`${origin}${path}`, { method, headers }, (res) => {
        const parts: Buffer[] = [];
        res.on('data', (d: Buffer) => parts.push(d));
        res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(parts) }));
      });
      req.on('error', reject);
      req.end();
    });
  return { cache, seen, get, advance: (ms: number) => (clock += ms) };
}

const PUBLIC = { 'x-nextjs-cache': 'HIT', 'cache-control': 's-maxage=30, stale-while-revalidate=300', 'content-type': 'text/html; charset=utf-8' };

describe('response cache', () => {
  it('answers a cached public page from memory, with its headers, uncompressed, gzip or brotli as the client asks', async () => {
    const page = 'Հայերեն <b>text</b> '.repeat(500);
    const { seen, get } = await setup(() => ({ headers: { ...PUBLIC, 'content-security-policy': "default-src 'self'", vary: 'rsc, Accept-Encoding' }, chunks: [page.slice(0, 100), page.slice(100)] }));
    const first = await get('/en/s/a', { 'accept-encoding': 'gzip, br' });
    // The filling request reaches Next without Accept-Encoding (the copy is compressed here, once).
    expect(seen).toEqual([{ method: 'GET', url: '/en/s/a', acceptEncoding: undefined }]);
    expect(first.body.toString()).toBe(page);
    const plain = await get('/en/s/a');
    const gz = await get('/en/s/a', { 'accept-encoding': 'gzip' });
    const br = await get('/en/s/a', { 'accept-encoding': 'gzip, deflate, br' });
    expect(seen).toHaveLength(1);
    expect(plain.body.toString()).toBe(page);
    expect(plain.headers['content-security-policy']).toBe("default-src 'self'");
    expect(plain.headers['x-nextjs-cache']).toBe('HIT');
    expect(plain.headers['content-length']).toBe(String(Buffer.byteLength(page)));
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(zlib.gunzipSync(gz.body).toString()).toBe(page);
    expect(br.headers['content-encoding']).toBe('br');
    expect(zlib.brotliDecompressSync(br.body).toString()).toBe(page);
    expect(br.body.length).toBeLessThan(Buffer.byteLength(page) / 5);
  });

  it('never stores what is not a shared-cacheable HIT or STALE (its twin above is stored)', async () => {
    const cases: Record<string, Reply> = {
      '/miss': { headers: { ...PUBLIC, 'x-nextjs-cache': 'MISS' } },
      '/dynamic': { headers: { 'cache-control': 'private, no-cache, no-store, max-age=0, must-revalidate' } },
      '/private': { headers: { ...PUBLIC, 'cache-control': 'private, s-maxage=30' } },
      '/cookie': { headers: { ...PUBLIC, 'set-cookie': 'a=b' } },
      '/notfound': { status: 404, headers: PUBLIC },
      '/no-cache-control': { headers: { 'x-nextjs-cache': 'HIT' } },
    };
    const { seen, get, cache } = await setup((req) => ({ ...cases[req.url!], body: 'x' }));
    for (const p of Object.keys(cases)) {
      await get(p);
      await get(p);
    }
    expect(seen).toHaveLength(2 * Object.keys(cases).length);
    expect(cache.size().entries).toBe(0);
  });

  it('a STALE answer (Next re-rendering) is never fresh: Next is asked again after a short back-off', async () => {
    const { seen, get, advance } = await setup((_r, n) => ({ headers: { ...PUBLIC, 'x-nextjs-cache': n < 3 ? 'STALE' : 'HIT' }, body: `v${n}` }));
    expect((await get('/en')).body.toString()).toBe('v1');
    expect((await get('/en')).body.toString()).toBe('v1'); // within the back-off: the same page Next would send
    expect(seen).toHaveLength(1);
    advance(250);
    expect((await get('/en')).body.toString()).toBe('v2');
    advance(250);
    expect((await get('/en')).body.toString()).toBe('v3'); // HIT: stored as a fresh copy
    advance(1000);
    expect((await get('/en')).body.toString()).toBe('v3');
    expect(seen).toHaveLength(3);
  });

  it('passes App Router navigations, ranges and non-GET requests to Next', async () => {
    const { seen, get } = await setup(() => ({ headers: PUBLIC, body: 'page' }));
    await get('/en');
    await get('/en', { rsc: '1' });
    await get('/en', { 'next-router-prefetch': '1' });
    await get('/en', { range: 'bytes=0-1' });
    await get('/en', {}, 'HEAD');
    await get('/en');
    expect(seen.map((s) => s.method)).toEqual(['GET', 'GET', 'GET', 'GET', 'HEAD']);
  });

  it('expires entries after the TTL', async () => {
    const { seen, get, advance } = await setup((_r, n) => ({ headers: PUBLIC, body: `v${n}` }), { ttlSeconds: 2 });
    expect((await get('/en')).body.toString()).toBe('v1');
    advance(1999);
    expect((await get('/en')).body.toString()).toBe('v1');
    advance(1);
    expect((await get('/en')).body.toString()).toBe('v2');
    expect(seen).toHaveLength(2);
  });

  it('empties when a write request finishes, so a change is visible at once on this instance', async () => {
    const { seen, get } = await setup((req, n) => ({ headers: req.method === 'GET' ? PUBLIC : {}, body: `v${n}` }));
    expect((await get('/en/s/a')).body.toString()).toBe('v1');
    expect((await get('/en/s/a')).body.toString()).toBe('v1');
    await get('/statements/1', {}, 'POST');
    expect((await get('/en/s/a')).body.toString()).toBe('v3');
    expect(seen.map((s) => s.method)).toEqual(['GET', 'POST', 'GET']);
  });

  it('is kept by a record verification (a POST that changes nothing public); its twin, any other POST, empties it', async () => {
    const { seen, get } = await setup((req, n) => ({ headers: req.method === 'GET' ? PUBLIC : {}, body: `v${n}` }));
    expect((await get('/en/s/a')).body.toString()).toBe('v1');
    await get('/api/verify', {}, 'POST');
    await get('/api/verify?x=1', {}, 'POST');
    expect((await get('/en/s/a')).body.toString()).toBe('v1');
    await get('/api/verify/../statements/1/sign', {}, 'POST');
    await get('/api/verify-other', {}, 'POST');
    expect((await get('/en/s/a')).body.toString()).toBe('v6');
    expect(seen.map((s) => s.method)).toEqual(['GET', 'POST', 'POST', 'POST', 'POST', 'GET']);
  });

  it('does not store a response that was being produced while a write finished', async () => {
    let release: () => void = () => {};
    const cache = createResponseCache({ ttlSeconds: 60, maxBytes: 1 << 20 });
    let calls = 0;
    server = http.createServer((req, res) =>
      cache.handle(req, res, () => {
        calls++;
        res.statusCode = 200;
        for (const [k, v] of Object.entries(PUBLIC)) res.setHeader(k, v);
        if (req.method === 'GET' && calls === 1) release = () => res.end('old');
        else res.end('new');
      }),
    );
    await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r));
    const origin = `http://127.0.0.1:${(server!.address() as AddressInfo).port}`;
    const slow = fetch(`${origin}/en`).then((r) => r.text());
    await new Promise((r) => setTimeout(r, 50));
    await fetch(`${origin}/x`, { method: 'POST' });
    release();
    expect(await slow).toBe('old');
    expect(cache.size().entries).toBe(0);
    expect(await (await fetch(`${origin}/en`)).text()).toBe('new');
  });

  it('coalesces: requests for a URL being filled wait for that one response; an expired copy is served while one request refreshes it', async () => {
    let clock = 1_000_000;
    const cache = createResponseCache({ ttlSeconds: 2, maxBytes: 1 << 20, now: () => clock });
    const pending: (() => void)[] = [];
    let calls = 0;
    server = http.createServer((req, res) =>
      cache.handle(req, res, () => {
        const n = ++calls;
        res.statusCode = 200;
        for (const [k, v] of Object.entries(PUBLIC)) res.setHeader(k, v);
        pending.push(() => res.end(`v${n}`));
      }),
    );
    await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(server!.address() as AddressInfo).port}/en`;
    const settle = () => new Promise((r) => setTimeout(r, 50));
    // First fill: ten concurrent requests, one reaches "Next".
    const first = Array.from({ length: 10 }, () => fetch(url).then((r) => r.text()));
    await settle();
    expect(calls).toBe(1);
    pending.shift()!();
    expect(await Promise.all(first)).toEqual(Array(10).fill('v1'));
    // Expired: one request refreshes (slowly); the others get the expired copy meanwhile.
    clock += 2500;
    const refresh = fetch(url).then((r) => r.text());
    await settle();
    expect(calls).toBe(2);
    expect(await Promise.all(Array.from({ length: 5 }, () => fetch(url).then((r) => r.text())))).toEqual(Array(5).fill('v1'));
    pending.shift()!();
    expect(await refresh).toBe('v2');
    expect(await (await fetch(url)).text()).toBe('v2');
    expect(calls).toBe(2);
    // Beyond the grace period an expired copy is not served: the request goes to "Next".
    clock += 2000 + 30_000;
    const late = fetch(url).then((r) => r.text());
    await settle();
    expect(calls).toBe(3);
    pending.shift()!();
    expect(await late).toBe('v3');
  });

  it('while Next answers with its expired page (STALE), the old copy stands in; a fill that hangs releases the others after the timeout', async () => {
    let clock = 1_000_000;
    const cache = createResponseCache({ ttlSeconds: 2, maxBytes: 1 << 20, fillTimeoutMs: 300, now: () => clock });
    const pending: (() => void)[] = [];
    const answers: string[] = ['HIT', 'STALE', 'HIT', 'HIT', 'HIT'];
    let calls = 0;
    server = http.createServer((req, res) =>
      cache.handle(req, res, () => {
        const n = ++calls;
        res.statusCode = 200;
        for (const [k, v] of Object.entries({ ...PUBLIC, 'x-nextjs-cache': answers[n - 1]! })) res.setHeader(k, v);
        if (n === 2 || n === 4) pending.push(() => res.end(`v${n}`));
        else res.end(`v${n}`);
      }),
    );
    await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(server!.address() as AddressInfo).port}/en`;
    const text = () => fetch(url).then((r) => r.text());
    const settle = () => new Promise((r) => setTimeout(r, 50));
    expect(await text()).toBe('v1');
    // Long idle: the copy is beyond the grace period. One request refreshes; Next answers STALE (its old page).
    clock += 60_000;
    const refresh = text();
    await settle();
    const waiters = Array.from({ length: 4 }, text);
    await settle();
    expect(calls).toBe(2);
    pending.shift()!();
    expect(await refresh).toBe('v2');
    // The waiters get the old copy (what Next would send while it re-renders), not four more trips to Next.
    expect(await Promise.all(waiters)).toEqual(Array(4).fill('v1'));
    expect(calls).toBe(2);
    // Within the back-off, Next is not asked again (it is re-rendering); after it, the next request refreshes and
    // stores the new page.
    expect(await text()).toBe('v1');
    expect(calls).toBe(2);
    clock += 250;
    expect(await text()).toBe('v3');
    expect(await text()).toBe('v3');
    expect(calls).toBe(3);
    // A fill that never answers holds no one for longer than the timeout.
    clock += 2_000;
    const hung = fetch(url).then((r) => r.text()); // call 4: hangs
    await settle();
    const t0 = Date.now();
    expect(await text()).toBe('v3'); // the expired (within grace) copy stands in at once
    clock += 40_000; // now beyond grace: the next request waits for the fill, then is released to Next
    const released = await text();
    expect(released).toBe('v5');
    expect(Date.now() - t0).toBeLessThan(2_000);
    pending.shift()!();
    expect(await hung).toBe('v4');
  });

  it('keeps memory bounded: oversized entries are not stored, least recently used ones are dropped', async () => {
    const { get, cache, seen } = await setup((req) => ({ headers: PUBLIC, body: req.url === '/big' ? 'b'.repeat(5000) : 'a'.repeat(1000) }), { maxBytes: 2500, maxEntryBytes: 4000 });
    await get('/big');
    expect(cache.size().entries).toBe(0);
    await get('/1');
    await get('/2');
    await get('/1'); // /1 is now the most recently used
    await get('/3'); // over 2500 bytes: /2 goes
    expect(cache.size()).toEqual({ entries: 2, bytes: 2000 });
    const before = seen.length;
    await get('/1');
    await get('/3');
    expect(seen.length).toBe(before);
    await get('/2');
    expect(seen.length).toBe(before + 1);
  });

  it('negotiates encodings and reads its settings from the environment', () => {
    expect(negotiateEncoding(undefined)).toBeNull();
    expect(negotiateEncoding('gzip, deflate, br, zstd')).toBe('br');
    expect(negotiateEncoding('br;q=0, gzip')).toBe('gzip');
    expect(negotiateEncoding('identity')).toBeNull();
    expect(negotiateEncoding('*')).toBe('br');
    expect(responseCacheFromEnv({ RESPONSE_CACHE_SECONDS: '0' })).toBeNull();
    expect(responseCacheFromEnv({})).not.toBeNull();
    expect(() => responseCacheFromEnv({ RESPONSE_CACHE_SECONDS: 'soon' })).toThrow(/RESPONSE_CACHE_SECONDS/);
    expect(() => responseCacheFromEnv({ RESPONSE_CACHE_MB: '-1' })).toThrow(/RESPONSE_CACHE_MB/);
  });
});
