// A new user's first visit, end to end: language redirect → sign-in link → development mailbox →
// confirmation → dashboard; the public header island; Armenian and Russian interface; sign out everywhere
// (a second device is signed out too, and a notice arrives by e-mail through the outbox relay).
import { expect, test } from '@playwright/test';
import { confirmLink, mailboxLinkFor, mailboxLinks, mailboxMessages, mailboxUrl, uniqueEmail } from './helpers/auth';
import { escapeRegExp, msg } from './helpers/catalog';

test.use({ locale: 'en-US' });

test('new user: sign in by e-mail link, switch to Armenian and Russian, sign out everywhere', async ({
  page,
  browser,
}) => {
  const email = uniqueEmail('journey');

  // Opening the app picks a language from the browser.
  await page.goto('/');
  await expect(page).toHaveURL(/\/en$/);
  await expect(page.getByRole('heading', { level: 1, name: msg('en', 'home.heading') })).toBeVisible();

  // Sign in: the header island offers it once it knows nobody is signed in.
  await page
    .getByRole('banner')
    .getByRole('link', { name: msg('en', 'nav.signIn') })
    .click();
  await expect(page).toHaveURL(/\/sign-in$/);
  await page.getByLabel(msg('en', 'signIn.emailLabel')).fill(email);
  await page.getByRole('button', { name: msg('en', 'signIn.submit') }).click();
  await expect(page).toHaveURL(/\/sign-in\/sent$/);
  await expect(page.getByRole('heading', { level: 1, name: msg('en', 'signIn.sentTitle') })).toBeVisible();

  // The development mailbox holds the link; it leads to the confirmation page with the token in the fragment.
  await page.getByRole('link', { name: msg('en', 'signIn.openMailbox') }).click();
  await expect(page).toHaveURL(/\/dev\/mailbox$/);
  const message = mailboxMessages(page, email, msg('en', 'mail.signIn.subject'));
  await expect(message).toHaveCount(1);
  const link = message.getByRole('link', { name: /\/sign-in\/confirm#t=/ });
  const href = (await link.getAttribute('href')) ?? '';
  expect(href).toMatch(/\/sign-in\/confirm#t=[^&]+&e=[^&]+&next=/);
  expect(href).not.toContain('?');
  await link.click();

  // Confirm: the page shows who is signing in and sends the token only when asked.
  await expect(page).toHaveURL(/\/sign-in\/confirm$/); // the fragment is cleared from the address bar
  await expect(page.getByText(msg('en', 'signIn.confirmBody', { email }))).toBeVisible();
  await page.getByRole('button', { name: msg('en', 'signIn.confirmButton') }).click();
  await expect(page).toHaveURL(/\/dashboard$/);
  await expect(page.getByRole('heading', { level: 1, name: msg('en', 'dashboard.title') })).toBeVisible();
  await expect(page.getByText(msg('en', 'dashboard.welcome', { email }))).toBeVisible();

  // The public pages stay static; the header island shows the session.
  await page.goto('/en');
  await expect(
    page.getByRole('banner').getByRole('link', { name: msg('en', 'nav.signedInAs', { email }) }),
  ).toBeVisible();

  // A second device signs in as the same user.
  const other = await browser.newContext({ locale: 'en-US' });
  const otherPage = await other.newPage();
  const seen = await mailboxLinks(otherPage, email);
  await otherPage.goto('/sign-in');
  await otherPage.getByLabel(msg('en', 'signIn.emailLabel')).fill(email);
  await otherPage.getByRole('button', { name: msg('en', 'signIn.submit') }).click();
  await expect(otherPage).toHaveURL(/\/sign-in\/sent$/);
  await confirmLink(otherPage, await mailboxLinkFor(otherPage, email, { exclude: seen }));
  await expect(
    otherPage.getByRole('heading', { level: 1, name: msg('en', 'dashboard.title') }),
  ).toBeVisible();

  // Armenian, from the header's language switcher on the dashboard (saved on the account).
  for (const l of ['hy', 'ru'] as const) {
    expect(msg(l, 'dashboard.title'), `messages/${l}.json translates dashboard.title`).not.toBe(
      msg('en', 'dashboard.title'),
    );
    expect(msg(l, 'settings.title'), `messages/${l}.json translates settings.title`).not.toBe(
      msg('en', 'settings.title'),
    );
  }
  await page.goto('/dashboard');
  await page
    .getByRole('navigation', { name: msg('en', 'nav.language') })
    .getByRole('button', { name: 'Հայերեն' })
    .click();
  await expect(page.getByRole('heading', { level: 1, name: msg('hy', 'dashboard.title') })).toBeVisible();
  await expect(page.locator('html')).toHaveAttribute('lang', 'hy');
  await expect(page).toHaveTitle(new RegExp(`^${escapeRegExp(msg('hy', 'dashboard.title'))} · `));
  // The choice belongs to the account: it survives a reload.
  await page.reload();
  await expect(page.getByRole('heading', { level: 1, name: msg('hy', 'dashboard.title') })).toBeVisible();

  // Russian, from Settings → Interface language.
  await page
    .getByRole('navigation', { name: msg('hy', 'nav.mainNavigation') })
    .getByRole('link', { name: msg('hy', 'nav.settings') })
    .click();
  await expect(page.getByRole('heading', { level: 1, name: msg('hy', 'settings.title') })).toBeVisible();
  await page.getByRole('radio', { name: 'Русский' }).check();
  await page.getByRole('button', { name: msg('hy', 'settings.save') }).click();
  await expect(page.getByRole('heading', { level: 1, name: msg('ru', 'settings.title') })).toBeVisible();
  await expect(page.locator('html')).toHaveAttribute('lang', 'ru');
  await page
    .getByRole('navigation', { name: msg('ru', 'nav.mainNavigation') })
    .getByRole('link', { name: msg('ru', 'nav.dashboard') })
    .click();
  await expect(page.getByRole('heading', { level: 1, name: msg('ru', 'dashboard.title') })).toBeVisible();

  // Sign out everywhere (Settings) → the sign-in page; the other device is signed out as well.
  await page
    .getByRole('navigation', { name: msg('ru', 'nav.mainNavigation') })
    .getByRole('link', { name: msg('ru', 'nav.settings') })
    .click();
  await page.getByRole('button', { name: msg('ru', 'settings.signOutEverywhere') }).click();
  await expect(page).toHaveURL(/\/sign-in$/);
  await page.goto('/dashboard');
  await expect(page).toHaveURL(/\/sign-in(\?.*)?$/);
  await otherPage.goto('/dashboard');
  await expect(otherPage).toHaveURL(/\/sign-in(\?.*)?$/);
  await expect(otherPage.getByRole('heading', { level: 1 })).toBeVisible();
  await other.close();

  // The notice goes out through the outbox relay, in the account's language.
  const subject = msg('ru', 'mail.signedOutEverywhere.subject');
  await expect(async () => {
    await page.goto(mailboxUrl(email));
    await expect(mailboxMessages(page, email, subject)).toHaveCount(1, { timeout: 1_000 });
  }).toPass({ timeout: 20_000 });
});
