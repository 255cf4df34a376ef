// Drafting a statement in a real browser against the production build (PRODUCT.md D1–D4, SECURITY.md I6, I9):
// the editor and its toolbar, autosave and reload, two windows saving the same text (keep mine / take theirs),
// revision history (compare, view, restore), a translation that goes out of date and is marked up to date,
// saving with the network cut (local copy, retry), who may see a draft, axe on every drafting page, and XSS in
// titles, summaries, text and crafted autosave bodies. Every test has its own users, organization and statement.
// Screenshots (1280 and 390 wide) of the editor, the conflict panel, the history diff and the translation side
// by side go to test-results/screens/ for a human look.
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
import { XSS_INIT_SCRIPT, XSS_PAYLOADS } from '../lib/testing/xss-corpus';
import { BASE_URL } from '../playwright.config';
import { signIn, uniqueEmail } from './helpers/auth';
import { msg } from './helpers/catalog';

test.use({ locale: 'en-US' });
// Sign-in, an organization and a statement per test, then real typing, on a slow machine: generous budgets.
test.describe.configure({ timeout: 300_000 });

const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];
const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1280, height: 800 };
const SCREENS = path.join('test-results', 'screens');
const FIRST_LOAD = 60_000; // the first visit of a page compiles nothing (production build) but loads Tiptap
const t = (key: string, values: Record<string, string | number> = {}) =>
  msg('en', key, Object.fromEntries(Object.entries(values).map(([k, v]) => [k, String(v)])));
const rand = () => crypto.randomBytes(6).toString('hex');

// ---------------------------------------------------------------------------------------------------------
// Sessions, organizations, statements

type Session = { ctx: BrowserContext; page: Page; email: string };

/**
 * Dialogs: "leave the page with unsaved changes?" (beforeunload) is accepted, so reloads and navigations
 * proceed; any other dialog is dismissed and reported to `onOther` (the XSS test counts them as executions).
 */
function handleDialogs(page: Page, onOther?: (message: string) => void) {
  page.on('dialog', (d) => {
    if (d.type() === 'beforeunload') void d.accept().catch(() => {});
    else {
      onOther?.(`${d.type()} "${d.message()}" on ${page.url()}`);
      void d.dismiss().catch(() => {});
    }
  });
}

async function newSession(
  browser: Browser,
  email: string,
  opts: { init?: string[]; onDialog?: (m: string) => void } = {},
): Promise<Session> {
  const ctx = await browser.newContext({ locale: 'en-US' });
  for (const s of opts.init ?? []) await ctx.addInitScript(s);
  const page = await ctx.newPage();
  handleDialogs(page, opts.onDialog);
  await signIn(page, email);
  return { ctx, page, email };
}

/** Create an organization through the UI (the signed-in user becomes its owner). Returns its name. */
async function createOrg(page: Page): Promise<string> {
  // Mostly random characters, so no earlier test's organization looks similar (trigram similarity).
  const name = `Org ${rand()}`;
  await page.goto('/manage/orgs/new');
  await expect(page.getByRole('heading', { level: 1, name: t('orgs.newTitle') })).toBeVisible({
    timeout: FIRST_LOAD,
  });
  await page.getByLabel(t('orgs.fieldName'), { exact: true }).fill(name);
  await page.getByLabel(t('orgs.fieldNameEn')).fill(name);
  await page.getByLabel(t('orgs.fieldCity')).fill('Yerevan');
  await page.getByLabel(t('orgs.fieldCountry')).fill('Armenia');
  await page.getByRole('button', { name: t('orgs.create') }).click();
  const confirm = page.getByRole('checkbox', { name: t('orgs.confirmDistinct') });
  const heading = page.getByRole('heading', { level: 1, name });
  await expect(heading.or(confirm)).toBeVisible({ timeout: 30_000 });
  if (await confirm.isVisible()) {
    await confirm.check();
    await page.getByRole('button', { name: t('orgs.create') }).click();
  }
  await expect(heading).toBeVisible({ timeout: 30_000 });
  return name;
}

/** Create a statement through /statements/new; ends on its overview. Returns the statement id. */
async function createStatement(page: Page, opts: { title: string; summary?: string }): Promise<string> {
  await page.goto('/statements/new');
  await expect(page.getByRole('heading', { level: 1, name: t('statements.newTitle') })).toBeVisible({
    timeout: FIRST_LOAD,
  });
  await page.getByLabel(t('statements.fieldTitle'), { exact: true }).fill(opts.title);
  if (opts.summary !== undefined) await page.getByLabel(t('statements.fieldSummary')).fill(opts.summary);
  await page.getByRole('button', { name: t('statements.create') }).click();
  await expect(page).toHaveURL(/\/statements\/[0-9a-f-]{36}$/, { timeout: 30_000 });
  return new URL(page.url()).pathname.split('/').pop()!;
}

/** A signed-in user with an organization and one statement (primary language English). */
async function owner(
  browser: Browser,
  prefix: string,
  title = `Statement ${rand()}`,
  opts: Parameters<typeof newSession>[2] = {},
) {
  const s = await newSession(browser, uniqueEmail(prefix), opts);
  await createOrg(s.page);
  const id = await createStatement(s.page, { title });
  return { ...s, id, title };
}

// ---------------------------------------------------------------------------------------------------------
// The editor

const editorBody = (page: Page) => page.getByRole('textbox', { name: t('editor.bodyLabel') });
const saveStatus = (page: Page) => page.locator('[data-save-status]');
const tool = (page: Page, key: string) =>
  page.getByRole('toolbar', { name: t('editor.toolbar') }).getByRole('button', { name: t(key), exact: true });
const draftKey = (id: string, lang: string) => `undersigned:draft:${id}:${lang}`;

async function openEditor(page: Page, id: string, lang = 'en') {
  await page.goto(`/statements/${id}/edit/${lang}`);
  await expect(editorBody(page)).toBeVisible({ timeout: FIRST_LOAD });
  await expect(editorBody(page)).toHaveAttribute('contenteditable', 'true');
}

/**
 * Saved: the indicator says so and the browser copy of unsaved text is gone (cleared only when the server has
 * exactly what the editor shows), so a stale "saved" from before the last keystroke does not count.
 */
async function waitSaved(page: Page, id: string, lang = 'en', timeout = 30_000) {
  await expect
    .poll(
      async () =>
        page.evaluate(
          (k) =>
            `${document.querySelector('[data-save-status]')?.getAttribute('data-save-status')}|${localStorage.getItem(k) === null ? 'clean' : 'local copy'}`,
          draftKey(id, lang),
        ),
      { timeout, message: 'the editor saved everything' },
    )
    .toBe('saved|clean');
}

/** The version numbers the autosave route answered with on this page, in order. */
function trackSaves(page: Page) {
  const bodies: Promise<{ version?: number } | null>[] = [];
  page.on('response', (res) => {
    if (
      res.request().method() !== 'PUT' ||
      !/^\/api\/statements\/[^/]+\/texts\/[^/]+$/.test(new URL(res.url()).pathname) ||
      res.status() !== 200
    )
      return;
    bodies.push(res.json().catch(() => null));
  });
  return {
    async last(): Promise<number> {
      const all = (await Promise.all(bodies)).filter(
        (b): b is { version: number } => typeof b?.version === 'number',
      );
      expect(all.length, 'a successful save').toBeGreaterThan(0);
      return all[all.length - 1]!.version;
    },
  };
}

/** Type into an empty editor and wait until it is saved. */
async function typeAndSave(page: Page, id: string, lang: string, text: string) {
  await editorBody(page).click();
  await page.keyboard.type(text);
  await waitSaved(page, id, lang);
}

async function putText(request: APIRequestContext, id: string, lang: string, body: unknown) {
  const res = await request.put(`/api/statements/${id}/texts/${lang}`, {
    headers: { origin: BASE_URL, 'content-type': 'application/json', connection: 'close' },
    data: JSON.stringify(body),
    failOnStatusCode: false,
  });
  const text = await res.text();
  let json: {
    error?: { code?: string; problem?: { path?: string; reason?: string }; current?: unknown };
    version?: number;
  } | null = null;
  try {
    json = JSON.parse(text);
  } catch {
    /* not JSON */
  }
  return { status: res.status(), text, json };
}

/** Versions listed in the revision table of one language (without the "v0" starting row). */
async function listedVersions(page: Page, id: string, lang = 'en'): Promise<number[]> {
  await page.goto(`/statements/${id}/history/${lang}`);
  await expect(
    page.getByRole('heading', {
      level: 2,
      name: t('statements.revisionsHeading', { language: lang === 'en' ? 'English' : 'Armenian' }),
    }),
  ).toBeVisible({ timeout: FIRST_LOAD });
  const vs = await page
    .locator('tr[data-version]')
    .evaluateAll((rows) => rows.map((r) => Number(r.getAttribute('data-version'))));
  return vs.filter((v) => v > 0);
}

// ---------------------------------------------------------------------------------------------------------
// Screenshots and axe

async function shoot(page: Page, name: string, ready: () => Promise<void> = async () => {}) {
  fs.mkdirSync(SCREENS, { recursive: true });
  const before = page.viewportSize();
  for (const [label, size] of [
    ['desktop', DESKTOP],
    ['phone', PHONE],
  ] as const) {
    await page.setViewportSize(size);
    await ready();
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: path.join(SCREENS, `drafting-${name}-${label}.png`), fullPage: true });
  }
  if (before) await page.setViewportSize(before);
}

async function expectNoViolations(page: Page, label: string) {
  const builder = new AxeBuilder({ page }).withTags(WCAG_TAGS);
  if ((await page.locator('iframe[sandbox]').count()) > 0) builder.setLegacyMode();
  const { violations } = await builder.analyze();
  const summary = violations.map((v) => ({
    rule: v.id,
    impact: v.impact,
    help: v.help,
    nodes: v.nodes
      .slice(0, 5)
      .map((n) => `${n.target.join(' ')} — ${n.failureSummary?.split('\n').slice(1).join(' ')}`),
  }));
  expect(summary, `axe violations on ${label}`).toEqual([]);
}

/** Axe on a laptop and a phone (as e2e/a11y.spec.ts), and nothing wider than the phone. */
async function checkA11y(page: Page, name: string, ready: () => Promise<void>) {
  await page.setViewportSize(DESKTOP);
  await ready();
  await expectNoViolations(page, `${name} (desktop)`);
  await page.setViewportSize(PHONE);
  await ready();
  await expectNoViolations(page, `${name} (phone)`);
  const overflow = await page.evaluate(() => {
    const w = document.documentElement.clientWidth;
    const by = document.documentElement.scrollWidth - w;
    if (by <= 0) return { by: 0, culprits: [] };
    // The outermost elements wider than the phone (their parent fits), and absolutely positioned ones past the
    // edge (they escape a scrolling container that is not their containing block, e.g. visually hidden labels).
    const over = (el: Element | null) =>
      !!el && el !== document.body && el.getBoundingClientRect().right > w + 0.5;
    const escapes = (el: Element) => ['absolute', 'fixed'].includes(getComputedStyle(el).position);
    const culprits = Array.from(document.querySelectorAll('body *'))
      .filter((el) => over(el) && (!over(el.parentElement) || escapes(el)))
      .slice(0, 5)
      .map(
        (el) =>
          `${el.tagName.toLowerCase()}.${String(el.getAttribute('class') ?? '')
            .split(' ')
            .slice(0, 3)
            .join('.')} → ${Math.round(el.getBoundingClientRect().right)}px`,
      );
    return { by, culprits };
  });
  expect.soft(overflow, `${name} scrolls sideways on a phone`).toEqual({ by: 0, culprits: [] });
  await page.setViewportSize(DESKTOP);
}

// ---------------------------------------------------------------------------------------------------------
// 1. The editor: formatting survives a save and a reload

test('editor: heading, bold, list, link and footnote are saved and come back after a reload', async ({
  browser,
}) => {
  const o = await owner(browser, 'draft-editor');
  const { page, id } = o;
  try {
    // The overview links to the editor of the primary text.
    await page.getByRole('link', { name: `${t('statements.edit')} English` }).click();
    await expect(page).toHaveURL(new RegExp(`/statements/${id}/edit/en$`));
    await expect(editorBody(page)).toBeVisible({ timeout: FIRST_LOAD });
    await expect(page.getByLabel(t('statements.fieldTitleIn', { language: 'English' }))).toHaveValue(o.title);
    await expect(saveStatus(page)).toHaveAttribute('data-save-status', 'idle');

    const body = editorBody(page);
    await body.click();
    await tool(page, 'editor.heading2').click();
    await page.keyboard.type('Our position');
    await page.keyboard.press('Enter');
    await page.keyboard.type('We stand with ');
    await tool(page, 'editor.bold').click();
    await expect(tool(page, 'editor.bold')).toHaveAttribute('aria-pressed', 'true');
    await page.keyboard.type('civil society');
    await tool(page, 'editor.bold').click();
    await page.keyboard.type(' everywhere.');
    await page.keyboard.press('Enter');
    // Markdown-style: "- " starts a bulleted list; Enter on an empty item leaves it.
    await page.keyboard.type('- ');
    await expect(tool(page, 'editor.bulletList')).toHaveAttribute('aria-pressed', 'true');
    await page.keyboard.type('Free assembly');
    await page.keyboard.press('Enter');
    await page.keyboard.type('Free press');
    await page.keyboard.press('Enter');
    await page.keyboard.press('Enter');
    await expect(tool(page, 'editor.bulletList')).toHaveAttribute('aria-pressed', 'false');
    // A link on selected words: toolbar → address form → Apply.
    await page.keyboard.type('Read the report');
    await page.keyboard.press('Shift+Home');
    await tool(page, 'editor.link').click();
    const address = page.getByLabel(t('editor.linkAddress'));
    await expect(address).toBeFocused();
    await address.fill('https://example.org/report');
    await page.getByRole('button', { name: t('editor.apply'), exact: true }).click();
    await expect(address).toHaveCount(0);
    await expect(body.locator('a[href="https://example.org/report"]')).toHaveText('Read the report');
    // A footnote at the end of the paragraph.
    await page.keyboard.press('End');
    await tool(page, 'editor.footnote').click();
    const noteText = page.getByLabel(t('editor.footnoteText'));
    await expect(noteText).toBeFocused();
    await noteText.fill('Published on 1 May 2025.');
    await page
      .locator('form')
      .filter({ has: noteText })
      .getByRole('button', { name: t('editor.insertFootnote'), exact: true })
      .click();
    await expect(body.locator('sup.footnote-ref')).toHaveCount(1);
    const notes = page.getByRole('region', { name: t('editor.notesHeading') });
    await expect(notes.getByRole('listitem')).toHaveText(['Published on 1 May 2025.']);
    await page.keyboard.type(' Thank you.');
    await waitSaved(page, id);
    await expect(saveStatus(page)).toContainText(t('editor.savedAt', { time: '' }).trim());
    await shoot(page, 'editor', async () => {
      await expect(body.locator('h2')).toBeVisible();
    });

    // Reload: everything comes back from the server (the browser copy is gone).
    await page.reload();
    await expect(body).toBeVisible({ timeout: FIRST_LOAD });
    expect(await page.evaluate((k) => localStorage.getItem(k), draftKey(id, 'en'))).toBeNull();
    await expect(body.locator('h2')).toHaveText('Our position');
    await expect(body.locator('p').filter({ hasText: 'We stand with' })).toHaveText(
      'We stand with civil society everywhere.',
    );
    await expect(body.locator('strong')).toHaveText('civil society');
    await expect(body.locator('ul > li')).toHaveText(['Free assembly', 'Free press']);
    await expect(body.locator('a')).toHaveCount(1);
    await expect(body.locator('a')).toHaveAttribute('href', 'https://example.org/report');
    await expect(body.locator('a')).toContainText('Read the report');
    await expect(body.locator('sup.footnote-ref')).toHaveCount(1);
    await expect(body.locator('sup.footnote-ref')).toHaveAttribute(
      'data-footnote',
      'Published on 1 May 2025.',
    );
    await expect(
      page.getByRole('region', { name: t('editor.notesHeading') }).getByRole('listitem'),
    ).toHaveCount(1);
    await expect(
      page.getByRole('region', { name: t('editor.notesHeading') }).getByRole('listitem'),
    ).toHaveText(['Published on 1 May 2025.']);
    await expect(body).toContainText('Thank you.');
    await expect(saveStatus(page)).toHaveAttribute('data-save-status', 'idle');
    await expect(saveStatus(page)).toContainText(t('editor.lastSaved', { when: '' }).trim());
  } finally {
    await o.ctx.close();
  }
});

// ---------------------------------------------------------------------------------------------------------
// 2. Two windows, one text: a visible conflict, never a silent overwrite

async function twoWindows(browser: Browser, prefix: string) {
  const one = await owner(browser, prefix);
  // The same person signs in a second time, in a second browser (two sessions).
  const other = await browser.newContext({ locale: 'en-US' });
  const two = await other.newPage();
  handleDialogs(two);
  await signIn(two, one.email);
  await openEditor(one.page, one.id);
  await openEditor(two, one.id);
  // Window 1 saves on top of version 0; window 2 still has version 0.
  await typeAndSave(one.page, one.id, 'en', 'Text from the first window.');
  await editorBody(two).click();
  await two.keyboard.type('Text from the second window.');
  await expect(saveStatus(two)).toHaveAttribute('data-save-status', 'conflict', { timeout: 30_000 });
  const panel = two.getByTestId('conflict-panel');
  await expect(panel).toBeVisible();
  await expect(panel.getByRole('heading', { name: t('editor.conflictHeading') })).toBeVisible();
  // The panel shows what window 2 would change in window 1's text.
  await expect(panel.locator('.diff-view del')).toContainText(['first']);
  await expect(panel.locator('.diff-view ins')).toContainText(['second']);
  // Nothing more is sent while the conflict is on screen, and the editor is read-only: typing and the
  // toolbar change nothing (the text "Keep mine" would save is the one the panel shows).
  await expect(editorBody(two)).toHaveAttribute('contenteditable', 'false');
  await expect(tool(two, 'editor.heading2')).toBeDisabled();
  await expect(two.getByLabel(t('statements.fieldTitleIn', { language: 'English' }))).not.toBeEditable();
  await editorBody(two).click();
  await two.keyboard.type('typed during the conflict');
  // Even a click that reaches the buttons (force: no actionability checks) changes nothing.
  await tool(two, 'editor.heading2')
    .click({ force: true, timeout: 5_000 })
    .catch(() => {});
  await tool(two, 'editor.horizontalRule')
    .click({ force: true, timeout: 5_000 })
    .catch(() => {});
  await expect(editorBody(two)).toHaveText('Text from the second window.');
  await expect(editorBody(two).locator('h2, hr')).toHaveCount(0);
  return { one, two, other, panel };
}

test('conflict: two windows of the same person; the second keeps its own text on top', async ({
  browser,
}) => {
  const { one, two, other, panel } = await twoWindows(browser, 'draft-keep');
  try {
    await shoot(two, 'conflict', async () => {
      await expect(panel).toBeVisible();
    });
    await panel.getByRole('button', { name: t('editor.keepMine') }).click();
    await waitSaved(two, one.id);
    await expect(panel).toHaveCount(0);
    await expect(editorBody(two)).toHaveAttribute('contenteditable', 'true');
    await expect(tool(two, 'editor.heading2')).toBeEnabled();
    await expect(two.getByLabel(t('statements.fieldTitleIn', { language: 'English' }))).toBeEditable();

    // History: window 1's save (v1) and the keep-mine save on top (v2); the current text is window 2's.
    expect(await listedVersions(two, one.id)).toEqual([2, 1]);
    await two.goto(`/statements/${one.id}/history/en?view=1`);
    await expect(
      two.getByRole('heading', { level: 2, name: t('statements.viewingVersion', { version: 1 }) }),
    ).toBeVisible();
    await expect(two.getByRole('main')).toContainText('Text from the first window.');
    await two.goto(`/statements/${one.id}/history/en?view=2`);
    await expect(two.getByRole('main')).toContainText('Text from the second window.');
    await openEditor(one.page, one.id);
    await expect(editorBody(one.page)).toHaveText('Text from the second window.');
  } finally {
    await one.ctx.close();
    await other.close();
  }
});

test('conflict: the second window takes theirs; its own text is set aside, nothing is saved', async ({
  browser,
}) => {
  const { one, two, other, panel } = await twoWindows(browser, 'draft-theirs');
  try {
    await panel.getByRole('button', { name: t('editor.takeTheirs') }).click();
    await expect(panel).toHaveCount(0);
    await expect(editorBody(two)).toHaveText('Text from the first window.');
    await expect(editorBody(two)).toHaveAttribute('contenteditable', 'true');
    const aside = two.getByTestId('aside-panel');
    await expect(aside).toBeVisible();
    await expect(aside.getByRole('heading', { name: t('editor.asideHeading') })).toBeVisible();
    await expect(aside).toContainText('Text from the second window.');
    await expect(saveStatus(two)).toHaveAttribute('data-save-status', 'idle');
    // The set-aside text stays in this browser across a reload, until dismissed.
    await two.reload();
    await expect(editorBody(two)).toHaveText('Text from the first window.', { timeout: FIRST_LOAD });
    await expect(two.getByTestId('aside-panel')).toContainText('Text from the second window.');
    await expect(saveStatus(two)).toHaveAttribute('data-save-status', 'idle');
    await two
      .getByTestId('aside-panel')
      .getByRole('button', { name: t('editor.dismissAside') })
      .click();
    await expect(two.getByTestId('aside-panel')).toHaveCount(0);
    // The server has window 1's text only.
    expect(await listedVersions(two, one.id)).toEqual([1]);
  } finally {
    await one.ctx.close();
    await other.close();
  }
});

// ---------------------------------------------------------------------------------------------------------
// 3. History: compare two revisions, view an old one, restore it

test('history: compare two revisions, then restore an older one as a new revision', async ({ browser }) => {
  const o = await owner(browser, 'draft-history');
  const { page, id } = o;
  try {
    const saves = trackSaves(page);
    await openEditor(page, id);
    await typeAndSave(page, id, 'en', 'Alpha beta gamma');
    const vFirst = await saves.last();
    await page.keyboard.press('End');
    await page.keyboard.type(' delta');
    await waitSaved(page, id);
    // Delete "beta " (the caret goes to the start, then six characters right).
    await page.keyboard.press('Home');
    for (let i = 0; i < 'Alpha '.length; i++) await page.keyboard.press('ArrowRight');
    for (let i = 0; i < 'beta '.length; i++) await page.keyboard.press('Shift+ArrowRight');
    await page.keyboard.press('Backspace');
    await expect(editorBody(page)).toHaveText('Alpha gamma delta');
    await waitSaved(page, id);
    const vLast = await saves.last();
    expect(vLast).toBeGreaterThanOrEqual(vFirst + 2);

    // Compare the first and the last revision.
    const listed = await listedVersions(page, id);
    expect(listed[0]).toBe(vLast);
    expect(listed).toContain(vFirst);
    await page.getByRole('radio', { name: t('statements.compareFrom', { version: vFirst }) }).check();
    await page.getByRole('radio', { name: t('statements.compareTo', { version: vLast }) }).check();
    await page.getByRole('button', { name: t('statements.compare') }).click();
    await expect
      .poll(() => {
        const q = new URL(page.url()).searchParams;
        return `${q.get('a')}→${q.get('b')}`;
      })
      .toBe(`${vFirst}→${vLast}`);
    await expect(
      page.getByRole('heading', { level: 2, name: t('statements.compareHeading', { a: vFirst, b: vLast }) }),
    ).toBeVisible();
    const diff = page.getByTestId('diff-view');
    await expect(diff.locator('ins').filter({ hasText: 'delta' })).toHaveCount(1);
    await expect(diff.locator('del').filter({ hasText: 'beta' })).toHaveCount(1);
    await expect(diff.locator('ins').filter({ hasText: 'beta' })).toHaveCount(0);
    await expect(diff.locator('del').filter({ hasText: /gamma|Alpha/ })).toHaveCount(0);
    await expect(
      page.getByRole('radio', { name: t('statements.compareFrom', { version: vFirst }) }),
    ).toBeChecked();
    await shoot(page, 'history-diff', async () => {
      await expect(diff).toBeVisible();
    });

    // View the first revision and restore it: a new revision on top, marked as restored.
    await page
      .getByRole('link', {
        name: `${t('statements.view')} ${t('statements.versionShort', { version: vFirst })}`,
      })
      .click();
    await expect(page).toHaveURL(new RegExp(`[?&]view=${vFirst}$`));
    await expect(
      page.getByRole('heading', { level: 2, name: t('statements.viewingVersion', { version: vFirst }) }),
    ).toBeVisible();
    await page.getByRole('button', { name: t('statements.restoreVersion', { version: vFirst }) }).click();
    const vRestored = vLast + 1;
    await expect(page.getByText(t('statements.restored', { version: vRestored }))).toBeVisible({
      timeout: 30_000,
    });
    const top = page.locator('tbody tr[data-version]').first();
    await expect(top).toHaveAttribute('data-version', String(vRestored));
    await expect(top).toContainText(t('statements.restoredFrom', { version: vFirst }));
    await page.reload();
    await expect(page.locator(`tr[data-version="${vRestored}"]`)).toContainText(
      t('statements.restoredFrom', { version: vFirst }),
    );

    await openEditor(page, id);
    await expect(editorBody(page)).toHaveText('Alpha beta gamma');
    await expect(saveStatus(page)).toHaveAttribute('data-save-status', 'idle');
  } finally {
    await o.ctx.close();
  }
});

// ---------------------------------------------------------------------------------------------------------
// 4. A translation goes out of date when the primary text changes, and is marked up to date

const ARMENIAN = 'Մենք դատապարտում ենք բռնությունը';

test('translation: Armenian beside English, out of date after an English change, then marked up to date', async ({
  browser,
}) => {
  const o = await owner(browser, 'draft-translation');
  const { page, id } = o;
  try {
    await openEditor(page, id);
    await typeAndSave(page, id, 'en', 'We condemn the violence.');

    // Overview → Add translation (hy) → its editor, with the English text beside it.
    await page.goto(`/statements/${id}`);
    await page.getByRole('combobox', { name: t('statements.fieldLanguage'), exact: true }).selectOption('hy');
    await page.getByLabel(t('statements.fieldTranslatedTitle')).fill('Հայտարարություն');
    await page.getByRole('button', { name: t('statements.addTranslation') }).click();
    await expect(page).toHaveURL(new RegExp(`/statements/${id}/edit/hy$`), { timeout: 30_000 });
    await expect(editorBody(page)).toBeVisible({ timeout: FIRST_LOAD });
    await expect(editorBody(page)).toHaveAttribute('lang', 'hy');
    await expect(page.getByTestId('up-to-date')).toBeVisible();
    const primary = page.getByRole('region', { name: t('statements.primaryText', { language: 'English' }) });
    await expect(primary).toContainText('We condemn the violence.');
    await typeAndSave(page, id, 'hy', ARMENIAN);
    await page.reload();
    await expect(editorBody(page)).toHaveText(ARMENIAN, { timeout: FIRST_LOAD });

    // The English text changes one word.
    await openEditor(page, id, 'en');
    await editorBody(page).click();
    await page.keyboard.press('End');
    for (let i = 0; i < 'violence.'.length; i++) await page.keyboard.press('Backspace');
    await page.keyboard.type('repression.');
    await expect(editorBody(page)).toHaveText('We condemn the repression.');
    await waitSaved(page, id, 'en');

    // The overview says the Armenian text is out of date.
    await page.goto(`/statements/${id}`);
    await expect(page.getByTestId('out-of-date-hy')).toHaveText(t('statements.outOfDate'));

    // The Armenian editor shows what changed in English, and can be marked up to date.
    await openEditor(page, id, 'hy');
    const banner = page.getByTestId('out-of-date');
    await expect(banner).toBeVisible();
    await expect(banner.getByRole('heading', { name: t('statements.outOfDateHeading') })).toBeVisible();
    await expect(banner.locator('.diff-view ins')).toContainText(['repression']);
    await expect(banner.locator('.diff-view del')).toContainText(['violence']);
    await expect(
      page.getByRole('region', { name: t('statements.primaryText', { language: 'English' }) }),
    ).toContainText('We condemn the repression.');
    await expect(editorBody(page)).toHaveText(ARMENIAN);
    await shoot(page, 'translation-side-by-side', async () => {
      await expect(banner).toBeVisible();
      await expect(editorBody(page)).toBeVisible();
    });
    await banner.getByRole('button', { name: t('statements.markUpToDate') }).click();
    await expect(page.getByTestId('out-of-date')).toHaveCount(0, { timeout: 30_000 });
    await expect(page.getByTestId('up-to-date')).toBeVisible();
    await expect(editorBody(page)).toHaveText(ARMENIAN);

    await page.goto(`/statements/${id}`);
    await expect(page.getByTestId('out-of-date-hy')).toHaveCount(0);
    await expect(page.getByRole('listitem').filter({ hasText: 'Հայտարարություն' })).toContainText(
      t('statements.upToDate'),
    );
  } finally {
    await o.ctx.close();
  }
});

// ---------------------------------------------------------------------------------------------------------
// 5. Saving with the network cut

test('offline: saves fail while blocked, the text survives a reload, and is saved when the network returns', async ({
  browser,
}) => {
  const o = await owner(browser, 'draft-offline');
  const { page, id } = o;
  try {
    await openEditor(page, id);
    const cut = '**/api/statements/**';
    await page.route(cut, (r) => r.abort());
    await editorBody(page).click();
    await page.keyboard.type('Written while the saves are blocked.');
    await expect(saveStatus(page)).toHaveAttribute('data-save-status', 'offline', { timeout: 30_000 });
    await expect(saveStatus(page)).toHaveText(t('editor.offline'));
    expect(await page.evaluate((k) => localStorage.getItem(k), draftKey(id, 'en'))).toContain(
      'Written while the saves are blocked.',
    );

    // Reload while still blocked (the "leave with unsaved changes?" prompt is accepted): the text is back.
    await page.reload();
    await expect(editorBody(page)).toHaveText('Written while the saves are blocked.', {
      timeout: FIRST_LOAD,
    });
    await expect(saveStatus(page)).toHaveAttribute('data-save-status', 'offline', { timeout: 30_000 });

    // The network returns: the editor's own retry (backoff, at most 30 s apart) saves it.
    await page.unroute(cut);
    await waitSaved(page, id, 'en', 45_000);
    await page.reload();
    await expect(editorBody(page)).toHaveText('Written while the saves are blocked.', {
      timeout: FIRST_LOAD,
    });
    expect(await page.evaluate((k) => localStorage.getItem(k), draftKey(id, 'en'))).toBeNull();
    expect(await listedVersions(page, id)).toEqual([1]);
  } finally {
    await o.ctx.close();
  }
});

test('offline: the browser goes offline while typing and back online; the text is saved', async ({
  browser,
}) => {
  const o = await owner(browser, 'draft-offline2');
  const { page, id, ctx } = o;
  try {
    await openEditor(page, id);
    await editorBody(page).click();
    await page.keyboard.type('Typed before. ');
    await ctx.setOffline(true);
    await page.keyboard.type('Typed with the connection down.');
    await expect(saveStatus(page)).toHaveAttribute('data-save-status', 'offline', { timeout: 30_000 });
    await ctx.setOffline(false); // the "online" event saves at once
    await waitSaved(page, id, 'en', 20_000);
    await page.reload();
    await expect(editorBody(page)).toHaveText('Typed before. Typed with the connection down.', {
      timeout: FIRST_LOAD,
    });
  } finally {
    await ctx.setOffline(false).catch(() => {});
    await o.ctx.close();
  }
});

// ---------------------------------------------------------------------------------------------------------
// 6. Who may see a draft

test('access: another organization’s member gets 404 everywhere, a visitor is sent to sign in, a forged save is refused', async ({
  browser,
}) => {
  const o = await owner(browser, 'draft-access-owner');
  const intruder = await newSession(browser, uniqueEmail('draft-access-other'));
  const anon = await browser.newContext({ locale: 'en-US' });
  try {
    await openEditor(o.page, o.id);
    await typeAndSave(o.page, o.id, 'en', 'Only the initiators may read this.');
    // The intruder is a member of an organization too, just not of the initiator.
    await createOrg(intruder.page);

    const paths = [
      `/statements/${o.id}`,
      `/statements/${o.id}/edit/en`,
      `/statements/${o.id}/history/en`,
      `/statements/${o.id}/history/en?view=1`,
      `/statements/${o.id}/history`,
    ];
    for (const p of paths) {
      const res = await intruder.page.goto(p);
      expect(res?.status(), `${p} for a non-member`).toBe(404);
      await expect(intruder.page.getByRole('main')).not.toContainText('Only the initiators may read this.');
      await expect(editorBody(intruder.page)).toHaveCount(0);
    }
    const html = await (await intruder.page.request.get(`/statements/${o.id}/edit/en`)).text();
    expect(html).not.toContain('Only the initiators may read this.');
    expect(html).not.toContain(o.title);

    // Signed out: the sign-in page. (The signed-in layout redirects to a bare /sign-in before the page's own
    // redirect with ?next= can run, so the way back is lost: accepted here, reported separately.)
    const visitor = await anon.newPage();
    for (const p of paths.slice(0, 3)) {
      const res = await visitor.goto(p);
      expect(res?.status()).toBe(200);
      await expect(visitor).toHaveURL(
        new RegExp(`/sign-in(\\?next=${encodeURIComponent(p).replace(/%2F/g, '(%2F|/)')})?$`),
      );
      await expect(visitor.locator('body')).not.toContainText('Only the initiators may read this.');
      await expect(visitor.getByRole('heading', { level: 1, name: t('signIn.title') })).toBeVisible();
    }

    // A save from the intruder's session, with the right origin and with either version: 404, no text leaked.
    for (const baseVersion of [0, 1]) {
      const r = await putText(intruder.page.request, o.id, 'en', {
        baseVersion,
        title: 'Taken over',
        doc: {
          type: 'doc',
          content: [{ type: 'paragraph', content: [{ type: 'text', text: 'Overwritten by someone else.' }] }],
        },
      });
      expect(r.status, `forged save (baseVersion ${baseVersion}): ${r.text.slice(0, 200)}`).toBe(404);
      expect(r.text).not.toContain('Only the initiators');
      expect(r.json?.error?.current).toBeUndefined();
    }
    // A signed-out save: refused too.
    const anonRes = await putText(anon.request, o.id, 'en', {
      baseVersion: 1,
      title: 'x',
      doc: { type: 'doc', content: [] },
    });
    expect([401, 403, 404]).toContain(anonRes.status);

    // The owner still has their text, one revision, the original title.
    await openEditor(o.page, o.id);
    await expect(editorBody(o.page)).toHaveText('Only the initiators may read this.');
    await expect(o.page.getByLabel(t('statements.fieldTitleIn', { language: 'English' }))).toHaveValue(
      o.title,
    );
    expect(await listedVersions(o.page, o.id)).toEqual([1]);
  } finally {
    await o.ctx.close();
    await intruder.ctx.close();
    await anon.close();
  }
});

// ---------------------------------------------------------------------------------------------------------
// 7. Axe on every drafting page

test('axe: new statement, overview, editor with a translation beside it, history with a comparison', async ({
  browser,
}) => {
  const s = await newSession(browser, uniqueEmail('draft-axe'));
  const { page } = s;
  try {
    await createOrg(page);
    await page.goto('/statements/new');
    await checkA11y(page, 'new statement', async () => {
      await expect(page.getByRole('heading', { level: 1, name: t('statements.newTitle') })).toBeVisible({
        timeout: FIRST_LOAD,
      });
    });
    const title = `Axe statement ${rand()}`;
    const id = await createStatement(page, { title, summary: 'Checked by axe.' });

    // English text with some structure, saved twice (for the comparison).
    await openEditor(page, id);
    await editorBody(page).click();
    await tool(page, 'editor.heading2').click();
    await page.keyboard.type('Our position');
    await page.keyboard.press('Enter');
    await page.keyboard.type('We condemn the violence against ');
    await tool(page, 'editor.bold').click();
    await page.keyboard.type('peaceful protesters');
    await tool(page, 'editor.bold').click();
    await page.keyboard.type('.');
    await tool(page, 'editor.footnote').click();
    await page.getByLabel(t('editor.footnoteText')).fill('Reported by several observers.');
    await page
      .locator('form')
      .filter({ has: page.getByLabel(t('editor.footnoteText')) })
      .getByRole('button', { name: t('editor.insertFootnote'), exact: true })
      .click();
    await page.keyboard.press('Enter');
    await page.keyboard.type('- First demand');
    await page.keyboard.press('Enter');
    await page.keyboard.type('Second demand');
    await waitSaved(page, id);

    await page.goto(`/statements/${id}`);
    await page.getByRole('combobox', { name: t('statements.fieldLanguage'), exact: true }).selectOption('hy');
    await page.getByRole('button', { name: t('statements.addTranslation') }).click();
    await expect(page).toHaveURL(new RegExp(`/statements/${id}/edit/hy$`), { timeout: 30_000 });
    await expect(editorBody(page)).toBeVisible({ timeout: FIRST_LOAD });
    await typeAndSave(page, id, 'hy', ARMENIAN);

    // A second English save: the translation is now out of date (its banner carries a diff).
    await openEditor(page, id, 'en');
    await editorBody(page).locator('li').last().click();
    await page.keyboard.press('End');
    await page.keyboard.type(' now');
    await waitSaved(page, id);
    await checkA11y(page, 'editor (primary)', async () => {
      await expect(editorBody(page)).toBeVisible();
      await expect(page.getByRole('toolbar', { name: t('editor.toolbar') })).toBeVisible();
    });

    await page.goto(`/statements/${id}`);
    await checkA11y(page, 'overview', async () => {
      await expect(page.getByRole('heading', { level: 1, name: title })).toBeVisible({ timeout: FIRST_LOAD });
      await expect(page.getByTestId('out-of-date-hy')).toBeVisible();
    });

    await openEditor(page, id, 'hy');
    await checkA11y(page, 'editor (translation beside the primary text)', async () => {
      await expect(editorBody(page)).toBeVisible();
      await expect(page.getByTestId('out-of-date')).toBeVisible();
      await expect(
        page.getByRole('region', { name: t('statements.primaryText', { language: 'English' }) }),
      ).toBeVisible();
    });
    // With the link form open too.
    await editorBody(page).click();
    await page.keyboard.press('Control+A');
    await tool(page, 'editor.link').click();
    await checkA11y(page, 'editor (link form open)', async () => {
      await expect(page.getByLabel(t('editor.linkAddress'))).toBeVisible();
    });
    await page.getByRole('button', { name: t('editor.cancel') }).click();

    const versions = await listedVersions(page, id);
    const [b, a] = [versions[0]!, versions[versions.length - 1]!];
    await page.goto(`/statements/${id}/history/en?a=${a}&b=${b}`);
    await checkA11y(page, 'history with a comparison', async () => {
      await expect(page.getByTestId('diff-view')).toBeVisible({ timeout: FIRST_LOAD });
    });
    await page.goto(`/statements/${id}/history/en?view=${a}`);
    await checkA11y(page, 'history viewing an old revision', async () => {
      await expect(
        page.getByRole('button', { name: t('statements.restoreVersion', { version: a }) }),
      ).toBeVisible({ timeout: FIRST_LOAD });
    });
  } finally {
    await s.ctx.close();
  }
});

// ---------------------------------------------------------------------------------------------------------
// 8. XSS: titles, summaries and text are text; crafted documents are refused

test('XSS: payloads in titles, summaries and text never run; crafted autosave documents are refused with a path', async ({
  browser,
}) => {
  test.setTimeout(900_000);
  const executions: string[] = [];
  // A representative few (every payload of the corpus is covered by e2e/xss.spec.ts and the unit tests).
  const ids = ['script', 'img', 'svg', 'a-js', 'attr-dq', 'close-tag', 'json-break', 'mxss', 'tpl-icu', 'hy'];
  const payloads = XSS_PAYLOADS.filter((p) => ids.includes(p.id) && p.value.trim().length <= 300);
  expect(payloads.map((p) => p.id).sort()).toEqual([...ids].sort());
  const s = await newSession(browser, uniqueEmail('draft-xss'), {
    init: [XSS_INIT_SCRIPT],
    onDialog: (m) => executions.push(`dialog ${m}`),
  });
  const { page } = s;

  async function assertClean(where: string) {
    await page.waitForLoadState('load');
    const r = await page.evaluate(() => {
      const w = window as unknown as { __xssHits?: string[]; __xssCsp?: string[] };
      const injected: string[] = [];
      for (const el of Array.from(document.querySelectorAll('*'))) {
        for (const at of Array.from(el.attributes)) {
          if (/^on/i.test(at.name)) injected.push(`<${el.tagName.toLowerCase()} ${at.name}>`);
          // React's own placeholder on forms whose action is a function (it throws if the form is ever submitted
          // natively) is not a payload.
          const reactPlaceholder =
            /^(action|formaction)$/i.test(at.name) &&
            at.value.startsWith("javascript:throw new Error('A React form was unexpectedly submitted.");
          if (
            !reactPlaceholder &&
            /^(href|src|action|formaction|xlink:href)$/i.test(at.name) &&
            /^\s*(javascript|vbscript|data:text\/html)/i.test(at.value)
          )
            injected.push(`<${el.tagName.toLowerCase()} ${at.name}=${at.value.slice(0, 40)}>`);
        }
        if (el.tagName === 'SCRIPT' && /^\s*(__xssHit|alert)\(/.test(el.textContent ?? ''))
          injected.push(`<script>${(el.textContent ?? '').slice(0, 40)}`);
        if (
          el.tagName === 'BASE' ||
          (el.tagName === 'META' && /refresh/i.test(el.getAttribute('http-equiv') ?? ''))
        )
          injected.push(`<${el.tagName.toLowerCase()}>`);
      }
      return { hits: w.__xssHits ?? null, csp: w.__xssCsp ?? null, injected };
    });
    expect(r.hits, `${where}: the marker is installed`).not.toBeNull();
    for (const h of r.hits ?? []) executions.push(`${where}: __xssHit(${h})`);
    expect({ hits: r.hits, csp: r.csp, injected: r.injected }, where).toEqual({
      hits: [],
      csp: [],
      injected: [],
    });
    expect(executions).toEqual([]);
  }

  try {
    await createOrg(page);
    const made: { id: string; p: (typeof payloads)[number] }[] = [];
    for (const p of payloads) {
      const id = await createStatement(page, { title: p.value, summary: `${p.value} (summary)` });
      made.push({ id, p });
      const shown = p.value.trim();
      // Overview: the title as the heading's text, the summary as the field's value.
      await expect(page.getByRole('heading', { level: 1 })).toHaveText(shown.replace(/\s+/g, ' '));
      await expect(page.getByLabel(t('statements.fieldSummary'))).toHaveValue(`${p.value} (summary)`.trim());
      await assertClean(`overview (${p.id})`);
      await openEditor(page, id);
      await expect(page.getByLabel(t('statements.fieldTitleIn', { language: 'English' }))).toHaveValue(shown);
      await expect(page.getByRole('heading', { level: 1 })).toHaveText(shown.replace(/\s+/g, ' '));
      await assertClean(`editor (${p.id})`);
      // The payload as text in the body, saved: the history renders it (view and comparison).
      await typeAndSave(page, id, 'en', `Body ${p.value}`);
      await page.reload();
      await expect(editorBody(page)).toHaveText(`Body ${p.value}`, { timeout: FIRST_LOAD });
      await assertClean(`editor after reload (${p.id})`);
      await page.goto(`/statements/${id}/history/en?view=1`);
      await expect(page.getByRole('main')).toContainText(`Body ${p.value}`);
      await assertClean(`history, viewing (${p.id})`);
      await page.goto(`/statements/${id}/history/en?a=0&b=1`);
      await expect(page.getByTestId('diff-view').locator('ins').first()).toBeVisible();
      await assertClean(`history, comparing (${p.id})`);
    }
    await page.goto('/dashboard');
    await expect(page.getByRole('heading', { level: 1, name: t('dashboard.title') })).toBeVisible();
    for (const m of made)
      await expect(page.locator(`a[href="/statements/${m.id}"]`)).toHaveText(
        m.p.value.trim().replace(/\s+/g, ' '),
      );
    await assertClean('dashboard');

    // Crafted documents sent straight to the autosave route: refused with the JSON path, nothing stored.
    const target = made[0]!.id;
    const crafted = [
      {
        what: 'a javascript: link',
        doc: {
          type: 'doc',
          content: [
            {
              type: 'paragraph',
              content: [
                {
                  type: 'text',
                  text: 'click me',
                  marks: [{ type: 'link', attrs: { href: "javascript:__xssHit('put-link')" } }],
                },
              ],
            },
          ],
        },
        path: '$.content[0].content[0].marks[0].attrs.href',
      },
      {
        what: 'an unknown node',
        doc: {
          type: 'doc',
          content: [{ type: 'script', content: [{ type: 'text', text: "__xssHit('put-node')" }] }],
        },
        path: '$.content[0].type',
      },
      {
        what: 'an onclick attribute',
        doc: {
          type: 'doc',
          content: [
            {
              type: 'paragraph',
              attrs: { onclick: "__xssHit('put-attr')" },
              content: [{ type: 'text', text: 'x' }],
            },
          ],
        },
        path: '$.content[0].attrs.onclick',
      },
    ];
    for (const c of crafted) {
      for (const baseVersion of [1, 0]) {
        const r = await putText(page.request, target, 'en', { baseVersion, title: 'Crafted', doc: c.doc });
        expect(r.status, `${c.what} (baseVersion ${baseVersion}): ${r.text.slice(0, 300)}`).toBe(400);
        expect(r.json?.error?.code).toBe('INVALID_INPUT');
        expect(r.json?.error?.problem?.path, c.what).toBe(c.path);
      }
    }
    expect(await listedVersions(page, target)).toEqual([1]);
    await openEditor(page, target);
    await expect(editorBody(page)).toHaveText(`Body ${made[0]!.p.value}`);
    await expect(page.getByLabel(t('statements.fieldTitleIn', { language: 'English' }))).toHaveValue(
      made[0]!.p.value.trim(),
    );
    await assertClean('editor after the crafted saves');
    console.log(
      `XSS (drafting): ${payloads.length} payloads × title, summary, body on overview, editor, history (view + diff), dashboard; ${crafted.length} crafted documents refused; ${executions.length} executions`,
    );
  } finally {
    await s.ctx.close();
  }
});
