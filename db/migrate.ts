import { drizzle } from 'drizzle-orm/postgres-js';
import { migrate } from 'drizzle-orm/postgres-js/migrator';
import path from 'node:path';
import postgres from 'postgres';

/** Refuse a database where Armenian text would silently break (SQL_ASCII encoding or the C ctype). */
export async function assertDatabaseEncoding(sql: postgres.Sql): Promise<void> {
  const [enc] = await sql<{ server_encoding: string }[]>`SHOW server_encoding`;
  const [ct] = await sql<{ datctype: string }[]>`SELECT datctype FROM pg_database WHERE datname = current_database()`;
  const encoding = enc?.server_encoding ?? '?';
  const ctype = ct?.datctype ?? '?';
  if (encoding.toUpperCase() !== 'UTF8' || ctype === 'C' || ctype === 'POSIX') {
    throw new Error(
      `Database refused: server_encoding=${encoding}, ctype=${ctype}. Undersigned needs UTF8 and a UTF-8 ctype ` +
        `(create the cluster with initdb --encoding=UTF8 --locale=C.UTF-8), or Armenian search and case folding fail silently.`,
    );
  }
}

/** Apply committed migrations (drizzle-kit output) under an advisory lock, so several instances can start at once. */
export async function runMigrations(url: string): Promise<void> {
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  try {
    await assertDatabaseEncoding(sql);
    await sql`SELECT pg_advisory_lock(7461001)`;
    try {
      await migrate(drizzle(sql), { migrationsFolder: path.join(process.cwd(), 'db', 'migrations') });
    } finally {
      await sql`SELECT pg_advisory_unlock(7461001)`;
    }
  } finally {
    await sql.end({ timeout: 5 });
  }
}
