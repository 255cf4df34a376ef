// Request decoration only — never authorization (SECURITY.md I1): redirects "/" to a language, and gives
// dynamic (signed-in and flow) pages a per-request CSP nonce. Public /[lang] pages, /embed, /data and /feeds keep the
// static policy.
import { NextResponse, type NextRequest } from 'next/server';
import { nonceCsp } from './lib/csp';
import { isLocale, localeFromAcceptLanguage } from './lib/i18n';

// Server actions answer 500 (not 413) over their body limit; refuse oversized ones here with a clear error.
const ACTION_BODY_LIMIT = 1024 * 1024;

export function proxy(req: NextRequest) {
  const { pathname } = req.nextUrl;
  if (req.method === 'POST' && req.headers.has('next-action')) {
    const len = Number(req.headers.get('content-length') ?? '0');
    if (len > ACTION_BODY_LIMIT) {
      return NextResponse.json(
        { error: { code: 'INVALID_INPUT', message: 'errors.bodyTooLarge' } },
        { status: 413 },
      );
    }
  }
  if (pathname === '/') {
    const c = req.cookies.get('NEXT_LOCALE')?.value;
    const lang = isLocale(c) ? c : localeFromAcceptLanguage(req.headers.get('accept-language'));
    return NextResponse.redirect(new URL(`/${lang}`, req.url));
  }
  const first = pathname.split('/')[1];
  // Public, cacheable outputs keep the static policy of next.config.ts: the embed (frameable by any site), the data
  // files and the feeds.
  if (
    isLocale(first) ||
    pathname.startsWith('/api/') ||
    first === 'embed' ||
    first === 'data' ||
    first === 'feeds'
  )
    return NextResponse.next();

  const nonce = Buffer.from(crypto.getRandomValues(new Uint8Array(16))).toString('base64');
  const csp = nonceCsp(nonce, process.env.NODE_ENV !== 'production');
  const requestHeaders = new Headers(req.headers);
  requestHeaders.set('x-nonce', nonce);
  requestHeaders.set('Content-Security-Policy', csp);
  // The path (with its query), so the signed-in layout can send a signed-out visitor to sign-in and back here.
  requestHeaders.set('x-request-path', `${pathname}${req.nextUrl.search}`);
  const res = NextResponse.next({ request: { headers: requestHeaders } });
  res.headers.set('Content-Security-Policy', csp);
  return res;
}

export const config = {
  matcher: ['/((?!_next/static|_next/image|favicon.ico|robots.txt|fonts/).*)'],
};
