// PostgreSQL restarts under load: a separate embedded server is stopped and started again on the same port
// while a child process works through getDb(); the child survives and its queries succeed again.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/postgres-js';
import postgres from 'postgres';
import { afterAll, describe, expect, it } from 'vitest';
import { schema, type Db } from '@/db';
import { startEmbedded, type EmbeddedHandle } from '@/db/embedded';
import { runMigrations } from '@/db/migrate';
import { checkInvariants, totalFindings } from './invariants';
import { spawnTs } from './testing/child';
import { parseResult } from './testing/children/_main';
import { recordFigure } from './testing/figures';
import { enqueueTestNotice } from './testing/seed';

const dir = path.join(process.cwd(), '.data', `pg-restart-${process.pid}-${crypto.randomBytes(4).toString('hex')}`);
let handle: EmbeddedHandle | null = null;
let client: postgres.Sql | null = null;
let child: ReturnType<typeof spawnTs> | null = null;

afterAll(async () => {
  if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  await client?.end({ timeout: 1 }).catch(() => {});
  await handle?.stop().catch(() => {});
  fs.rmSync(dir, { recursive: true, force: true });
  fs.rmSync(`${dir}.undersigned-port`, { force: true });
});

/** Lines the child prints, with a way to await one that matches. */
function watchLines(proc: NonNullable<typeof child>) {
  const lines: string[] = [];
  const waiters: { test: (l: string) => boolean; resolve: (l: string) => void }[] = [];
  let buf = '';
  proc.stdout!.on('data', (d: Buffer) => {
    buf += d.toString();
    let nl: number;
    while ((nl = buf.indexOf('\n')) >= 0) {
      const line = buf.slice(0, nl);
      buf = buf.slice(nl + 1);
      lines.push(line);
      for (const w of [...waiters]) {
        if (!w.test(line)) continue;
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(line);
      }
    }
  });
  let stderr = '';
  proc.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  return {
    lines,
    stderr: () => stderr,
    waitFor(test: (l: string) => boolean, what: string, deadlineMs = 30_000): Promise<string> {
      const hit = lines.find(test);
      if (hit) return Promise.resolve(hit);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`child: no line for "${what}" within ${deadlineMs} ms; stderr:\n${stderr}\nlast lines:\n${lines.slice(-5).join('\n')}`)), deadlineMs);
        const onExit = (code: number | null, signal: string | null) =>
          reject(new Error(`child exited (code ${code}, signal ${signal}) while waiting for "${what}"; stderr:\n${stderr}`));
        proc.once('exit', onExit);
        waiters.push({ test, resolve: (l) => (clearTimeout(timer), proc.off('exit', onExit), resolve(l)) });
      });
    },
  };
}

const iterOf = (line: string) => Number(line.split(' ')[1]);

async function waitAllSent(db: Db, deadlineMs = 30_000) {
  const until = Date.now() + deadlineMs;
  for (;;) {
    const [r] = (await db.execute(sql`SELECT count(*) FILTER (WHERE status <> 'sent')::int AS left, count(*)::int AS n FROM outbox`)) as unknown as { left: number; n: number }[];
    if (r!.left === 0) return r!.n;
    if (Date.now() > until) throw new Error(`${r!.left} outbox rows not sent after ${deadlineMs} ms`);
    await new Promise((res) => setTimeout(res, 50));
  }
}

describe('PostgreSQL restart under load', () => {
  it('the working process survives a stop and start of the server, and recovers', async () => {
    handle = await startEmbedded(dir, { quiet: true });
    const port = handle.port;
    const admin = postgres(handle.url(), { max: 1, onnotice: () => {} });
    await admin`CREATE DATABASE undersigned`;
    await admin.end();
    const url = handle.url('undersigned');
    await runMigrations(url);
    client = postgres(url, { max: 2, onnotice: () => {} });
    const db = drizzle(client, { schema }) as unknown as Db;

    child = spawnTs('lib/testing/children/pg-load.ts', [JSON.stringify({ paceMs: 20 })], {
      DATABASE_URL: url,
      DATABASE_POOL_MAX: '3',
      SMTP_URL: undefined, // the dev mailbox: the relay writes to the database too
    });
    const out = watchLines(child);
    await out.waitFor((l) => l.startsWith('ok ') && iterOf(l) >= 5, 'five successful iterations');

    for (let i = 0; i < 5; i++) await enqueueTestNotice({ db, to: `before${i}@example.org`, n: i });
    expect(await waitAllSent(db)).toBe(5);

    // Stop the server under load: the child's queries now fail, and it keeps going.
    await handle.stop();
    handle = null;
    const firstFail = await out.waitFor((l) => l.startsWith('fail '), 'a failed iteration while the server is down');
    await out.waitFor((l) => l.startsWith('fail ') && iterOf(l) >= iterOf(firstFail) + 3, 'several failed iterations');
    expect(child.exitCode).toBeNull();

    // Start it again on the same port.
    const prevPort = process.env.EMBEDDED_PG_PORT;
    process.env.EMBEDDED_PG_PORT = String(port);
    try {
      handle = await startEmbedded(dir, { quiet: true });
    } finally {
      if (prevPort === undefined) delete process.env.EMBEDDED_PG_PORT;
      else process.env.EMBEDDED_PG_PORT = prevPort;
    }
    expect(handle.port).toBe(port);
    const lastFailBeforeRecovery = out.lines.filter((l) => l.startsWith('fail ')).map(iterOf).at(-1)!;
    await out.waitFor((l) => l.startsWith('ok ') && iterOf(l) > lastFailBeforeRecovery + 5, 'successful iterations after the restart');

    // The relay works again too.
    for (let i = 0; i < 5; i++) await enqueueTestNotice({ db, to: `after${i}@example.org`, n: i });
    expect(await waitAllSent(db)).toBe(10);
    expect(totalFindings(await checkInvariants(db))).toBe(0);

    // Alive the whole time; it stops only when told to.
    expect({ code: child.exitCode, signal: child.signalCode }).toEqual({ code: null, signal: null });
    const exited = new Promise<{ code: number | null; signal: string | null }>((r) => child!.once('exit', (code, signal) => r({ code, signal })));
    child.kill('SIGTERM');
    expect(await exited, out.stderr()).toEqual({ code: 0, signal: null });
    const totals = parseResult<{ ok: number; fail: number; sent: number }>(out.lines.join('\n'));
    expect(totals.fail).toBeGreaterThanOrEqual(4);
    expect(totals.sent).toBe(10);
    const downIterations = out.lines.filter((l) => l.startsWith('fail ')).length;
    recordFigure('restart-pg', `Restart: PostgreSQL stopped and started under load; the worker survived ${downIterations} failed iterations and recovered (${totals.ok} ok)`);
  }, 120_000);
});
