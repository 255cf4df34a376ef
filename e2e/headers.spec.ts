// Security headers as the browser receives them from the production build: a static, cacheable CSP on
// public pages, a fresh nonce CSP on dynamic pages, no framing, no sniffing, a referrer policy, session
// cookies HttpOnly + SameSite=Lax, and the language redirect on "/".
import { expect, test, type APIResponse } from '@playwright/test';
import { BASE_URL } from '../playwright.config';
import { signIn, uniqueEmail } from './helpers/auth';

test.use({ locale: 'en-US' });

function csp(res: APIResponse): string {
  const value = res.headers()['content-security-policy'];
  expect(value, `Content-Security-Policy on ${res.url()}`).toBeTruthy();
  return value!;
}

const directive = (policy: string, name: string) =>
  policy
    .split(';')
    .map((d) => d.trim())
    .find((d) => d.split(/\s+/)[0] === name);

function nonceOf(policy: string): string {
  const m = /'nonce-([A-Za-z0-9+/=_-]+)'/.exec(directive(policy, 'script-src') ?? '');
  expect(m, `a nonce in script-src of ${policy}`).not.toBeNull();
  return m![1]!;
}

function expectBaseline(res: APIResponse) {
  const h = res.headers();
  const policy = csp(res);
  expect(directive(policy, 'frame-ancestors')).toBe("frame-ancestors 'none'");
  expect(directive(policy, 'object-src')).toBe("object-src 'none'");
  expect(h['x-content-type-options']).toBe('nosniff');
  expect(h['referrer-policy']).toMatch(
    /^(no-referrer|same-origin|strict-origin|strict-origin-when-cross-origin)$/,
  );
  expect(h['x-frame-options']).toBe('DENY');
  // Exactly one policy: a second header would be combined by the browser, not replace the first.
  expect(res.headersArray().filter((x) => x.name.toLowerCase() === 'content-security-policy')).toHaveLength(
    1,
  );
}

test('public pages send one static CSP (no nonce), frame-ancestors none, nosniff and a referrer policy', async ({
  request,
}) => {
  for (const path of ['/en', '/hy', '/ru']) {
    const a = await request.get(path);
    const b = await request.get(path);
    expect(a.status()).toBe(200);
    expectBaseline(a);
    expect(csp(a), `${path} has a static policy`).not.toContain('nonce-');
    expect(csp(b)).toBe(csp(a));
  }
});

test('sign-in and signed-in pages get a nonce CSP that changes per request and matches the page scripts', async ({
  page,
}) => {
  await signIn(page, uniqueEmail('headers'));
  for (const path of ['/sign-in', '/sign-in/confirm', '/dashboard', '/settings']) {
    const a = await page.request.get(path, { maxRedirects: 0 });
    const b = await page.request.get(path, { maxRedirects: 0 });
    expect(a.status(), `${path} while signed in`).toBe(200);
    expectBaseline(a);
    const n1 = nonceOf(csp(a));
    const n2 = nonceOf(csp(b));
    expect(n1).not.toBe(n2);
    expect(directive(csp(a), 'script-src')).not.toContain("'unsafe-inline'");
    // Next.js puts the same nonce on its scripts (otherwise the page would not hydrate under this policy).
    const html = await a.text();
    expect(html).toContain(`nonce="${n1}"`);
    expect(a.headers()['cache-control'] ?? '').toMatch(/no-store|private/);
  }
});

test('the session cookie is HttpOnly and SameSite=Lax', async ({ page, context }) => {
  await signIn(page, uniqueEmail('cookie'));
  const cookies = await context.cookies();
  const session = cookies.find((c) => /(^|\.)session-token$/.test(c.name));
  expect(session, `a session cookie among ${cookies.map((c) => c.name).join(', ')}`).toBeTruthy();
  expect(session!.httpOnly).toBe(true);
  expect(session!.sameSite).toBe('Lax');
  expect(session!.path).toBe('/');
  // Every cookie Auth.js sets is HttpOnly.
  for (const c of cookies.filter(
    (c) => c.name.startsWith('authjs.') || c.name.startsWith('__Secure-') || c.name.startsWith('__Host-'),
  )) {
    expect(c.httpOnly, `${c.name} is HttpOnly`).toBe(true);
  }
});

test('"/" redirects to a language chosen by Accept-Language', async ({ playwright }) => {
  const cases: [string, string][] = [
    ['hy', '/hy'],
    ['hy-AM,hy;q=0.9,en;q=0.5', '/hy'],
    ['ru-RU,ru;q=0.9', '/ru'],
    ['de-DE,ru;q=0.5,en;q=0.8', '/en'],
    ['fr', '/en'],
  ];
  for (const [acceptLanguage, expected] of cases) {
    // A fresh context per case: no NEXT_LOCALE cookie carried over.
    const ctx = await playwright.request.newContext({
      baseURL: BASE_URL,
      extraHTTPHeaders: { 'accept-language': acceptLanguage },
    });
    const res = await ctx.get('/', { maxRedirects: 0 });
    expect(res.status(), acceptLanguage).toBeGreaterThanOrEqual(300);
    expect(res.status(), acceptLanguage).toBeLessThan(400);
    expect(new URL(res.headers()['location']!, 'http://x').pathname, acceptLanguage).toBe(expected);
    await ctx.dispose();
  }
});
