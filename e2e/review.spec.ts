// Review (PRODUCT.md D5) in a real browser against the production build: an initiator selects a passage of the
// current draft and comments on it; the passage is highlighted and stays anchored when text is inserted before
// it, is re-found when a word inside changes, and is shown as detached when removed; replies, a comment on the
// whole statement, resolve / reopen and the open/resolved filter; keyboard use; axe on a laptop and a phone; the
// XSS corpus as comment bodies and quotes. Participants' access is proved in lib/comment-access.test.ts (their
// organizations arrive through invitations).
import crypto from 'node:crypto';
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import { XSS_INIT_SCRIPT, XSS_PAYLOADS } from '../lib/testing/xss-corpus';
import { BASE_URL } from '../playwright.config';
import { signIn, uniqueEmail } from './helpers/auth';
import { msg } from './helpers/catalog';
import { callAction, docOf, expectAccepted, putText, SAME_ORIGIN, seedStatement } from './helpers/registry';

test.use({ locale: 'en-US' });
test.describe.configure({ timeout: 240_000 });

const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];
const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1280, height: 800 };
const t = (key: string, values: Record<string, string> = {}) => msg('en', key, values);
const rand = () => crypto.randomBytes(4).toString('hex');

const PARAGRAPHS = [
  'We call on the government to publish the draft law on assemblies.',
  'The draft must be open to comment for thirty days before the vote.',
  'Civil society must be heard before the vote, not after it.',
];
const PASSAGE = 'open to comment for thirty days';

/** Select `passage` inside the review text the way a mouse drag would leave it (a DOM selection). */
async function selectPassage(page: Page, passage: string) {
  await page.getByTestId('review-text').evaluate((root, p) => {
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const i = (n as Text).data.indexOf(p);
      if (i < 0) continue;
      const r = document.createRange();
      r.setStart(n, i);
      r.setEnd(n, i + p.length);
      const s = document.getSelection()!;
      s.removeAllRanges();
      s.addRange(r);
      return;
    }
    throw new Error(`"${p}" is not in the text`);
  }, passage);
}

async function save(
  page: Page,
  statementId: string,
  title: string,
  baseVersion: number,
  paragraphs: string[],
) {
  const r = await putText(
    page.request,
    BASE_URL,
    statementId,
    'hy',
    { baseVersion, title, doc: docOf(...paragraphs) },
    SAME_ORIGIN,
  );
  expect(r.res.status(), r.text).toBe(200);
}

async function expectNoViolations(page: Page, label: string) {
  const { violations } = await new AxeBuilder({ page }).withTags(WCAG_TAGS).analyze();
  expect(
    violations.map((v) => ({ rule: v.id, nodes: v.nodes.slice(0, 3).map((n) => n.target.join(' ')) })),
    `axe on ${label}`,
  ).toEqual([]);
}

const thread = (page: Page, body: string) =>
  page.locator('li[data-comment-id]').filter({ hasText: body }).first();

test('an initiator comments on a passage; it stays anchored, is re-found, then detached; replies, resolve, reopen, filter; axe', async ({
  page,
}) => {
  await signIn(page, uniqueEmail('review'));
  const { statementId, title } = await seedStatement(page.request, BASE_URL, rand());
  await save(page, statementId, title, 0, PARAGRAPHS);

  await page.goto(`/statements/${statementId}/review`);
  await expect(page).toHaveURL(new RegExp(`/statements/${statementId}/review/hy$`));
  // Exact: the header's "Signed in as review-…@example.org" contains the word too.
  await expect(page.getByRole('link', { name: t('statements.tabReview'), exact: true })).toHaveAttribute(
    'aria-current',
    'page',
  );
  await expect(page.getByText(t('comments.empty'))).toBeVisible();
  await expect(page.getByText(t('comments.selectHint'))).toBeVisible();

  // Select a passage: "Comment on this passage" appears; the form shows the quote.
  await selectPassage(page, PASSAGE);
  await page.getByRole('button', { name: t('comments.commentOnPassage') }).click();
  const body = `Thirty days is too short, see https://example.org/rules ${rand()}`;
  await page.getByLabel(t('comments.bodyLabel')).fill(body);
  await page.getByRole('button', { name: t('comments.submit') }).click();
  const mark = page.locator('mark[data-comment-id]');
  await expect(mark).toHaveText(PASSAGE);
  const th = thread(page, body);
  await expect(th).toBeVisible();
  // The link in the body is clickable and safe.
  await expect(th.getByRole('link', { name: 'https://example.org/rules' })).toHaveAttribute(
    'rel',
    'noopener noreferrer nofollow ugc',
  );
  await expect(page.getByTestId('open-count')).toHaveText('1 open comment');

  // Keyboard: the thread's quote button takes the focus to the passage.
  await th.getByRole('button', { name: new RegExp(t('comments.showPassage')) }).focus();
  await page.keyboard.press('Enter');
  await expect(mark).toBeFocused();

  // A comment on the whole statement, and a reply (keyboard only).
  await page.getByRole('button', { name: t('comments.commentOnWhole') }).click();
  const whole = `Good letter overall ${rand()}`;
  await page.getByLabel(t('comments.commentOnWhole')).fill(whole);
  await page.getByRole('button', { name: t('comments.submit') }).click();
  await expect(thread(page, whole)).toContainText(t('comments.onWhole'));
  await th.getByRole('button', { name: t('comments.reply') }).focus();
  await page.keyboard.press('Enter');
  await expect(page.getByLabel(t('comments.replyLabel'))).toBeFocused();
  await page.keyboard.type('Agreed, forty days.');
  await th.getByRole('button', { name: t('comments.submitReply') }).click();
  await expect(th).toContainText('Agreed, forty days.');

  await page.setViewportSize(DESKTOP);
  await expectNoViolations(page, 'review (desktop)');
  await page.setViewportSize(PHONE);
  await expectNoViolations(page, 'review (phone)');
  const overflow = await page.evaluate(
    () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
  );
  expect(overflow, 'no sideways scrolling on a phone').toBeLessThanOrEqual(0);
  await page.screenshot({ path: 'test-results/screenshots/review-phone.png', fullPage: true });
  await page.setViewportSize(DESKTOP);

  // Text inserted before the passage: still anchored, exactly.
  await save(page, statementId, title, 1, ['A new preamble, adopted in May.', ...PARAGRAPHS]);
  await page.reload();
  await expect(mark).toHaveText(PASSAGE);
  await expect(th).not.toContainText(t('comments.changedPassage'));

  // One word inside changed: re-found (fuzzy), said so.
  await save(page, statementId, title, 2, [
    'A new preamble, adopted in May.',
    PARAGRAPHS[0]!,
    PARAGRAPHS[1]!.replace('thirty', 'forty'),
    PARAGRAPHS[2]!,
  ]);
  await page.reload();
  await expect(mark).toContainText('open to comment for forty');
  await expect(th).toContainText(t('comments.changedPassage'));

  // The passage removed: detached.
  await save(page, statementId, title, 3, [
    'A new preamble, adopted in May.',
    PARAGRAPHS[0]!,
    PARAGRAPHS[2]!,
  ]);
  await page.reload();
  await expect(mark).toHaveCount(0);
  await expect(th.getByTestId('detached')).toHaveText(t('comments.detached'));

  // Resolve: out of the open list, in the resolved one; reopen.
  await th.getByRole('button', { name: t('comments.resolve') }).click();
  await expect(page.getByTestId('open-count')).toHaveText('1 open comment');
  await expect(thread(page, body)).toHaveCount(0);
  await page.getByRole('button', { name: t('comments.filterResolved', { count: '1' }) }).click();
  await expect(thread(page, body)).toHaveAttribute('data-resolved', 'true');
  await thread(page, body)
    .getByRole('button', { name: t('comments.reopen') })
    .click();
  await expect(page.getByText(t('comments.emptyFiltered'))).toBeVisible();
  await page.getByRole('button', { name: t('comments.filterOpen', { count: '2' }) }).click();
  await expect(thread(page, body)).toHaveAttribute('data-resolved', 'false');
});

test('the XSS corpus as comment bodies and quotes: text, never markup; nothing runs', async ({ page }) => {
  const hits: string[] = [];
  page.on('dialog', (d) => {
    hits.push(d.message());
    void d.dismiss();
  });
  await page.addInitScript(XSS_INIT_SCRIPT);
  await signIn(page, uniqueEmail('review-xss'));
  const { statementId, title } = await seedStatement(page.request, BASE_URL, rand());
  await save(page, statementId, title, 0, PARAGRAPHS);
  for (const p of XSS_PAYLOADS.filter((x) => x.value.length <= 1000)) {
    const r = await callAction(
      page.request,
      BASE_URL,
      'app/_actions/comments.ts#addCommentAction',
      {
        form: {
          statementId,
          body: p.value,
          anchorLang: 'hy',
          anchorVersion: '1',
          anchorExact: p.value,
          anchorPrefix: p.value.slice(0, 64),
          anchorSuffix: '',
        },
      },
      SAME_ORIGIN,
    );
    expectAccepted(r);
  }
  await page.goto(`/statements/${statementId}/review/hy`);
  await expect(page.locator('li[data-comment-id]').first()).toBeVisible();
  const r = await page.evaluate(() => {
    const w = window as unknown as { __xssHits?: string[]; __xssCsp?: string[] };
    const injected: string[] = [];
    for (const el of Array.from(document.querySelectorAll('main *'))) {
      for (const a of Array.from(el.attributes))
        if (
          /^on/i.test(a.name) ||
          (/^(href|src)$/i.test(a.name) && /^\s*(javascript|vbscript|data):/i.test(a.value))
        )
          injected.push(`<${el.tagName.toLowerCase()} ${a.name}>`);
      if (['IFRAME', 'OBJECT', 'EMBED', 'BASE', 'META'].includes(el.tagName.toUpperCase()))
        injected.push(`<${el.tagName.toLowerCase()}>`);
    }
    return { hits: w.__xssHits, csp: w.__xssCsp, injected };
  });
  expect({ ...r, dialogs: hits }).toEqual({ hits: [], csp: [], injected: [], dialogs: [] });
  // Every payload is on the page as text.
  const text = await page.locator('main').innerText();
  for (const p of XSS_PAYLOADS.filter((x) => x.value.length <= 1000 && !/^\s|\s$/.test(x.value)).slice(0, 10))
    expect(text).toContain(p.value.split('\n')[0]!.slice(0, 40));
});
