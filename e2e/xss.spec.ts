// XSS, in a real browser against the production build (SECURITY.md I9, "Tests that prove it"): the corpus of
// lib/testing/xss-corpus.ts goes into every place the app accepts text today — the sign-in e-mail field, the
// `next` query parameter, the confirmation page's fragment, the error page's query, the unsubscribe link, the
// path — and addresses that pass validation are rendered on every page and e-mail that shows an address.
// Zero script executions: a marker function every payload calls, dialogs, CSP violations, and a DOM scan for
// markup that a payload turned into elements or handlers.
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { recordFigure } from '../lib/testing/figures';
import { XSS_ACCEPTED_ADDRESSES, XSS_INIT_SCRIPT, XSS_PAYLOADS } from '../lib/testing/xss-corpus';
import { BASE_URL } from '../playwright.config';
import { mailboxLinkFor, mailboxMessages, signIn, uniqueEmail } from './helpers/auth';
import { callAction, SAME_ORIGIN } from './helpers/registry';
import { catalog, msg } from './helpers/catalog';

test.use({ locale: 'en-US' });

const SINKS = [
  'sign-in form: e-mail field',
  'sign-in page: ?next= (hidden field, then the mailed link)',
  'confirmation page: #e= and #next= in the fragment',
  'sign-in error page: ?error=',
  'unsubscribe page and its POST: ?u=',
  'not-found page: the path',
  'dashboard: own address',
  'settings: own address',
  'public header island: "signed in as"',
  'development mailbox: to, subject, links, sandboxed HTML',
  'the e-mail HTML itself, opened without a sandbox',
  'organization directory: ?q= and the listed names',
  'public organization page (names, city, country, website link, description, <title>, meta)',
  'organization management page (profile form, members with titles, pending invitations)',
  'dashboard: my organizations',
] as const;
type Sink = (typeof SINKS)[number];

const seen = {
  renders: 0,
  refusedFields: 0,
  perSink: new Map<Sink, number>(),
  executions: [] as string[],
  injected: [] as string[],
};

test.afterAll(() => {
  const unused = SINKS.filter((s) => !seen.perSink.get(s));
  const line = `XSS: ${XSS_PAYLOADS.length} payloads × ${SINKS.length} sinks, ${seen.executions.length} executions`;
  if (unused.length === 0 && seen.executions.length === 0 && seen.injected.length === 0)
    recordFigure('xss', line);
  console.log(
    `${line} ` +
      `(${seen.renders} renders; ${seen.refusedFields} organization fields refused with a clear error; ${XSS_ACCEPTED_ADDRESSES.length} addresses that pass validation carried to the signed-in pages and e-mails${unused.length ? `; sinks not reached: ${unused.join(', ')}` : ''})`,
  );
});

async function watch(page: Page) {
  await page.addInitScript(XSS_INIT_SCRIPT);
  page.on('dialog', (d) => {
    seen.executions.push(`dialog "${d.message()}" on ${page.url()}`);
    void d.dismiss();
  });
}

/**
 * After a render: nothing ran, nothing was blocked by the CSP, and no payload became an element or a handler.
 * `cspBaseline`: violations the same kind of page shows without any payload (see the not-found sink), which
 * are then the only ones allowed.
 */
async function assertClean(page: Page, sink: Sink, label: string, cspBaseline: string[] = []) {
  await page.waitForLoadState('load');
  const r = await page.evaluate(() => {
    const w = window as unknown as { __xssHits?: string[]; __xssCsp?: string[] };
    const injected: string[] = [];
    for (const el of Array.from(document.querySelectorAll('*'))) {
      for (const a of Array.from(el.attributes)) {
        if (/^on/i.test(a.name))
          injected.push(`<${el.tagName.toLowerCase()} ${a.name}="${a.value.slice(0, 60)}">`);
        if (
          /^(href|src|action|formaction|xlink:href)$/i.test(a.name) &&
          /^\s*(javascript|vbscript):/i.test(a.value)
        )
          injected.push(`<${el.tagName.toLowerCase()} ${a.name}="${a.value.slice(0, 60)}">`);
        if (/^(src)$/i.test(a.name) && /^\s*data:text\/(html|javascript)/i.test(a.value))
          injected.push(`<${el.tagName.toLowerCase()} src="${a.value.slice(0, 60)}">`);
      }
      if (el.tagName === 'SCRIPT' && /^\s*(__xssHit|alert)\(/.test(el.textContent ?? ''))
        injected.push(`<script>${(el.textContent ?? '').slice(0, 60)}`);
      if (
        el.tagName === 'BASE' ||
        (el.tagName === 'META' && /refresh/i.test(el.getAttribute('http-equiv') ?? ''))
      )
        injected.push(`<${el.tagName.toLowerCase()}>`);
    }
    return { hits: w.__xssHits ?? null, csp: w.__xssCsp ?? null, injected };
  });
  seen.renders++;
  seen.perSink.set(sink, (seen.perSink.get(sink) ?? 0) + 1);
  expect(r.hits, `${sink} (${label}): the marker is installed`).not.toBeNull();
  for (const h of r.hits ?? []) seen.executions.push(`${sink} (${label}): __xssHit(${h})`);
  const csp = [...(r.csp ?? [])];
  for (const b of cspBaseline) {
    const i = csp.indexOf(b);
    if (i >= 0) csp.splice(i, 1);
  }
  for (const c of csp) seen.executions.push(`${sink} (${label}): CSP blocked ${c}`);
  for (const i of r.injected) seen.injected.push(`${sink} (${label}): ${i}`);
  expect({ hits: r.hits, csp, injected: r.injected }, `${sink} (${label})`).toEqual({
    hits: [],
    csp: [],
    injected: [],
  });
  expect(seen.executions, 'no dialogs or executions so far').toEqual([]);
}

/** Every string under errors.* in the English catalog: a refusal must say one of them. */
const ERROR_TEXTS = Object.values(catalog('en').errors as Record<string, string>);

let notFoundBaseline: string[] | undefined;

const mailboxSize = async (page: Page) =>
  (await (await page.request.get('/dev/mailbox')).text()).split('data-testid="mail-to"').length - 1;

test.describe('XSS corpus: every payload where the app accepts text', () => {
  for (const p of XSS_PAYLOADS) {
    test(`${p.id} (${p.kind})`, async ({ page }) => {
      await watch(page);

      // The e-mail field: refused with a clear error, nothing mailed.
      const before = await mailboxSize(page);
      await page.goto('/sign-in');
      await page.getByLabel(msg('en', 'signIn.emailLabel')).fill(`${p.value}@example.org`);
      await page.getByRole('button', { name: msg('en', 'signIn.submit') }).click();
      const alert = page.getByRole('main').getByRole('alert');
      await expect(alert).toBeVisible();
      expect(ERROR_TEXTS, 'a clear error').toContain((await alert.innerText()).trim());
      await expect(page).toHaveURL(/\/sign-in$/);
      await assertClean(page, 'sign-in form: e-mail field', p.id);
      expect(await mailboxSize(page), 'no message was sent for a refused address').toBe(before);
      if (p.bodyOnly) return;

      // ?next= ends up in a hidden field: as its value, byte for byte, not as markup.
      await page.goto(`/sign-in?${new URLSearchParams({ next: p.value })}`);
      await expect(page.locator('input[name="next"]')).toHaveValue(p.value);
      await assertClean(page, 'sign-in page: ?next= (hidden field, then the mailed link)', p.id);

      // The confirmation page shows the address from the fragment as text; confirming a bogus token fails cleanly.
      const token = crypto.randomBytes(32).toString('base64url');
      await page.goto(`/sign-in/confirm#${new URLSearchParams({ t: token, e: p.value, next: p.value })}`);
      const button = page.getByRole('button', { name: msg('en', 'signIn.confirmButton') });
      await expect(button).toBeVisible();
      expect(
        await page.locator('main').evaluate((m, v) => (m.textContent ?? '').includes(v), p.value),
        'shown as text',
      ).toBe(true);
      await assertClean(page, 'confirmation page: #e= and #next= in the fragment', p.id);
      await button.click();
      await expect(page.getByRole('main').getByRole('alert')).toHaveText(msg('en', 'signIn.linkInvalid'));
      await assertClean(
        page,
        'confirmation page: #e= and #next= in the fragment',
        `${p.id}, after confirming`,
      );

      await page.goto(`/sign-in/error?${new URLSearchParams({ error: p.value })}`);
      await assertClean(page, 'sign-in error page: ?error=', p.id);

      await page.goto(`/unsubscribe?${new URLSearchParams({ u: p.value })}`);
      await page.getByRole('button', { name: msg('en', 'unsubscribe.button') }).click();
      await expect(page.getByRole('main').getByRole('alert')).toHaveText(msg('en', 'unsubscribe.invalid'));
      await assertClean(page, 'unsubscribe page and its POST: ?u=', p.id);

      await page.goto(`/en/orgs?${new URLSearchParams({ q: p.value })}`);
      await expect(page.locator('#q')).toHaveValue(p.value.slice(0, 200));
      await assertClean(page, 'organization directory: ?q= and the listed names', p.id);

      // Not-found pages are served prerendered, without the request's nonce, so under the nonce policy Next's
      // own scripts are blocked on every 404 (a defect reported separately): compare with a 404 without payload.
      notFoundBaseline ??= await (async () => {
        await page.goto(`/xss-baseline-${crypto.randomBytes(4).toString('hex')}`);
        await page.waitForLoadState('load');
        return page.evaluate(() => (window as unknown as { __xssCsp: string[] }).__xssCsp.slice());
      })();
      const baseline = notFoundBaseline;
      const res = await page.goto(`/${encodeURIComponent(p.value)}`);
      expect(res?.status()).toBe(404);
      await assertClean(page, 'not-found page: the path', p.id, baseline);
    });
  }
});

test.describe('XSS corpus: addresses that pass validation are text on every page and e-mail that shows them', () => {
  // Each address asks for its link from a page whose ?next= carries a payload: it travels into the mail.
  const NEXT = ['js-url', 'close-tag', 'tpl-icu'];
  XSS_ACCEPTED_ADDRESSES.forEach((a, i) => {
    test(`${a.id}: ${a.local}`, async ({ page }) => {
      await watch(page);
      const email = `${a.local}@x${crypto.randomBytes(4).toString('hex')}.example.org`;
      const next = XSS_PAYLOADS.find((p) => p.id === NEXT[i % NEXT.length])!;

      await page.goto(`/sign-in?${new URLSearchParams({ next: next.value })}`);
      await page.getByLabel(msg('en', 'signIn.emailLabel')).fill(email);
      await page.getByRole('button', { name: msg('en', 'signIn.submit') }).click();
      await expect(page).toHaveURL(/\/sign-in\/sent$/);
      await assertClean(page, 'sign-in form: e-mail field', `accepted ${a.id}`);

      const link = await mailboxLinkFor(page, email);
      await assertClean(page, 'development mailbox: to, subject, links, sandboxed HTML', a.id);
      await expect(mailboxMessages(page, email)).toHaveCount(1);
      // The message HTML sits in a frame with every sandbox restriction on.
      const frame = mailboxMessages(page, email).locator('iframe');
      await expect(frame).toHaveAttribute('sandbox', '');
      const html = (await frame.getAttribute('srcdoc')) ?? '';
      expect(html).toContain('<!doctype html>');

      // The confirmation page names the address; the payload in `next` does not take us off the dashboard.
      await page.goto(link);
      await expect(page.getByText(msg('en', 'signIn.confirmBody', { email }), { exact: true })).toBeVisible();
      await assertClean(page, 'confirmation page: #e= and #next= in the fragment', `real link for ${a.id}`);
      await page.getByRole('button', { name: msg('en', 'signIn.confirmButton') }).click();
      await expect(page).toHaveURL(/\/dashboard$/);

      await expect(page.getByText(msg('en', 'dashboard.welcome', { email }), { exact: true })).toBeVisible();
      await assertClean(page, 'dashboard: own address', a.id);

      await page.goto('/settings');
      await expect(page.getByText(email, { exact: true })).toBeVisible();
      await assertClean(page, 'settings: own address', a.id);

      await page.goto('/en');
      const badge = page
        .getByRole('banner')
        .getByRole('link', { name: msg('en', 'nav.signedInAs', { email }) });
      await expect(badge).toBeVisible();
      await expect(badge).toHaveAttribute('title', email);
      await assertClean(page, 'public header island: "signed in as"', a.id);

      // The e-mail as a careless mail client would show it: no sandbox, no CSP.
      const preview = `${BASE_URL}/__xss-mail-preview/${a.id}`;
      await page.route(preview, (route) =>
        route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body: html }),
      );
      await page.goto(preview);
      await expect(page.locator('body')).toContainText(msg('en', 'mail.signIn.button'));
      await assertClean(page, 'the e-mail HTML itself, opened without a sandbox', a.id);
    });
  });
});

// ---- organizations: every profile field, a member title, and the invitation e-mail ----

const ORG_ACTION = 'app/_actions/orgs.ts#createOrganizationAction';
const STATE = path.join(os.tmpdir(), `undersigned-xss-orgs-${process.pid}.json`);
// Playwright applies `storageState` to every context of the describe, the signing-in one too: start empty.
fs.writeFileSync(STATE, JSON.stringify({ cookies: [], origins: [] }));

/** Create an organization with the payload in every field; a field the schema refuses is replaced (or dropped). */
async function createOrgWith(
  page: Page,
  p: (typeof XSS_PAYLOADS)[number],
): Promise<{ slug: string; fields: Record<string, string> }> {
  const fields: Record<string, string> = {
    name: `O ${p.value}`.slice(0, 200),
    name_hy: `Հ ${p.value}`.slice(0, 200),
    name_ru: `Р ${p.value}`.slice(0, 200),
    city: p.value.slice(0, 120),
    country: p.value.slice(0, 120),
    website: `https://example.org/?q=${p.value}`.slice(0, 2000),
    description: p.value.slice(0, 2000),
    confirmDistinct: 'on',
  };
  for (let attempt = 0; attempt < 3; attempt++) {
    const r = await callAction(page.request, BASE_URL, ORG_ACTION, { form: fields }, SAME_ORIGIN);
    const redirect = r.res.headers()['x-action-redirect'];
    if (redirect) return { slug: /\/manage\/orgs\/([^;?/]+)/.exec(redirect)![1]!, fields };
    // Refused: a clear error per field (a catalog key), then the same without what was refused.
    const m = /"fieldErrors":(\{[^}]*\})/.exec(r.text);
    expect(m, `${p.id}: refused with field errors, got ${r.text.slice(0, 300)}`).not.toBeNull();
    const errors = JSON.parse(m![1]!) as Record<string, string[]>;
    for (const [field, msgs] of Object.entries(errors)) {
      for (const k of msgs) expect(k, `${p.id}.${field}`).toMatch(/^errors\.\w+$/);
      seen.refusedFields++;
      if (field === 'name') fields.name = `O ${p.id}`;
      else delete fields[field];
    }
  }
  throw new Error(`${p.id}: could not create an organization`);
}

test.describe('XSS corpus: organization fields on every page and e-mail that shows them', () => {
  // Four payloads per test, each with an organization, a title, an invitation and its e-mail: more than a minute.
  test.describe.configure({ mode: 'serial', timeout: 120_000 });
  test.beforeAll(async ({ browser }) => {
    const context = await browser.newContext({ locale: 'en-US' });
    const page = await context.newPage();
    await signIn(page, uniqueEmail('xss-orgs'));
    await context.storageState({ path: STATE });
    await context.close();
  });
  test.use({ storageState: STATE });

  const CHUNK = 4;
  for (let i = 0; i < XSS_PAYLOADS.length; i += CHUNK) {
    const chunk = XSS_PAYLOADS.slice(i, i + CHUNK);
    test(`payloads ${chunk.map((p) => p.id).join(', ')}`, async ({ page }) => {
      await watch(page);
      const invited: { p: (typeof XSS_PAYLOADS)[number]; email: string }[] = [];
      for (const p of chunk) {
        const { slug } = await createOrgWith(page, p);
        // The ids the management page's forms carry, to set one's own title and invite someone.
        const manage = await (await page.request.get(`/manage/orgs/${slug}`)).text();
        const orgId = /name="orgId" value="([0-9a-f-]{36})"/.exec(manage)?.[1];
        const membershipId = /id="title-([0-9a-f-]{36})"/.exec(manage)?.[1];
        expect(orgId && membershipId, 'ids on the management page').toBeTruthy();
        const title = await callAction(
          page.request,
          BASE_URL,
          'app/_actions/orgs.ts#setMemberTitleAction',
          { json: [{ orgId, membershipId, title: p.value.slice(0, 120) }] },
          SAME_ORIGIN,
        );
        expect(title.text, `${p.id}: title`).toMatch(/"ok":true|"code":"INVALID_INPUT"/);
        const email = uniqueEmail(`xss-invitee-${p.id}`);
        const invite = await callAction(
          page.request,
          BASE_URL,
          'app/_actions/orgs.ts#inviteMemberAction',
          { form: { orgId: orgId!, email, role: 'member', title: p.value.slice(0, 120) } },
          SAME_ORIGIN,
        );
        expect(invite.text, `${p.id}: invitation`).toContain('"ok":true');
        invited.push({ p, email });

        await page.goto(`/hy/orgs/${slug}`);
        await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
        await assertClean(
          page,
          'public organization page (names, city, country, website link, description, <title>, meta)',
          p.id,
        );

        await page.goto(`/manage/orgs/${slug}`);
        await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
        await assertClean(
          page,
          'organization management page (profile form, members with titles, pending invitations)',
          p.id,
        );
      }

      await page.goto('/en/orgs');
      await assertClean(
        page,
        'organization directory: ?q= and the listed names',
        chunk.map((p) => p.id).join(','),
      );
      await page.goto('/dashboard');
      await assertClean(page, 'dashboard: my organizations', chunk.map((p) => p.id).join(','));

      // The invitation e-mails (they carry the organization's name) arrive through the outbox relay.
      for (const { email } of invited) {
        await expect
          .poll(
            async () =>
              (await (await page.request.get('/dev/mailbox')).text()).includes(
                `data-testid="mail-to">${email}<`,
              ),
            { timeout: 15_000 },
          )
          .toBe(true);
      }
      await page.goto('/dev/mailbox');
      await assertClean(
        page,
        'development mailbox: to, subject, links, sandboxed HTML',
        `invitations ${chunk.map((p) => p.id).join(',')}`,
      );
      for (const { p, email } of invited) {
        const frame = mailboxMessages(page, email).locator('iframe');
        await expect(frame).toHaveAttribute('sandbox', '');
        const html = (await frame.getAttribute('srcdoc')) ?? '';
        const preview = `${BASE_URL}/__xss-mail-preview/org-${p.id}`;
        await page.route(preview, (route) =>
          route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body: html }),
        );
        await page.goto(preview);
        await expect(page.locator('body')).toContainText(msg('en', 'mail.memberInvitation.button'));
        await assertClean(page, 'the e-mail HTML itself, opened without a sandbox', `invitation for ${p.id}`);
        await page.unroute(preview);
        await page.goto('/dev/mailbox');
      }
    });
  }
});
