// A start barrier across OS processes, built on a PostgreSQL advisory lock: the test holds the lock
// exclusively; workers (in other processes) block on it in shared mode; once the expected number of
// workers are waiting, the test releases it and they all proceed at once.
import crypto from 'node:crypto';
import { sql } from 'drizzle-orm';
import { getSql } from '@/db';
import type { DbOrTx } from '@/db';

export async function holdBarrier() {
  const key = crypto.randomInt(1, 2 ** 31 - 1);
  const conn = await getSql().reserve();
  await conn`SELECT pg_advisory_lock(${key}::bigint)`;
  let released = false;
  return {
    key,
    /** Wait (bounded) until `n` sessions are blocked on the barrier. */
    async waitForWaiters(n: number, deadlineMs = 30_000): Promise<void> {
      const until = Date.now() + deadlineMs;
      for (;;) {
        const [r] = await conn<{ n: number }[]>`
          SELECT count(*)::int AS n FROM pg_locks
          WHERE locktype = 'advisory' AND NOT granted AND classid = 0 AND objid = ${key} AND objsubid = 1
            AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`;
        if (r!.n >= n) return;
        if (Date.now() > until) throw new Error(`barrier: only ${r!.n} of ${n} waiters after ${deadlineMs} ms`);
        await new Promise((res) => setTimeout(res, 25));
      }
    },
    async release(): Promise<void> {
      if (released) return;
      released = true;
      await conn`SELECT pg_advisory_unlock(${key}::bigint)`;
      conn.release();
    },
  };
}

/** Worker side, inside a transaction: wait for the barrier (the shared lock is held until commit). */
export async function passBarrierInTx(tx: DbOrTx, key: number): Promise<void> {
  await tx.execute(sql`SELECT pg_advisory_xact_lock_shared(${key}::bigint)`);
}

/** Worker side, outside a transaction: wait for the barrier, then let go of it. */
export async function passBarrier(key: number): Promise<void> {
  const conn = await getSql().reserve();
  try {
    await conn`SELECT pg_advisory_lock_shared(${key}::bigint)`;
    await conn`SELECT pg_advisory_unlock_shared(${key}::bigint)`;
  } finally {
    conn.release();
  }
}
