import { z } from 'zod';

// In the browser (the invite form shares parseEmailLines with the server), zod must not probe whether it may
// compile parsers with `new Function`: our CSP forbids eval, and the browser reports the probe as a CSP violation
// even though zod catches it. Every validation module imports this one before building a schema.
// The server keeps zod's compiled fast path.
if (typeof window !== 'undefined') z.config({ jitless: true });

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
  safeText(254)
    .pipe(z.string().email({ message: 'errors.invalidEmail' }))
    .transform((s) => s.toLowerCase());

/** URL fields accept https only. */
export const httpsUrl = () =>
  safeText(2000).pipe(
    z
      .string()
      .url({ message: 'errors.invalidUrl' })
      .refine((u) => u.startsWith('https://'), { message: 'errors.httpsOnly' }),
  );

/** Check every string (keys included) of a parsed JSON value. Iterative: a 100,000-deep value cannot overflow the stack. */
export function deepTextProblem(root: unknown, rootPath = '$'): { path: string; problem: string } | null {
  const stack: { v: unknown; path: string }[] = [{ v: root, path: rootPath }];
  while (stack.length) {
    const { v, path } = stack.pop()!;
    if (typeof v === 'string') {
      const p = textProblem(v);
      if (p) return { path, problem: p };
    } else if (Array.isArray(v)) {
      for (let i = v.length - 1; i >= 0; i--) stack.push({ v: v[i], path: `${path}[${i}]` });
    } else if (v && typeof v === 'object') {
      const entries = Object.entries(v);
      for (let i = entries.length - 1; i >= 0; i--) {
        const [k, val] = entries[i]!;
        stack.push({ v: val, path: `${path}.${k}` });
        stack.push({ v: k, path: `${path}.<key>` });
      }
    }
  }
  return null;
}
