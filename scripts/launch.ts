// The launcher behind `npm run dev`, `npm start`, the db scripts and the test servers.
// With DATABASE_URL unset it starts (or reuses) an embedded PostgreSQL under .data/, exports DATABASE_URL,
// applies migrations, then runs the given command and stops the server when that command exits.
//   tsx scripts/launch.ts dev | start | migrate | run -- <command…>
import { spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { startEmbedded, type EmbeddedHandle } from '../db/embedded';
import { runMigrations } from '../db/migrate';

const root = process.cwd();
const [mode = 'dev', ...rest] = process.argv.slice(2);
const args = rest[0] === '--' ? rest.slice(1) : rest;

function loadEnvFile(file: string) {
  if (!fs.existsSync(file)) return;
  for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
    const m = /^\s*([A-Z0-9_]+)\s*=\s*(.*)\s*$/.exec(line);
    if (m && process.env[m[1]!] === undefined) process.env[m[1]!] = m[2]!.replace(/^["']|["']$/g, '');
  }
}

function ensureDevSecret() {
  const file = path.join(root, '.env.local');
  loadEnvFile(file);
  if (!process.env.AUTH_SECRET) {
    const secret = crypto.randomBytes(32).toString('base64url');
    fs.appendFileSync(file, `# Created by the launcher on first run (git-ignored). Development only.\nAUTH_SECRET=${secret}\n`);
    process.env.AUTH_SECRET = secret;
    console.log('[launcher] created AUTH_SECRET in .env.local');
  }
  if (!process.env.RECORD_SIGNING_KEY) {
    // The Ed25519 key that signs public records (lib/record-keys.ts): generated once, kept, development only.
    const key = crypto.generateKeyPairSync('ed25519').privateKey.export({ format: 'der', type: 'pkcs8' }).toString('base64');
    fs.appendFileSync(file, `# Created by the launcher (git-ignored). Development only: signs public records.\nRECORD_SIGNING_KEY=${key}\n`);
    process.env.RECORD_SIGNING_KEY = key;
    console.log('[launcher] created RECORD_SIGNING_KEY in .env.local');
  }
}

async function main() {
  const isProd = mode === 'start';
  if (mode === 'dev' || mode === 'run' || mode === 'migrate') ensureDevSecret();
  else loadEnvFile(path.join(root, '.env.local'));

  let pg: EmbeddedHandle | null = null;
  if (!process.env.DATABASE_URL) {
    if (isProd && process.env.EMBEDDED_PG !== '1') {
      console.error(
        '[launcher] Refusing to start in production without DATABASE_URL. Set DATABASE_URL to your PostgreSQL server, ' +
          'or set EMBEDDED_PG=1 to run an embedded PostgreSQL under .data/ explicitly.',
      );
      process.exit(1);
    }
    const dir = path.resolve(process.env.EMBEDDED_PG_DIR ?? path.join(root, '.data', 'pg'));
    pg = await startEmbedded(dir);
    process.env.DATABASE_URL = pg.url('undersigned');
    // Create the application database on first start.
    const { default: postgres } = await import('postgres');
    const admin = postgres(pg.url(), { max: 1, onnotice: () => {} });
    const exists = await admin`SELECT 1 FROM pg_database WHERE datname = 'undersigned'`;
    if (exists.length === 0) await admin`CREATE DATABASE undersigned`;
    await admin.end();
    console.log(`[launcher] embedded PostgreSQL ${pg.owned ? 'started' : 'reused'} on port ${pg.port} (data: ${path.relative(root, dir)})`);
  }
  await runMigrations(process.env.DATABASE_URL!);
  if (mode === 'dev' && process.env.SEED !== '0') {
    // A fresh clone shows a living app: demo data (idempotent).
    const { getDb, closeDb } = await import('../db');
    const { seedDemo, seedImportedStatements } = await import('../db/seed');
    const { created, organizations } = await seedDemo(getDb());
    if (created + organizations > 0) console.log(`[launcher] seeded ${created} demo accounts and ${organizations} organizations (see README: "Demo accounts")`);
    const imported = (await seedImportedStatements(getDb())).filter((r) => r.created).length;
    if (imported > 0) console.log(`[launcher] imported and published ${imported} fixture statements (db/fixtures/statements)`);
    await closeDb();
  }

  if (mode === 'dev' || mode === 'start') {
    // Run the server in this process, so stopping it stops the embedded PostgreSQL too.
    const penv = process.env as Record<string, string | undefined>;
    if (mode === 'start') penv.NODE_ENV = 'production';
    else penv.NODE_ENV ??= 'development';
    const { startServer } = await import('./server');
    const port = Number(process.env.PORT ?? 3000);
    const server = await startServer({ dev: mode === 'dev', port, hostname: process.env.BIND_HOST ?? '127.0.0.1' });
    const shutdown = () => {
      server.close();
      void (pg?.owned ? pg.stop() : Promise.resolve()).finally(() => process.exit(0));
    };
    process.on('SIGINT', shutdown);
    process.on('SIGTERM', shutdown);
    return;
  }
  const cmd = mode === 'migrate' ? [] : args;

  let code = 0;
  if (cmd.length > 0) {
    const [bin, ...binArgs] = cmd;
    const local = path.join(root, 'node_modules', '.bin', bin!);
    const child = spawn(fs.existsSync(local) ? local : bin!, binArgs, { stdio: 'inherit', env: process.env });
    const forward = (sig: NodeJS.Signals) => child.kill(sig);
    process.on('SIGINT', forward);
    process.on('SIGTERM', forward);
    code = await new Promise<number>((resolve) => child.on('exit', (c, s) => resolve(c ?? (s ? 1 : 0))));
  }
  if (pg?.owned) await pg.stop();
  process.exit(code);
}

main().catch((e) => {
  console.error(`[launcher] ${e instanceof Error ? e.message : String(e)}`);
  process.exit(1);
});
