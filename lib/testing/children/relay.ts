// An outbox relay in its own process. mode 'once': one pass. mode 'drain': passes until no due row remains
// (rows claimed by another relay are that relay's business). Optional start barrier; optional `now` (ISO), the
// relay's clock for scheduled rows (default PostgreSQL's now()).
import { sql } from 'drizzle-orm';
import { getDb } from '@/db';
import { relayOnce, type RelayStats } from '../../outbox';
import { passBarrier } from '../barrier';
import { childMain } from './_main';

childMain(async (p: { mode: 'once' | 'drain'; batch?: number; barrierKey?: number; deadlineMs?: number; now?: string }) => {
  const now = p.now ? new Date(p.now) : undefined;
  const t = now ? sql`${now.toISOString()}::timestamptz` : sql`now()`;
  const db = getDb();
  if (p.barrierKey) await passBarrier(p.barrierKey);
  const total: RelayStats & { passes: number } = { sent: 0, retried: 0, failed: 0, cancelled: 0, passes: 0 };
  const until = Date.now() + (p.deadlineMs ?? 60_000);
  for (;;) {
    const s = await relayOnce(db, { batch: p.batch, now });
    total.passes++;
    for (const k of ['sent', 'retried', 'failed', 'cancelled'] as const) total[k] += s[k];
    if (p.mode === 'once') break;
    const [due] = (await db.execute(sql`
      SELECT count(*)::int AS n FROM outbox
      WHERE (status = 'pending' AND not_before <= ${t}) OR (status = 'sending' AND locked_until < ${t})`)) as unknown as { n: number }[];
    if (due!.n === 0) break;
    if (Date.now() > until) throw new Error(`relay: ${due!.n} rows still due at the deadline`);
  }
  return total;
});
