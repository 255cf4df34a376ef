// Route handler helpers (plain Web Request/Response; no next/* imports).
import { AppError, HTTP_STATUS, isAppError } from './errors';
import { checkOrigin } from './origin';
import { deepTextProblem } from './validation/strings';

export function jsonError(e: unknown, extraHeaders: Record<string, string> = {}): Response {
  if (isAppError(e)) {
    const headers: Record<string, string> = { ...extraHeaders };
    if (e.retryAfterSeconds) headers['Retry-After'] = String(e.retryAfterSeconds);
    return Response.json({ error: { code: e.code, message: e.message, fieldErrors: e.fieldErrors } }, { status: HTTP_STATUS[e.code], headers });
  }
  const id = crypto.randomUUID();
  console.error(`[route] request ${id} failed:`, e);
  return Response.json({ error: { code: 'INTERNAL', message: 'errors.unexpected', requestId: id } }, { status: 500, headers: extraHeaders });
}

export function assertSameOrigin(req: Request): void {
  const v = checkOrigin(req.headers);
  if (!v.ok) throw new AppError('FORBIDDEN', 'errors.crossOrigin');
}

/** Read a JSON body with a byte cap and strict UTF-8 (invalid bytes are an error, not U+FFFD). */
export async function readJson(req: Request, maxBytes: number): Promise<unknown> {
  const len = Number(req.headers.get('content-length') ?? '0');
  if (len > maxBytes) throw new AppError('INVALID_INPUT', 'errors.bodyTooLarge');
  const reader = req.body?.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  if (reader) {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.byteLength;
      if (total > maxBytes) {
        await reader.cancel();
        throw new AppError('INVALID_INPUT', 'errors.bodyTooLarge');
      }
      chunks.push(value);
    }
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(Buffer.concat(chunks));
  } catch {
    throw new AppError('INVALID_INPUT', 'errors.invalidUtf8');
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new AppError('INVALID_INPUT', 'errors.invalidJson');
  }
  // NUL and lone surrogates can arrive as JSON escapes; check every decoded string.
  const p = deepTextProblem(value);
  if (p) throw new AppError('INVALID_INPUT', p.problem, { [p.path]: [p.problem] });
  return value;
}
