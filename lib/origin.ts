// CSRF defence for every mutation (SECURITY.md I10): the request must come from our own origin.
// Next.js lets a server action with no Origin header through; we do not.
import { env } from './env';

export type OriginVerdict = { ok: true } | { ok: false; reason: 'missing_origin' | 'foreign_origin' | 'cross_site' };

export function checkOrigin(headers: Headers): OriginVerdict {
  const site = headers.get('sec-fetch-site');
  if (site === 'cross-site') return { ok: false, reason: 'cross_site' };
  const origin = headers.get('origin');
  if (!origin || origin === 'null') return { ok: false, reason: 'missing_origin' };
  const allowed = new Set<string>();
  try {
    allowed.add(new URL(env().APP_URL).origin);
  } catch {
    /* validated by env() */
  }
  const host = headers.get('x-forwarded-host') ?? headers.get('host');
  if (host) {
    const proto = headers.get('x-forwarded-proto') ?? (env().NODE_ENV === 'production' ? 'https' : 'http');
    allowed.add(`${proto}://${host}`);
    allowed.add(`http://${host}`);
    allowed.add(`https://${host}`);
  }
  return allowed.has(origin) ? { ok: true } : { ok: false, reason: 'foreign_origin' };
}
