// The CI summary must name what failed: the end of a CI log is often all that is kept.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { closingLineCounts, playwrightCounts, vitestCounts } from './summary';

function tmp(name: string, content: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'summary-'));
  const f = path.join(dir, name);
  fs.writeFileSync(f, content);
  return f;
}

const vitestReport = {
  numPassedTests: 3,
  numFailedTests: 1,
  numPendingTests: 1,
  testResults: [
    {
      name: path.join(process.cwd(), 'lib/a.test.ts'),
      status: 'failed',
      assertionResults: [
        { status: 'passed', fullName: 'a works' },
        {
          status: 'failed',
          fullName: 'a › breaks',
          failureMessages: [
            '\u001b[31mAssertionError: expected 1 to be 2\u001b[39m\n    at lib/a.test.ts:3:1',
          ],
        },
      ],
    },
    {
      name: path.join(process.cwd(), 'lib/b.test.ts'),
      status: 'failed',
      message: 'Cannot find module x',
      assertionResults: [],
    },
    {
      name: path.join(process.cwd(), 'lib/c.test.ts'),
      status: 'passed',
      assertionResults: [{ status: 'passed' }],
    },
  ],
};

const playwrightReport = {
  stats: { expected: 5, unexpected: 1, flaky: 1, skipped: 0 },
  errors: [],
  suites: [
    {
      title: 'journey.spec.ts',
      file: 'journey.spec.ts',
      specs: [
        {
          title: 'passes',
          file: 'journey.spec.ts',
          line: 3,
          tests: [{ status: 'expected', results: [{ status: 'passed' }] }],
        },
      ],
      suites: [
        {
          title: 'publishing',
          file: 'journey.spec.ts',
          specs: [
            {
              title: 'approves a join request',
              file: 'journey.spec.ts',
              line: 42,
              tests: [
                {
                  status: 'unexpected',
                  results: [{ status: 'timedOut', error: { message: 'Test timeout of 60000ms exceeded.' } }],
                },
              ],
            },
            {
              title: 'shows the embed',
              file: 'journey.spec.ts',
              line: 80,
              tests: [
                {
                  status: 'flaky',
                  results: [
                    { status: 'failed', error: { message: 'expect(locator).toBeVisible() failed\nmore' } },
                    { status: 'passed' },
                  ],
                },
              ],
            },
          ],
        },
      ],
    },
  ],
};

describe('CI summary', () => {
  it('lists each failed Vitest test and each file that failed outside a test, with the first error line', () => {
    const c = vitestCounts(tmp('v.json', JSON.stringify(vitestReport)), 1);
    expect(c).toMatchObject({ passed: 3, failed: 2, skipped: 1 });
    expect(c.failures).toEqual([
      'lib/a.test.ts › a › breaks — AssertionError: expected 1 to be 2',
      'lib/b.test.ts — Cannot find module x',
    ]);
  });

  it('lists each failed or flaky Playwright test with file, line, describe path and error', () => {
    const c = playwrightCounts(tmp('p.json', JSON.stringify(playwrightReport)), 1);
    expect(c).toMatchObject({ passed: 5, failed: 2 });
    expect(c.failures).toEqual([
      'journey.spec.ts:42 › publishing › approves a join request — Test timeout of 60000ms exceeded.',
      'journey.spec.ts:80 › publishing › shows the embed (flaky) — expect(locator).toBeVisible() failed',
    ]);
  });

  it('passes no failure names when everything passed', () => {
    const ok = { stats: { expected: 1 }, suites: [{ ...playwrightReport.suites[0], suites: [] }] };
    expect(playwrightCounts(tmp('p.json', JSON.stringify(ok)), 0)).toMatchObject({
      passed: 1,
      failed: 0,
      failures: [],
    });
  });

  it('prints the failures before the closing line, and a run nesting it (CI around npm test) repeats them', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'summary-'));
    const vjson = path.join(dir, 'v.json');
    const pjson = path.join(dir, 'p.json');
    fs.writeFileSync(vjson, JSON.stringify(vitestReport));
    fs.writeFileSync(pjson, JSON.stringify(playwrightReport));
    const stages = path.join(dir, 'stages.tsv');
    fs.writeFileSync(
      stages,
      `lint\tcheck\t0\t3\t\nvitest\tvitest\t1\t10\t${vjson}\ne2e\tplaywright\t1\t20\t${pjson}\n`,
    );
    const run = (file: string) => {
      try {
        execFileSync('node_modules/.bin/tsx', ['scripts/summary.ts', file], { encoding: 'utf8' });
        throw new Error('expected a non-zero exit');
      } catch (e) {
        const err = e as { status?: number; stdout?: string };
        expect(err.status).toBe(1);
        return err.stdout ?? '';
      }
    };
    const out = run(stages);
    const lines = out.trimEnd().split('\n');
    expect(lines.at(-1)).toBe('9 passed, 4 failed');
    expect(out).toContain('✘ [vitest] lib/a.test.ts › a › breaks — AssertionError: expected 1 to be 2');
    expect(out).toContain('✘ [e2e] journey.spec.ts:42 › publishing › approves a join request — Test timeout');

    const log = path.join(dir, 'npm-test.log');
    // Playwright's list reporter also prints ✘ lines while running: only the summary's list counts.
    fs.writeFileSync(log, `  ✘  3 [chromium] › journey.spec.ts:42 › noise\n${out}`);
    const c = closingLineCounts(log, 1);
    expect(c).toMatchObject({ passed: 9, failed: 4 });
    expect(c.failures).toHaveLength(4);
    expect(c.failures![0]).toBe('lib/a.test.ts › a › breaks — AssertionError: expected 1 to be 2');

    const outer = path.join(dir, 'outer.tsv');
    fs.writeFileSync(outer, `npm test\tcounts\t1\t30\t${log}\n`);
    const outerOut = run(outer);
    expect(outerOut).toContain('✘ [npm test] journey.spec.ts:80 › publishing › shows the embed (flaky)');
    expect(outerOut.trimEnd().split('\n').at(-1)).toBe('9 passed, 4 failed');
  });
});
