// npm run bench:public — the public record's pages against the PRODUCTION build (`next build`, then the app's own
// production server, `tsx scripts/launch.ts start`), on real PostgreSQL (the launcher's embedded server, a scratch
// database). Not a timed test: figures go to bench/results/public.md (and .json), each compared as a ratio with a
// static page of the same build measured in the same run at the same concurrency.
//
// Seeds, through the import path (lib/import.ts, as `npm run import` does): a statement with 500 signatories
// (organizations and individuals, groups) and one with 10,000, plus 30 more for the archive. Then:
//   1. GET /en/s/{500-slug}, GET /en (the archive) and GET /en/verify (a static page) with 50 keep-alive connections
//      (autocannon): requests/s, p50/p99; targets: ratio to the static page ≥ 0.9, p99 < 100 ms.
//   2. Uncached render of the 10,000-signatory page: the first request of each language (en, hy, ru: three separate
//      cache entries, each rendered on demand) — time and HTML size; target < 500 ms.
//   3. First-load JavaScript: the gzip size of every <script src> the statement page and the static page load;
//      target: statement page ≤ static page + 10 KB.
//
// Options (environment): BENCH_CONNECTIONS (50), BENCH_ROUNDS (8) and BENCH_SLICE_SECONDS (6): the pages take turns,
// 48 s of load each over ≈ 2.5 min, so each ISR page (revalidate 30 s) is re-rendered under load as in production and
// drift in the machine's speed falls on every page alike; BENCH_PORT.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import autocannon from 'autocannon';
import postgres from 'postgres';
import { closeDb, getDb } from '../db';
import { runMigrations } from '../db/migrate';
import { importStatement } from '../lib/import';
import { freePort, pct, startServer, waitHealthy } from './harness';

const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 8);
const SLICE = Number(process.env.BENCH_SLICE_SECONDS ?? 6);
const root = process.cwd();
const log = (m: string) => console.log(`[bench:public] ${m}`);



type Load = { label: string; path: string; requests: number; bytesPerResponse: number; perSecond: number; p50: number; p99: number; max: number; statuses: Record<string, number>; cache: Record<string, number> };
type Sample = { latencies: number[]; bytes: number; seconds: number; statuses: Record<string, number> };

/** One slice of load on one page: every response's latency, bytes and status, and the time to the last response. */
async function slice(origin: string, urlPath: string, run: { amount: number } | { duration: number }): Promise<Sample> {
  const latencies: number[] = [];
  let bytes = 0;
  const statuses: Record<string, number> = {};
  const t0 = performance.now();
  let last = t0;
  await new Promise<autocannon.Result>((resolve, reject) => {
    // As a browser asks: compressed if the server can (the app's server answers cached pages from memory, compressed
    // once per copy — lib/response-cache.ts).
    const inst = autocannon(
      { url: `${origin}${urlPath}`, ...run, connections: CONNECTIONS, pipelining: 1, timeout: 30, headers: { 'accept-encoding': 'gzip, deflate, br' } },
      (err, res) => (err ? reject(err) : resolve(res)),
    );
    inst.on('response', (_c: unknown, status: number, b: number, ms: number) => {
      latencies.push(ms);
      bytes += b;
      last = performance.now();
      statuses[status] = (statuses[status] ?? 0) + 1;
    });
  });
  // From the start to the last response: autocannon reports the end of a run on its next one-second tick, which
  // would round short runs to whole seconds.
  return { latencies, bytes, seconds: (last - t0) / 1000, statuses };
}

/** The slices of one page over all rounds as one figure, and the cache state of a few requests afterwards. */
async function summarize(label: string, origin: string, urlPath: string, samples: Sample[]): Promise<Load> {
  const latencies = samples.flatMap((x) => x.latencies);
  const bytes = samples.reduce((a, x) => a + x.bytes, 0);
  const seconds = samples.reduce((a, x) => a + x.seconds, 0);
  const statuses: Record<string, number> = {};
  for (const x of samples) for (const [k, v] of Object.entries(x.statuses)) statuses[k] = (statuses[k] ?? 0) + v;
  const cache: Record<string, number> = {};
  for (let i = 0; i < 5; i++) {
    const h = (await fetch(`${origin}${urlPath}`)).headers.get('x-nextjs-cache') ?? 'none';
    cache[h] = (cache[h] ?? 0) + 1;
  }
  return {
    label,
    path: urlPath,
    requests: latencies.length,
    bytesPerResponse: Math.round(bytes / Math.max(1, latencies.length)),
    perSecond: latencies.length / seconds,
    p50: pct(latencies, 50),
    p99: pct(latencies, 99),
    max: latencies.reduce((x, y) => Math.max(x, y), 0),
    statuses,
    cache,
  };
}

const WORDS = ['Մենք', 'պահանջում', 'ենք', 'human', 'rights', 'defenders', 'право', 'свобода', 'assembly', 'the', 'of', 'and', 'հրապարակային', 'քննարկում'];
function bodyText(paragraphs: number, seed: number): string {
  return Array.from({ length: paragraphs }, (_, i) => Array.from({ length: 60 }, (_, j) => WORDS[(i * 7 + j * 3 + seed) % WORDS.length]).join(' ') + '.').join('\n\n');
}

// Unique per run: the slugs (from the English titles) must not match pages an earlier run left in the build's cache.
const RUN = Date.now().toString(36);

function importFile(n: number, seed: number) {
  const groups = ['Global', 'Regional', 'National'];
  return {
    title: `Բաց նամակ ${seed}՝ ${n} ստորագրող`,
    title_en: `Open letter ${seed} with ${n} signatories ${RUN}`,
    date: `2025-${String((seed % 12) + 1).padStart(2, '0')}-15`,
    language: 'hy',
    source_url: `https://example.org/bench/${RUN}/${seed}-${n}`,
    body_text: bodyText(12, seed),
    signatories: Array.from({ length: n }, (_, i) =>
      i % 5 === 4
        ? { name: `Անուն ${seed}-${i} Ազգանուն`, kind: 'individual', role: 'իրավապաշտպան', group: groups[Math.floor((i / n) * 3)] }
        : { name: `«Հասարակական կազմակերպություն ${seed}-${i}» ՀԿ`, kind: 'organization', location: i % 2 ? 'Yerevan' : 'Gyumri', group: groups[Math.floor((i / n) * 3)] },
    ),
  };
}

/** gzip bytes of every script the page's HTML loads (first-load JavaScript). */
async function firstLoadJs(origin: string, urlPath: string): Promise<{ scripts: number; gzipBytes: number; rawBytes: number }> {
  const html = await (await fetch(`${origin}${urlPath}`)).text();
  const srcs = [...new Set([...html.matchAll(/<script[^>]+src="([^"]+)"/g)].map((m) => m[1]!))];
  let gzipBytes = 0;
  let rawBytes = 0;
  for (const src of srcs) {
    const buf = Buffer.from(await (await fetch(new URL(src, origin))).arrayBuffer());
    rawBytes += buf.length;
    gzipBytes += zlib.gzipSync(buf, { level: 9 }).length;
  }
  return { scripts: srcs.length, gzipBytes, rawBytes };
}

async function main() {
  if (!fs.existsSync(path.join(root, '.next', 'BUILD_ID'))) throw new Error('No production build: run `npm run build` first (`npm run bench:public` does).');
  const base = new URL(process.env.DATABASE_URL!);
  const scratch = `bench_public_${Date.now()}`;
  const admin = postgres(new URL('/postgres', base).toString(), { max: 1, onnotice: () => {} });
  await admin.unsafe(`CREATE DATABASE ${scratch} ENCODING 'UTF8' TEMPLATE template0 LC_COLLATE 'C.UTF-8' LC_CTYPE 'C.UTF-8'`);
  const url = new URL(`/${scratch}`, base).toString();
  process.env.DATABASE_URL = url;
  await runMigrations(url);
  const db = getDb();
  let server: ReturnType<typeof startServer> | null = null;
  try {
    const t0 = performance.now();
    const medium = await importStatement(db, importFile(500, 1));
    const large = await importStatement(db, importFile(10_000, 2));
    for (let i = 0; i < 30; i++) await importStatement(db, importFile(20, 100 + i));
    log(`imported 500-, 10,000- and 30×20-signatory statements in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

    const port = Number(process.env.BENCH_PORT ?? (await freePort()));
    const origin = `http://127.0.0.1:${port}`;
    server = startServer({
      DATABASE_URL: url,
      NODE_ENV: 'production',
      PORT: String(port),
      BIND_HOST: '127.0.0.1',
      APP_URL: origin,
      AUTH_SECRET: process.env.AUTH_SECRET ?? 'bench-secret-bench-secret-bench',
      RECORD_SIGNING_KEY: process.env.RECORD_SIGNING_KEY ?? '',
      SMTP_URL: '',
      DEV_MAILBOX_UNSAFE_IN_PRODUCTION: '1',
    });
    await waitHealthy(origin, server);
    log(`production server on ${origin}`);

    // 2. Uncached renders of the 10,000-signatory page (first request per language: not in any cache). The route's
    // code is loaded first by rendering a small statement's page in each language, so the figure is the render,
    // not the server's first module loads.
    const small = await importStatement(db, importFile(20, 99));
    for (const lang of ['en', 'hy', 'ru']) await (await fetch(`${origin}/${lang}/s/${small.slug}`)).text();
    const uncached: { lang: string; ms: number; htmlBytes: number; cache: string | null; status: number }[] = [];
    for (const lang of ['en', 'hy', 'ru']) {
      const t = performance.now();
      const r = await fetch(`${origin}/${lang}/s/${large.slug}`);
      const body = await r.text();
      uncached.push({ lang, ms: performance.now() - t, htmlBytes: Buffer.byteLength(body), cache: r.headers.get('x-nextjs-cache'), status: r.status });
    }
    log(`uncached 10k renders: ${uncached.map((u) => `${u.lang} ${u.ms.toFixed(0)} ms (${u.cache})`).join(', ')}`);

    // 1. Throughput vs the static page (warm each page first). The pages take turns in short slices over several
    // rounds, so that drift in the machine's speed (shared cores) falls on all of them alike.
    const pages = [
      { label: 'static page (/en/verify)', path: '/en/verify' },
      { label: 'statement, 500 signatories', path: `/en/s/${medium.slug}` },
      { label: 'archive (/en)', path: '/en' },
    ];
    for (const p of pages) await slice(origin, p.path, { amount: 500 });
    const samples: Sample[][] = pages.map(() => []);
    for (let r = 0; r < ROUNDS; r++) {
      for (const [i, p] of pages.entries()) samples[i]!.push(await slice(origin, p.path, { duration: SLICE }));
      log(`round ${r + 1}/${ROUNDS}: ${pages.map((p, i) => `${p.label} ${(samples[i]!.at(-1)!.latencies.length / samples[i]!.at(-1)!.seconds).toFixed(0)} req/s`).join(', ')}`);
    }
    const results: Load[] = [];
    for (const [i, p] of pages.entries()) results.push(await summarize(p.label, origin, p.path, samples[i]!));
    const staticRps = results[0]!.perSecond;

    // 3. First-load JavaScript.
    const jsStatic = await firstLoadJs(origin, '/en/verify');
    const jsStatement = await firstLoadJs(origin, `/en/s/${medium.slug}`);
    const jsArchive = await firstLoadJs(origin, '/en');

    const machine = { cpus: os.cpus().length, model: os.cpus()[0]?.model ?? '?', memGiB: Math.round(os.totalmem() / 2 ** 30), node: process.version, load: os.loadavg()[0]!.toFixed(1) };
    const out = {
      when: new Date().toISOString(),
      machine,
      connections: CONNECTIONS,
      rounds: ROUNDS,
      sliceSeconds: SLICE,
      staticRps,
      pages: results.map((r) => ({ ...r, ratio: r.perSecond / staticRps })),
      uncached10k: uncached,
      firstLoadJs: { static: jsStatic, statement: jsStatement, archive: jsArchive, statementExtraKB: (jsStatement.gzipBytes - jsStatic.gzipBytes) / 1024 },
    };
    fs.mkdirSync(path.join(root, 'bench', 'results'), { recursive: true });
    fs.writeFileSync(path.join(root, 'bench', 'results', 'public.json'), JSON.stringify(out, null, 2) + '\n');
    const ok = (b: boolean) => (b ? 'met' : '**NOT met**');
    const stmt = out.pages[1]!;
    const arch = out.pages[2]!;
    const worst10k = Math.max(...uncached.map((u) => u.ms));
    const md = [
      '# Public pages benchmark (`npm run bench:public`)',
      '',
      `Run ${out.when} on ${machine.cpus} cores (${machine.model}), ${machine.memGiB} GiB, Node ${machine.node}, load ${machine.load} at start.`,
      `Production build, the app's own server (its response cache at the default RESPONSE_CACHE_SECONDS unless set: ${process.env.RESPONSE_CACHE_SECONDS ?? 'default'}), embedded PostgreSQL; autocannon, ${CONNECTIONS} connections, the pages in turn for ${ROUNDS} rounds of ${SLICE} s each (${ROUNDS * SLICE} s per page), \`Accept-Encoding: gzip, deflate, br\` as browsers send.`,
      '',
      '## Throughput and latency vs a static page of the same build',
      '',
      '| page | req/s | ratio to static | p50 ms | p99 ms | bytes/response | statuses | x-nextjs-cache after |',
      '|---|---:|---:|---:|---:|---:|---|---|',
      ...out.pages.map((r) => `| ${r.label} | ${r.perSecond.toFixed(0)} | ${r.ratio.toFixed(2)} | ${r.p50.toFixed(1)} | ${r.p99.toFixed(1)} | ${r.bytesPerResponse.toLocaleString('en')} | ${JSON.stringify(r.statuses)} | ${JSON.stringify(r.cache)} |`),
      '',
      `- Statement page (500 signatories): ratio ${stmt.ratio.toFixed(2)} (target ≥ 0.9: ${ok(stmt.ratio >= 0.9)}), p99 ${stmt.p99.toFixed(1)} ms (target < 100 ms: ${ok(stmt.p99 < 100)}).`,
      `- Archive: ratio ${arch.ratio.toFixed(2)} (target ≥ 0.9: ${ok(arch.ratio >= 0.9)}), p99 ${arch.p99.toFixed(1)} ms (target < 100 ms: ${ok(arch.p99 < 100)}).`,
      '',
      '## Uncached render of a statement with 10,000 signatories',
      '',
      '| language | ms | HTML bytes | cache | status |',
      '|---|---:|---:|---|---:|',
      ...uncached.map((u) => `| ${u.lang} | ${u.ms.toFixed(0)} | ${u.htmlBytes.toLocaleString('en')} | ${u.cache} | ${u.status} |`),
      '',
      `- Worst ${worst10k.toFixed(0)} ms (target < 500 ms: ${ok(worst10k < 500)})${uncached.every((u) => u.cache === 'MISS') ? '; every one a fresh render (MISS)' : ' — **not every request was a fresh render (MISS): the figure does not count**'}.`,
      '',
      '## First-load JavaScript (gzip, every script the HTML loads)',
      '',
      '| page | scripts | gzip KB | raw KB |',
      '|---|---:|---:|---:|',
      ...(
        [
          ['static page', jsStatic],
          ['statement page', jsStatement],
          ['archive', jsArchive],
        ] as const
      ).map(([l, j]) => `| ${l} | ${j.scripts} | ${(j.gzipBytes / 1024).toFixed(1)} | ${(j.rawBytes / 1024).toFixed(1)} |`),
      '',
      `- Statement page − static page: ${out.firstLoadJs.statementExtraKB.toFixed(1)} KB (target ≤ +10 KB: ${ok(out.firstLoadJs.statementExtraKB <= 10)}).`,
      '',
    ].join('\n');
    fs.writeFileSync(path.join(root, 'bench', 'results', 'public.md'), md);
    console.log(md);
  } finally {
    if (server) {
      server.child.kill('SIGTERM');
      await new Promise((r) => setTimeout(r, 1000));
    }
    await closeDb();
    await admin.unsafe(`DROP DATABASE IF EXISTS ${scratch} WITH (FORCE)`).catch(() => {});
    await admin.end();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
