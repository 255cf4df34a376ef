// Reads the stage log written by scripts/test-all.sh (and .ci/run) and prints a table of stages with their
// counts and times, then the closing line CI reads: `N passed, N failed`, alone on the last line.
//
//   tsx scripts/summary.ts <stages.tsv> [--json <out.json>]
//
// Each stage line: name <TAB> kind <TAB> exit code <TAB> seconds [<TAB> report]
//   kind = check      a stage that is one check (typecheck, lint, build): 1 passed or 1 failed
//          vitest     counts from Vitest's JSON reporter (jest-compatible format)
//          playwright counts from Playwright's JSON reporter
//          setup      preparation (installing dependencies): not a test, but a failure counts as 1 failed
//          counts     a nested summary (another run's `N passed, N failed` line, e.g. `npm test` inside .ci/run)
// A test stage whose report is missing or unreadable, or that exited non-zero without any failed test
// (a crash, a failed global setup, a server that did not start), counts as one more failure.
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

export type Counts = { passed: number; failed: number; skipped: number; note?: string; failures?: string[] };

/** One line per failed test, so the end of a CI log names what failed: `✘ [stage] where › title — first error line`. */
export const FAILURE_PREFIX = '✘ ';

function firstLine(s: string | undefined): string {
  // Strip ANSI colours; keep the first non-empty line, shortened.
  const clean = (s ?? '').replace(/\u001b\[[0-9;]*m/g, '');
  const line = clean.split('\n').find((l) => l.trim()) ?? '';
  return line.trim().slice(0, 240);
}

type VitestJson = {
  numPassedTests?: number;
  numFailedTests?: number;
  numPendingTests?: number;
  numTodoTests?: number;
  testResults?: {
    name?: string;
    status?: string;
    message?: string;
    assertionResults?: { status?: string; fullName?: string; title?: string; failureMessages?: string[] }[];
  }[];
};

type PwSpec = {
  title?: string;
  file?: string;
  line?: number;
  tests?: {
    status?: string;
    projectName?: string;
    results?: { status?: string; error?: { message?: string }; errors?: { message?: string }[] }[];
  }[];
};
type PwSuite = { title?: string; file?: string; specs?: PwSpec[]; suites?: PwSuite[] };
type PwJson = {
  stats?: { expected?: number; unexpected?: number; flaky?: number; skipped?: number };
  errors?: { message?: string }[];
  suites?: PwSuite[];
};

function readJson<T>(file: string): T | null {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as T;
  } catch {
    return null;
  }
}

export function vitestCounts(file: string, exitCode: number): Counts {
  const j = readJson<VitestJson>(file);
  if (!j) return { passed: 0, failed: 1, skipped: 0, note: `no report at ${file}` };
  const passed = j.numPassedTests ?? 0;
  let failed = j.numFailedTests ?? 0;
  const skipped = (j.numPendingTests ?? 0) + (j.numTodoTests ?? 0);
  // A file that failed without a failed test (an import error, a failing hook) ran nothing: one failure each.
  const brokenFiles = (j.testResults ?? []).filter(
    (r) => r.status === 'failed' && !(r.assertionResults ?? []).some((a) => a.status === 'failed'),
  );
  failed += brokenFiles.length;
  let note = brokenFiles.length ? `${brokenFiles.length} file(s) failed outside a test` : undefined;
  const failures: string[] = [];
  for (const r of j.testResults ?? []) {
    const where = path.relative(process.cwd(), r.name ?? '?');
    for (const a of r.assertionResults ?? [])
      if (a.status === 'failed')
        failures.push(`${where} › ${a.fullName ?? a.title ?? '?'} — ${firstLine(a.failureMessages?.[0])}`);
    if (brokenFiles.includes(r)) failures.push(`${where} — ${firstLine(r.message)}`);
  }
  if (exitCode !== 0 && failed === 0) {
    failed = 1;
    note = `exited with ${exitCode} without a failed test (e.g. an unhandled error or a failed global setup)`;
  }
  return { passed, failed, skipped, note, failures };
}

export function playwrightCounts(file: string, exitCode: number): Counts {
  const j = readJson<PwJson>(file);
  if (!j?.stats) return { passed: 0, failed: 1, skipped: 0, note: `no report at ${file}` };
  const passed = j.stats.expected ?? 0;
  // There are no retries: a "flaky" test failed at least once, which is a failure here.
  let failed = (j.stats.unexpected ?? 0) + (j.stats.flaky ?? 0);
  const skipped = j.stats.skipped ?? 0;
  let note: string | undefined;
  const errors = j.errors ?? [];
  if (errors.length) {
    // Errors outside tests (the web server did not start, a spec failed to load): one failure each.
    failed += errors.length;
    note = errors
      .map((e) => (e.message ?? '').split('\n')[0])
      .join(' | ')
      .slice(0, 300);
  }
  if (exitCode !== 0 && failed === 0) {
    failed = 1;
    note = `exited with ${exitCode} without a failed test`;
  }
  const failures: string[] = errors.map((e) => `(outside a test) — ${firstLine(e.message)}`);
  const walk = (suite: PwSuite, titles: string[]) => {
    for (const spec of suite.specs ?? [])
      for (const t of spec.tests ?? [])
        if (t.status === 'unexpected' || t.status === 'flaky') {
          const bad = (t.results ?? []).find((r) => r.status !== 'passed' && r.status !== 'skipped');
          const msg = bad?.error?.message ?? bad?.errors?.[0]?.message ?? bad?.status;
          failures.push(
            `${spec.file ?? suite.file ?? '?'}:${spec.line ?? '?'} › ${[...titles, spec.title ?? '?'].join(' › ')}${t.status === 'flaky' ? ' (flaky)' : ''} — ${firstLine(msg)}`,
          );
        }
    for (const child of suite.suites ?? []) walk(child, child.title ? [...titles, child.title] : titles);
  };
  // Top-level suites are files: their title is the file name, already given by spec.file.
  for (const s of j.suites ?? []) walk(s, []);
  return { passed, failed, skipped, note, failures };
}

/** The last `N passed, N failed` line of a log. */
export function closingLineCounts(file: string, exitCode: number): Counts {
  let text = '';
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    return { passed: 0, failed: 1, skipped: 0, note: `no log at ${file}` };
  }
  const lines = text.split('\n').filter((l) => /^\d+ passed, \d+ failed$/.test(l.trim()));
  const last = lines.at(-1);
  if (!last) return { passed: 0, failed: 1, skipped: 0, note: `no closing line in ${file}` };
  const [, p, f] = /^(\d+) passed, (\d+) failed$/.exec(last.trim())!;
  // The nested run listed its failed tests just before its closing line.
  const all = text.split('\n');
  const header = all.lastIndexOf('failed:');
  const failures = (header >= 0 ? all.slice(header + 1) : [])
    .filter((l) => l.startsWith(FAILURE_PREFIX))
    .map((l) => l.slice(FAILURE_PREFIX.length).replace(/^\[[^\]]*\] /, ''));
  const c: Counts = { passed: Number(p), failed: Number(f), skipped: 0, failures };
  if (exitCode !== 0 && c.failed === 0)
    return { ...c, failed: 1, note: `exited with ${exitCode} although its line reports no failure` };
  return c;
}

export type Stage = {
  name: string;
  kind: string;
  exitCode: number;
  seconds: number;
  report?: string;
  counts: Counts;
};

export function readStages(file: string): Stage[] {
  const stages: Stage[] = [];
  for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
    if (!line.trim()) continue;
    const [name = '?', kind = 'check', rc = '1', secs = '0', report] = line.split('\t');
    const exitCode = Number(rc);
    const counts =
      kind === 'vitest'
        ? vitestCounts(report ?? '', exitCode)
        : kind === 'playwright'
          ? playwrightCounts(report ?? '', exitCode)
          : kind === 'counts'
            ? closingLineCounts(report ?? '', exitCode)
            : kind === 'setup'
              ? exitCode === 0
                ? { passed: 0, failed: 0, skipped: 0 }
                : { passed: 0, failed: 1, skipped: 0, note: `exited with ${exitCode}` }
              : exitCode === 0
                ? { passed: 1, failed: 0, skipped: 0 }
                : { passed: 0, failed: 1, skipped: 0, note: `exited with ${exitCode}` };
    stages.push({ name, kind, exitCode, seconds: Number(secs), report, counts });
  }
  return stages;
}

function fmtTime(s: number): string {
  return s >= 60 ? `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s` : `${s}s`;
}

function main() {
  const [file, ...rest] = process.argv.slice(2);
  if (!file) {
    console.error('usage: tsx scripts/summary.ts <stages.tsv> [--json <out.json>]');
    process.exit(2);
  }
  const stages = readStages(file);
  const total = stages.reduce(
    (a, s) => ({
      passed: a.passed + s.counts.passed,
      failed: a.failed + s.counts.failed,
      skipped: a.skipped + s.counts.skipped,
    }),
    {
      passed: 0,
      failed: 0,
      skipped: 0,
    },
  );
  const totalSeconds = stages.reduce((a, s) => a + s.seconds, 0);
  const w = Math.max(5, ...stages.map((s) => s.name.length));
  console.log('');
  console.log(`${'stage'.padEnd(w)}  result  passed  failed  skipped    time`);
  for (const s of stages) {
    const ok = s.counts.failed === 0 && s.exitCode === 0;
    console.log(
      `${s.name.padEnd(w)}  ${(ok ? 'ok' : 'FAILED').padEnd(6)}  ${String(s.counts.passed).padStart(6)}  ${String(s.counts.failed).padStart(6)}  ${String(s.counts.skipped).padStart(7)}  ${fmtTime(s.seconds).padStart(6)}${s.counts.note ? `   (${s.counts.note})` : ''}`,
    );
  }
  console.log(
    `${'total'.padEnd(w)}  ${(total.failed ? 'FAILED' : 'ok').padEnd(6)}  ${String(total.passed).padStart(6)}  ${String(total.failed).padStart(6)}  ${String(total.skipped).padStart(7)}  ${fmtTime(totalSeconds).padStart(6)}`,
  );
  const jsonIdx = rest.indexOf('--json');
  if (jsonIdx >= 0 && rest[jsonIdx + 1])
    fs.writeFileSync(rest[jsonIdx + 1]!, JSON.stringify({ stages, total, seconds: totalSeconds }, null, 2));
  const failures = stages.flatMap((s) =>
    (s.counts.failures ?? []).map((f) => `${FAILURE_PREFIX}[${s.name}] ${f}`),
  );
  if (failures.length) {
    console.log('');
    console.log('failed:');
    for (const f of failures.slice(0, 50)) console.log(f);
    if (failures.length > 50) console.log(`… and ${failures.length - 50} more`);
  }
  console.log('');
  console.log(`${total.passed} passed, ${total.failed} failed`);
  process.exit(total.failed > 0 || stages.some((s) => s.exitCode !== 0) ? 1 : 0);
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) main();
