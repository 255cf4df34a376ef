// Publishing and the public record (issue 7; PRODUCT.md R1–R6, S7), end to end in a real browser against the
// production build: the initiator publishes the open version from the overview (slug, display date, joining
// window); the statement appears in the archive with its excerpt ending in "[…]" and in a search; its public page
// switches language; the PDF, CSV and JSON download; the verify page accepts the record and refuses it with one
// character changed; an organization asks to join, confirms its e-mail, the initiator approves it and it appears
// marked "joined on <date>"; the embed renders in an iframe of a page on another origin; close and withdraw show.
import crypto from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect, test, type Page } from '@playwright/test';
import { BASE_URL } from '../playwright.config';
import { mailboxMessages, mailboxUrl, uniqueEmail } from './helpers/auth';
import { msg } from './helpers/catalog';
import { newSession } from './helpers/invitations';
import { callAction, docOf, expectAccepted, postSign, putText, SAME_ORIGIN, seedStatement } from './helpers/registry';

test.use({ locale: 'en-US' });
test.describe.configure({ timeout: 420_000 });

const FIRST_LOAD = 60_000;
const t = (key: string, values: Record<string, string | number> = {}) =>
  msg('en', key, Object.fromEntries(Object.entries(values).map(([k, v]) => [k, String(v)])));
const rand = () => crypto.randomBytes(4).toString('hex');

/** A long text (>50 words) so the archive excerpt is cut with "[…]"; the last word occurs only in the body. */
function longBody(tag: string) {
  const words = Array.from({ length: 70 }, (_, i) => ['Մենք', 'պահանջում', 'ենք', 'բյուջեի', 'հրապարակային', 'քննարկում'][i % 6]).join(' ');
  return docOf(`${words} վերջաբան${tag}`, `We call for an open budget hearing ${tag}.`);
}

/** The join-confirmation link mailed to `email` (dev mailbox). */
async function joinLinkFor(page: Page, email: string): Promise<string> {
  let link = '';
  await expect(async () => {
    await page.goto(mailboxUrl(email));
    const links = mailboxMessages(page, email).getByRole('link', { name: /\/join\/confirm#t=/ });
    const hrefs = (await links.evaluateAll((els) => els.map((a) => a.getAttribute('href') ?? ''))).filter(Boolean);
    expect(hrefs.length).toBeGreaterThan(0);
    link = hrefs[0]!;
  }).toPass({ timeout: 20_000 });
  return link;
}

test('publish, archive, public page, downloads, verify, join after publication, embed, close and withdraw', async ({ browser }) => {
  const tag = rand();
  const initiator = await newSession(browser, uniqueEmail('pub-init'));
  const page = initiator.page;
  const request = initiator.ctx.request;
  const { orgId, statementId: id, title } = await seedStatement(request, BASE_URL, tag);
  const saved = await putText(request, BASE_URL, id, 'hy', { baseVersion: 0, title, doc: longBody(tag) }, SAME_ORIGIN);
  expect(saved.res.status(), saved.text).toBe(200);
  expectAccepted(await callAction(request, BASE_URL, 'app/_actions/signing.ts#freezeVersionAction', { json: [{ statementId: id }] }, SAME_ORIGIN));

  // Publishing is refused until the initiator is bound: the dialog says so.
  await page.goto(`/statements/${id}`);
  await expect(page.getByTestId('initiators-missing')).toBeVisible({ timeout: FIRST_LOAD });
  await expect(page.getByRole('button', { name: t('publishing.publishButton') })).toBeDisabled();
  expect((await postSign(request, BASE_URL, id, { orgId, version: 1 }, SAME_ORIGIN)).res.status()).toBe(201);

  // Publish from the overview, open for joining for a week.
  const slug = `open-budget-${tag}`;
  await page.reload();
  await expect(page.getByTestId('initiators-missing')).toHaveCount(0);
  await page.getByLabel(t('publishing.slugLabel')).fill(slug);
  await page.getByLabel(t('publishing.displayDateLabel')).fill('2026-11-20');
  await page.getByText(t('publishing.joiningLabel')).click();
  const until = new Date(Date.now() + 7 * 86_400_000);
  const local = `${until.getFullYear()}-${String(until.getMonth() + 1).padStart(2, '0')}-${String(until.getDate()).padStart(2, '0')}T12:00`;
  await page.getByLabel(t('publishing.joinUntilLabel')).fill(local);
  await page.getByRole('button', { name: t('publishing.publishButton') }).click();
  await page.getByRole('button', { name: t('publishing.publishConfirm') }).click();
  await expect(page.getByTestId('public-link')).toHaveText(`/en/s/${slug}`, { timeout: 30_000 });

  // The archive lists it with its excerpt; a word found only in the body finds it.
  await page.goto('/en');
  const item = page.getByTestId('archive-list').getByRole('listitem').filter({ hasText: title });
  await expect(item).toBeVisible();
  await expect(item.getByTestId('archive-excerpt')).toContainText('[…]');
  await page.goto(`/en/archive?q=${encodeURIComponent(`վերջաբան${tag}`)}`);
  await expect(page.getByTestId('archive-list').getByRole('link', { name: title })).toBeVisible();

  // The dashboard links it to its public page.
  await page.goto('/dashboard');
  await page
    .getByRole('listitem')
    .filter({ has: page.getByRole('link', { name: title }) })
    .getByTestId('dashboard-public-link')
    .click();
  await expect(page).toHaveURL(new RegExp(`/en/s/${slug}$`));

  // The public page: text, display date, initiator; switch language.
  await page.goto(`/en/s/${slug}`);
  await expect(page.getByRole('heading', { level: 1, name: title })).toBeVisible();
  await expect(page.getByTestId('display-date')).toHaveAttribute('datetime', '2026-11-20');
  await expect(page.getByTestId('signatory-list')).toContainText(`Drafting Group ${tag}`);
  await page.getByRole('navigation', { name: t('nav.language') }).getByRole('button', { name: 'Հայերեն' }).click();
  await expect(page).toHaveURL(new RegExp(`/hy/s/${slug}$`));
  await expect(page.getByRole('heading', { level: 1, name: title })).toBeVisible();
  // Back to English (the choice is remembered for the signed-in pages too).
  await page.getByRole('navigation', { name: msg('hy', 'nav.language') }).getByRole('button', { name: 'English' }).click();
  await expect(page).toHaveURL(new RegExp(`/en/s/${slug}$`));

  // Downloads: PDF, CSV, JSON.
  const pdf = await request.get(`/data/${slug}/hy/statement.pdf`);
  expect(pdf.status()).toBe(200);
  expect(pdf.headers()['content-type']).toContain('application/pdf');
  expect((await pdf.body()).subarray(0, 5).toString()).toBe('%PDF-');
  const csv = await request.get(`/data/${slug}/en/signatories.csv`);
  expect(csv.status()).toBe(200);
  expect(await csv.text()).toContain(`Drafting Group ${tag}`);
  const json = await request.get(`/data/${slug}/record.json`);
  expect(json.status()).toBe(200);
  const envelope = (await json.json()) as { record: { slug: string; texts: Record<string, { title: string }> }; sha256: string };
  expect(envelope.record.slug).toBe(slug);
  const recordText = JSON.stringify(envelope);

  // Verify: the record checks out; one character changed does not.
  await page.goto('/en/verify');
  await page.getByLabel(t('verify.recordLabel')).fill(recordText);
  await page.getByRole('button', { name: t('verify.submit') }).click();
  const result = page.getByRole('status').filter({ hasText: t('verify.hash') });
  await expect(result).toContainText(t('verify.hashOk'), { timeout: 15_000 });
  await expect(result).toContainText(t('verify.signatureOk'));
  const tampered = recordText.replace(`"title":"${title}"`, `"title":"${title.slice(0, -1)}X"`);
  expect(tampered).not.toBe(recordText);
  await page.getByLabel(t('verify.recordLabel')).fill(tampered);
  await page.getByRole('button', { name: t('verify.submit') }).click();
  await expect(result).toContainText(t('verify.hashBad'), { timeout: 15_000 });

  // An organization asks to join, confirms its e-mail; the initiator approves; it is listed as joined on a date.
  const joiner = await browser.newContext({ locale: 'en-US', storageState: { cookies: [], origins: [] } });
  const jp = await joiner.newPage();
  const joinEmail = uniqueEmail('joiner');
  const joinName = `Joining Union ${tag}`;
  await jp.goto(`/${'en'}/s/${slug}`);
  await jp.getByRole('link', { name: t('publicStatement.join') }).click();
  await expect(jp).toHaveURL(new RegExp(`/join/${slug}`));
  await jp.getByLabel(t('joining.kindOrganization')).check();
  await jp.getByLabel(t('joining.orgName')).fill(joinName);
  await jp.getByLabel(t('joining.city')).fill('Gyumri');
  await jp.getByLabel(t('joining.country')).fill('Armenia');
  await jp.getByLabel(t('joining.email')).fill(joinEmail);
  await jp.getByRole('button', { name: t('joining.submit') }).click();
  await expect(jp.getByRole('heading', { name: t('joining.sentHeading') })).toBeVisible({ timeout: 15_000 });
  const link = await joinLinkFor(jp, joinEmail);
  await jp.goto(link);
  await jp.getByRole('button', { name: t('joining.confirmButton') }).click();
  await expect(jp.getByText(t('joining.confirmed', { title, name: joinName }))).toBeVisible({ timeout: 15_000 });
  await joiner.close();

  await page.goto(`/statements/${id}/joins`);
  await page.getByRole('button', { name: `${t('joining.queue.approve')} ${joinName}` }).click();
  await expect(page.getByText(t('joining.queue.approvedDone', { name: joinName }))).toBeVisible({ timeout: 15_000 });
  await page.goto(`/en/s/${slug}`);
  const joined = page.getByTestId('signatory-list').getByRole('listitem').filter({ hasText: joinName });
  await expect(joined).toContainText(t('publicStatement.methodJoinRequest'));
  await expect(joined).toContainText(/joined on /);

  // The embed renders inside an iframe on a page of another origin.
  const other = http.createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(`<!doctype html><title>Partner site</title><h1>Our partner statement</h1><iframe id="us" src="${BASE_URL}/embed/en/${slug}" width="600" height="600"></iframe>`);
  });
  await new Promise<void>((r) => other.listen(0, '127.0.0.1', r));
  try {
    const otherUrl = `http://127.0.0.1:${(other.address() as AddressInfo).port}/`;
    await page.goto(otherUrl);
    const frame = page.frameLocator('#us');
    await expect(frame.getByText(title).first()).toBeVisible({ timeout: 30_000 });
    await expect(frame.getByText(joinName)).toBeVisible();
  } finally {
    other.close();
  }

  // Close, then withdraw with a public reason: both show on the public page.
  await page.goto(`/statements/${id}`);
  await page.getByRole('button', { name: t('publishing.closeButton') }).click();
  await page.getByRole('button', { name: t('publishing.closeConfirm') }).click();
  await expect(page.getByText(t('publishing.stateLine', { state: t('statementStates.closed') }))).toBeVisible({ timeout: 15_000 });
  await page.goto(`/en/s/${slug}`);
  await expect(page.getByTestId('closed-banner')).toBeVisible();
  await expect(page.getByRole('link', { name: t('publicStatement.join') })).toHaveCount(0);

  await page.goto(`/statements/${id}`);
  const reason = `The coalition replaced it with a joint letter ${tag}.`;
  await page.getByLabel(t('publishing.withdrawReasonLabel')).fill(reason);
  await page.getByRole('button', { name: t('publishing.withdrawButton') }).click();
  await page.getByRole('button', { name: t('publishing.withdrawConfirm') }).click();
  await expect(page.getByText(t('publishing.stateLine', { state: t('statementStates.withdrawn') }))).toBeVisible({ timeout: 15_000 });
  await page.goto(`/en/s/${slug}`);
  await expect(page.getByTestId('withdrawn-banner')).toContainText(reason);
  await expect(page.getByRole('heading', { level: 1, name: title })).toBeVisible();
  await initiator.ctx.close();
});
