// Shared by the HTTP benchmarks (bench/signing.ts, bench/public.ts): a free loopback port, percentiles, the app's
// own production server (`tsx scripts/launch.ts start`) as a child process, and waiting for its health route.
import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';

const root = process.cwd();

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

/** The p-th percentile (nearest rank) of `xs`. */
export const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)] ?? NaN;
};

export type BenchServer = { child: ChildProcess; output: () => string };

/** The production server with `env` on top of this process's environment. */
export function startServer(env: Record<string, string>): BenchServer {
  let out = '';
  // `node --import tsx` is what the tsx binary runs; extra node flags (e.g. BENCH_SERVER_NODE_ARGS='--cpu-prof
  // --cpu-prof-dir=/tmp/prof' to profile the server; written when it stops) go before it.
  const extra = (process.env.BENCH_SERVER_NODE_ARGS ?? '').split(/\s+/).filter(Boolean);
  const child = spawn(process.execPath, [...extra, '--import', 'tsx', 'scripts/launch.ts', 'start'], {
    cwd: root,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  return { child, output: () => out };
}

export async function waitHealthy(base: string, server: BenchServer) {
  const until = Date.now() + 60_000;
  while (Date.now() < until) {
    if (server.child.exitCode !== null) throw new Error(`server exited:\n${server.output()}`);
    try {
      const r = await fetch(`${base}/api/health`);
      if (r.ok) return;
    } catch {
      /* not listening yet */
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`server not healthy within 60 s:\n${server.output()}`);
}
