// Steady work through the app's one database client (getDb): a SELECT 1 and an outbox relay pass per
// iteration, one line per iteration on stdout ("ok <i>" / "fail <i> <code>"). Errors are caught per
// iteration and never end the process; SIGTERM ends the loop and prints the totals.
import { getDb, getSql } from '@/db';
import { relayOnce } from '../../outbox';
import { childMain } from './_main';

childMain(async (p: { paceMs?: number }) => {
  let stopping = false;
  process.on('SIGTERM', () => (stopping = true));
  let ok = 0;
  let fail = 0;
  let sent = 0;
  for (let i = 1; !stopping; i++) {
    try {
      await getSql()`SELECT 1`;
      sent += (await relayOnce(getDb())).sent;
      ok++;
      process.stdout.write(`ok ${i}\n`);
    } catch (e) {
      fail++;
      const code = (e as { code?: string }).code ?? (e as { cause?: { code?: string } }).cause?.code ?? 'error';
      process.stdout.write(`fail ${i} ${code} ${(e instanceof Error ? e.message : String(e)).split('\n')[0]!.slice(0, 120)}\n`);
    }
    // Pacing, not synchronization: keeps the output small while the server is down.
    await new Promise((r) => setTimeout(r, p.paceMs ?? 20));
  }
  return { ok, fail, sent };
});
