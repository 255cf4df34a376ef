// `npm run check:invariants`: run every invariant check against DATABASE_URL (the launcher provides it),
// print each check with its count, end with `invariants: N findings`, exit 1 when N > 0.
import { closeDb, getDb } from '@/db';
import { checkInvariants, INVARIANT_CHECKS, totalFindings } from '@/lib/invariants';

async function main(): Promise<number> {
  const results = await checkInvariants(getDb());
  const width = Math.max(...INVARIANT_CHECKS.map((c) => c.name.length));
  for (const r of results) {
    const check = INVARIANT_CHECKS.find((c) => c.name === r.name);
    console.log(`${r.count === 0 ? 'ok  ' : 'FAIL'} ${r.name.padEnd(width)}  ${r.count}${check ? `  (${check.description})` : ''}`);
    for (const s of r.samples) console.log(`       ${JSON.stringify(s)}`);
  }
  const n = totalFindings(results);
  console.log(`invariants: ${n} findings`);
  return n > 0 ? 1 : 0;
}

main()
  .then(async (code) => {
    await closeDb();
    process.exit(code);
  })
  .catch(async (e) => {
    console.error(`[check-invariants] ${e instanceof Error ? e.message : String(e)}`);
    await closeDb().catch(() => {});
    process.exit(2);
  });
