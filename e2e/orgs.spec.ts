// Organizations in a real browser against the production build, as new users would use them:
// A signs in and creates an organization, invites B; B signs in from the development mailbox, opens the
// invitation link and joins; A makes B an admin; B edits the profile and uploads a logo but cannot change the
// signing policy (the radio group is disabled, and the server refuses a forged call); A can. The public page
// and the directory show the result. Axe (WCAG 2.2 AA rule set) and phone screenshots on every new page.
// Then the XSS corpus in every organization text field, rendered on the management page, the dashboard, the
// directory and the public page: zero executions.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import {
  expect,
  test,
  type APIRequestContext,
  type Browser,
  type BrowserContext,
  type Page,
} from '@playwright/test';
import sharp from 'sharp';
import { XSS_INIT_SCRIPT, XSS_PAYLOADS } from '../lib/testing/xss-corpus';
import { recordFigure } from '../lib/testing/figures';
import { BASE_URL } from '../playwright.config';
import { mailboxMessages, mailboxUrl, signIn, uniqueEmail } from './helpers/auth';
import { msg } from './helpers/catalog';

test.use({ locale: 'en-US' });

const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];
const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1280, height: 800 };
const SHOTS = path.join('test-results', 'screenshots');
const t = (key: string, values?: Record<string, string>) => msg('en', key, values);
const tag = crypto.randomBytes(3).toString('hex');

// ---- helpers ----

async function expectNoViolations(page: Page, label: string) {
  const builder = new AxeBuilder({ page }).withTags(WCAG_TAGS);
  const { violations } = await builder.analyze();
  const summary = violations.map((v) => ({
    rule: v.id,
    impact: v.impact,
    nodes: v.nodes
      .slice(0, 5)
      .map((n) => `${n.target.join(' ')} — ${n.failureSummary?.split('\n').slice(1).join(' ')}`),
  }));
  expect(summary, `axe violations on ${label}`).toEqual([]);
}

/** Axe on a laptop and a phone, no sideways scrolling on the phone, and a phone screenshot to look at. */
async function checkPage(page: Page, name: string, ready: () => Promise<void>) {
  const before = page.viewportSize();
  await page.setViewportSize(DESKTOP);
  await ready();
  await expectNoViolations(page, `${name} (desktop)`);
  await page.setViewportSize(PHONE);
  await ready();
  await expectNoViolations(page, `${name} (phone)`);
  const overflow = await page.evaluate(() => {
    const w = document.documentElement.clientWidth;
    const culprits = Array.from(document.querySelectorAll('body *'))
      .filter((el) => el.getBoundingClientRect().right > w + 0.5)
      .slice(-5)
      .map(
        (el) =>
          `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''}.${String(el.getAttribute('class') ?? '')
            .split(' ')
            .slice(0, 4)
            .join('.')} → ${Math.round(el.getBoundingClientRect().right)}px`,
      );
    return { by: document.documentElement.scrollWidth - w, culprits };
  });
  expect(overflow, `${name} scrolls sideways on a phone`).toEqual({ by: 0, culprits: [] });
  fs.mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SHOTS, `orgs-${name}.png`), fullPage: true });
  if (before) await page.setViewportSize(before);
}

/** The newest member-invitation link mailed to `email` (the relay delivers within a poll interval). */
async function invitationLinkFor(page: Page, email: string): Promise<string> {
  let link = '';
  await expect(async () => {
    await page.goto(mailboxUrl(email));
    const links = mailboxMessages(page, email).getByRole('link', { name: /\/invite\/member#t=/ });
    const hrefs = (await links.evaluateAll((els) => els.map((a) => a.getAttribute('href') ?? ''))).filter(
      Boolean,
    );
    expect(hrefs.length, `an invitation for ${email} in the development mailbox`).toBeGreaterThan(0);
    link = hrefs[0]!;
  }).toPass({ timeout: 20_000 });
  expect(link).toMatch(/^http:\/\/localhost:\d+\/invite\/member#t=[A-Za-z0-9_-]{43}$/);
  return link;
}

// Calling a server action over HTTP the way React's client does (ids from the build's manifest). Used for
// the forged policy change (the UI offers no control for it) and to create the XSS organizations quickly.
type Manifest = { node: Record<string, { filename: string; exportedName: string }> };
let manifest: Manifest | null = null;
function actionId(name: string, file = 'app/_actions/orgs.ts'): string {
  manifest ??= JSON.parse(
    fs.readFileSync(path.join('.next', 'server', 'server-reference-manifest.json'), 'utf8'),
  ) as Manifest;
  const found = Object.entries(manifest.node).filter(
    ([, v]) => v.filename === file && v.exportedName === name,
  );
  if (found.length !== 1)
    throw new Error(`${file}#${name}: ${found.length} manifest entries (run \`npx next build\`)`);
  return found[0]![0];
}
// `connection: close`: a fresh socket per call, never a kept-alive one the server is just closing (ECONNRESET).
const sameOrigin = {
  origin: BASE_URL,
  'sec-fetch-site': 'same-origin',
  accept: 'text/x-component',
  connection: 'close',
};
/** A direct call `action(input)`; strings that start with `$` are escaped as React's encodeReply does. */
async function callJson(
  request: APIRequestContext,
  pagePath: string,
  name: string,
  input: Record<string, unknown>,
) {
  const body = JSON.stringify([input], (_k, v: unknown) =>
    typeof v === 'string' && v.startsWith('$') ? `$${v}` : v,
  );
  const res = await request.post(pagePath, {
    headers: { ...sameOrigin, 'next-action': actionId(name), 'content-type': 'text/plain;charset=UTF-8' },
    data: body,
    maxRedirects: 0,
  });
  return { res, text: await res.text() };
}
/** A form action through useActionState: (prevState = null, FormData). */
async function callForm(
  request: APIRequestContext,
  pagePath: string,
  name: string,
  fields: Record<string, string>,
) {
  const multipart = new FormData();
  for (const [k, v] of Object.entries(fields)) multipart.append(`_1_${k}`, v);
  multipart.append('0', '[null,"$K1"]');
  const res = await request.post(pagePath, {
    headers: { ...sameOrigin, 'next-action': actionId(name) },
    multipart,
    maxRedirects: 0,
  });
  return { res, text: await res.text() };
}

// ---- the journey ----

test.describe.serial('organizations: the journey of two new users', () => {
  const emailA = uniqueEmail('org-owner');
  const emailB = uniqueEmail('org-admin');
  const nameEn = `Civic Lab ${tag}`;
  const nameHy = `Քաղաքացիական լաբորատորիա ${tag}`;
  const word = tag; // a word of the English name, for the directory search
  let slug = '';
  let orgId = '';
  let browser: Browser;
  let ctxA: BrowserContext;
  let ctxB: BrowserContext;
  let a: Page;
  let b: Page;
  const logoPath = path.join('test-results', 'orgs-logo.png');

  test.beforeAll(async ({ browser: br }) => {
    browser = br;
    ctxA = await browser.newContext({ locale: 'en-US' });
    ctxB = await browser.newContext({ locale: 'en-US' });
    a = await ctxA.newPage();
    b = await ctxB.newPage();
    fs.mkdirSync('test-results', { recursive: true });
    // A 600×400 PNG with a gradient (resized to 512 on upload).
    const raw = Buffer.alloc(600 * 400 * 3);
    for (let i = 0; i < 600 * 400; i++) raw.set([(i % 600) >> 2, (i / 600) >> 1, 160], i * 3);
    await sharp(raw, { raw: { width: 600, height: 400, channels: 3 } })
      .png()
      .toFile(logoPath);
  });
  test.afterAll(async () => {
    await ctxA?.close();
    await ctxB?.close();
  });

  test('A signs in and creates an organization from the dashboard', async () => {
    await signIn(a, emailA);
    await a.getByRole('link', { name: t('dashboard.createOrg') }).click();
    await expect(a).toHaveURL(/\/manage\/orgs\/new$/);
    await checkPage(a, 'new', async () => {
      await expect(a.getByRole('heading', { level: 1, name: t('orgs.newTitle') })).toBeVisible();
    });
    await a.getByLabel(t('orgs.fieldName'), { exact: true }).fill(nameHy);
    await a.getByLabel(t('orgs.fieldNameEn')).fill(nameEn);
    await a.getByLabel(t('orgs.fieldCity')).fill('Yerevan');
    await a.getByLabel(t('orgs.fieldCountry')).fill('Armenia');
    await a.getByRole('button', { name: t('orgs.create') }).click();
    // The slug comes from the English name, in readable ASCII.
    await expect(a).toHaveURL(new RegExp(`/manage/orgs/civic-lab-${tag}$`));
    slug = `civic-lab-${tag}`;
    await expect(a.getByRole('heading', { level: 1, name: nameHy })).toBeVisible();
    await expect(a.getByText(t('orgs.yourRole', { role: t('roles.owner') }))).toBeVisible();
    orgId = (await a.locator('form input[type="hidden"][name="orgId"]').first().inputValue())!;
    expect(orgId).toMatch(/^[0-9a-f-]{36}$/);
    // Someone looks at the public page now, so the cached copy predates the edits below (which must refresh it).
    const anon = await browser.newContext({ locale: 'en-US' });
    const p = await anon.newPage();
    await p.goto(`/en/orgs/${slug}`);
    await expect(p.getByRole('heading', { level: 1, name: nameEn })).toBeVisible();
    await expect(p.getByRole('article').locator('img[src^="/api/files/"]')).toHaveCount(0);
    await anon.close();
  });

  test('A invites B by e-mail', async () => {
    await a.getByLabel(t('orgs.inviteEmail')).fill(emailB);
    await a.getByRole('button', { name: t('orgs.sendInvitation') }).click();
    await expect(a.getByRole('status').filter({ hasText: t('orgs.invited') })).toBeVisible();
    await a.reload();
    await checkPage(a, 'manage-invited', async () => {
      await expect(a.getByText(emailB, { exact: true })).toBeVisible(); // among the pending invitations
    });
  });

  test('B signs in from the development mailbox, opens the invitation link and joins', async () => {
    await signIn(b, emailB);
    const link = await invitationLinkFor(b, emailB);
    await b.goto(link);
    await expect(b).toHaveURL(/\/invite\/member$/); // the token left the address bar
    await expect(b.getByText(t('invite.body', { org: nameHy, role: t('roles.member') }))).toBeVisible();
    await checkPage(b, 'invite-member', async () => {
      await expect(b.getByRole('button', { name: t('invite.accept') })).toBeVisible();
    });
    await b.getByRole('button', { name: t('invite.accept') }).click();
    await expect(b).toHaveURL(new RegExp(`/manage/orgs/${slug}$`));
    await expect(b.getByRole('heading', { level: 1, name: nameHy })).toBeVisible();
    await expect(b.getByText(t('orgs.yourRole', { role: t('roles.member') }))).toBeVisible();
    await expect(b.getByText(t('orgs.profileAdminsOnly'))).toBeVisible();
  });

  test('A (owner) makes B an admin', async () => {
    await a.reload();
    await a.getByLabel(t('orgs.roleFor', { name: emailB })).selectOption('admin');
    await expect(a.getByRole('status').filter({ hasText: t('orgs.roleChanged') })).toBeVisible();
  });

  test('B (admin) edits the profile and uploads a logo', async () => {
    await b.reload();
    await expect(b.getByText(t('orgs.yourRole', { role: t('roles.admin') }))).toBeVisible();
    await b.getByLabel(t('orgs.fieldWebsite')).fill('https://civic-lab.example');
    await b
      .getByLabel(t('orgs.fieldDescription'))
      .fill('We test how joint statements are made.\nSecond line.');
    await b.getByRole('button', { name: t('orgs.saveProfile') }).click();
    await expect(b.getByRole('status').filter({ hasText: t('orgs.saved') })).toBeVisible();

    await b.getByLabel(t('orgs.logoLabel'), { exact: true }).setInputFiles(logoPath);
    await b.getByRole('button', { name: t('orgs.uploadLogo') }).click();
    await expect(b.getByRole('status').filter({ hasText: t('orgs.logoSaved') })).toBeVisible();
    const logo = b.getByRole('img', { name: t('orgs.logoAlt', { name: nameHy }) });
    await expect(logo).toBeVisible();
    await expect
      .poll(() => logo.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth))
      .toBe(512);
  });

  test('B cannot change the signing policy: the radio group is disabled and the server refuses', async () => {
    await expect(b.getByText(t('orgs.policyOwnersOnly'))).toBeVisible();
    await expect(b.getByRole('radio', { name: t('orgs.policyAdmins') })).toBeDisabled();
    await expect(b.getByRole('radio', { name: t('orgs.policyMembers') })).toBeDisabled();
    await expect(b.getByRole('radio', { name: t('orgs.policyAdmins') })).toBeChecked();
    await expect(b.getByRole('button', { name: t('orgs.savePolicy') })).toHaveCount(0);
    // A forged call with B's session: refused by the domain function, nothing changes.
    const forged = await callJson(b.request, `/manage/orgs/${slug}`, 'setSigningPolicyAction', {
      orgId,
      policy: 'members',
    });
    expect(forged.res.status()).toBeLessThan(500);
    expect(forged.text).toContain('"code":"FORBIDDEN"');
    await b.reload();
    await expect(b.getByRole('radio', { name: t('orgs.policyAdmins') })).toBeChecked();
  });

  test('A (owner) changes the signing policy', async () => {
    await a.reload();
    await a.getByRole('radio', { name: t('orgs.policyMembers') }).check();
    await a.getByRole('button', { name: t('orgs.savePolicy') }).click();
    await expect(a.getByRole('status').filter({ hasText: t('orgs.saved') })).toBeVisible();
    await a.reload();
    await expect(a.getByRole('radio', { name: t('orgs.policyMembers') })).toBeChecked();
    await checkPage(a, 'manage', async () => {
      await expect(a.getByRole('heading', { level: 1, name: nameHy })).toBeVisible();
      await expect(a.getByRole('img', { name: t('orgs.logoAlt', { name: nameHy }) })).toBeVisible();
    });
  });

  test('the public page shows the name, the logo and "Unverified"; the directory finds it', async () => {
    // Up to a minute for the regenerated page (below), then the checks, screenshots and the directory: the default
    // 60 s for the whole test ran out in a CI run where the regeneration alone took most of it.
    test.setTimeout(180_000);
    const anon = await browser.newContext({ locale: 'en-US' });
    const p = await anon.newPage();
    try {
      // The page was cached before the edits; the edits revalidated it (served fresh within a visit or two).
      await expect(async () => {
        await p.goto(`/en/orgs/${slug}`);
        await expect(p.getByRole('link', { name: 'https://civic-lab.example' })).toBeVisible({
          timeout: 1000,
        });
        await expect(p.getByRole('article').locator('img[src^="/api/files/"]')).toBeVisible({
          timeout: 1000,
        });
        // Stale-while-revalidate: a visit may get the old page and trigger the regeneration; on a loaded 2-core CI
        // machine regeneration has taken over 20 s (it passed in 11 s alone), hence the generous bound.
      }).toPass({ timeout: 60_000 });
      await expect(p.getByRole('heading', { level: 1, name: nameEn })).toBeVisible();
      await expect(p.getByText(nameHy, { exact: true })).toBeVisible(); // the name as registered
      await expect(p.getByText(t('orgs.unverified'), { exact: true })).toBeVisible();
      await expect(p.getByText(t('orgPage.unverifiedHint'))).toBeVisible();
      await expect(p.getByRole('link', { name: 'https://civic-lab.example' })).toHaveAttribute(
        'rel',
        /noopener/,
      );
      await expect(p.getByText('We test how joint statements are made.')).toBeVisible();
      // The logo is decorative beside the written name (alt=""), so it is found by its source.
      const logo = p.getByRole('article').locator('img[src^="/api/files/"]');
      await expect(logo).toBeVisible();
      await expect
        .poll(() => logo.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth))
        .toBe(512);
      // No e-mail address on a public page (I13).
      const html = await p.content();
      expect(html).not.toContain(emailA);
      expect(html).not.toContain(emailB);
      await checkPage(p, 'public', async () => {
        await expect(p.getByRole('heading', { level: 1, name: nameEn })).toBeVisible();
      });

      await p.goto('/en/orgs');
      await p.getByRole('searchbox', { name: t('directory.searchLabel') }).fill(word);
      await p.getByRole('button', { name: t('directory.search') }).click();
      await expect(p).toHaveURL(new RegExp(`/en/orgs\\?q=${word}$`));
      const hit = p.getByRole('link', { name: nameEn });
      await expect(hit).toHaveAttribute('href', `/en/orgs/${slug}`);
      await checkPage(p, 'directory', async () => {
        await expect(p.getByRole('link', { name: nameEn })).toBeVisible();
      });
      // …and by a word of the Armenian name, in Armenian.
      await p.goto(`/hy/orgs?q=${encodeURIComponent('լաբորատորիա')}`);
      await expect(p.getByRole('link', { name: nameHy })).toBeVisible();
    } finally {
      await anon.close();
    }
  });
});

// ---- XSS: the corpus in every organization text field ----

test.describe.serial('XSS corpus in every organization field', () => {
  const SINKS = ['management page', 'dashboard', 'directory', 'public page'] as const;
  type Sink = (typeof SINKS)[number];
  const LIMITS = { name: 200, names: 200, city: 120, country: 120, description: 2000, title: 120 };
  const xtag = `x${tag}`;
  const perSink = new Map<Sink, Set<string>>(SINKS.map((s) => [s, new Set<string>()]));
  const executions: string[] = [];
  const stored = new Set<string>();
  const orgs: { id: string; slug: string; payloadId: string }[] = [];
  let ctx: BrowserContext;
  let page: Page;
  let email = '';

  const nameOk = (v: string) => {
    const s = v.trim();
    return s.length >= 2 && s.length <= LIMITS.name && !/^[=+\-@]/.test(s) && !/https?:\/\/|www\./i.test(s);
  };
  const fits = (v: string, max: number) => v.trim().length > 0 && v.trim().length <= max;

  test.beforeAll(async ({ browser }) => {
    ctx = await browser.newContext({ locale: 'en-US' });
    await ctx.addInitScript(XSS_INIT_SCRIPT);
    // The marker the brief names too: payloads like <img src=x onerror="window.__xss=1">.
    await ctx.addInitScript('window.__xss = 0;');
    page = await ctx.newPage();
    page.on('dialog', (d) => {
      executions.push(`dialog "${d.message()}" on ${page.url()}`);
      void d.dismiss();
    });
    email = uniqueEmail('org-xss');
    await signIn(page, email);
  });
  test.afterAll(async () => {
    await ctx?.close();
    const k = SINKS.filter((s) => perSink.get(s)!.size > 0).length;
    const line = `XSS (organizations): ${stored.size} payloads × ${k} sinks, ${executions.length} executions`;
    console.log(line);
    if (executions.length === 0 && stored.size > 0 && k === SINKS.length) recordFigure('xss-orgs', line);
  });

  async function assertClean(sink: Sink, ids: string[]) {
    await page.waitForLoadState('load');
    const r = await page.evaluate(() => {
      const w = window as unknown as { __xssHits?: string[]; __xssCsp?: string[]; __xss?: number };
      const injected: string[] = [];
      for (const el of Array.from(document.querySelectorAll('*'))) {
        for (const at of Array.from(el.attributes)) {
          if (/^on/i.test(at.name)) injected.push(`<${el.tagName.toLowerCase()} ${at.name}>`);
          if (
            /^(href|src|action|formaction)$/i.test(at.name) &&
            /^\s*(javascript|vbscript|data:text\/html)/i.test(at.value)
          )
            injected.push(`<${el.tagName.toLowerCase()} ${at.name}=${at.value.slice(0, 40)}>`);
        }
        // A script whose code is a payload (Next's own flight-data scripts carry the names inside JSON strings).
        if (el.tagName === 'SCRIPT' && /^\s*(__xssHit|alert)\(/.test(el.textContent ?? ''))
          injected.push(`<script>${(el.textContent ?? '').slice(0, 40)}`);
        if (
          el.tagName === 'BASE' ||
          (el.tagName === 'META' && /refresh/i.test(el.getAttribute('http-equiv') ?? ''))
        )
          injected.push(`<${el.tagName.toLowerCase()}>`);
      }
      return { hits: w.__xssHits ?? null, csp: w.__xssCsp ?? null, marker: w.__xss ?? null, injected };
    });
    expect(r.hits, `${sink}: the marker is installed`).not.toBeNull();
    for (const h of r.hits ?? []) executions.push(`${sink}: __xssHit(${h})`);
    for (const c of r.csp ?? []) executions.push(`${sink}: CSP blocked ${c}`);
    if (r.marker) executions.push(`${sink}: window.__xss = ${r.marker}`);
    expect(
      { hits: r.hits, csp: r.csp, marker: r.marker, injected: r.injected },
      `${sink} (${ids.join(', ')})`,
    ).toEqual({ hits: [], csp: [], marker: 0, injected: [] });
    expect(executions).toEqual([]);
    for (const id of ids) perSink.get(sink)!.add(id);
  }

  test('every payload in name, names, city, country, description and a member title: management and public pages', async () => {
    test.setTimeout(15 * 60_000);
    const payloads = [
      ...XSS_PAYLOADS,
      { id: 'brief-marker', kind: 'the brief’s marker', value: '<img src=x onerror="window.__xss=1">' },
    ];
    for (const [i, p] of payloads.entries()) {
      // Each field gets the payload when the field's rules allow it; otherwise a filler (the refusal of such
      // input is proved in lib/orgs.test.ts). A payload too long for every field is cut to the description's limit.
      const v = p.value;
      const name = nameOk(`${v} ${xtag}`) ? `${v} ${xtag}` : `XSS ${p.id} ${xtag}`;
      const fields: Record<string, string> = {
        name,
        name_en: nameOk(`${v} (en)`) ? `${v} (en)` : '',
        name_hy: nameOk(`${v} (hy)`) ? `${v} (hy)` : '',
        name_ru: nameOk(`${v} (ru)`) ? `${v} (ru)` : '',
        city: fits(v, LIMITS.city) ? v : '',
        country: fits(v, LIMITS.country) ? v : '',
        description: fits(v, LIMITS.description) ? v : v.slice(0, LIMITS.description),
        confirmDistinct: 'on',
      };
      const created = await callForm(page.request, '/manage/orgs/new', 'createOrganizationAction', fields);
      const redirect = created.res.headers()['x-action-redirect'] ?? '';
      const m = redirect.match(/\/manage\/orgs\/([a-z0-9-]+)/);
      expect(m, `${p.id}: created (${created.res.status()} ${created.text.slice(0, 300)})`).not.toBeNull();
      const slug = m![1]!;
      stored.add(p.id);

      // The management page: set the owner's own title to the payload through the UI, then render.
      await page.goto(`/manage/orgs/${slug}`);
      const orgId = await page.locator('form input[type="hidden"][name="orgId"]').first().inputValue();
      orgs.push({ id: orgId, slug, payloadId: p.id });
      if (fits(v, LIMITS.title)) {
        await page.getByLabel(t('orgs.titleFor', { name: email })).fill(v);
        await page.getByRole('button', { name: t('orgs.saveTitle') }).click();
        await expect(page.getByRole('status').filter({ hasText: t('orgs.saved') })).toBeVisible();
        await page.reload();
        await expect(page.getByLabel(t('orgs.titleFor', { name: email }))).toHaveValue(v.trim());
      }
      // The name is text: the heading says exactly what was typed (trimmed).
      await expect(page.getByRole('heading', { level: 1 })).toHaveText(name.trim());
      await assertClean('management page', [p.id]);

      await page.goto(`/en/orgs/${slug}`);
      await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
      await assertClean('public page', [p.id]);
      if (i % 8 === 0) console.log(`[xss-orgs] ${i + 1}/${payloads.length}`);
    }
  });

  test('the dashboard and the directory (en, hy, ru) list them all', async () => {
    test.setTimeout(5 * 60_000);
    const ids = orgs.map((o) => o.payloadId);
    await page.goto('/dashboard');
    await expect(page.getByRole('heading', { level: 1, name: t('dashboard.title') })).toBeVisible();
    for (const o of orgs) await expect(page.locator(`a[href="/manage/orgs/${o.slug}"]`)).toHaveCount(1);
    await assertClean('dashboard', ids);
    for (const lang of ['en', 'hy', 'ru']) {
      const listed = new Set<string>();
      for (let n = 1; n <= 5; n++) {
        await page.goto(`/${lang}/orgs?q=${xtag}&page=${n}`);
        const hrefs = await page
          .getByRole('main')
          .getByRole('listitem')
          .getByRole('link')
          .evaluateAll((els) => els.map((e) => e.getAttribute('href') ?? ''));
        for (const h of hrefs) listed.add(h.split('/').pop()!);
        await assertClean(
          'directory',
          ids.filter((_, i) => hrefs.includes(`/${lang}/orgs/${orgs[i]!.slug}`)),
        );
        if ((await page.getByRole('link', { name: msg(lang as 'en', 'directory.next') }).count()) === 0)
          break;
      }
      for (const o of orgs) expect(listed.has(o.slug), `${o.payloadId} in the ${lang} directory`).toBe(true);
    }
  });
});
