// XSS, in a real browser against the production build (SECURITY.md I9, "Tests that prove it"): the corpus of
// lib/testing/xss-corpus.ts goes into every place the app accepts text today — the sign-in e-mail field, the
// `next` query parameter, the confirmation page's fragment, the error page's query, the unsubscribe link, the
// path — and addresses that pass validation are rendered on every page and e-mail that shows an address; the
// organization fields on every page and e-mail that shows them; and the statement invitations and review
// (invitation messages, decline reasons, organization names and titles on the landing, the board and the
// dashboard, comment text on the review page, the invitation e-mails); and signing (statement titles and texts,
// organization names, signer titles, withdrawal and decline reasons on the sign page with its version diff, the
// receipt, the signature board, the invitation board's signature column, the overview with its versions and
// freeze panel, the landing's accept-and-sign, the receipt, re-confirmation and signing-open e-mails). Zero script executions: a marker function every payload calls, dialogs, CSP violations, and a DOM scan for
// markup that a payload turned into elements or handlers.
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { recordFigure } from '../lib/testing/figures';
import { XSS_ACCEPTED_ADDRESSES, XSS_INIT_SCRIPT, XSS_PAYLOADS } from '../lib/testing/xss-corpus';
import { BASE_URL } from '../playwright.config';
import { mailboxLinkFor, mailboxMessages, mailboxUrl, signIn, uniqueEmail } from './helpers/auth';
import { callAction, docOf, expectAccepted, putText, SAME_ORIGIN, textVersion } from './helpers/registry';
import { catalog, msg } from './helpers/catalog';
import { INVITE_LINK, inviteByAction, newSession, orgIdOf, signByInDays } from './helpers/invitations';

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
  'invitation landing, signed out: inviting organizations, masked address',
  'invitation landing, signed in (link and dashboard id): title, message, inviting and eligible organizations',
  'invitation board: organization names, accepted by, decline reason',
  'dashboard: waiting for my organization (invitations, drafts to review) and invitation progress',
  'review page: comment text, authors and organization names',
  'statement invitation e-mails (message, organization names, title), opened without a sandbox',
  'sign page: statement title and text, organizations, member titles, withdrawal reasons, the version diff',
  'invitation landing, open for signature: accept and sign with the member title',
  'receipt page: statement title, organization, signer title',
  'signature board: organization names, signer titles, withdrawal and decline reasons',
  'invitation board: the signature column',
  'statement overview: versions and the freeze panel',
  'signing e-mails (receipt, re-confirmation, signing open), opened without a sandbox',
  'public statement page after publication: title, text, signatory organizations and titles',
  'publication e-mail, opened without a sandbox',
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
        // React's own placeholder on forms whose action is a client function (it throws if the form is ever
        // submitted natively; one wording from the server render, one from the client), as on the review page's
        // comment forms and the invitation landing's organization form, is not a payload.
        const reactPlaceholder =
          /^(action|formaction)$/i.test(a.name) &&
          [
            "javascript:throw new Error('React form unexpectedly submitted.')",
            "javascript:throw new Error('A React form was unexpectedly submitted. If you called form.submit() manually, consider using form.requestSubmit() instead. If you\\'re trying to use event.stopPropagation() in a submit event handler, consider also calling event.preventDefault().')",
          ].includes(a.value);
        if (
          !reactPlaceholder &&
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

/**
 * How many messages the development mailbox holds for `address` (its recipient filter compares case-insensitively,
 * trimmed). Other tests' mail keeps arriving in the background, so the whole mailbox's total is no measure of
 * what one refused request sent. The filter takes up to 320 characters (no address is longer); for a longer
 * string, the recipients of the newest messages are compared instead.
 */
const mailsTo = async (page: Page, address: string): Promise<number> => {
  const wanted = address.trim().toLowerCase();
  if (wanted.length <= 320) {
    const total = /data-testid="mail-total" data-total="(\d+)"/.exec(await (await page.request.get(mailboxUrl(wanted))).text());
    if (!total) throw new Error('the development mailbox shows no total');
    return Number(total[1]);
  }
  await page.goto('/dev/mailbox');
  const recipients = await page.getByTestId('mail-to').allTextContents();
  return recipients.filter((r) => r.trim().toLowerCase() === wanted).length;
};

test.describe('XSS corpus: every payload where the app accepts text', () => {
  for (const p of XSS_PAYLOADS) {
    test(`${p.id} (${p.kind})`, async ({ page }) => {
      await watch(page);

      // The e-mail field: refused with a clear error, nothing mailed.
      const refused = `${p.value}@example.org`;
      const before = await mailsTo(page, refused);
      await page.goto('/sign-in');
      await page.getByLabel(msg('en', 'signIn.emailLabel')).fill(refused);
      await page.getByRole('button', { name: msg('en', 'signIn.submit') }).click();
      const alert = page.getByRole('main').getByRole('alert');
      await expect(alert).toBeVisible();
      expect(ERROR_TEXTS, 'a clear error').toContain((await alert.innerText()).trim());
      await expect(page).toHaveURL(/\/sign-in$/);
      await assertClean(page, 'sign-in form: e-mail field', p.id);
      expect(await mailsTo(page, refused), 'no message was sent for a refused address').toBe(before);
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
  opts: { nameOnly?: boolean } = {},
): Promise<{ slug: string; fields: Record<string, string> }> {
  const fields: Record<string, string> = opts.nameOnly
    ? { name: `O ${p.value}`.slice(0, 200), confirmDistinct: 'on' }
    : {
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
              (await (await page.request.get(mailboxUrl(email))).text()).includes(
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
        await page.goto(mailboxUrl(email));
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
      }
    });
  }
});

// ---- statement invitations and review: messages, decline reasons, names, titles, comments, the e-mails ----

const INV_STATE = path.join(os.tmpdir(), `undersigned-xss-invitations-${process.pid}.json`);
fs.writeFileSync(INV_STATE, JSON.stringify({ cookies: [], origins: [] }));

/** A statement of organization `orgId`, titled with the payload (or its id, if the title is refused), with text. */
async function statementWith(page: Page, orgId: string, p: (typeof XSS_PAYLOADS)[number]): Promise<string> {
  for (const title of [`S ${p.value}`.slice(0, 300), `S ${p.id}`]) {
    const r = await callAction(
      page.request,
      BASE_URL,
      'app/_actions/statements.ts#createStatementAction',
      { form: { orgId, title, primaryLang: 'hy', timeZone: 'Asia/Yerevan' } },
      SAME_ORIGIN,
    );
    const id = /^\/statements\/([0-9a-f-]{36})/.exec(r.res.headers()['x-action-redirect'] ?? '')?.[1];
    if (!id) continue;
    const saved = await putText(
      page.request,
      BASE_URL,
      id,
      'hy',
      {
        baseVersion: 0,
        title,
        doc: docOf('The draft must be open to comment for thirty days.', p.value.slice(0, 2000)),
      },
      SAME_ORIGIN,
    );
    expect(saved.res.status(), `${p.id}: text saved`).toBe(200);
    return id;
  }
  throw new Error(`${p.id}: could not create a statement`);
}

test.describe('XSS corpus: statement invitations and review comments', () => {
  // Four payloads per test, each with two organizations, a statement, two invitations, their e-mails, the
  // landing signed out and in, an answer, two comments, the board and the review page: a few minutes.
  test.describe.configure({ mode: 'serial', timeout: 240_000 });
  test.beforeAll(async ({ browser }) => {
    const context = await browser.newContext({ locale: 'en-US' });
    const page = await context.newPage();
    await signIn(page, uniqueEmail('xss-inv-initiator'));
    await context.storageState({ path: INV_STATE });
    await context.close();
  });
  test.use({ storageState: INV_STATE });

  const CHUNK = 4;
  for (let i = 0; i < XSS_PAYLOADS.length; i += CHUNK) {
    const chunk = XSS_PAYLOADS.slice(i, i + CHUNK);
    test(`payloads ${chunk.map((p) => p.id).join(', ')}`, async ({ page, browser }) => {
      await watch(page);
      const ids = chunk.map((p) => p.id).join(',');
      // The invitee: a fresh account per test, so every invitation mail it holds is this test's.
      const invitee = await newSession(browser, uniqueEmail('xss-inv-invitee'));
      const ap = invitee.page;
      await watch(ap);
      // Signed out (the describe's storageState would otherwise apply to this context too).
      const outsider = await browser.newContext({
        locale: 'en-US',
        storageState: { cookies: [], origins: [] },
      });
      const op = await outsider.newPage();
      await watch(op);

      const made: {
        p: (typeof XSS_PAYLOADS)[number];
        statementId: string;
        orgId: string;
        byOrg: string;
        byEmail: string;
      }[] = [];
      for (const p of chunk) {
        // The initiator's organization and the invitee's, both named with the payload (what a field refuses is replaced).
        const { slug: mine } = await createOrgWith(page, p);
        const { slug: theirs } = await createOrgWith(ap, p);
        const orgId = await orgIdOf(ap.request, theirs);
        const statementId = await statementWith(page, await orgIdOf(page.request, mine), p);
        // The invitee's organization from the directory and the invitee by e-mail, with the payload as the message.
        const [byOrg, byEmail] = await inviteByAction(page.request, {
          statementId,
          orgIds: [orgId],
          emails: [invitee.email],
          message: p.value.slice(0, 2000),
          signBy: signByInDays(10).local,
        });
        made.push({ p, statementId, orgId, byOrg: byOrg!, byEmail: byEmail! });
      }

      // The e-mails (two per statement: to the organization's owner and to the address), through the relay.
      let mails: { html: string; link: string }[] = [];
      await expect(async () => {
        await ap.goto(mailboxUrl(invitee.email));
        mails = await mailboxMessages(ap, invitee.email)
          .filter({ has: ap.getByRole('link', { name: INVITE_LINK }) })
          .evaluateAll((els) =>
            els.map((li) => ({
              html: li.querySelector('iframe')?.getAttribute('srcdoc') ?? '',
              link: li.querySelector('a[href*="/invite/statement#t="]')?.getAttribute('href') ?? '',
            })),
          );
        expect(mails.length, 'invitation e-mails in the development mailbox').toBe(2 * chunk.length);
      }).toPass({ timeout: 30_000 });
      await assertClean(
        ap,
        'development mailbox: to, subject, links, sandboxed HTML',
        `statement invitations ${ids}`,
      );
      for (const [n, m] of mails.entries()) {
        const preview = `${BASE_URL}/__xss-mail-preview/statement-invitation-${n}`;
        await ap.route(preview, (route) =>
          route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body: m.html }),
        );
        await ap.goto(preview);
        await expect(ap.locator('body')).toContainText(msg('en', 'mail.statementInvitation.button'));
        await assertClean(
          ap,
          'statement invitation e-mails (message, organization names, title), opened without a sandbox',
          `${ids} #${n}`,
        );
        await ap.unroute(preview);
      }

      // The dashboard: every invitation waiting, with the inviting and invited organizations and the titles.
      await ap.goto('/dashboard');
      await expect(
        ap.getByRole('region', { name: /^Invitations? to answer/ }).getByRole('listitem'),
      ).toHaveCount(2 * chunk.length);
      await assertClean(
        ap,
        'dashboard: waiting for my organization (invitations, drafts to review) and invitation progress',
        `invitee ${ids}`,
      );

      // Every link: signed out (the inviting organizations), then signed in (title, message, organizations).
      for (const [n, m] of mails.entries()) {
        await op.goto(m.link);
        await expect(
          op.getByRole('main').getByRole('link', { name: msg('en', 'nav.signIn'), exact: true }),
        ).toBeVisible();
        await assertClean(
          op,
          'invitation landing, signed out: inviting organizations, masked address',
          `${ids} #${n}`,
        );
        await ap.goto(m.link);
        await expect(ap.getByRole('main').getByRole('heading', { level: 2 })).toBeVisible();
        await expect(ap.getByRole('main').locator('blockquote')).toBeVisible();
        await assertClean(
          ap,
          'invitation landing, signed in (link and dashboard id): title, message, inviting and eligible organizations',
          `${ids} #${n}`,
        );
      }

      for (const { p, statementId, orgId, byOrg, byEmail } of made) {
        // From the dashboard's "Details": the same invitation rendered on the server.
        await ap.goto(`/invite/statement?invitation=${byOrg}`);
        await expect(ap.getByRole('main').locator('blockquote')).toBeVisible();
        await assertClean(
          ap,
          'invitation landing, signed in (link and dashboard id): title, message, inviting and eligible organizations',
          `${p.id} by id`,
        );
        // Decline the directory invitation with the payload as the reason; accept the other for the organization.
        const reason = p.value.slice(0, 1000);
        const declined = await callAction(
          ap.request,
          BASE_URL,
          'app/_actions/invitations.ts#declineInvitationAction',
          { json: [{ invitationId: byOrg, reason }] },
          SAME_ORIGIN,
        );
        expectAccepted(declined);
        expectAccepted(
          await callAction(
            ap.request,
            BASE_URL,
            'app/_actions/invitations.ts#acceptInvitationAction',
            { json: [{ invitationId: byEmail, orgId }] },
            SAME_ORIGIN,
          ),
        );
        // A comment from each side, with the payload as the text.
        for (const who of [ap, page])
          expectAccepted(
            await callAction(
              who.request,
              BASE_URL,
              'app/_actions/comments.ts#addCommentAction',
              { form: { statementId, body: p.value.slice(0, 4000) } },
              SAME_ORIGIN,
            ),
          );

        await page.goto(`/statements/${statementId}/invitations`);
        await expect(
          page.getByRole('progressbar', { name: msg('en', 'invitations.progressLabel') }),
        ).toHaveAttribute('aria-valuetext', '1 of 2 accepted');
        await expect(page.getByRole('row').locator('q')).toHaveCount(1);
        await assertClean(page, 'invitation board: organization names, accepted by, decline reason', p.id);

        for (const [who, as] of [
          [page, 'initiator'],
          [ap, 'participant'],
        ] as const) {
          await who.goto(`/statements/${statementId}/review/hy`);
          await expect(who.locator('li[data-comment-id]')).toHaveCount(2);
          await assertClean(
            who,
            'review page: comment text, authors and organization names',
            `${p.id} as ${as}`,
          );
        }
      }

      // The dashboards afterwards: drafts to review (participant), invitation progress (initiator).
      await ap.goto('/dashboard');
      await expect(ap.getByRole('region', { name: /^Drafts? to review/ }).getByRole('listitem')).toHaveCount(
        chunk.length,
      );
      await assertClean(
        ap,
        'dashboard: waiting for my organization (invitations, drafts to review) and invitation progress',
        `participant ${ids}`,
      );
      await page.goto('/dashboard');
      await assertClean(
        page,
        'dashboard: waiting for my organization (invitations, drafts to review) and invitation progress',
        `initiator ${ids}`,
      );

      await invitee.ctx.close();
      await outsider.close();
    });
  }
});

// ---- signing: statement titles and texts, organization names, signer titles, reasons, the version diff, e-mails ----

const SIGN_STATE = path.join(os.tmpdir(), `undersigned-xss-signing-${process.pid}.json`);
const SIGNER_STATE = path.join(os.tmpdir(), `undersigned-xss-signer-${process.pid}.json`);
for (const f of [SIGN_STATE, SIGNER_STATE]) fs.writeFileSync(f, JSON.stringify({ cookies: [], origins: [] }));
const SIGNING = 'app/_actions/signing.ts';

/** The organization id and the actor's own membership id, from the management page's forms. */
async function orgAndMembership(page: Page, slug: string): Promise<{ orgId: string; membershipId: string }> {
  const manage = await (await page.request.get(`/manage/orgs/${slug}`)).text();
  const orgId = /name="orgId" value="([0-9a-f-]{36})"/.exec(manage)?.[1];
  const membershipId = /id="title-([0-9a-f-]{36})"/.exec(manage)?.[1];
  expect(orgId && membershipId, `ids on /manage/orgs/${slug}`).toBeTruthy();
  return { orgId: orgId!, membershipId: membershipId! };
}

/** A server action called with one plain argument, as a client component calls it; returns the response text. */
async function act(page: Page, name: string, input: Record<string, unknown>): Promise<string> {
  const r = await callAction(page.request, BASE_URL, `${SIGNING}#${name}`, { json: [input] }, SAME_ORIGIN);
  expectAccepted(r);
  return r.text;
}

/** Freeze the draft as the next version; its number and hash from the action's result. */
async function freeze(page: Page, statementId: string): Promise<{ version: number; contentSha256: string }> {
  const text = await act(page, 'freezeVersionAction', { statementId });
  const version = Number(/"version":(\d+)/.exec(text)?.[1]);
  const contentSha256 = /"contentSha256":"([0-9a-f]{64})"/.exec(text)?.[1] ?? '';
  expect(version > 0 && contentSha256, `frozen: ${text.slice(0, 300)}`).toBeTruthy();
  return { version, contentSha256 };
}

/** The text of a version: the payloads as paragraphs (v2 reorders them and adds one, for the diff). */
const versionDoc = (chunk: typeof XSS_PAYLOADS, v: 1 | 2) => {
  const paragraphs = chunk.map((p) => p.value.slice(0, 2000));
  return v === 1
    ? docOf('The draft must be open to comment for thirty days.', ...paragraphs)
    : docOf(
        'The draft must be open to comment for forty days.',
        ...paragraphs.reverse(),
        `Added: ${chunk[0]!.value.slice(0, 2000)}`,
      );
};

/** A statement of organization `orgId`, its title made of the chunk's payloads (whole, as many as fit), with text. */
async function signingStatement(
  page: Page,
  orgId: string,
  chunk: typeof XSS_PAYLOADS,
): Promise<{ statementId: string; statementTitle: string }> {
  let title = 'S';
  for (const p of chunk)
    title = `${title} ${p.value}`.length <= 300 ? `${title} ${p.value}` : `${title} ${p.id}`;
  for (const t of [title, `S ${chunk.map((p) => p.id).join(' ')}`]) {
    const r = await callAction(
      page.request,
      BASE_URL,
      'app/_actions/statements.ts#createStatementAction',
      { form: { orgId, title: t, primaryLang: 'hy', timeZone: 'Asia/Yerevan' } },
      SAME_ORIGIN,
    );
    const id = /^\/statements\/([0-9a-f-]{36})/.exec(r.res.headers()['x-action-redirect'] ?? '')?.[1];
    if (!id) continue;
    const saved = await putText(
      page.request,
      BASE_URL,
      id,
      'hy',
      { baseVersion: 0, title: t, doc: versionDoc(chunk, 1) },
      SAME_ORIGIN,
    );
    expect(saved.res.status(), `text saved: ${saved.text.slice(0, 300)}`).toBe(200);
    return { statementId: id, statementTitle: t };
  }
  throw new Error(`${chunk.map((p) => p.id).join(',')}: could not create a statement`);
}

/** Open a page, which must answer 200 and show its heading, then check it. */
async function visitClean(page: Page, url: string, sink: Sink, label: string) {
  const res = await page.goto(url);
  expect(res?.status(), `${url} (${label})`).toBe(200);
  await expect(page.getByRole('heading', { level: 1 }).first()).toBeVisible();
  await assertClean(page, sink, label);
}

/** Whether the page's main region shows `text` (as text, whitespace as typed). */
const mainShows = (page: Page, text: string) =>
  page.locator('main').evaluate((m, t) => (m.textContent ?? '').includes(t), text);

test.describe('XSS corpus: signing (versions, signatures, receipts, reasons, e-mails)', () => {
  // Eight payloads per test, each with three organizations of the signer (one accepts and signs, one signs and
  // withdraws, one declines to sign), two frozen versions of one statement, the pages of both parties and the
  // signing e-mails: more than a minute.
  test.describe.configure({ mode: 'serial', timeout: 240_000 });
  test.beforeAll(async ({ browser }) => {
    for (const [who, file] of [
      ['xss-sign-initiator', SIGN_STATE],
      ['xss-sign-signer', SIGNER_STATE],
    ] as const) {
      const context = await browser.newContext({ locale: 'en-US' });
      const page = await context.newPage();
      await signIn(page, uniqueEmail(who));
      await context.storageState({ path: file });
      await context.close();
    }
  });
  test.use({ storageState: SIGN_STATE });

  const CHUNK = 8;
  for (let i = 0; i < XSS_PAYLOADS.length; i += CHUNK) {
    const chunk = XSS_PAYLOADS.slice(i, i + CHUNK);
    test(`payloads ${chunk.map((p) => p.id).join(', ')}`, async ({ page, browser }) => {
      await watch(page);
      const ids = chunk.map((p) => p.id).join(',');
      // The signer: an account of its own (its mails are told apart by the statement id they link to).
      const signerCtx = await browser.newContext({ locale: 'en-US', storageState: SIGNER_STATE });
      const sp = await signerCtx.newPage();
      await watch(sp);
      const signerEmail = (await (await sp.request.get('/api/auth/session')).json()) as {
        user?: { email?: string };
      };
      expect(signerEmail.user?.email, 'the signer is signed in').toBeTruthy();

      // The initiator's organization (named with the first payload) and the statement.
      const { slug: mine } = await createOrgWith(page, chunk[0]!);
      const mineId = await orgIdOf(page.request, mine);
      const { statementId, statementTitle } = await signingStatement(page, mineId, chunk);
      const base = `/statements/${statementId}`;

      // Per payload, three organizations of the signer named with it: the one that signs with every profile field
      // the payload and the signer's title in it the payload; the one that withdraws and the one that declines
      // with the name only.
      type Org = { orgId: string; invitationId: string };
      const rows: { p: (typeof XSS_PAYLOADS)[number]; signs: Org; withdraws: Org; declines: Org }[] = [];
      const orgIds: string[] = [];
      for (const p of chunk) {
        const { slug } = await createOrgWith(sp, p);
        const { orgId, membershipId } = await orgAndMembership(sp, slug);
        const title = await callAction(
          sp.request,
          BASE_URL,
          'app/_actions/orgs.ts#setMemberTitleAction',
          { json: [{ orgId, membershipId, title: p.value.slice(0, 120) }] },
          SAME_ORIGIN,
        );
        expect(title.text, `${p.id}: title`).toMatch(/"ok":true|"code":"INVALID_INPUT"/);
        orgIds.push(orgId);
        for (let n = 0; n < 2; n++)
          orgIds.push(await orgIdOf(sp.request, (await createOrgWith(sp, p, { nameOnly: true })).slug));
      }
      const invitations = await inviteByAction(page.request, {
        statementId,
        orgIds,
        message: chunk[chunk.length - 1]!.value.slice(0, 2000),
        signBy: signByInDays(10).local,
      });
      chunk.forEach((p, k) => {
        const org = (n: number) => ({ orgId: orgIds[3 * k + n]!, invitationId: invitations[3 * k + n]! });
        rows.push({ p, signs: org(0), withdraws: org(1), declines: org(2) });
      });
      // Two of the three take part before the freeze; the third accepts and signs in one step afterwards.
      for (const r of rows)
        for (const o of [r.withdraws, r.declines])
          expectAccepted(
            await callAction(
              sp.request,
              BASE_URL,
              'app/_actions/invitations.ts#acceptInvitationAction',
              { json: [{ invitationId: o.invitationId, orgId: o.orgId }] },
              SAME_ORIGIN,
            ),
          );

      const v1 = await freeze(page, statementId);
      // The sign page before anyone signed: a form per organization, the member titles filled in.
      await visitClean(
        sp,
        `${base}/sign`,
        'sign page: statement title and text, organizations, member titles, withdrawal reasons, the version diff',
        `${ids} unsigned`,
      );
      // The landing of an invitation not answered yet, now open for signature: accept and sign on one page.
      await visitClean(
        sp,
        `/invite/statement?invitation=${rows[0]!.signs.invitationId}`,
        'invitation landing, open for signature: accept and sign with the member title',
        ids,
      );

      const receipts: string[] = [];
      for (const { p, signs, withdraws, declines } of rows) {
        const title = p.value.slice(0, 200);
        const reason = p.value.slice(0, 2000);
        const signed = await act(sp, 'acceptAndSignAction', {
          invitationId: signs.invitationId,
          orgId: signs.orgId,
          version: v1.version,
          contentSha256: v1.contentSha256,
          title,
          showName: false,
        });
        const bindingId = /"bindingId":"([0-9a-f-]{36})"/.exec(signed)?.[1];
        expect(bindingId, `${p.id}: a binding`).toBeTruthy();
        receipts.push(bindingId!);
        await act(sp, 'signStatementAction', {
          statementId,
          orgId: withdraws.orgId,
          version: v1.version,
          contentSha256: v1.contentSha256,
          title,
          showName: false,
        });
        await act(sp, 'withdrawSignatureAction', { statementId, orgId: withdraws.orgId, reason });
        await act(sp, 'declineToSignAction', { statementId, orgId: declines.orgId, reason });
      }

      for (const [k, bindingId] of receipts.entries())
        await visitClean(
          sp,
          `${base}/receipts/${bindingId}`,
          'receipt page: statement title, organization, signer title',
          chunk[k]!.id,
        );
      await visitClean(page, `${base}/invitations`, 'invitation board: the signature column', ids);

      // Reopen (the freeze panel offers the next version), edit, freeze v2: the signatures need re-confirmation.
      await act(page, 'reopenStatementAction', { statementId });
      await visitClean(page, base, 'statement overview: versions and the freeze panel', `${ids} reopened`);
      const hy = await textVersion(page.request, BASE_URL, statementId, 'hy');
      const saved = await putText(
        page.request,
        BASE_URL,
        statementId,
        'hy',
        { baseVersion: hy, title: statementTitle, doc: versionDoc(chunk, 2) },
        SAME_ORIGIN,
      );
      expect(saved.res.status(), saved.text.slice(0, 300)).toBe(200);
      const v2 = await freeze(page, statementId);
      expect(v2.version).toBe(2);
      await visitClean(page, base, 'statement overview: versions and the freeze panel', `${ids} v2`);

      // Re-confirming with the diff; the withdrawn ones with their reasons, the declined ones.
      await visitClean(
        sp,
        `${base}/sign`,
        'sign page: statement title and text, organizations, member titles, withdrawal reasons, the version diff',
        `${ids} re-confirmation with the diff`,
      );
      for (const [who, as] of [
        [page, 'initiator'],
        [sp, 'participant'],
      ] as const) {
        await visitClean(
          who,
          `${base}/signatures`,
          'signature board: organization names, signer titles, withdrawal and decline reasons',
          `${ids} as ${as}`,
        );
        // Every reason, as text (the initiators see declines; participants see them as not signed).
        if (as === 'initiator')
          for (const p of chunk)
            expect(await mainShows(page, p.value.slice(0, 2000).trim()), `${p.id}: the reason, as text`).toBe(
              true,
            );
      }

      // The e-mails to the signer: a receipt per signature, a re-confirmation request per signature on v1, and
      // "open for signature" to the organizations that took part before the freeze. One of each subject.
      const kinds = {
        receipt: { button: msg('en', 'mail.signatureReceipt.button'), count: 2 * chunk.length },
        reconfirm: { button: msg('en', 'mail.reconfirmNeeded.button'), count: chunk.length },
        open: { button: msg('en', 'mail.signingOpen.button'), count: 1 },
      };
      type Kind = keyof typeof kinds;
      let mails: { kind: Kind; subject: string; html: string }[] = [];
      await expect(async () => {
        await sp.goto(mailboxUrl(signerEmail.user!.email!));
        const all = await mailboxMessages(sp, signerEmail.user!.email!).evaluateAll((els) =>
          els.map((li) => ({
            subject: li.querySelectorAll('dd')[1]?.textContent ?? '',
            html: li.querySelector('iframe')?.getAttribute('srcdoc') ?? '',
          })),
        );
        mails = all.flatMap(({ subject, html }) => {
          const kind = (Object.keys(kinds) as Kind[]).find((k) => html.includes(kinds[k].button));
          return kind && html.includes(statementId) ? [{ kind, subject, html }] : [];
        });
        for (const k of Object.keys(kinds) as Kind[])
          expect(mails.filter((m) => m.kind === k).length, `${k} e-mails`).toBeGreaterThanOrEqual(
            kinds[k].count,
          );
      }).toPass({ timeout: 30_000 });
      await assertClean(sp, 'development mailbox: to, subject, links, sandboxed HTML', `signing ${ids}`);
      const distinct = [...new Map(mails.map((m) => [`${m.kind} ${m.subject}`, m])).values()];
      for (const [n, m] of distinct.entries()) {
        const preview = `${BASE_URL}/__xss-mail-preview/signing-${n}`;
        await sp.route(preview, (route) =>
          route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body: m.html }),
        );
        await sp.goto(preview);
        await expect(sp.locator('body')).toContainText(kinds[m.kind].button);
        await assertClean(
          sp,
          'signing e-mails (receipt, re-confirmation, signing open), opened without a sandbox',
          `${ids} ${m.kind} #${n}`,
        );
        await sp.unroute(preview);
      }

      // Publication: the signing organizations re-confirm v2, the initiator signs and publishes. The public page
      // lists them (names and titles from the corpus) under the payload title and text; every signer organization
      // is e-mailed the public link.
      for (const { p, signs } of rows)
        await act(sp, 'signStatementAction', {
          statementId,
          orgId: signs.orgId,
          version: v2.version,
          contentSha256: v2.contentSha256,
          title: p.value.slice(0, 200),
          showName: false,
        });
      await act(page, 'signStatementAction', {
        statementId,
        orgId: mineId,
        version: v2.version,
        contentSha256: v2.contentSha256,
        showName: false,
      });
      const slug = `xss-${crypto.randomBytes(5).toString('hex')}`;
      expectAccepted(
        await callAction(
          page.request,
          BASE_URL,
          'app/_actions/publishing.ts#publishStatementAction',
          { json: [{ statementId, slug, displayDate: '2026-11-01', listOrder: 'alphabetical' }] },
          SAME_ORIGIN,
        ),
      );
      for (const lang of ['en', 'hy'])
        await visitClean(
          sp,
          `/${lang}/s/${slug}`,
          'public statement page after publication: title, text, signatory organizations and titles',
          `${ids} ${lang}`,
        );
      const published = msg('en', 'mail.published.button');
      let publishedMails: string[] = [];
      await expect(async () => {
        await sp.goto(mailboxUrl(signerEmail.user!.email!));
        publishedMails = (
          await mailboxMessages(sp, signerEmail.user!.email!).evaluateAll((els) =>
            els.map((li) => li.querySelector('iframe')?.getAttribute('srcdoc') ?? ''),
          )
        ).filter((html) => html.includes(published) && html.includes(`/s/${slug}`));
        expect(publishedMails.length, 'publication e-mails').toBeGreaterThanOrEqual(chunk.length);
      }).toPass({ timeout: 30_000 });
      const preview = `${BASE_URL}/__xss-mail-preview/published`;
      await sp.route(preview, (route) =>
        route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body: publishedMails[0]! }),
      );
      await sp.goto(preview);
      await expect(sp.locator('body')).toContainText(published);
      await assertClean(sp, 'publication e-mail, opened without a sandbox', ids);
      await sp.unroute(preview);

      await signerCtx.close();
    });
  }
});
