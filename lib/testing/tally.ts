// Bookkeeping shared by the access-matrix test files: count the cells run and the wrong ones, print the line
// "Access matrix (<label>): N cases, 0 wrong" after the file, and record it as a figure when nothing was wrong.
import { afterAll } from 'vitest';
import { recordFigure } from './figures';

export function matrixTally(label: string, figureId: string): (fn: () => Promise<void>) => Promise<void> {
  let cases = 0;
  let wrong = 0;
  afterAll(() => {
    const line = `Access matrix (${label}): ${cases} cases, ${wrong} wrong`;
    console.log(line);
    if (wrong === 0 && cases > 0) recordFigure(figureId, line);
  });
  return async (fn) => {
    cases++;
    try {
      await fn();
    } catch (e) {
      wrong++;
      throw e;
    }
  };
}

/** An outcome without the value an allowed call returned (compared by code and change only). */
export function withoutValue<O extends object>(o: O): Omit<O, 'value'> {
  const { value: _v, ...rest } = o as O & { value?: unknown };
  void _v;
  return rest;
}
