// The public record's pages as visitors see them (issue 7): a statement imported with `npm run import` while the
// app runs lists exactly the file's signatories (names as printed, roles, groups, joined-later marks) in file order;
// the XSS corpus in titles, texts, organization names and roles goes through every public sink (statement page in
// two languages, archive, search, embed, organization page, verify page; feeds, JSON, CSV, PDF and the OG image as
// non-HTML types with the payloads escaped) with a script tripwire and a CSP-violation listener: zero executions;
// no e-mail address stored anywhere appears in any public output (I13); axe finds no violations.
import { spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import postgres from 'postgres';
import { XSS_INIT_SCRIPT, XSS_PAYLOADS } from '../lib/testing/xss-corpus';
import { BASE_URL } from '../playwright.config';
import { uniqueEmail } from './helpers/auth';
import { msg } from './helpers/catalog';
import { newSession } from './helpers/invitations';
import { callAction, expectAccepted, postSign, SAME_ORIGIN, seedFrozenStatement } from './helpers/registry';

test.use({ locale: 'en-US' });
test.describe.configure({ mode: 'serial', timeout: 240_000 });

const root = process.cwd();
const t = (key: string, values: Record<string, string> = {}) => msg('en', key, values);

function databaseUrl(): string {
  const dir = path.resolve(process.env.E2E_PG_DIR ?? '.data/e2e-pg');
  const port = fs.readFileSync(path.join(path.dirname(dir), `${path.basename(dir)}.undersigned-port`), 'utf8').trim();
  return `postgres://postgres:postgres@127.0.0.1:${port}/undersigned`;
}

/** `npm run import` as an operator runs it, against the running app's database; returns the printed URL. */
async function runImport(file: string, args: string[] = []): Promise<string> {
  const out = await new Promise<{ code: number | null; text: string }>((resolve) => {
    const child = spawn(path.join(root, 'node_modules', '.bin', 'tsx'), [path.join(root, 'scripts', 'import.ts'), file, ...args], {
      cwd: root,
      env: { ...process.env, DATABASE_URL: databaseUrl(), APP_URL: BASE_URL, NODE_ENV: 'production' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let text = '';
    child.stdout.on('data', (d) => (text += d));
    child.stderr.on('data', (d) => (text += d));
    child.on('close', (code) => resolve({ code, text }));
  });
  expect(out.code, out.text).toBe(0);
  const url = /(https?:\/\/\S+\/s\/[a-z0-9-]+)/.exec(out.text)?.[1];
  expect(url, out.text).toBeTruthy();
  return url!;
}

type Fixture = { title: string; signatories: { name: string; kind: string; role?: string | null; group?: string | null; joined_after_publication?: boolean | null }[] };
const OWN = path.join(root, 'db', 'fixtures', 'test', 'individuals-and-groups.json');

let ownUrl = '';
let xssSlug = '';
let xssOrgName = '';
let joinSlug = '';
const payloads = XSS_PAYLOADS.filter((p) => !p.bodyOnly);

test.beforeAll(async () => {
  ownUrl = await runImport(OWN);
  // Importing the same file again changes nothing and prints the same address.
  expect(await runImport(OWN)).toBe(ownUrl);
  const tag = crypto.randomBytes(4).toString('hex');
  xssOrgName = `${payloads[0]!.value} Org ${tag}`;
  const file = {
    title: `XSS ${tag} ${payloads.slice(0, 6).map((p) => p.value).join(' ')}`,
    title_en: `XSS ${tag} ${payloads.slice(6, 12).map((p) => p.value).join(' ')}`,
    date: '2025-05-05',
    language: 'hy',
    source_url: `https://example.org/xss/${tag}?a=<script>__xssHit('src')</script>`,
    body_text: payloads.map((p) => `Պարբերություն ${p.id}: ${p.value}`).join('\n\n'),
    signatories: [
      { name: xssOrgName, kind: 'organization', location: payloads[1]!.value, group: payloads[2]!.value },
      ...payloads.slice(3, 20).map((p, i) => ({ name: `${p.value} ${i}`, kind: i % 2 ? 'organization' : 'individual', role: i % 2 ? null : p.value, group: payloads[2]!.value })),
    ],
  };
  const tmp = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'xss-import-')), 'xss.json');
  fs.writeFileSync(tmp, JSON.stringify(file));
  xssSlug = new URL(await runImport(tmp, ['--order', 'alphabetical'])).pathname.split('/').pop()!;
});

test('an imported statement lists exactly the file’s signatories, names as printed, in file order', async ({ page }) => {
  const f = JSON.parse(fs.readFileSync(OWN, 'utf8')) as Fixture;
  const slug = new URL(ownUrl).pathname.split('/').pop()!;
  await page.goto(`/hy/s/${slug}`);
  await expect(page.getByRole('heading', { level: 1, name: f.title })).toBeVisible();
  const items = page.getByTestId('signatory-list').getByRole('listitem');
  await expect(items).toHaveCount(f.signatories.length);
  for (const [i, s] of f.signatories.entries()) {
    const item = items.nth(i);
    await expect(item).toContainText(s.name);
    if (s.role) await expect(item).toContainText(s.role);
    if (s.joined_after_publication) await expect(item).toContainText(msg('hy', 'publicStatement.joinedLater'));
  }
  for (const g of new Set(f.signatories.map((s) => s.group).filter(Boolean))) await expect(page.getByRole('heading', { name: g!, exact: true }).first()).toBeVisible();
  await expect(page.getByTestId('signatory-list')).toContainText(msg('hy', 'publicStatement.methodImportedNoSource'));
});

// ---- XSS through every public sink ----

async function assertNothingRan(page: Page, label: string) {
  await page.waitForLoadState('load');
  const r = await page.evaluate(() => {
    const w = window as unknown as { __xssHits?: string[]; __xssCsp?: string[] };
    const injected: string[] = [];
    for (const el of Array.from(document.querySelectorAll('*'))) {
      for (const a of Array.from(el.attributes)) {
        if (/^on/i.test(a.name)) injected.push(`<${el.tagName.toLowerCase()} ${a.name}>`);
        if (/^(href|src|action|formaction)$/i.test(a.name) && /^\s*(javascript|vbscript):/i.test(a.value)) injected.push(`<${el.tagName.toLowerCase()} ${a.name}=${a.value.slice(0, 40)}>`);
      }
      if (el.tagName === 'SCRIPT' && /^\s*(__xssHit|alert)\(/.test(el.textContent ?? '')) injected.push('<script>');
    }
    return { hits: w.__xssHits ?? null, csp: w.__xssCsp ?? null, injected };
  });
  expect(r.hits, `${label}: the tripwire is installed`).not.toBeNull();
  expect({ hits: r.hits, csp: r.csp, injected: r.injected }, label).toEqual({ hits: [], csp: [], injected: [] });
}

test('the XSS corpus in titles, texts, organization names and roles runs nowhere', async ({ page, request }) => {
  const dialogs: string[] = [];
  page.on('dialog', (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
  await page.addInitScript(XSS_INIT_SCRIPT);
  const pages = [
    `/hy/s/${xssSlug}`,
    `/en/s/${xssSlug}`,
    '/en',
    `/en/archive?q=${encodeURIComponent('XSS')}`,
    `/embed/hy/${xssSlug}`,
    `/embed/en/${xssSlug}`,
  ];
  for (const p of pages) {
    await page.goto(p);
    await assertNothingRan(page, p);
  }
  // The statement page shows the payloads as text.
  await page.goto(`/hy/s/${xssSlug}`);
  await expect(page.getByTestId('statement-text')).toContainText(payloads[0]!.value);
  await expect(page.getByTestId('signatory-list')).toContainText(xssOrgName);
  // The organization page of the imported organization (name from the corpus).
  const orgHref = await page.getByTestId('signatory-list').getByRole('link').first().getAttribute('href').catch(() => null);
  if (orgHref && orgHref.includes('/orgs/')) {
    await page.goto(orgHref);
    await assertNothingRan(page, orgHref);
  }
  // The verify page with the pasted record.
  const record = await (await request.get(`/data/${xssSlug}/record.json`)).text();
  await page.goto('/en/verify');
  await page.getByLabel(t('verify.recordLabel')).fill(record);
  await page.getByRole('button', { name: t('verify.submit') }).click();
  await expect(page.getByRole('status').filter({ hasText: t('verify.hash') })).toContainText(t('verify.hashOk'));
  await assertNothingRan(page, 'verify page');
  expect(dialogs).toEqual([]);

  // Non-HTML outputs: their types, and the payloads escaped in the XML feeds.
  const types: [string, RegExp][] = [
    ['/feeds/rss.xml', /^application\/rss\+xml/],
    ['/feeds/atom.xml', /^application\/atom\+xml/],
    ['/feeds/lang/hy/rss.xml', /^application\/rss\+xml/],
    [`/data/${xssSlug}/record.json`, /^application\/json/],
    [`/data/${xssSlug}/records/1`, /^application\/json/],
    [`/data/${xssSlug}/hy/signatories.csv`, /^text\/csv/],
    [`/data/${xssSlug}/hy/statement.pdf`, /^application\/pdf/],
  ];
  for (const [u, type] of types) {
    const r = await request.get(u);
    expect(r.status(), u).toBe(200);
    expect(r.headers()['content-type'], u).toMatch(type);
    expect(r.headers()['x-content-type-options'], u).toBe('nosniff');
  }
  const rss = await (await request.get('/feeds/rss.xml')).text();
  expect(rss).not.toContain('<script>__xssHit');
  expect(rss).toContain('&lt;script&gt;');
  // The Open Graph image is an image.
  const html = await (await request.get(`/hy/s/${xssSlug}`)).text();
  const og = /<meta property="og:image" content="([^"]+)"/.exec(html)?.[1];
  expect(og).toBeTruthy();
  const img = await request.get(new URL(og!).pathname);
  expect(img.status()).toBe(200);
  expect(img.headers()['content-type']).toMatch(/^image\/png/);
});

test('no e-mail address stored anywhere appears in any public output (I13)', async ({ browser, request }) => {
  // A statement with a member signature and an unconfirmed join request, so there are addresses to leak.
  const tag = crypto.randomBytes(4).toString('hex');
  const initiator = await newSession(browser, uniqueEmail('privacy'));
  const { orgId, statementId } = await seedFrozenStatement(initiator.ctx.request, BASE_URL, tag);
  expect((await postSign(initiator.ctx.request, BASE_URL, statementId, { orgId, version: 1 }, SAME_ORIGIN)).res.status()).toBe(201);
  const slug = `privacy-${tag}`;
  expectAccepted(
    await callAction(
      initiator.ctx.request,
      BASE_URL,
      'app/_actions/publishing.ts#publishStatementAction',
      { json: [{ statementId, slug, displayDate: '2026-10-10', listOrder: 'joined', joinUntil: new Date(Date.now() + 86_400_000).toISOString() }] },
      SAME_ORIGIN,
    ),
  );
  await initiator.ctx.close();
  joinSlug = slug;

  const sql = postgres(databaseUrl(), { max: 1, onnotice: () => {} });
  try {
    const emails = new Set<string>();
    for (const r of await sql<{ e: string }[]>`SELECT lower(email) AS e FROM users UNION SELECT lower(email) FROM join_requests UNION SELECT lower(email) FROM statement_invitations WHERE email IS NOT NULL`) emails.add(r.e);
    expect(emails.size).toBeGreaterThan(0);
    const slugs = (await sql<{ slug: string }[]>`SELECT slug FROM publications`).map((r) => r.slug);
    const orgSlugs = (await sql<{ slug: string }[]>`SELECT o.slug FROM organizations o WHERE EXISTS (SELECT 1 FROM signatures s WHERE s.org_id = o.id)`).map((r) => r.slug);
    const urls = ['/en', '/hy', '/en/archive', '/feeds/rss.xml', '/feeds/atom.xml', '/feeds/lang/hy/atom.xml', '/feeds/lang/en/rss.xml', '/.well-known/undersigned-keys.json'];
    for (const s of slugs) urls.push(`/en/s/${s}`, `/embed/en/${s}`, `/data/${s}/record.json`, `/data/${s}/en/signatories.csv`, `/data/${s}/records/1`);
    for (const o of orgSlugs.slice(0, 20)) urls.push(`/en/orgs/${o}`, `/feeds/org/${o}/rss.xml`);
    let checked = 0;
    for (const u of urls) {
      const r = await request.get(u);
      if (r.status() !== 200) continue;
      const body = (await r.text()).toLowerCase();
      for (const e of emails) expect(body.includes(e), `${u} contains ${e}`).toBe(false);
      checked++;
    }
    expect(checked).toBeGreaterThan(slugs.length * 4);
  } finally {
    await sql.end();
  }
});

/** The feeds a page's head advertises: `<link rel="alternate">` of an RSS or Atom type, as [type, path, title]. */
function advertisedFeeds(html: string): [string, string, string][] {
  const head = html.slice(0, html.indexOf('</head>'));
  return [...head.matchAll(/<link\s[^>]*>/g)].flatMap(([tag]) => {
    const attr = (name: string) => new RegExp(`\\s${name}="([^"]*)"`).exec(tag)?.[1] ?? '';
    const type = attr('type');
    if (attr('rel') !== 'alternate' || !/^application\/(rss|atom)\+xml$/.test(type)) return [];
    return [[type, new URL(attr('href').replace(/&amp;/g, '&'), BASE_URL).pathname, attr('title')] as [string, string, string]];
  });
}

test('feeds are advertised in the heads of the statement page, the organization page and a filtered archive; each answers', async ({ browser, request }) => {
  const tag = crypto.randomBytes(4).toString('hex');
  const initiator = await newSession(browser, uniqueEmail('feeds'));
  const { orgId, statementId } = await seedFrozenStatement(initiator.ctx.request, BASE_URL, tag);
  expect((await postSign(initiator.ctx.request, BASE_URL, statementId, { orgId, version: 1 }, SAME_ORIGIN)).res.status()).toBe(201);
  const slug = `feeds-${tag}`;
  expectAccepted(
    await callAction(initiator.ctx.request, BASE_URL, 'app/_actions/publishing.ts#publishStatementAction', { json: [{ statementId, slug, displayDate: '2026-10-12', listOrder: 'joined' }] }, SAME_ORIGIN),
  );
  await initiator.ctx.close();
  const sql = postgres(databaseUrl(), { max: 1, onnotice: () => {} });
  const orgSlug = (await sql<{ slug: string }[]>`SELECT slug FROM organizations WHERE id = ${orgId}`.finally(() => sql.end()))[0]!.slug;

  const pages: [string, string[]][] = [
    // The statement (written in Armenian): every statement, and its language.
    [`/en/s/${slug}`, ['/feeds/rss.xml', '/feeds/lang/hy/rss.xml']],
    // Its initiator's page: every statement, and the organization's.
    [`/en/orgs/${orgSlug}`, ['/feeds/rss.xml', `/feeds/org/${orgSlug}/rss.xml`]],
    // The archive filtered by a language, and the home page.
    ['/en/archive?language=hy', ['/feeds/rss.xml', '/feeds/lang/hy/rss.xml']],
    ['/en', ['/feeds/rss.xml']],
  ];
  for (const [url, rss] of pages) {
    const res = await request.get(url);
    expect(res.status(), url).toBe(200);
    const feeds = advertisedFeeds(await res.text());
    expect(feeds.filter(([type]) => type === 'application/rss+xml').map(([, p]) => p), url).toEqual(rss);
    expect(feeds.filter(([type]) => type === 'application/atom+xml').map(([, p]) => p), url).toEqual(rss.map((p) => p.replace('rss.xml', 'atom.xml')));
    for (const [type, p, title] of feeds) {
      expect(title, `${url}: ${p} has a title`).toMatch(/\((RSS|Atom)\)$/);
      const feed = await request.get(p);
      expect(feed.status(), p).toBe(200);
      expect(feed.headers()['content-type'], p).toContain(type);
    }
  }
  // The statement is in the feeds its page and its organization's page advertise.
  for (const p of ['/feeds/lang/hy/rss.xml', `/feeds/org/${orgSlug}/atom.xml`]) expect(await (await request.get(p)).text(), p).toContain(`/s/${slug}`);
  // And the page shows them as links too.
  const html = await (await request.get(`/en/s/${slug}`)).text();
  expect(html).toContain('href="/feeds/lang/hy/atom.xml"');
});

test('axe: statement page, archive, search, embed, verify and join pages', async ({ page }) => {
  const slug = new URL(ownUrl).pathname.split('/').pop()!;
  const targets = [`/hy/s/${slug}`, `/en/s/${slug}`, '/en', '/hy/archive?q=%D5%AD%D5%B8%D5%BD%D6%84%D5%AB', `/embed/hy/${slug}`, '/en/verify', `/ru/s/${xssSlug}`, ...(joinSlug ? [`/join/${joinSlug}`] : [])];
  for (const url of targets) {
    for (const viewport of [
      { width: 1280, height: 800 },
      { width: 390, height: 844 },
    ]) {
      await page.setViewportSize(viewport);
      await page.goto(url);
      const { violations } = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']).analyze();
      expect(
        violations.map((v) => ({ rule: v.id, nodes: v.nodes.slice(0, 3).map((n) => n.target.join(' ')) })),
        `axe on ${url} at ${viewport.width}px`,
      ).toEqual([]);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      expect(overflow, `${url} scrolls sideways at ${viewport.width}px`).toBeLessThanOrEqual(0);
    }
    fs.mkdirSync('test-results/screenshots', { recursive: true });
    await page.screenshot({ path: `test-results/screenshots/public-${url.replace(/[^a-z0-9]+/gi, '_')}.png`, fullPage: true });
  }
});
