// Statement invitations over HTTP and through the development mailbox: what e2e/inviting.spec.ts,
// e2e/a11y.spec.ts and e2e/xss.spec.ts use to set the scene quickly (the journey itself goes through the UI).
import {
  expect,
  type APIRequestContext,
  type Browser,
  type BrowserContext,
  type Page,
} from '@playwright/test';
import { BASE_URL } from '../../playwright.config';
import { confirmLink, mailboxLinkFor, mailboxLinks, mailboxMessages, mailboxUrl, signIn } from './auth';
import { msg } from './catalog';
import { callAction, expectAccepted, SAME_ORIGIN } from './registry';

export const INVITE_LINK = /\/invite\/statement#t=/;

export type Session = { ctx: BrowserContext; page: Page; email: string };

/** A browser context of its own, signed in as `email` through the UI (ends on the dashboard). */
export async function newSession(browser: Browser, email: string, init: string[] = []): Promise<Session> {
  // Empty to start with: a describe's `storageState` would otherwise apply to this context too.
  const ctx = await browser.newContext({ locale: 'en-US', storageState: { cookies: [], origins: [] } });
  for (const s of init) await ctx.addInitScript(s);
  const page = await ctx.newPage();
  await signIn(page, email);
  return { ctx, page, email };
}

/**
 * Invite organizations (ids) and contacts (addresses) to a statement from our origin, as the invite form does.
 * Returns the new invitations' ids in the order of the targets (organizations first, then addresses).
 */
export async function inviteByAction(
  request: APIRequestContext,
  input: {
    statementId: string;
    orgIds?: string[];
    emails?: string[];
    message?: string;
    signBy?: string;
    kind?: 'participant' | 'co_initiator';
  },
): Promise<string[]> {
  const r = await callAction(
    request,
    BASE_URL,
    'app/_actions/invitations.ts#inviteOrganizationsAction',
    {
      json: [
        {
          statementId: input.statementId,
          kind: input.kind ?? 'participant',
          orgIds: input.orgIds ?? [],
          emails: (input.emails ?? []).join('\n'),
          message: input.message ?? '',
          signBy: input.signBy ?? '',
          locale: 'en',
        },
      ],
    },
    SAME_ORIGIN,
  );
  expectAccepted(r);
  const created = [...r.text.matchAll(/"invitationId":"([0-9a-f-]{36})"/g)].map((m) => m[1]!);
  expect(created.length, `invitations created: ${r.text.slice(0, 400)}`).toBe(
    (input.orgIds?.length ?? 0) + (input.emails?.length ?? 0),
  );
  return created;
}

/** The invitation links (newest first) mailed to `email`, read from the development mailbox. */
export async function invitationLinks(page: Page, email: string): Promise<string[]> {
  await page.goto(mailboxUrl(email));
  const links = mailboxMessages(page, email).getByRole('link', { name: INVITE_LINK });
  return (await links.evaluateAll((els) => els.map((a) => a.getAttribute('href') ?? ''))).filter(Boolean);
}

/** Wait until `count` invitation links have reached `email` (the outbox relay sends them); newest first. */
export async function waitForInvitationLinks(page: Page, email: string, count = 1): Promise<string[]> {
  let links: string[] = [];
  await expect(async () => {
    links = await invitationLinks(page, email);
    expect(links.length, `invitation links for ${email} in the development mailbox`).toBeGreaterThanOrEqual(
      count,
    );
  }).toPass({ timeout: 20_000 });
  return links;
}

/**
 * On a sign-in page opened from a link that carries `next` (e.g. the invitation landing's "Sign in"): ask for a
 * link as `email`, read it in the development mailbox, confirm; ends where `next` leads.
 */
export async function signInHere(page: Page, email: string, expectedPath: RegExp): Promise<void> {
  await expect(page).toHaveURL(/\/sign-in\?next=/);
  // Links mailed earlier to the same address, read in a scratch tab so this one stays on its page.
  const scratch = await page.context().newPage();
  const before = await mailboxLinks(scratch, email);
  await scratch.close();
  await page.getByLabel(msg('en', 'signIn.emailLabel')).fill(email);
  await page.getByRole('button', { name: msg('en', 'signIn.submit') }).click();
  await expect(page).toHaveURL(/\/sign-in\/sent$/);
  const link = await mailboxLinkFor(page, email, { exclude: before });
  await confirmLink(page, link, expectedPath);
}

/** The organization id behind a management page (its forms carry it). */
export async function orgIdOf(request: APIRequestContext, slug: string): Promise<string> {
  const html = await (await request.get(`/manage/orgs/${slug}`)).text();
  const id = /name="orgId" value="([0-9a-f-]{36})"/.exec(html)?.[1];
  if (!id) throw new Error(`no organization id on /manage/orgs/${slug}`);
  return id;
}

/** A datetime-local value (the statement's wall clock) `days` from now at 18:00, and that day as the landing shows it. */
export function signByInDays(days: number): { local: string; day: RegExp } {
  const d = new Date(Date.now() + days * 86_400_000);
  const ymd = d.toISOString().slice(0, 10);
  const month = new Intl.DateTimeFormat('en', { month: 'long', timeZone: 'UTC' }).format(d);
  return {
    local: `${ymd}T18:00`,
    day: new RegExp(`${month} ${d.getUTCDate()}, ${d.getUTCFullYear()}`),
  };
}
