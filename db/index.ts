import { drizzle, type PostgresJsDatabase } from 'drizzle-orm/postgres-js';
import postgres from 'postgres';
import * as schema from './schema';

export type Db = PostgresJsDatabase<typeof schema>;
export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];
export type DbOrTx = Db | Tx;
export { schema };

type Holder = { url: string; sql: postgres.Sql; db: Db };
const g = globalThis as unknown as { __undersignedDb?: Holder };

export function databaseUrl(): string {
  const url = process.env.DATABASE_URL;
  if (!url) {
    throw new Error(
      'DATABASE_URL is not set. Start the app through the launcher (npm run dev / npm start), which starts an embedded PostgreSQL, or set DATABASE_URL.',
    );
  }
  return url;
}

/** The one database client of this process, created on first use (never at import, so builds need no database). */
export function getDb(): Db {
  const url = databaseUrl();
  if (g.__undersignedDb && g.__undersignedDb.url === url) return g.__undersignedDb.db;
  const sql = postgres(url, {
    max: Number(process.env.DATABASE_POOL_MAX ?? 10),
    idle_timeout: 30,
    connect_timeout: 10,
    onnotice: () => {},
  });
  const db = drizzle(sql, { schema });
  g.__undersignedDb = { url, sql, db };
  return db;
}

export function getSql(): postgres.Sql {
  getDb();
  return g.__undersignedDb!.sql;
}

export async function closeDb(): Promise<void> {
  const h = g.__undersignedDb;
  g.__undersignedDb = undefined;
  if (h) await h.sql.end({ timeout: 5 });
}
