// Accessibility: axe (WCAG 2.2 AA rule set) on every page built so far, on a laptop and on a phone, plus
// full-page phone screenshots in test-results/screenshots/ for a human look.
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import { requestLink, signIn, uniqueEmail } from './helpers/auth';
import { escapeRegExp, msg, type Locale } from './helpers/catalog';

test.use({ locale: 'en-US' });

const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];
const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1280, height: 800 };

async function expectNoViolations(page: Page, label: string) {
  const builder = new AxeBuilder({ page }).withTags(WCAG_TAGS);
  // axe's default per-frame run waits forever on a frame that may not run scripts (the development
  // mailbox previews untrusted mail in <iframe sandbox="">); the legacy run checks the frame element and
  // leaves its opaque-origin content out.
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

/** Axe on the laptop and phone layouts, and a phone screenshot for review. */
async function check(page: Page, name: string, ready: () => Promise<void>) {
  await page.setViewportSize(DESKTOP);
  await ready();
  await expectNoViolations(page, `${name} (desktop)`);
  await page.setViewportSize(PHONE);
  await ready();
  await expectNoViolations(page, `${name} (phone)`);
  // Nothing wider than the phone: no sideways scrolling.
  const overflow = await page.evaluate(
    () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
  );
  expect(overflow, `${name} scrolls sideways on a phone`).toBeLessThanOrEqual(0);
  await page.screenshot({ path: `test-results/screenshots/${name}.png`, fullPage: true });
}

const h1 = (page: Page, name: string) => page.getByRole('heading', { level: 1, name });
/** The header island has settled (it fetches the session after load). */
const islandSettled = (page: Page, l: Locale) => {
  const signedIn = escapeRegExp(msg(l, 'nav.signedInAs', { email: '\u0000' })).replace('\u0000', '.+');
  const name = new RegExp(`^(${escapeRegExp(msg(l, 'nav.signIn'))}|${signedIn})$`);
  return expect(page.getByRole('banner').getByRole('link', { name })).toBeVisible();
};

for (const l of ['en', 'hy', 'ru'] as const) {
  test(`public home /${l}`, async ({ page }) => {
    await page.goto(`/${l}`);
    await check(page, `home-${l}`, async () => {
      await expect(h1(page, msg(l, 'home.heading'))).toBeVisible();
      await islandSettled(page, l);
    });
  });
}

test('sign-in, sent and error pages', async ({ page }) => {
  await page.goto('/sign-in');
  await check(page, 'sign-in', async () => {
    await expect(h1(page, msg('en', 'signIn.title'))).toBeVisible();
    await islandSettled(page, 'en');
  });
  // With a field error shown.
  await page.setViewportSize(DESKTOP);
  await page.getByLabel(msg('en', 'signIn.emailLabel')).fill('not-an-address');
  await page.getByRole('button', { name: msg('en', 'signIn.submit') }).click();
  await expect(page.getByText(msg('en', 'errors.invalidEmail'))).toBeVisible();
  await expect(page.getByLabel(msg('en', 'signIn.emailLabel'))).toHaveAttribute('aria-invalid', 'true');
  // What was typed stays there to be corrected.
  await expect(page.getByLabel(msg('en', 'signIn.emailLabel'))).toHaveValue('not-an-address');
  await check(page, 'sign-in-error', async () => {
    await expect(page.getByText(msg('en', 'errors.invalidEmail'))).toBeVisible();
  });

  await requestLink(page, uniqueEmail('a11y-sent'));
  await check(page, 'sign-in-sent', async () => {
    await expect(h1(page, msg('en', 'signIn.sentTitle'))).toBeVisible();
    await islandSettled(page, 'en');
  });

  await page.goto('/sign-in/error');
  await check(page, 'sign-in-link-error', async () => {
    await expect(h1(page, msg('en', 'signIn.errorTitle'))).toBeVisible();
  });
});

test('confirmation page, with and without a fragment', async ({ page }) => {
  await page.goto('/sign-in/confirm');
  await check(page, 'confirm-missing', async () => {
    await expect(page.getByRole('main').getByRole('alert')).toHaveText(msg('en', 'signIn.confirmMissing'));
  });
  // A well-formed fragment (nothing is posted until the button is pressed).
  const email = uniqueEmail('a11y-confirm');
  await page.goto(
    `/sign-in/confirm#${new URLSearchParams({ t: 'f'.repeat(64), e: email, next: '/dashboard' })}`,
  );
  await check(page, 'confirm', async () => {
    await expect(page.getByRole('button', { name: msg('en', 'signIn.confirmButton') })).toBeVisible();
  });
  // After pressing it with a token that does not exist.
  await page.getByRole('button', { name: msg('en', 'signIn.confirmButton') }).click();
  await check(page, 'confirm-refused', async () => {
    await expect(page.getByRole('main').getByRole('alert')).toHaveText(msg('en', 'signIn.linkInvalid'));
  });
});

test('development mailbox', async ({ page }) => {
  await requestLink(page, uniqueEmail('a11y-mailbox'));
  await page.goto('/dev/mailbox');
  await check(page, 'dev-mailbox', async () => {
    await expect(h1(page, msg('en', 'mailbox.title'))).toBeVisible();
    await expect(page.getByRole('listitem').first()).toBeVisible();
  });
  // The untrusted preview keeps every sandbox restriction and has an accessible name.
  const preview = page.getByTitle(msg('en', 'mailbox.preview')).first();
  await expect(preview).toHaveAttribute('sandbox', '');
});

test('dashboard (signed in), and the public home with the header island signed in', async ({ page }) => {
  const email = uniqueEmail('a11y-dashboard');
  await signIn(page, email);
  await check(page, 'dashboard', async () => {
    await expect(h1(page, msg('en', 'dashboard.title'))).toBeVisible();
    await islandSettled(page, 'en');
  });
  await page.goto('/en');
  await check(page, 'home-signed-in', async () => {
    await expect(
      page.getByRole('banner').getByRole('link', { name: msg('en', 'nav.signedInAs', { email }) }),
    ).toBeVisible();
  });
});

test('settings (signed in), before and after saving', async ({ page }) => {
  await signIn(page, uniqueEmail('a11y-settings'));
  await page.goto('/settings');
  await check(page, 'settings', async () => {
    await expect(h1(page, msg('en', 'settings.title'))).toBeVisible();
    await islandSettled(page, 'en');
  });
  // After saving, with the confirmation shown.
  await page.setViewportSize(DESKTOP);
  await page.getByRole('radio', { name: 'English' }).check();
  await page.getByRole('button', { name: msg('en', 'settings.save') }).click();
  await expect(page.getByRole('status')).toHaveText(msg('en', 'settings.saved'));
  await check(page, 'settings-saved', async () => {
    await expect(page.getByRole('status')).toHaveText(msg('en', 'settings.saved'));
  });
});

test('unsubscribe page, with and without a link parameter', async ({ page }) => {
  await page.goto('/unsubscribe');
  await check(page, 'unsubscribe-invalid', async () => {
    await expect(h1(page, msg('en', 'unsubscribe.title'))).toBeVisible();
    await expect(page.getByRole('main').getByRole('alert')).toHaveText(msg('en', 'unsubscribe.invalid'));
  });
  await page.goto('/unsubscribe?u=not-a-real-capability');
  await check(page, 'unsubscribe', async () => {
    await expect(page.getByRole('button', { name: msg('en', 'unsubscribe.button') })).toBeVisible();
  });
});
