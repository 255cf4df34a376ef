import { NextRequest } from 'next/server';
import { z } from 'zod';
import { handlers } from '@/lib/auth';
import { AppError } from '@/lib/errors';
import { assertSameOrigin, jsonError, readJson } from '@/lib/http';
import { hit } from '@/lib/rate-limit';

const NO_STORE = { 'Cache-Control': 'no-store', 'Referrer-Policy': 'no-referrer' };
const Body = z.object({ token: z.string().min(1).max(200), email: z.string().min(3).max(254), next: z.string().max(500).optional() }).strict();

/**
 * Consume a magic link: the confirmation page posts the token from the URL fragment here; we call Auth.js's
 * callback internally with a URL built on the server, so the token never travels in a browser URL.
 */
export async function POST(req: NextRequest) {
  try {
    assertSameOrigin(req);
    await hit('token_ip', req.headers.get('x-client-ip') ?? 'unknown');
    const parsed = Body.safeParse(await readJson(req, 8 * 1024));
    if (!parsed.success) throw new AppError('INVALID_INPUT', 'errors.linkInvalid');
    const { token, email, next } = parsed.data;
    const safeNext = next && next.startsWith('/') && !next.startsWith('//') ? next : '/dashboard';
    const url = new URL('/api/auth/callback/email', req.nextUrl.origin);
    url.search = new URLSearchParams({ token, email: email.toLowerCase(), callbackUrl: new URL(safeNext, req.nextUrl.origin).toString() }).toString();
    const internal = new NextRequest(url, { method: 'GET', headers: { cookie: req.headers.get('cookie') ?? '', host: req.headers.get('host') ?? url.host } });
    const res = await handlers.GET(internal);
    const location = res.headers.get('location') ?? '';
    if (res.status >= 400 || location.includes('/sign-in/error') || !res.headers.get('set-cookie')?.includes('session-token')) {
      // Unknown, expired and used links: one answer.
      throw new AppError('NOT_FOUND', 'errors.linkInvalid');
    }
    const out = Response.json({ redirect: new URL(location, req.nextUrl.origin).pathname + new URL(location, req.nextUrl.origin).search }, { headers: NO_STORE });
    for (const c of res.headers.getSetCookie()) out.headers.append('set-cookie', c);
    return out;
  } catch (e) {
    return jsonError(e, NO_STORE);
  }
}

export function GET() {
  return Response.json({ error: { code: 'METHOD_NOT_ALLOWED', message: 'POST only.' } }, { status: 405, headers: { Allow: 'POST' } });
}
