// npm run bench — figures written to bench/results/latest.md (and .json). Not timed tests: each figure is
// reported absolutely and as a ratio to a baseline measured in the same run (a `SELECT 1` round trip), so a
// slower or busier machine moves both. Runs through the launcher against a scratch database.
import fs from 'node:fs';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import postgres from 'postgres';
import { closeDb, getDb } from '../db';
import { runMigrations } from '../db/migrate';
import { appendAudit } from '../lib/audit';
import { enqueue, relayOnce } from '../lib/outbox';
import { consumeToken, mintToken } from '../lib/tokens';
import { users } from '../db/schema';

type Row = { name: string; n: number; perOpMs: number; ratio?: number; note: string };

async function time(n: number, fn: (i: number) => Promise<unknown>): Promise<number> {
  for (let i = 0; i < Math.min(20, n); i++) await fn(i); // warm-up
  const t0 = performance.now();
  for (let i = 0; i < n; i++) await fn(i);
  return (performance.now() - t0) / n;
}

async function main() {
  // A scratch database on the same server, so benchmarks never touch development data.
  const base = new URL(process.env.DATABASE_URL!);
  const scratch = `bench_${Date.now()}`;
  const admin = postgres(new URL('/postgres', base).toString(), { max: 1, onnotice: () => {} });
  await admin.unsafe(`CREATE DATABASE ${scratch} ENCODING 'UTF8' TEMPLATE template0 LC_COLLATE 'C.UTF-8' LC_CTYPE 'C.UTF-8'`);
  const url = new URL(`/${scratch}`, base).toString();
  process.env.DATABASE_URL = url;
  process.env.SMTP_URL = '';
  process.env.AUTH_SECRET ??= 'bench-secret-bench-secret-bench';
  await runMigrations(url);
  const db = getDb();
  const rows: Row[] = [];
  try {
    const baseline = await time(2000, () => db.execute(sql`SELECT 1`));
    rows.push({ name: 'baseline: SELECT 1 round trip', n: 2000, perOpMs: baseline, note: 'the unit every ratio is measured in' });

    const [u] = await db.insert(users).values({ email: 'bench@example.org' }).returning();
    const audit = await time(1000, (i) =>
      db.transaction((tx) => appendAudit(tx, { chain: { type: 'user', id: u!.id }, type: 'user.locale_changed', actorUserId: u!.id, data: { i } })),
    );
    rows.push({ name: 'state change: transaction + audit event on one chain', n: 1000, perOpMs: audit, note: 'head lock, hash, insert' });

    const tokens: string[] = [];
    const mint = await time(500, async () => {
      tokens.push(await mintToken(db, { purpose: 'test', subjectId: crypto.randomUUID(), email: 'x@example.org', expiresAt: new Date(Date.now() + 3600_000) }));
    });
    rows.push({ name: 'token: mint', n: 500, perOpMs: mint, note: '' });
    let k = 0;
    const consume = await time(500, () => db.transaction((tx) => consumeToken(tx, { token: tokens[k++ % tokens.length]!, purpose: 'test', email: 'x@example.org' })));
    rows.push({ name: 'token: consume (transaction)', n: 500, perOpMs: consume, note: 'includes already-used lookups after the first pass' });

    const N = 500;
    await db.transaction(async (tx) => {
      for (let i = 0; i < N; i++) {
        const ev = await appendAudit(tx, { chain: { type: 'user', id: u!.id }, type: 'user.locale_changed', actorUserId: u!.id, data: { n: i } });
        await enqueue(tx, { auditEventId: ev.id, kind: 'test.notice', to: `r${i}@example.org`, locale: 'en', data: { n: i }, dedupeKey: `bench:${i}` });
      }
    });
    const t0 = performance.now();
    let sent = 0;
    for (;;) {
      const s = await relayOnce(db, { batch: 50 });
      if (s.sent + s.failed + s.retried + s.cancelled === 0) break;
      sent += s.sent;
    }
    const relay = (performance.now() - t0) / N;
    rows.push({ name: 'outbox relay: claim + render + deliver (dev mailbox)', n: sent, perOpMs: relay, note: 'one instance, batches of 50' });

    for (const r of rows) r.ratio = r.perOpMs / baseline;
    const md = [
      '# Benchmarks',
      '',
      `Run ${new Date().toISOString()} on ${process.platform}/${process.arch}, Node ${process.version}, ${(await import('node:os')).cpus().length} cores.`,
      'Ratios are to the `SELECT 1` round trip measured in the same run.',
      '',
      '| benchmark | n | ms per op | × baseline | note |',
      '|---|---|---|---|---|',
      ...rows.map((r) => `| ${r.name} | ${r.n} | ${r.perOpMs.toFixed(3)} | ${r.ratio!.toFixed(1)} | ${r.note} |`),
      '',
    ].join('\n');
    const out = path.join(process.cwd(), 'bench', 'results');
    fs.mkdirSync(out, { recursive: true });
    fs.writeFileSync(path.join(out, 'latest.md'), md);
    fs.writeFileSync(path.join(out, 'latest.json'), JSON.stringify(rows, null, 2) + '\n');
    console.log(md);
  } finally {
    await closeDb();
    await admin.unsafe(`DROP DATABASE IF EXISTS ${scratch} WITH (FORCE)`);
    await admin.end();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
