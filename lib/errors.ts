export const ERROR_CODES = [
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'NOT_FOUND',
  'INVALID_INPUT',
  'INVALID_STATE',
  'CONFLICT',
  'RATE_LIMITED',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export const HTTP_STATUS: Record<ErrorCode, number> = {
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  INVALID_INPUT: 400,
  INVALID_STATE: 409,
  CONFLICT: 409,
  RATE_LIMITED: 429,
};

/** A failure the user can act on. `message` is a catalog key under `errors.` or plain text for logs. */
export class AppError extends Error {
  constructor(
    public code: ErrorCode,
    message?: string,
    public fieldErrors?: Record<string, string[]>,
    public retryAfterSeconds?: number,
  ) {
    super(message ?? code);
    this.name = 'AppError';
  }
}

export const notFound = () => new AppError('NOT_FOUND');
export const isAppError = (e: unknown): e is AppError => e instanceof AppError;

/** Zod issues as `fieldErrors` (dotted path → catalog keys); messages that are not catalog keys become errors.invalidInput. */
export function fieldErrorsOf(
  issues: readonly { path: readonly PropertyKey[]; message: string }[],
): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const i of issues)
    (out[i.path.map(String).join('.') || '_'] ??= []).push(
      i.message.startsWith('errors.') ? i.message : 'errors.invalidInput',
    );
  return out;
}
