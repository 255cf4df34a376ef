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
import { diffDocs } from '../lib/editor/diff';
import type { DocJSON } from '../lib/editor/extensions';
import { renderDoc } from '../lib/editor/render';
import { readJson } from '../lib/http';
import { createOrganization } from '../lib/orgs';
import { createStatement, saveText } from '../lib/statements';
import { SAVE_BODY_MAX_BYTES } from '../lib/validation/statements';

type Row = { name: string; n: number; perOpMs: number; ratio?: number; note: string };

/** Each call's duration, for percentiles. */
async function samples(n: number, fn: (i: number) => Promise<unknown>): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    await fn(i);
    out.push(performance.now() - t0);
  }
  return out;
}
const pct = (xs: number[], p: number) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))]!;

/** A statement-like document: `paragraphs` paragraphs of ~`words` words with bold, a link and a list every 10. */
function statementDoc(paragraphs: number, words: number, seed = 0): DocJSON {
  const content: DocJSON[] = [
    { type: 'heading', attrs: { level: 2 }, content: [{ type: 'text', text: `Statement ${seed}` }] },
  ];
  const vocab = [
    'Մենք',
    'դատապարտում',
    'ենք',
    'human',
    'rights',
    'defenders',
    'право',
    'свобода',
    'assembly',
    'the',
    'of',
    'and',
  ];
  for (let i = 0; i < paragraphs; i++) {
    const text = Array.from({ length: words }, (_, j) => vocab[(i * 7 + j * 3 + seed) % vocab.length]).join(
      ' ',
    );
    if (i % 10 === 9) {
      content.push({
        type: 'bulletList',
        content: [{ type: 'listItem', content: [{ type: 'paragraph', content: [{ type: 'text', text }] }] }],
      });
    } else {
      content.push({
        type: 'paragraph',
        content: [
          { type: 'text', text: `${text} ` },
          { type: 'text', marks: [{ type: 'bold' }], text: 'important' },
          { type: 'text', text: ' see ' },
          {
            type: 'text',
            marks: [{ type: 'link', attrs: { href: `https://example.org/${i}` } }],
            text: 'source',
          },
        ],
      });
    }
  }
  return { type: 'doc', content };
}

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
  await admin.unsafe(
    `CREATE DATABASE ${scratch} ENCODING 'UTF8' TEMPLATE template0 LC_COLLATE 'C.UTF-8' LC_CTYPE 'C.UTF-8'`,
  );
  const url = new URL(`/${scratch}`, base).toString();
  process.env.DATABASE_URL = url;
  process.env.SMTP_URL = '';
  process.env.AUTH_SECRET ??= 'bench-secret-bench-secret-bench';
  await runMigrations(url);
  const db = getDb();
  const rows: Row[] = [];
  try {
    const baseline = await time(2000, () => db.execute(sql`SELECT 1`));
    rows.push({
      name: 'baseline: SELECT 1 round trip',
      n: 2000,
      perOpMs: baseline,
      note: 'the unit every ratio is measured in',
    });

    const [u] = await db.insert(users).values({ email: 'bench@example.org' }).returning();
    const audit = await time(1000, (i) =>
      db.transaction((tx) =>
        appendAudit(tx, {
          chain: { type: 'user', id: u!.id },
          type: 'user.locale_changed',
          actorUserId: u!.id,
          data: { i },
        }),
      ),
    );
    rows.push({
      name: 'state change: transaction + audit event on one chain',
      n: 1000,
      perOpMs: audit,
      note: 'head lock, hash, insert',
    });

    const tokens: string[] = [];
    const mint = await time(500, async () => {
      tokens.push(
        await mintToken(db, {
          purpose: 'test',
          subjectId: crypto.randomUUID(),
          email: 'x@example.org',
          expiresAt: new Date(Date.now() + 3600_000),
        }),
      );
    });
    rows.push({ name: 'token: mint', n: 500, perOpMs: mint, note: '' });
    let k = 0;
    const consume = await time(500, () =>
      db.transaction((tx) =>
        consumeToken(tx, { token: tokens[k++ % tokens.length]!, purpose: 'test', email: 'x@example.org' }),
      ),
    );
    rows.push({
      name: 'token: consume (transaction)',
      n: 500,
      perOpMs: consume,
      note: 'includes already-used lookups after the first pass',
    });

    const N = 500;
    await db.transaction(async (tx) => {
      for (let i = 0; i < N; i++) {
        const ev = await appendAudit(tx, {
          chain: { type: 'user', id: u!.id },
          type: 'user.locale_changed',
          actorUserId: u!.id,
          data: { n: i },
        });
        await enqueue(tx, {
          auditEventId: ev.id,
          kind: 'test.notice',
          to: `r${i}@example.org`,
          locale: 'en',
          data: { n: i },
          dedupeKey: `bench:${i}`,
        });
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
    rows.push({
      name: 'outbox relay: claim + render + deliver (dev mailbox)',
      n: sent,
      perOpMs: relay,
      note: 'one instance, batches of 50',
    });

    // Autosave: the server's work for one save of a 20 KB document — read and strictly decode the JSON body, validate
    // against the editor schema, lock, compare, diff for the size of change, write text + revision + audit event.
    // (HTTP and the session lookup are not included: the bench runs without a Next server.)
    const ctx = { db, actor: { userId: u!.id, email: 'bench@example.org' } };
    const org = await createOrganization(ctx, { name: `Bench org ${scratch}`, confirmDistinct: true });
    const st = await createStatement(ctx, {
      orgId: org.id,
      title: 'Bench',
      primaryLang: 'en',
      timeZone: 'Asia/Yerevan',
    });
    let paras = 10;
    while (Buffer.byteLength(JSON.stringify(statementDoc(paras, 40))) < 20 * 1024) paras++;
    const docBytes = Buffer.byteLength(JSON.stringify(statementDoc(paras, 40)));
    let version = 0;
    const selectSamples = await samples(200, () => db.execute(sql`SELECT 1`));
    const saveSamples = await samples(200, async (i) => {
      // Typing: each save changes one paragraph of the document (as autosave does every second or so).
      const doc = statementDoc(paras, 40);
      doc.content![1 + (i % paras)] = {
        type: 'paragraph',
        content: [{ type: 'text', text: `edited ${i} `.repeat(30) }],
      };
      const body = JSON.stringify({ baseVersion: version, title: 'Bench', doc });
      const req = new Request('http://bench/', {
        method: 'PUT',
        body,
        headers: { 'content-type': 'application/json' },
      });
      const parsed = (await readJson(req, SAVE_BODY_MAX_BYTES)) as {
        baseVersion: number;
        title: string;
        doc: unknown;
      };
      const r = await saveText(ctx, {
        statementId: st.id,
        lang: 'en',
        baseVersion: parsed.baseVersion,
        title: parsed.title,
        doc: parsed.doc,
        docBytes: body.length,
      });
      version = r.version;
    });
    const sel50 = pct(selectSamples, 50);
    rows.push({
      name: 'baseline: SELECT 1, p50 of 200',
      n: 200,
      perOpMs: sel50,
      note: `p95 ${pct(selectSamples, 95).toFixed(3)} ms`,
    });
    rows.push({
      name: `autosave: ${(docBytes / 1024).toFixed(1)} KB document, one paragraph changed per save, p50 of 200`,
      n: 200,
      perOpMs: pct(saveSamples, 50),
      note: `p95 ${pct(saveSamples, 95).toFixed(2)} ms (${(pct(saveSamples, 95) / sel50).toFixed(1)} × SELECT 1 p50); target p95 < 100 ms`,
    });
    const fifty = statementDoc(50, 40);
    const render = await time(2000, async () => renderDoc(fifty));
    rows.push({
      name: 'render: 50-paragraph statement to HTML (server)',
      n: 2000,
      perOpMs: render,
      note: 'target < 2 ms',
    });
    const fifty2 = statementDoc(50, 40, 3);
    const diff = await time(200, async () => diffDocs(fifty, fifty2));
    rows.push({
      name: 'diff: two 50-paragraph statements, every paragraph changed',
      n: 200,
      perOpMs: diff,
      note: 'history and conflict views',
    });

    for (const r of rows) r.ratio = r.perOpMs / baseline;
    const md = [
      '# Benchmarks',
      '',
      `Run ${new Date().toISOString()} on ${process.platform}/${process.arch}, Node ${process.version}, ${(await import('node:os')).cpus().length} cores.`,
      'Ratios are to the `SELECT 1` round trip measured in the same run.',
      '',
      '| benchmark | n | ms per op | × baseline | note |',
      '|---|---|---|---|---|',
      ...rows.map(
        (r) => `| ${r.name} | ${r.n} | ${r.perOpMs.toFixed(3)} | ${r.ratio!.toFixed(1)} | ${r.note} |`,
      ),
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
