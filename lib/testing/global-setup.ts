// Vitest global setup: one PostgreSQL for the run (embedded in its own directory and port, or the server
// in DATABASE_URL), with a migrated template database that each test file clones (a fresh database per file).
import fs from 'node:fs';
import path from 'node:path';
import postgres from 'postgres';
import type { TestProject } from 'vitest/node';
import { startEmbedded, type EmbeddedHandle } from '../../db/embedded';
import { runMigrations } from '../../db/migrate';

export const TEMPLATE_DB = 'undersigned_test_template';
let pg: EmbeddedHandle | null = null;
let ownedDir: string | null = null;

function withDatabase(url: string, db: string): string {
  const u = new URL(url);
  u.pathname = `/${db}`;
  return u.toString();
}

export default async function setup(project: TestProject) {
  let adminUrl: string;
  if (process.env.DATABASE_URL) {
    adminUrl = withDatabase(process.env.DATABASE_URL, 'postgres');
  } else {
    // A directory per run unless TEST_PG_DIR is set, so two test runs never share (and break) one server.
    const dir = path.resolve(process.env.TEST_PG_DIR ?? path.join(process.cwd(), '.data', 'test-pg', `run-${process.pid}`));
    fs.mkdirSync(path.dirname(dir), { recursive: true });
    pg = await startEmbedded(dir, { quiet: true });
    if (!process.env.TEST_PG_DIR) ownedDir = dir;
    adminUrl = pg.url('postgres');
  }
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`DROP DATABASE IF EXISTS ${TEMPLATE_DB} WITH (FORCE)`);
  // Leftovers of an interrupted earlier run.
  const stale = await admin<{ datname: string }[]>`SELECT datname FROM pg_database WHERE datname LIKE 'ut_%'`;
  for (const s of stale) await admin.unsafe(`DROP DATABASE IF EXISTS "${s.datname}" WITH (FORCE)`);
  await admin.unsafe(`CREATE DATABASE ${TEMPLATE_DB} ENCODING 'UTF8' TEMPLATE template0 LC_COLLATE 'C.UTF-8' LC_CTYPE 'C.UTF-8'`);
  await admin.end();
  await runMigrations(withDatabase(adminUrl, TEMPLATE_DB));
  project.provide('adminUrl', adminUrl);
  return async () => {
    if (pg?.owned) await pg.stop();
    if (ownedDir) {
      fs.rmSync(ownedDir, { recursive: true, force: true });
      fs.rmSync(`${ownedDir}.undersigned-port`, { force: true });
    }
  };
}

declare module 'vitest' {
  export interface ProvidedContext {
    adminUrl: string;
  }
}
