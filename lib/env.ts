import { z } from 'zod';

const bool = z
  .enum(['0', '1', 'true', 'false', ''])
  .optional()
  .transform((v) => v === '1' || v === 'true');
const int = (def: number) => z.coerce.number().int().min(0).default(def);

const schema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  DATABASE_URL: z.string().url().optional(),
  AUTH_SECRET: z.string().min(16).optional(),
  // Ed25519 key that signs public records (PKCS#8 PEM or base64 DER), and retired public keys (lib/record-keys.ts).
  RECORD_SIGNING_KEY: z.string().optional(),
  RECORD_RETIRED_KEYS: z.string().optional(),
  APP_URL: z.string().url().default('http://localhost:3000'),
  SMTP_URL: z.string().optional(),
  MAIL_FROM: z.string().default('Undersigned <no-reply@undersigned.local>'),
  EMBEDDED_PG: bool,
  DEV_MAILBOX_UNSAFE_IN_PRODUCTION: bool,
  OUTBOX_RELAY: z.enum(['0', '1']).default('1'),
  OUTBOX_POLL_MS: int(1000),
  OUTBOX_MAX_ATTEMPTS: int(5),
  OUTBOX_RETRY_BASE_MS: int(30_000),
  TRUSTED_PROXY_HOPS: int(0),
  RATE_LIMIT_SIGNIN_PER_EMAIL: int(5),
  RATE_LIMIT_SIGNIN_PER_IP: int(30),
  RATE_LIMIT_TOKEN_PER_IP: int(60),
  RATE_LIMIT_WINDOW_SECONDS: int(900),
  // Open joining: requests per client address per hour, and per e-mail address per statement per day (0 refuses all).
  RATE_LIMIT_JOIN_PER_IP: int(10),
  RATE_LIMIT_JOIN_PER_EMAIL: int(3),
  // Record verifications (POST /api/verify) per client address per RATE_LIMIT_WINDOW_SECONDS.
  RATE_LIMIT_VERIFY_PER_IP: z.coerce.number().int().min(1).default(120),
  FAULT_POINTS: bool,
  // Automatic reminders before an invitation's sign-by instant, e.g. "3d,1d" or "36h" (days or hours).
  INVITATION_REMINDERS: z
    .string()
    .regex(/^\s*(\d{1,3}[dh]\s*(,\s*\d{1,3}[dh]\s*)*)?$/, 'a comma-separated list like 3d,1d')
    .default('3d,1d'),
  // The shortest interval between two "remind now" of one invitation.
  INVITATION_REMIND_INTERVAL_HOURS: int(24),
  // New comments are e-mailed to the initiators at most once per statement per this many minutes (a digest).
  COMMENT_DIGEST_MINUTES: z.coerce.number().int().min(1).max(1440).default(15),
});

export type Env = z.infer<typeof schema>;

/** The validated environment, read when called (never at import, so `next build` needs no secrets). */
export function env(): Env {
  const parsed = schema.safeParse(process.env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`).join('\n');
    throw new Error(`Invalid environment:\n${lines}`);
  }
  return parsed.data;
}

/** Whether mail goes to the development mailbox (no SMTP configured). */
export const usesDevMailbox = () => !env().SMTP_URL;

/**
 * Checked at server start (instrumentation), not at import: production refuses to run without a database URL
 * and a secret unless explicitly told (EMBEDDED_PG=1), and never exposes the dev mailbox without the unsafe flag.
 */
export function productionProblems(e: Env = env()): string[] {
  if (e.NODE_ENV !== 'production') return [];
  const problems: string[] = [];
  if (!e.DATABASE_URL)
    problems.push(
      'DATABASE_URL is not set (or set EMBEDDED_PG=1 to use the embedded PostgreSQL explicitly).',
    );
  if (!e.AUTH_SECRET) problems.push('AUTH_SECRET is not set (generate one with `openssl rand -base64 32`).');
  if (!e.RECORD_SIGNING_KEY)
    problems.push(
      'RECORD_SIGNING_KEY is not set (an Ed25519 private key that signs public records; see README, Deploying).',
    );
  if (!e.SMTP_URL && !e.DEV_MAILBOX_UNSAFE_IN_PRODUCTION)
    problems.push(
      'SMTP_URL is not set: production does not use the development mailbox unless DEV_MAILBOX_UNSAFE_IN_PRODUCTION=1.',
    );
  return problems;
}
