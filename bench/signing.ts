// npm run bench:signing — signing over HTTP against the PRODUCTION build (`next build`, then the app's own production
// server, `tsx scripts/launch.ts start`), on real PostgreSQL (the launcher's embedded server, a scratch database).
// Not a timed test: figures go to bench/results/signing.md (and .json), with /api/health measured in the same run at
// the same concurrency as the unit of the ratios, and the machine facts.
//
// Seeds 1,000 organizations, each with its owner and an Auth.js database session, one statement frozen at v1
// (freezeVersion) with the 1,000 organizations as participants, then POSTs /api/statements/{id}/sign
// `{orgId, version: 1}` once per organization with 50 concurrent keep-alive connections (autocannon), each request
// with its own session cookie and a same-origin Origin header. Afterwards it checks: every status 201, exactly 1,000
// signatures and 1,000 bindings for the statement (0 lost, 0 duplicated), and the statement's audit chain.
//
// Options (environment): BENCH_ORGS (1000), BENCH_CONNECTIONS (50), BENCH_PORT (a free port), BENCH_HEALTH_REQUESTS
// (3000), DATABASE_POOL_MAX (the server's pool, 10 as in production by default), BENCH_SERVER_NODE_ARGS (e.g. --cpu-prof).
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import { sql } from 'drizzle-orm';
import postgres from 'postgres';
import { closeDb, getDb } from '../db';
import { freePort, pct, startServer, waitHealthy } from './harness';
import { runMigrations } from '../db/migrate';
import { sessions, statementParticipants, users } from '../db/schema';
import { verifyChain } from '../lib/audit';
import type { Ctx } from '../lib/context';
import { createOrganization } from '../lib/orgs';
import { freezeVersion } from '../lib/signing';
import { createStatement, saveText } from '../lib/statements';

const ORGS = Number(process.env.BENCH_ORGS ?? 1000);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);
const HEALTH_REQUESTS = Number(process.env.BENCH_HEALTH_REQUESTS ?? 3000);
const WARMUP_SIGNS = Math.min(100, ORGS);
const TARGET_PER_SECOND = 150;
const COOKIE = 'authjs.session-token'; // lib/auth.ts: secure cookies (and the __Secure- prefix) only on https APP_URL

const root = process.cwd();
const log = (m: string) => console.log(`[bench:signing] ${m}`);


/** Run `fn` over 0..n-1 with `width` at a time. */
async function pool(n: number, width: number, fn: (i: number) => Promise<void>) {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(width, n) }, async () => {
      while (next < n) await fn(next++);
    }),
  );
}


type Load = {
  label: string;
  requests: number;
  seconds: number;
  perSecond: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  statuses: Record<string, number>;
  errors: number;
  timeouts: number;
};

/** One autocannon run of exactly `amount` requests over `connections` keep-alive connections; latencies per request. */
async function load(
  label: string,
  opts: { url: string; amount: number; connections: number; request?: autocannon.Request },
): Promise<Load> {
  const latencies: number[] = [];
  const statuses: Record<string, number> = {};
  const t0 = performance.now();
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const inst = autocannon(
      {
        url: opts.url,
        amount: opts.amount,
        connections: opts.connections,
        pipelining: 1,
        timeout: 30,
        requests: opts.request ? [opts.request] : undefined,
      },
      (err, res) => (err ? reject(err) : resolve(res)),
    );
    inst.on('response', (_client: unknown, status: number, _bytes: number, ms: number) => {
      latencies.push(ms);
      statuses[status] = (statuses[status] ?? 0) + 1;
    });
  });
  const seconds = (performance.now() - t0) / 1000;
  return {
    label,
    requests: latencies.length,
    seconds,
    perSecond: latencies.length / seconds,
    p50: pct(latencies, 50),
    p95: pct(latencies, 95),
    p99: pct(latencies, 99),
    max: Math.max(...latencies),
    statuses,
    errors: result.errors,
    timeouts: result.timeouts,
  };
}

type Cpu = { server: number; postgres: number; bench: number };

/** CPU seconds used so far by the server's process tree, by PostgreSQL's processes and by this load generator. */
function cpuNow(serverPid: number): Cpu {
  const procs: { pid: number; ppid: number; comm: string; cpu: number }[] = [];
  for (const d of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const st = fs.readFileSync(`/proc/${d}/stat`, 'utf8');
      const close = st.lastIndexOf(')');
      const comm = st.slice(st.indexOf('(') + 1, close);
      const f = st.slice(close + 2).split(' ');
      // utime + stime + cutime + cstime: a PostgreSQL backend that exits is counted in the postmaster's children times.
      procs.push({
        pid: Number(d),
        ppid: Number(f[1]),
        comm,
        cpu: (Number(f[11]) + Number(f[12]) + Number(f[13]) + Number(f[14])) / 100,
      });
    } catch {
      /* exited */
    }
  }
  const tree = new Set([serverPid]);
  for (let grew = true; grew;) {
    grew = false;
    for (const p of procs) {
      if (!tree.has(p.pid) && tree.has(p.ppid)) {
        tree.add(p.pid);
        grew = true;
      }
    }
  }
  const sum = (pred: (p: (typeof procs)[number]) => boolean) =>
    procs.filter(pred).reduce((a, p) => a + p.cpu, 0);
  return {
    server: sum((p) => tree.has(p.pid)),
    postgres: sum((p) => p.comm === 'postgres'),
    bench: sum((p) => p.pid === process.pid),
  };
}
const cpuDiff = (a: Cpu, b: Cpu): Cpu => ({
  server: b.server - a.server,
  postgres: b.postgres - a.postgres,
  bench: b.bench - a.bench,
});

/** While `during` runs, sample what the database's client backends are doing every 20 ms. */
async function sampleBackends<T>(during: Promise<T>): Promise<{
  result: T;
  samples: number;
  active: number;
  lock: number;
  idleInTx: number;
  idle: number;
  waitingOn: Record<string, number>;
}> {
  const watcher = postgres(process.env.DATABASE_URL!, { max: 1, onnotice: () => {} });
  let done = false;
  const acc = { samples: 0, active: 0, lock: 0, idleInTx: 0, idle: 0 };
  const waiting: Record<string, number> = {};
  const loop = (async () => {
    while (!done) {
      const rows = await watcher<{ state: string | null; wait: string | null; query: string }[]>`
        SELECT state, wait_event_type AS wait, query FROM pg_stat_activity
         WHERE datname = current_database() AND backend_type = 'client backend' AND pid <> pg_backend_pid()`;
      acc.samples++;
      for (const r of rows) {
        if (r.state === 'active' && r.wait === 'Lock') {
          acc.lock++;
          const q = r.query.replace(/\s+/g, ' ').slice(0, 70);
          waiting[q] = (waiting[q] ?? 0) + 1;
        } else if (r.state === 'active') acc.active++;
        else if (r.state?.startsWith('idle in transaction')) acc.idleInTx++;
        else acc.idle++;
      }
      await new Promise((res) => setTimeout(res, 20));
    }
  })();
  const result = await during;
  done = true;
  await loop;
  await watcher.end();
  const per = (n: number) => n / Math.max(1, acc.samples);
  const waitingOn = Object.fromEntries(Object.entries(waiting).map(([q, n]) => [q, per(n)]));
  return {
    result,
    samples: acc.samples,
    active: per(acc.active),
    lock: per(acc.lock),
    idleInTx: per(acc.idleInTx),
    idle: per(acc.idle),
    waitingOn,
  };
}



/** Wait until the outbox relay (running in the server) has nothing pending: mail from seeding does not overlap the run. */
async function outboxDrained(max = 120_000) {
  const until = Date.now() + max;
  for (;;) {
    const [r] = (await getDb().execute(
      sql`SELECT count(*)::int AS n FROM outbox WHERE status = 'pending' AND (not_before IS NULL OR not_before <= now())`,
    )) as unknown as { n: number }[];
    if (r!.n === 0 || Date.now() > until) return r!.n;
    await new Promise((res) => setTimeout(res, 250));
  }
}

async function main() {
  if (!fs.existsSync(path.join(root, '.next', 'BUILD_ID'))) {
    throw new Error('No production build: run `npm run build` first (`npm run bench:signing` does).');
  }
  const base = new URL(process.env.DATABASE_URL!);
  const scratch = `bench_signing_${Date.now()}`;
  const admin = postgres(new URL('/postgres', base).toString(), { max: 1, onnotice: () => {} });
  await admin.unsafe(
    `CREATE DATABASE ${scratch} ENCODING 'UTF8' TEMPLATE template0 LC_COLLATE 'C.UTF-8' LC_CTYPE 'C.UTF-8'`,
  );
  const url = new URL(`/${scratch}`, base).toString();
  process.env.DATABASE_URL = url;
  await runMigrations(url);
  const db = getDb();
  let server: ReturnType<typeof startServer> | null = null;
  try {
    const loadStart = os.loadavg()[0]!.toFixed(1);
    // ---- seed ----
    const t0 = performance.now();
    const expires = new Date(Date.now() + 29 * 24 * 3600 * 1000); // inside maxAge - updateAge: no session writes
    const [initiator] = await db
      .insert(users)
      .values({ email: 'bench-initiator@example.org', name: 'Initiator', emailVerified: new Date() })
      .returning();
    const ictx: Ctx = { db, actor: { userId: initiator!.id, email: initiator!.email } };
    const initOrg = await createOrganization(ictx, { name: 'Bench initiating NGO', confirmDistinct: true });
    const owners = await db
      .insert(users)
      .values(
        Array.from({ length: ORGS }, (_, i) => ({
          email: `bench-owner-${String(i).padStart(4, '0')}@example.org`,
          name: `Owner ${i}`,
          emailVerified: new Date(),
        })),
      )
      .returning({ id: users.id, email: users.email });
    const orgIds: string[] = new Array(ORGS);
    await pool(ORGS, 4, async (i) => {
      const o = owners[i]!;
      const { id } = await createOrganization(
        { db, actor: { userId: o.id, email: o.email } },
        {
          name: `Bench NGO ${String(i).padStart(4, '0')}`,
          city: 'Yerevan',
          country: 'AM',
          confirmDistinct: true,
        },
      );
      orgIds[i] = id;
    });
    const tokens = owners.map(() => crypto.randomBytes(32).toString('hex'));
    await db
      .insert(sessions)
      .values(owners.map((o, i) => ({ sessionToken: tokens[i]!, userId: o.id, expires })));

    const statement = async (title: string) => {
      const { id } = await createStatement(ictx, {
        orgId: initOrg.id,
        title,
        primaryLang: 'en',
        timeZone: 'Asia/Yerevan',
      });
      await saveText(ictx, {
        statementId: id,
        lang: 'en',
        baseVersion: 0,
        title,
        doc: {
          type: 'doc',
          content: [
            {
              type: 'paragraph',
              content: [{ type: 'text', text: 'We call for the draft law to be published.' }],
            },
            {
              type: 'paragraph',
              content: [{ type: 'text', text: 'It must be open to comment for thirty days.' }],
            },
          ],
        },
      });
      // Bench seeding: participants inserted in bulk rather than through 1,000 invitations.
      await db.insert(statementParticipants).values(orgIds.map((orgId) => ({ statementId: id, orgId })));
      const v = await freezeVersion(ictx, { statementId: id });
      if (v.version !== 1) throw new Error('expected version 1');
      return id;
    };
    const warmId = await statement('Warm-up statement');
    const statementId = await statement('Benchmark statement');
    const seedSeconds = (performance.now() - t0) / 1000;
    log(`seeded ${ORGS} organizations, owners, sessions and 2 statements in ${seedSeconds.toFixed(1)} s`);

    // ---- production server ----
    const port = Number(process.env.BENCH_PORT ?? (await freePort()));
    const origin = `http://127.0.0.1:${port}`;
    server = startServer({
      DATABASE_URL: url,
      NODE_ENV: 'production',
      PORT: String(port),
      BIND_HOST: '127.0.0.1',
      APP_URL: origin,
      AUTH_SECRET: process.env.AUTH_SECRET ?? 'bench-secret-bench-secret-bench',
      SMTP_URL: '',
      DEV_MAILBOX_UNSAFE_IN_PRODUCTION: '1',
      FAULT_POINTS: '0',
    });
    await waitHealthy(origin, server);
    log(`production server on ${origin}`);
    const pendingBefore = await outboxDrained();

    const signRequest = (sid: string, from: number, count: number): autocannon.Request => {
      let next = 0;
      return {
        method: 'POST',
        path: `/api/statements/${sid}/sign`,
        setupRequest: (req) => {
          // Called once per request sent: request k signs for organization from + k (wraps only if autocannon
          // ever sent more than `count`, which the checks below would show as non-201 statuses).
          const i = from + (next++ % count);
          return {
            ...req,
            headers: {
              'content-type': 'application/json',
              origin,
              cookie: `${COOKIE}=${tokens[i]}`,
            },
            body: JSON.stringify({ orgId: orgIds[i], version: 1 }),
          };
        },
      };
    };

    // ---- warm-up (not reported): JIT, route modules, connection pool ----
    await load('warm-up health', { url: `${origin}/api/health`, amount: 1000, connections: CONNECTIONS });
    const warm = await load('warm-up sign', {
      url: origin,
      amount: WARMUP_SIGNS,
      connections: Math.min(CONNECTIONS, WARMUP_SIGNS),
      request: signRequest(warmId, 0, WARMUP_SIGNS),
    });
    if (warm.statuses['201'] !== WARMUP_SIGNS)
      throw new Error(`warm-up statuses ${JSON.stringify(warm.statuses)}\n${server.output()}`);
    await outboxDrained();

    // ---- measured: health at the same concurrency, then signing ----
    const pid = server.child.pid!;
    const c0 = cpuNow(pid);
    const healthS = await sampleBackends(
      load('GET /api/health', {
        url: `${origin}/api/health`,
        amount: HEALTH_REQUESTS,
        connections: CONNECTIONS,
      }),
    );
    const c1 = cpuNow(pid);
    const signS = await sampleBackends(
      load('POST /api/statements/{id}/sign', {
        url: origin,
        amount: ORGS,
        connections: CONNECTIONS,
        request: signRequest(statementId, 0, ORGS),
      }),
    );
    const c2 = cpuNow(pid);
    const health = healthS.result;
    const sign = signS.result;
    const profile = [
      { l: health, cpu: cpuDiff(c0, c1), b: healthS },
      { l: sign, cpu: cpuDiff(c1, c2), b: signS },
    ];
    const healthAfter = await load('GET /api/health (after)', {
      url: `${origin}/api/health`,
      amount: HEALTH_REQUESTS,
      connections: CONNECTIONS,
    });

    // ---- checks ----
    const [counts] = (await db.execute(sql`
      SELECT (SELECT count(*)::int FROM signatures WHERE statement_id = ${statementId}) AS signatures,
             (SELECT count(DISTINCT org_id)::int FROM signatures WHERE statement_id = ${statementId}) AS orgs,
             (SELECT count(*)::int FROM signature_bindings WHERE statement_id = ${statementId}) AS bindings,
             (SELECT count(DISTINCT signature_id)::int FROM signature_bindings WHERE statement_id = ${statementId}) AS bound,
             (SELECT count(*)::int FROM audit_events WHERE chain_type = 'statement' AND chain_id = ${statementId}
                AND type = 'signature.signed') AS events,
             (SELECT count(*)::int FROM outbox WHERE kind = 'signature.receipt'
                AND data->>'statementId' = ${statementId}) AS receipts`)) as unknown as {
      signatures: number;
      orgs: number;
      bindings: number;
      bound: number;
      events: number;
      receipts: number;
    }[];
    const chainProblems = await verifyChain(db, { type: 'statement', id: statementId });
    const checks = [
      {
        name: `HTTP statuses all 201 (${ORGS})`,
        ok:
          sign.statuses['201'] === ORGS &&
          Object.keys(sign.statuses).length === 1 &&
          sign.errors === 0 &&
          sign.timeouts === 0,
        got: `${JSON.stringify(sign.statuses)}, errors ${sign.errors}, timeouts ${sign.timeouts}`,
      },
      {
        name: `signatures = ${ORGS}, one per organization`,
        ok: counts!.signatures === ORGS && counts!.orgs === ORGS,
        got: `${counts!.signatures} (${counts!.orgs} organizations)`,
      },
      {
        name: `bindings = ${ORGS}, one per signature`,
        ok: counts!.bindings === ORGS && counts!.bound === ORGS,
        got: `${counts!.bindings} (${counts!.bound} signatures)`,
      },
      {
        name: `signature.signed audit events = ${ORGS}`,
        ok: counts!.events === ORGS,
        got: String(counts!.events),
      },
      { name: `receipts enqueued = ${ORGS}`, ok: counts!.receipts === ORGS, got: String(counts!.receipts) },
      {
        name: 'statement audit chain verifies',
        ok: chainProblems.length === 0,
        got: chainProblems.length ? JSON.stringify(chainProblems.slice(0, 3)) : 'ok',
      },
    ];
    const lost = ORGS - counts!.bound;
    const duplicated = counts!.bindings - counts!.bound;

    // ---- report ----
    const [pg] = (await db.execute(
      sql`SELECT version() AS v, current_setting('max_connections') AS mc`,
    )) as unknown as { v: string; mc: string }[];
    const cpu = os.cpus();
    const f = (n: number, d = 1) => n.toFixed(d);
    const row = (l: Load, unit: Load) =>
      `| ${l.label} | ${l.requests} | ${f(l.seconds, 2)} | ${f(l.perSecond)} | ${f(l.p50)} | ${f(l.p95)} | ${f(l.p99)} | ${f(l.max)} | ${f(unit.perSecond / l.perSecond, 1)} | ${f(l.p50 / unit.p50, 1)} | ${Object.entries(
        l.statuses,
      )
        .map(([k, v]) => `${k}×${v}`)
        .join(' ')} |`;
    const ok = checks.every((c) => c.ok);
    const load1 = os.loadavg()[0]!.toFixed(1);
    const md = [
      '# Signing benchmark',
      '',
      'Command: `npm run bench:signing` (runs `next build`, then `tsx scripts/launch.ts run -- tsx bench/signing.ts`; with a',
      'build already in place, `npx tsx scripts/launch.ts run -- tsx bench/signing.ts`). Source: `bench/signing.ts`.',
      '',
      `Production build served by the app's own production server (\`scripts/launch.ts start\`, NODE_ENV=production, one`,
      `Node process, DATABASE_POOL_MAX=${process.env.DATABASE_POOL_MAX ?? '10 (default)'}), outbox relay running, on the launcher's embedded PostgreSQL`,
      `(scratch database). ${ORGS} organizations, each with its owner and an Auth.js database session; one statement frozen`,
      `at v1 with the ${ORGS} organizations as participants. Each organization's owner POSTs`,
      '`/api/statements/{id}/sign` `{orgId, version: 1}` once, with its own session cookie and a same-origin Origin header,',
      `over ${CONNECTIONS} concurrent keep-alive connections (autocannon, exactly ${ORGS} requests). \`GET /api/health\``,
      '(one `SELECT 1`) at the same concurrency, in the same run, is the unit of the ratios.',
      '',
      `Run ${new Date().toISOString()}: ${cpu.length} × ${cpu[0]?.model ?? 'cpu'}, ${f(os.totalmem() / 2 ** 30, 0)} GB RAM,`,
      `${process.platform}/${process.arch}, Node ${process.version}, ${pg!.v.split(',')[0]} (max_connections ${pg!.mc}). Load`,
      `generator, server and PostgreSQL share the machine (1-minute load average ${loadStart} at the start, ${load1} at the end).`,
      '',
      `**Signing: ${f(sign.perSecond)} signatures/s** (target ≥ ${TARGET_PER_SECOND}: ${sign.perSecond >= TARGET_PER_SECOND ? 'met' : 'NOT met'}),`,
      `p50 ${f(sign.p50)} ms, p95 ${f(sign.p95)} ms, p99 ${f(sign.p99)} ms; ${lost} lost, ${duplicated} duplicated.`,
      '',
      '| run | requests | s | req/s | p50 ms | p95 ms | p99 ms | max ms | health req/s ÷ this | p50 ÷ health p50 | statuses |',
      '|---|---|---|---|---|---|---|---|---|---|---|',
      row(health, health),
      row(sign, health),
      row(healthAfter, health),
      '',
      'Where the time goes (CPU from /proc for the server process tree, all PostgreSQL processes and the load generator;',
      'database client backends of the server sampled every 20 ms from pg_stat_activity, averaged; the server pool has',
      `${process.env.DATABASE_POOL_MAX ?? 10} connections). CPU % is of one core over the run's wall time (${cpu.length} cores in all).`,
      '',
      '| run | server CPU ms/req | PostgreSQL CPU ms/req | load generator CPU ms/req | server CPU % | PostgreSQL CPU % | backends running | waiting on a lock | idle in transaction |',
      '|---|---|---|---|---|---|---|---|---|',
      ...profile.map(
        ({ l, cpu: c, b }) =>
          `| ${l.label} | ${f((c.server * 1000) / l.requests, 2)} | ${f((c.postgres * 1000) / l.requests, 2)} | ${f((c.bench * 1000) / l.requests, 2)} | ${f((100 * c.server) / l.seconds, 0)} | ${f((100 * c.postgres) / l.seconds, 0)} | ${f(b.active)} | ${f(b.lock)} | ${f(b.idleInTx)} |`,
      ),
      '',
      'Statements waiting on a lock during the signing run (average number of backends):',
      '',
      ...Object.entries(signS.waitingOn)
        .sort((a, b) => b[1] - a[1])
        .slice(0, 5)
        .map(([q, n]) => `- ${f(n, 2)}: \`${q}…\``),
      '',
      '| check | result | got |',
      '|---|---|---|',
      ...checks.map((c) => `| ${c.name} | ${c.ok ? 'ok' : 'FAILED'} | ${c.got} |`),
      '',
      `Seeding took ${f(seedSeconds)} s; outbox pending when the server came up: ${pendingBefore} (waited for it to drain).`,
      `Warm-up (not reported): 1000 health requests and ${WARMUP_SIGNS} signatures on a second statement.`,
      '',
    ].join('\n');
    const out = path.join(root, 'bench', 'results');
    fs.mkdirSync(out, { recursive: true });
    fs.writeFileSync(path.join(out, 'signing.md'), md);
    fs.writeFileSync(
      path.join(out, 'signing.json'),
      JSON.stringify(
        {
          at: new Date().toISOString(),
          orgs: ORGS,
          connections: CONNECTIONS,
          health,
          sign,
          healthAfter,
          profile: profile.map(({ l, cpu: c, b }) => ({
            label: l.label,
            cpu: c,
            backends: { ...b, result: undefined },
          })),
          checks,
          lost,
          duplicated,
        },
        null,
        2,
      ) + '\n',
    );
    console.log(md);
    if (!ok) process.exitCode = 1;
  } finally {
    if (server && server.child.exitCode === null) {
      server.child.kill('SIGTERM');
      await new Promise((r) => {
        const t = setTimeout(() => {
          server!.child.kill('SIGKILL');
          r(null);
        }, 10_000);
        server!.child.once('exit', () => {
          clearTimeout(t);
          r(null);
        });
      });
    }
    await closeDb();
    await admin.unsafe(`DROP DATABASE IF EXISTS ${scratch} WITH (FORCE)`);
    await admin.end();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
