// Request decoration only — never authorization (SECURITY.md I1): redirects "/" to a language, and gives
// dynamic (signed-in and flow) pages a per-request CSP nonce. Public /[lang] pages keep the static policy.
import { NextResponse, type NextRequest } from 'next/server';
import { nonceCsp } from './lib/csp';
import { isLocale, localeFromAcceptLanguage } from './lib/i18n';

export function proxy(req: NextRequest) {
  const { pathname } = req.nextUrl;
  if (pathname === '/') {
    const c = req.cookies.get('NEXT_LOCALE')?.value;
    const lang = isLocale(c) ? c : localeFromAcceptLanguage(req.headers.get('accept-language'));
    return NextResponse.redirect(new URL(`/${lang}`, req.url));
  }
  const first = pathname.split('/')[1];
  if (isLocale(first) || pathname.startsWith('/api/')) return NextResponse.next();

  const nonce = Buffer.from(crypto.getRandomValues(new Uint8Array(16))).toString('base64');
  const csp = nonceCsp(nonce, process.env.NODE_ENV !== 'production');
  const requestHeaders = new Headers(req.headers);
  requestHeaders.set('x-nonce', nonce);
  requestHeaders.set('Content-Security-Policy', csp);
  const res = NextResponse.next({ request: { headers: requestHeaders } });
  res.headers.set('Content-Security-Policy', csp);
  return res;
}

export const config = {
  matcher: ['/((?!_next/static|_next/image|favicon.ico|robots.txt|fonts/).*)'],
};
