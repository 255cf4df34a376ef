// npm run db:seed — demo data and the repository's fixture statements, imported and published (idempotent). Runs
// through the launcher, so it reuses the dev database.
import { closeDb, getDb } from '../db';
import { DEMO_USERS, seedDemo, seedImportedStatements } from '../db/seed';

async function main() {
  const db = getDb();
  const { created, organizations } = await seedDemo(db);
  console.log(`[seed] demo users: ${created} created, ${DEMO_USERS.length - created} already there; organizations: ${organizations} created`);
  for (const r of await seedImportedStatements(db)) console.log(`[seed] ${r.file}: ${r.created ? 'imported' : 'already there'} → /${r.lang}/s/${r.slug}`);
  console.log(`[seed] sign in as ${DEMO_USERS.map((u) => u.email).join(', ')} — links arrive in /dev/mailbox`);
}

main()
  .then(() => closeDb())
  .catch(async (e) => {
    console.error('[seed] failed:', e);
    await closeDb();
    process.exit(1);
  });
