// Shared entry for child scripts: parameters come as one JSON argument; the result is printed as
// one `RESULT {json}` line on stdout; the process exits 0, or 1 (with the error on stderr).
import { closeDb } from '@/db';

export function childMain<P, R>(fn: (params: P) => Promise<R>): void {
  const params = JSON.parse(process.argv[2] ?? '{}') as P;
  fn(params)
    .then(async (result) => {
      process.stdout.write(`RESULT ${JSON.stringify(result)}\n`);
      await closeDb();
      process.exit(0);
    })
    .catch(async (e) => {
      process.stderr.write(`child failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
      await closeDb().catch(() => {});
      process.exit(1);
    });
}

/** The RESULT line of a child's stdout. */
export function parseResult<R>(stdout: string): R {
  const line = stdout.split('\n').find((l) => l.startsWith('RESULT '));
  if (!line) throw new Error(`child printed no RESULT line; stdout:\n${stdout}`);
  return JSON.parse(line.slice('RESULT '.length)) as R;
}
