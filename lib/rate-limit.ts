import { RateLimiterDrizzle, RateLimiterRes } from 'rate-limiter-flexible';
import { getDb } from '@/db';
import { rateLimits } from '@/db/schema';
import { env } from './env';
import { AppError } from './errors';

type Bucket = 'signin_email' | 'signin_ip' | 'token_ip';

const limiters = new Map<string, RateLimiterDrizzle>();

function limiter(bucket: Bucket): RateLimiterDrizzle {
  const e = env();
  const points = { signin_email: e.RATE_LIMIT_SIGNIN_PER_EMAIL, signin_ip: e.RATE_LIMIT_SIGNIN_PER_IP, token_ip: e.RATE_LIMIT_TOKEN_PER_IP }[bucket];
  const key = `${bucket}:${points}:${e.RATE_LIMIT_WINDOW_SECONDS}:${process.env.DATABASE_URL}`;
  let l = limiters.get(key);
  if (!l) {
    // Stored in PostgreSQL, so every instance shares the counters.
    l = new RateLimiterDrizzle({
      storeClient: getDb(),
      schema: rateLimits,
      keyPrefix: bucket,
      points,
      duration: e.RATE_LIMIT_WINDOW_SECONDS,
      clearExpiredByTimeout: false,
    });
    limiters.set(key, l);
  }
  return l;
}

/** Count one attempt; throws RATE_LIMITED (with Retry-After) when the bucket is empty. */
export async function hit(bucket: Bucket, key: string): Promise<void> {
  try {
    await limiter(bucket).consume(key.toLowerCase());
  } catch (e) {
    if (e instanceof RateLimiterRes) {
      throw new AppError('RATE_LIMITED', 'errors.rateLimited', undefined, Math.ceil(e.msBeforeNext / 1000));
    }
    throw e;
  }
}

/**
 * The client's address, computed once per request by the server (scripts/server.ts) from the socket and,
 * only through TRUSTED_PROXY_HOPS trusted proxies, from X-Forwarded-For. Entries a client adds on the left
 * of X-Forwarded-For are ignored.
 */
export function clientIp(xForwardedFor: string | null | undefined, socketIp: string | null | undefined, hops = env().TRUSTED_PROXY_HOPS): string {
  let ip = socketIp || 'unknown';
  if (hops > 0 && xForwardedFor) {
    const parts = xForwardedFor.split(',').map((s) => s.trim()).filter(Boolean);
    // Each trusted proxy appended the address it saw; walk back one entry per trusted hop.
    const candidate = parts[parts.length - hops];
    if (candidate) ip = candidate;
  }
  return ip.replace(/^::ffff:/, '');
}
