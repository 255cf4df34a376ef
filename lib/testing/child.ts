// Child processes that run TypeScript in the node process itself (`node --import tsx`), so a signal that
// kills the script is the child's own exit signal (the `tsx` CLI wraps a second process and turns a SIGKILL
// into exit code 137). The test file's DATABASE_URL is in the child's env, as with runChild.
import { spawn, type ChildProcess } from 'node:child_process';

export type ChildResult = { code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string };

export function spawnTs(script: string, args: string[] = [], env: Record<string, string | undefined> = {}): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', script, ...args], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

export function runTs(script: string, args: string[] = [], env: Record<string, string | undefined> = {}): Promise<ChildResult> {
  return new Promise((resolve, reject) => {
    const child = spawnTs(script, args, env);
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (d) => (stdout += d));
    child.stderr!.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}
