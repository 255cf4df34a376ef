import { z } from 'zod';

// Refuse NUL and lone surrogates: PostgreSQL cannot store NUL, and lone surrogates are not text.
const NUL = /\u0000/;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

export function textProblem(s: string): string | null {
  if (NUL.test(s)) return 'errors.nulCharacter';
  if (LONE_SURROGATE.test(s)) return 'errors.loneSurrogate';
  return null;
}

/** A plain text field: trimmed, bounded, free of NUL and lone surrogates. */
export const safeText = (max = 500) =>
  z
    .string()
    .max(max, { message: 'errors.tooLong' })
    .superRefine((s, ctx) => {
      const p = textProblem(s);
      if (p) ctx.addIssue({ code: 'custom', message: p });
    })
    .transform((s) => s.trim());

export const email = () =>
  safeText(254).pipe(z.string().email({ message: 'errors.invalidEmail' })).transform((s) => s.toLowerCase());

/** URL fields accept https only. */
export const httpsUrl = () =>
  safeText(2000).pipe(
    z.string().url({ message: 'errors.invalidUrl' }).refine((u) => u.startsWith('https://'), { message: 'errors.httpsOnly' }),
  );

/** Recursively check every string of a parsed JSON value. */
export function deepTextProblem(v: unknown, path = '$'): { path: string; problem: string } | null {
  if (typeof v === 'string') {
    const p = textProblem(v);
    return p ? { path, problem: p } : null;
  }
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) {
      const r = deepTextProblem(v[i], `${path}[${i}]`);
      if (r) return r;
    }
  } else if (v && typeof v === 'object') {
    for (const [k, val] of Object.entries(v)) {
      const r = deepTextProblem(k, `${path}.<key>`) ?? deepTextProblem(val, `${path}.${k}`);
      if (r) return r;
    }
  }
  return null;
}
