// Test helpers: seed through the same tables Auth.js writes, digest the domain tables, run child processes.
import { spawn } from 'node:child_process';
import crypto from 'node:crypto';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { getDb, getSql } from '@/db';
import { users } from '@/db/schema';
import type { Actor, Ctx } from '@/lib/context';

export async function createUser(email = `u${crypto.randomBytes(4).toString('hex')}@example.org`): Promise<Actor> {
  const [u] = await getDb().insert(users).values({ email, emailVerified: new Date() }).returning();
  return { userId: u!.id, email: u!.email };
}

export const ctxFor = (actor: Actor | null, extra: Partial<Ctx> = {}): Ctx => ({ db: getDb(), actor, ...extra });

// Excluded from "the database did not change": rate-limit counters and session expiry bookkeeping.
const EXCLUDED = new Set(['rate_limits', '__drizzle_migrations']);

/** A digest of every domain table's full contents; equal before and after = nothing changed. */
export async function digestDomain(): Promise<string> {
  const s = getSql();
  const tables = await s<{ tablename: string }[]>`SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename`;
  const h = crypto.createHash('sha256');
  for (const { tablename } of tables) {
    if (EXCLUDED.has(tablename)) continue;
    const rows = await s.unsafe(`SELECT md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), '')) AS d, count(*)::int AS n FROM "${tablename}" t`);
    h.update(`${tablename}:${rows[0]!.n}:${rows[0]!.d}\n`);
  }
  return h.digest('hex');
}

export async function count(table: string): Promise<number> {
  const r = await getDb().execute(sql.raw(`SELECT count(*)::int AS n FROM "${table}"`));
  return (r as unknown as { n: number }[])[0]!.n;
}

/** Run a TypeScript script as a separate OS process against the test database. */
export function runChild(script: string, args: string[] = [], env: Record<string, string> = {}): Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(path.join(process.cwd(), 'node_modules', '.bin', 'tsx'), [script, ...args], {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('exit', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}
