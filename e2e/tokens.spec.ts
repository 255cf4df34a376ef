// Magic links as a mail scanner and an attacker see them: GET and HEAD consume nothing (the Auth.js callback
// answers 405 to GET), the link works once by POST from the confirmation page, and a used link and an unknown
// token get exactly the same answer.
import crypto from 'node:crypto';
import { expect, test, type APIRequestContext } from '@playwright/test';
import { BASE_URL } from '../playwright.config';
import { confirmLink, mailboxLinkFor, parseLink, requestLink, uniqueEmail } from './helpers/auth';
import { msg } from './helpers/catalog';

test.use({ locale: 'en-US' });

/** What the confirmation page does, by hand: POST the fragment's token in the body, from our own origin. */
async function postConfirm(request: APIRequestContext, token: string, email: string) {
  const res = await request.post('/api/auth/confirm', {
    headers: { origin: BASE_URL, 'content-type': 'application/json' },
    data: { token, email, next: '/dashboard' },
    maxRedirects: 0,
  });
  return { status: res.status(), body: await res.text(), setCookie: res.headers()['set-cookie'] ?? '' };
}

test('GET and HEAD on a sign-in link consume nothing; the link works once by POST; used and unknown tokens get one answer', async ({
  page,
  request,
  browser,
}) => {
  const email = uniqueEmail('tokens');
  await requestLink(page, email);
  const link = await mailboxLinkFor(page, email);
  const { url, token, email: linkEmail } = parseLink(link);
  expect(url.pathname).toBe('/sign-in/confirm');
  expect(url.search).toBe(''); // the token is only in the fragment, which browsers never send
  expect(token).toMatch(/^[0-9a-f]{64}$/); // 256 bits
  expect(linkEmail).toBe(email);

  // A mail scanner opening the link: the page loads and nothing is consumed.
  for (const method of ['GET', 'HEAD'] as const) {
    const res = await request.fetch(link, { method, maxRedirects: 0 });
    expect(res.status(), `${method} ${url.pathname}`).toBe(200);
    expect(res.headers()['set-cookie'] ?? '', `${method} sets no session`).not.toContain('session-token');
  }
  // The same token on Auth.js's own callback, in the query string: refused without being consumed.
  const callback = `/api/auth/callback/email?${new URLSearchParams({ token, email, callbackUrl: `${BASE_URL}/dashboard` })}`;
  for (const method of ['GET', 'HEAD', 'POST'] as const) {
    const res = await request.fetch(callback, { method, maxRedirects: 0, headers: { origin: BASE_URL } });
    expect(res.status(), `${method} /api/auth/callback/email`).toBe(405);
    expect(res.headers()['set-cookie'] ?? '').not.toContain('session-token');
  }
  const getConfirm = await request.get('/api/auth/confirm', { maxRedirects: 0 });
  expect(getConfirm.status()).toBe(405);

  // The confirmation page itself never leaks its URL through the Referer header.
  const confirmPage = await page.goto(link);
  expect(confirmPage?.headers()['referrer-policy']).toBe('no-referrer');

  // The link still works, by POST from the confirmation page.
  await confirmLink(page, link);
  await expect(page.getByRole('heading', { level: 1, name: msg('en', 'dashboard.title') })).toBeVisible();

  // Used: refused. Unknown (a well-formed random token for the same address): the very same answer.
  const used = await postConfirm(request, token, email);
  const unknown = await postConfirm(request, crypto.randomBytes(32).toString('hex'), email);
  expect(used.status).toBeGreaterThanOrEqual(400);
  expect(used.status).toBeLessThan(500);
  expect(used.setCookie).not.toContain('session-token');
  expect(unknown).toEqual(used);
  // …and for an address that never asked for a link.
  const stranger = await postConfirm(
    request,
    crypto.randomBytes(32).toString('hex'),
    uniqueEmail('stranger'),
  );
  expect(stranger).toEqual(used);

  // A used link opened in another browser shows the refusal, and signs nobody in.
  const other = await browser.newContext({ locale: 'en-US' });
  const otherPage = await other.newPage();
  await otherPage.goto(link);
  await otherPage.getByRole('button', { name: msg('en', 'signIn.confirmButton') }).click();
  await expect(otherPage.getByRole('main').getByRole('alert')).toHaveText(msg('en', 'signIn.linkInvalid'));
  await otherPage.goto('/dashboard');
  await expect(otherPage).toHaveURL(/\/sign-in(\?.*)?$/);
  await other.close();
});

test('a confirmation page without a fragment asks for the link again and sends nothing', async ({ page }) => {
  const posts: string[] = [];
  page.on('request', (r) => {
    if (r.method() === 'POST') posts.push(r.url());
  });
  const res = await page.goto('/sign-in/confirm');
  expect(res?.headers()['referrer-policy']).toBe('no-referrer');
  await expect(page.getByRole('main').getByRole('alert')).toHaveText(msg('en', 'signIn.confirmMissing'));
  await expect(page.getByRole('link', { name: msg('en', 'signIn.requestNew') })).toBeVisible();
  expect(posts).toEqual([]);
});
