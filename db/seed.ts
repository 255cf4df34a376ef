// Demo data for development. Foundation I seeds demo accounts; organizations and statements from
// db/fixtures arrive with the organizations issue. Idempotent: running it twice changes nothing.
// Accounts are created through Auth.js's own adapter (its tables are written by Auth.js code only).
import { DrizzleAdapter } from '@auth/drizzle-adapter';
import { eq } from 'drizzle-orm';
import type { Db } from './index';
import { accounts, sessions, users, verificationTokens } from './schema';
import { setInterfaceLocale } from '../lib/users';
import type { Locale } from '../lib/i18n';

export const DEMO_USERS: { email: string; name: string; locale: Locale }[] = [
  { email: 'anna@demo.undersigned.am', name: 'Anna Hakobyan', locale: 'hy' },
  { email: 'david@demo.undersigned.am', name: 'David Petrosyan', locale: 'en' },
  { email: 'olga@demo.undersigned.am', name: 'Olga Sarkisova', locale: 'ru' },
];

export async function seedDemo(db: Db): Promise<{ created: number }> {
  const adapter = DrizzleAdapter(db, { usersTable: users, accountsTable: accounts, sessionsTable: sessions, verificationTokensTable: verificationTokens });
  let created = 0;
  for (const u of DEMO_USERS) {
    const [existing] = await db.select({ id: users.id }).from(users).where(eq(users.email, u.email));
    if (existing) continue;
    const user = await adapter.createUser!({ id: crypto.randomUUID(), email: u.email, name: u.name, emailVerified: new Date() });
    await setInterfaceLocale({ db, actor: { userId: user.id, email: u.email } }, { locale: u.locale });
    created++;
  }
  return { created };
}
