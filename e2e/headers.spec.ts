// Security headers as the browser receives them from the production build: a static, cacheable CSP on
// public pages, a fresh nonce CSP on dynamic pages, no framing, no sniffing, a referrer policy, session
// cookies HttpOnly + SameSite=Lax, and the language redirect on "/".
import { spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
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

// ---- the embed (R5): the only route other sites may frame ----

/** The e2e server's PostgreSQL (its launcher records the port beside the data directory). */
function e2eDatabaseUrl(): string {
  const dir = path.resolve(process.env.E2E_PG_DIR ?? '.data/e2e-pg');
  const port = fs
    .readFileSync(path.join(path.dirname(dir), `${path.basename(dir)}.undersigned-port`), 'utf8')
    .trim();
  return `postgres://postgres:postgres@127.0.0.1:${port}/undersigned`;
}

/** Publish a statement with `npm run import`'s script (its own process, the server's database); its public path. */
function importStatement(): { slug: string; title: string } {
  const tag = crypto.randomBytes(4).toString('hex');
  const title = `Embed test ${tag} «Հայտարարություն»`;
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'embed-')), 'statement.json');
  fs.writeFileSync(
    file,
    JSON.stringify({
      title,
      date: '2024-03-15',
      source_url: `https://example.org/embed-test/${tag}`,
      language: 'hy',
      body_text: 'Մենք կոչ ենք անում հրապարակել օրենքի նախագիծը։',
      signatories: [
        { name: '«Իրավունքի» կենտրոն', kind: 'organization', location: 'Երևան' },
        { name: 'Անի Պետրոսյան', kind: 'individual', role: 'իրավապաշտպան', joined_after_publication: true },
      ],
    }),
  );
  const key = crypto
    .generateKeyPairSync('ed25519')
    .privateKey.export({ format: 'der', type: 'pkcs8' })
    .toString('base64');
  const r = spawnSync(path.join('node_modules', '.bin', 'tsx'), ['scripts/import.ts', file], {
    env: {
      ...process.env,
      DATABASE_URL: e2eDatabaseUrl(),
      APP_URL: BASE_URL,
      RECORD_SIGNING_KEY: process.env.RECORD_SIGNING_KEY ?? key,
    },
    encoding: 'utf8',
  });
  expect(r.status, `import: ${r.stdout}\n${r.stderr}`).toBe(0);
  const m = /\/s\/([a-z0-9-]+)/.exec(r.stdout);
  expect(m, r.stdout).not.toBeNull();
  return { slug: m![1]!, title };
}

test.describe('the embed', () => {
  let statement: { slug: string; title: string };
  test.beforeAll(() => {
    statement = importStatement();
  });

  test('may be framed by any site (frame-ancestors *, no X-Frame-Options, static CSP, no cookie); every other route refuses framing', async ({
    request,
  }) => {
    for (const lang of ['en', 'hy', 'ru']) {
      const res = await request.get(`/embed/${lang}/${statement.slug}`);
      expect(res.status()).toBe(200);
      const policy = csp(res);
      expect(directive(policy, 'frame-ancestors')).toBe('frame-ancestors *');
      expect(policy).not.toContain('nonce-');
      expect(directive(policy, 'object-src')).toBe("object-src 'none'");
      expect(res.headers()['x-frame-options']).toBeUndefined();
      expect(res.headers()['x-content-type-options']).toBe('nosniff');
      expect(res.headers()['set-cookie']).toBeUndefined();
      expect(res.headers()['cache-control']).toBe('public, s-maxage=30, stale-while-revalidate=300');
      expect(
        res.headersArray().filter((x) => x.name.toLowerCase() === 'content-security-policy'),
      ).toHaveLength(1);
    }
    // The statement's own page, the data files, the feeds and the signed-in pages keep refusing (blocked twin).
    for (const p of [
      `/en/s/${statement.slug}`,
      `/hy/s/${statement.slug}`,
      `/data/${statement.slug}/record.json`,
      `/data/${statement.slug}/en/signatories.csv`,
      '/feeds/rss.xml',
      '/sign-in',
    ]) {
      const res = await request.get(p, { maxRedirects: 0 });
      expect(res.status(), p).toBe(200);
      expectBaseline(res);
    }
  });

  test('renders in an iframe on a page of another origin, where the public statement page is refused', async ({
    page,
  }) => {
    // Another site: a page served by the test itself on 127.0.0.1 (another origin and site than localhost; a real
    // loopback server, so Chromium's local-network checks treat both the same).
    const html = `<!doctype html><html lang="en"><title>Another site</title><h1>Another site</h1>
      <iframe id="embed" title="Embedded statement" src="${BASE_URL}/embed/en/${statement.slug}" width="600" height="500"></iframe>
      <iframe id="page" title="Framed page" src="${BASE_URL}/en/s/${statement.slug}" width="600" height="500"></iframe>`;
    const server = http.createServer((_req, res) =>
      res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' }).end(html),
    );
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const embedder = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    expect(new URL(embedder).origin).not.toBe(new URL(BASE_URL).origin);
    try {
      await page.goto(`${embedder}/`);
      const embed = page.frameLocator('#embed');
      await expect(embed.getByRole('heading', { level: 1 })).toHaveText(statement.title);
      await expect(embed.getByText('«Իրավունքի» կենտրոն')).toBeVisible();
      await expect(embed.getByText('Անի Պետրոսյան')).toBeVisible();
      const link = embed.getByRole('link', { name: /View on Undersigned/ });
      await expect(link).toHaveAttribute('href', `${BASE_URL}/en/s/${statement.slug}`);
      await expect(link).toHaveAttribute('target', '_blank');
      await expect(link).toHaveAttribute('rel', /noopener/);
      // The public page refuses to be framed: Chromium replaces it with its error page.
      const framed = await page.locator('#page').elementHandle();
      const frame = await framed!.contentFrame();
      await expect.poll(() => frame!.url()).toMatch(/^chrome-error:/);
      await expect(page.frameLocator('#page').getByRole('heading', { name: statement.title })).toHaveCount(0);
    } finally {
      server.close();
    }
  });
});
