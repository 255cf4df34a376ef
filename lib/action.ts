// The one helper every server action goes through: zod (strict) → origin check → actor → one lib function,
// AppError mapped to a plain result. Redirects happen in the caller, outside any try/catch.
import 'server-only';
import { headers } from 'next/headers';
import { z } from 'zod';
import { AppError, fieldErrorsOf, isAppError, type ErrorCode } from './errors';
import { checkOrigin } from './origin';
import { getCtx } from './session';
import type { Ctx } from './context';

export type ActionResult<T> =
  | { ok: true; data: T }
  | { ok: false; code: ErrorCode; message: string; fieldErrors?: Record<string, string[]> };

function toInput(raw: unknown): unknown {
  if (raw instanceof FormData) {
    // No prototype: a field named `__proto__` becomes an own key that the strict schema refuses, instead of
    // an assignment to the prototype that silently drops it (or, with a File value, swaps the prototype).
    const out: Record<string, unknown> = Object.create(null);
    for (const [k, v] of raw.entries()) {
      if (k.startsWith('$ACTION')) continue; // Next.js's own fields
      out[k] = v;
    }
    return out;
  }
  return raw;
}

export function action<S extends z.ZodType, R>(
  schema: S,
  handler: (ctx: Ctx, input: z.output<S>) => Promise<R>,
  opts: { public?: boolean } = {},
) {
  return async (...args: unknown[]): Promise<ActionResult<R>> => {
    // Called as a form action via useActionState (prevState, formData) or directly (input).
    const raw = args.length >= 2 ? args[1] : args[0];
    try {
      const origin = checkOrigin(await headers());
      if (!origin.ok) throw new AppError('FORBIDDEN', 'errors.crossOrigin');
      const parsed = schema.safeParse(toInput(raw ?? {}));
      if (!parsed.success) {
        return {
          ok: false,
          code: 'INVALID_INPUT',
          message: 'errors.invalidInput',
          fieldErrors: fieldErrorsOf(parsed.error.issues),
        };
      }
      const ctx = await getCtx();
      if (!opts.public && !ctx.actor) throw new AppError('UNAUTHENTICATED', 'errors.signInRequired');
      return { ok: true, data: await handler(ctx, parsed.data) };
    } catch (e) {
      if (isAppError(e)) return { ok: false, code: e.code, message: e.message, fieldErrors: e.fieldErrors };
      const id = crypto.randomUUID();
      console.error(`[action] request ${id} failed:`, e);
      return { ok: false, code: 'INVALID_STATE', message: 'errors.unexpected' };
    }
  };
}
