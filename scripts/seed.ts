// npm run db:seed — demo data (idempotent). Runs through the launcher, so it reuses the dev database.
import { closeDb, getDb } from '../db';
import { DEMO_USERS, seedDemo } from '../db/seed';

seedDemo(getDb())
  .then(async ({ created, organizations }) => {
    console.log(`[seed] demo users: ${created} created, ${DEMO_USERS.length - created} already there; organizations: ${organizations} created`);
    console.log(`[seed] sign in as ${DEMO_USERS.map((u) => u.email).join(', ')} — links arrive in /dev/mailbox`);
    await closeDb();
  })
  .catch(async (e) => {
    console.error('[seed] failed:', e);
    await closeDb();
    process.exit(1);
  });
