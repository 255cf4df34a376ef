// What each server instance does once at start (called from instrumentation.ts, Node runtime only):
// the production guard, the database encoding check, and this instance's outbox relay.
import { getDb, getSql } from '@/db';
import { assertDatabaseEncoding } from '@/db/migrate';
import { env, productionProblems } from './env';
import { expireInvitations } from './invitations';
import { startRelay } from './outbox';

export async function onServerStart(): Promise<void> {
  const problems = productionProblems();
  if (problems.length > 0) {
    console.error(`[undersigned] refusing to start in production:\n - ${problems.join('\n - ')}`);
    process.exit(1);
  }
  try {
    await assertDatabaseEncoding(getSql());
  } catch (e) {
    console.error(`[undersigned] ${e instanceof Error ? e.message : String(e)}`);
    process.exit(1);
  }
  if (env().OUTBOX_RELAY === '1') {
    // The relay also records invitations past their expiry (once each; SKIP LOCKED across instances), at most
    // every 30 seconds.
    let lastSweep = 0;
    startRelay(getDb, {
      beforePass: async (db) => {
        if (Date.now() - lastSweep < 30_000) return;
        lastSweep = Date.now();
        await expireInvitations(db);
      },
    });
  }
}
