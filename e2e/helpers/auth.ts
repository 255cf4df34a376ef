// Shared end-to-end helpers: sign in the way a user does (the form, the development mailbox, the
// confirmation page). Every spec creates its own user with uniqueEmail().
import crypto from 'node:crypto';
import { expect, type Page } from '@playwright/test';
import { escapeRegExp, msg, pageLocale } from './catalog';

export function uniqueEmail(prefix = 'user'): string {
  return `${prefix}-${Date.now().toString(36)}-${crypto.randomBytes(4).toString('hex')}@example.org`;
}

/** Ask for a sign-in link through the form; ends on the "check your e-mail" page. */
export async function requestLink(page: Page, email: string): Promise<void> {
  await page.goto('/sign-in');
  const l = await pageLocale(page);
  await page.getByLabel(msg(l, 'signIn.emailLabel')).fill(email);
  await page.getByRole('button', { name: msg(l, 'signIn.submit') }).click();
  await expect(page).toHaveURL(/\/sign-in\/sent$/);
  await expect(page.getByRole('heading', { level: 1, name: msg(l, 'signIn.sentTitle') })).toBeVisible();
}

/** The messages in the development mailbox addressed to `email` (newest first), optionally with a subject. */
/**
 * The development mailbox narrowed to one recipient: the unfiltered page shows only the newest 50 messages of
 * the whole instance, and a long run (or one busy test) pushes older mail off it.
 */
export function mailboxUrl(email: string): string {
  return `/dev/mailbox?to=${encodeURIComponent(email)}`;
}

export function mailboxMessages(page: Page, email: string, subject?: string) {
  const items = page.getByRole('listitem').filter({ has: page.getByText(email, { exact: true }) });
  return subject ? items.filter({ hasText: subject }) : items;
}

/** Every sign-in link (the confirmation page with its fragment) mailed to `email`, newest first. */
export async function mailboxLinks(page: Page, email: string): Promise<string[]> {
  await page.goto(mailboxUrl(email));
  const links = mailboxMessages(page, email).getByRole('link', { name: /\/sign-in\/confirm#t=/ });
  return (await links.evaluateAll((els) => els.map((a) => a.getAttribute('href') ?? ''))).filter(Boolean);
}

/**
 * The newest sign-in link for `email` that is not in `exclude` (links already seen), polling the mailbox
 * page for a bounded time.
 */
export async function mailboxLinkFor(
  page: Page,
  email: string,
  opts: { exclude?: string[]; timeout?: number } = {},
): Promise<string> {
  let link = '';
  await expect(async () => {
    const fresh = (await mailboxLinks(page, email)).filter((l) => !(opts.exclude ?? []).includes(l));
    expect(fresh.length, `a new sign-in link for ${email} in the development mailbox`).toBeGreaterThan(0);
    link = fresh[0]!;
  }).toPass({ timeout: opts.timeout ?? 15_000 });
  return link;
}

/** Open a mailed link and press the confirmation button; ends on the page the link leads to. */
export async function confirmLink(
  page: Page,
  link: string,
  expectedPath: RegExp = /\/dashboard$/,
): Promise<void> {
  await page.goto(link);
  const l = await pageLocale(page);
  await page.getByRole('button', { name: msg(l, 'signIn.confirmButton') }).click();
  await expect(page).toHaveURL(expectedPath);
}

/** Sign in as `email` through the UI and the development mailbox; ends on /dashboard. Returns the link used. */
export async function signIn(page: Page, email: string): Promise<string> {
  const before = await mailboxLinks(page, email);
  await requestLink(page, email);
  const link = await mailboxLinkFor(page, email, { exclude: before });
  await confirmLink(page, link);
  const l = await pageLocale(page);
  await expect(page.getByRole('heading', { level: 1, name: msg(l, 'dashboard.title') })).toBeVisible();
  return link;
}

/** A link's parts: the token and e-mail travel in the fragment, never in the query string. */
export function parseLink(link: string): { url: URL; token: string; email: string; next: string | null } {
  const url = new URL(link);
  const frag = new URLSearchParams(url.hash.slice(1));
  return { url, token: frag.get('t') ?? '', email: frag.get('e') ?? '', next: frag.get('next') };
}

export const exactName = (s: string) => new RegExp(`^\\s*${escapeRegExp(s)}\\s*$`);
