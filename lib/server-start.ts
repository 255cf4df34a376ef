// What each server instance does once at start (called from instrumentation.ts, Node runtime only):
// the production guard, the database encoding check, and this instance's outbox relay.
import { getDb, getSql } from '@/db';
import { assertDatabaseEncoding } from '@/db/migrate';
import { env, productionProblems } from './env';
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
  if (env().OUTBOX_RELAY === '1') startRelay(getDb);
}
