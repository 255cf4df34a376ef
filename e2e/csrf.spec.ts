// CSRF over HTTP, against the production build (SECURITY.md I10, "Tests that prove it"). Two layers, both
// driven by the access matrix:
//  - wiring: every origin-checked mutation is sent with a foreign Origin, with no Origin, and with
//    Sec-Fetch-Site: cross-site — each refused — and from our own origin it gets past the check;
//  - observable: where a client can see the state (the session, the interface language, the dev mailbox,
//    the dashboard), the refused requests changed nothing and the same request from our origin takes effect.
// Server actions are called the way React calls them: POST to a page, `Next-Action: <id from the build's
// manifest>`, arguments as encodeReply sends them. The route-handler cells only HTTP can prove (405s, Auth.js's
// own endpoints, the unsubscribe capability) come last.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { expect, test, type APIRequestContext, type Page } from '@playwright/test';
import { ACCESS_MATRIX, originCheckedMutations, type EntryId } from '../lib/access-matrix';
import { BASE_URL } from '../playwright.config';
import { mailboxLinkFor, mailboxUrl, parseLink, requestLink, signIn, uniqueEmail } from './helpers/auth';
import { msg } from './helpers/catalog';
import { recordFigure } from '../lib/testing/figures';
import {
  callAction,
  callRoute,
  createdInvitationIds,
  CROSS_SITE_VARIANTS,
  docOf,
  expectAccepted,
  invitationTokenFor,
  linkIsLive,
  postSign,
  PUBLISH_ACTION,
  publishArgs,
  putText,
  refusedBy,
  SAME_ORIGIN,
  seedFrozenStatement,
  seedInvitation,
  seedOrganization,
  seedPublishedStatement,
  seedSignedStatement,
  seedStatement,
  serverAction,
  SIGN_ROUTE,
  statementIdOf,
  TEXT_ROUTE,
  textVersion,
  versionStatus,
} from './helpers/registry';

test.use({ locale: 'en-US' });

// ---- what a client can observe ----

/** The interface language the signed-in pages render in (the account's choice wins over Accept-Language). */
async function uiLang(request: APIRequestContext): Promise<string> {
  const res = await request.get('/dashboard', { headers: { 'accept-language': 'en' }, maxRedirects: 0 });
  expect(res.status(), 'signed in').toBe(200);
  return /<html[^>]*\slang="([^"]+)"/.exec(await res.text())?.[1] ?? '?';
}

async function sessionEmail(request: APIRequestContext): Promise<string | null> {
  const res = await request.get('/api/auth/session');
  const body = (await res.json().catch(() => null)) as { user?: { email?: string } } | null;
  return body?.user?.email ?? null;
}

/** A statement's overview page as its initiators see it (summary, languages, which are out of date). */
async function overview(request: APIRequestContext, statementId: string): Promise<string> {
  const res = await request.get(`/statements/${statementId}`, { maxRedirects: 0 });
  expect(res.status(), 'the overview opens for an initiator').toBe(200);
  return res.text();
}

/** A statement's review page (its primary text, hy) as a reader sees it: the open threads and the open count. */
async function review(request: APIRequestContext, statementId: string): Promise<string> {
  const res = await request.get(`/statements/${statementId}/review/hy`, { maxRedirects: 0 });
  expect(res.status(), 'the review page opens for an initiator').toBe(200);
  return res.text();
}
/** The state badge of the statement's overview ("Draft", "Open for signature", "Reopened"). */
async function stateShown(request: APIRequestContext, statementId: string): Promise<string> {
  const html = await overview(request, statementId);
  for (const st of ['draft', 'open', 'reopened'] as const)
    if (html.includes(`>${msg('en', `statementStates.${st}`)}<`)) return st;
  return '?';
}
/**
 * What the overview shows of a publication: the state badge (any of the six states), whether the public link is
 * there, whether it says "not open for joining", and the page itself (for corrections).
 */
async function publicationShown(
  request: APIRequestContext,
  statementId: string,
): Promise<{ state: string; publicLink: boolean; joiningClosed: boolean; html: string }> {
  const html = await overview(request, statementId);
  const states = (['draft', 'open', 'reopened', 'published', 'closed', 'withdrawn'] as const).filter((st) =>
    html.includes(`>${msg('en', `statementStates.${st}`)}<`),
  );
  return {
    state: states.length === 1 ? states[0]! : `?${states.join(',')}`,
    publicLink: html.includes('data-testid="public-link"'),
    // Not the catalog text: the client components' messages are in the page's payload too.
    joiningClosed: html.includes('data-joining="closed"'),
    html,
  };
}
const openCount = (html: string) => /data-testid="open-count"[^>]*>([^<]*)</.exec(html)?.[1] ?? '?';

/** As an initiator of a fresh statement: one comment on it from our origin; its id from the review page. */
async function seedComment(page: Page, who: string): Promise<{ statementId: string; commentId: string }> {
  await signIn(page, uniqueEmail(who));
  const tag = crypto.randomBytes(4).toString('hex');
  const { statementId } = await seedStatement(page.request, BASE_URL, tag);
  expectAccepted(
    await callAction(
      page.request,
      BASE_URL,
      'app/_actions/comments.ts#addCommentAction',
      { form: { statementId, body: `A thread ${tag}` } },
      SAME_ORIGIN,
    ),
  );
  const commentId = /data-comment-id="([0-9a-f-]{36})"/.exec(await review(page.request, statementId))?.[1];
  if (!commentId) throw new Error('the review page lists no thread');
  return { statementId, commentId };
}

/** Messages in the development mailbox addressed to `email` (mail is sent before the action answers). */
async function mailCount(request: APIRequestContext, email: string): Promise<number> {
  const html = await (await request.get(mailboxUrl(email))).text();
  return html.split(`data-testid="mail-to">${email}<`).length - 1;
}

/** Signature receipts in the development mailbox addressed to `email` (other mail to them, e.g. "open for signature", not counted). */
async function receiptCount(request: APIRequestContext, email: string): Promise<number> {
  const html = await (await request.get(mailboxUrl(email))).text();
  const prefix = msg('en', 'mail.signatureReceipt.subject').split('{')[0]!;
  return html
    .split('data-testid="mail-to">')
    .slice(1)
    .filter((seg) => seg.startsWith(`${email}<`) && seg.includes(prefix)).length;
}

/** A second person in a browser of their own (an invitee), signed in as `email`. */
async function asInvitee(page: Page, email: string): Promise<{ page: Page; close: () => Promise<void> }> {
  const context = await page.context().browser()!.newContext({ baseURL: BASE_URL, locale: 'en-US' });
  const other = await context.newPage();
  await signIn(other, email);
  return { page: other, close: () => context.close() };
}

// ---- the figures ----

const tally = {
  wired: new Set<string>(),
  observed: new Set<string>(),
  refused: 0,
  changed: 0,
  byNext: 0,
  byAction: 0,
  byRoute: 0,
};

test.afterAll(() => {
  const all = originCheckedMutations().length;
  const line = `CSRF: ${tally.wired.size} actions × ${CROSS_SITE_VARIANTS.length} variants, ${tally.changed} changes`;
  console.log(
    `${line} (${tally.refused} refusals: ${tally.byAction} by action(), ${tally.byNext} already by Next.js's own origin check, ` +
      `${tally.byRoute} by route handlers; ${tally.observed.size} of them also with observable state and an allowed twin that takes effect)`,
  );
  if (tally.wired.size === all && tally.changed === 0) recordFigure('csrf', line);
});

/** Send one action request per cross-site variant, assert each is refused and `unchanged()` still holds. */
async function refuseAll(
  request: APIRequestContext,
  entry: EntryId,
  args: Parameters<typeof callAction>[3],
  unchanged: () => Promise<void>,
) {
  tally.observed.add(entry);
  for (const v of CROSS_SITE_VARIANTS) {
    const r = await callAction(request, BASE_URL, entry, args, v);
    const by = refusedBy(r);
    expect(
      by,
      `${entry} with ${v.name} must be refused: ${r.res.status()} ${r.text.slice(0, 300)}`,
    ).not.toBeNull();
    expect(r.res.headers()['x-action-redirect'], `${entry} with ${v.name}: no redirect`).toBeUndefined();
    try {
      await unchanged();
    } catch (e) {
      tally.changed++;
      throw e;
    }
  }
}

// ---- one recipe per origin-checked mutation ----

type Recipe = (page: Page) => Promise<void>;

const RECIPES: Partial<Record<EntryId, Recipe>> = {
  'app/_actions/account.ts#setLocaleAction': async (page) => {
    const entry = 'app/_actions/account.ts#setLocaleAction';
    await signIn(page, uniqueEmail('csrf-locale'));
    expect(await uiLang(page.request)).toBe('en');
    // As the settings form sends it (useActionState: prevState, FormData) and as the header's switcher does (an object).
    await refuseAll(page.request, entry, { form: { locale: 'hy' } }, async () =>
      expect(await uiLang(page.request)).toBe('en'),
    );
    await refuseAll(page.request, entry, { json: [{ locale: 'ru' }] }, async () =>
      expect(await uiLang(page.request)).toBe('en'),
    );
    expectAccepted(await callAction(page.request, BASE_URL, entry, { form: { locale: 'hy' } }, SAME_ORIGIN));
    expect(await uiLang(page.request)).toBe('hy');
    expectAccepted(
      await callAction(page.request, BASE_URL, entry, { json: [{ locale: 'ru' }] }, SAME_ORIGIN),
    );
    expect(await uiLang(page.request)).toBe('ru');
  },

  'app/_actions/auth.ts#requestSignInAction': async (page) => {
    const entry = 'app/_actions/auth.ts#requestSignInAction';
    const email = uniqueEmail('csrf-signin');
    await refuseAll(page.request, entry, { form: { email } }, async () =>
      expect(await mailCount(page.request, email)).toBe(0),
    );
    const ok = await callAction(page.request, BASE_URL, entry, { form: { email } }, SAME_ORIGIN);
    expectAccepted(ok);
    expect(ok.res.headers()['x-action-redirect']).toMatch(/^\/sign-in\/sent/);
    expect(await mailCount(page.request, email)).toBe(1);
  },

  'app/_actions/auth.ts#signOutAction': async (page) => {
    const entry = 'app/_actions/auth.ts#signOutAction';
    const email = uniqueEmail('csrf-signout');
    await signIn(page, email);
    await refuseAll(page.request, entry, { form: {} }, async () =>
      expect(await sessionEmail(page.request)).toBe(email),
    );
    expectAccepted(await callAction(page.request, BASE_URL, entry, { form: {} }, SAME_ORIGIN));
    expect(await sessionEmail(page.request)).toBeNull();
  },

  'app/_actions/auth.ts#signOutEverywhereAction': async (page) => {
    const entry = 'app/_actions/auth.ts#signOutEverywhereAction';
    const email = uniqueEmail('csrf-everywhere');
    await signIn(page, email);
    const mailsBefore = await mailCount(page.request, email);
    await refuseAll(page.request, entry, { form: {} }, async () => {
      expect(await sessionEmail(page.request)).toBe(email);
      expect(await mailCount(page.request, email), 'no "signed out everywhere" notice queued').toBe(
        mailsBefore,
      );
    });
    const ok = await callAction(page.request, BASE_URL, entry, { form: {} }, SAME_ORIGIN);
    expectAccepted(ok);
    expect(ok.res.headers()['x-action-redirect']).toMatch(/^\/sign-in/);
    expect(await sessionEmail(page.request)).toBeNull();
    // The notice goes through the outbox relay: it arrives shortly after.
    await expect.poll(() => mailCount(page.request, email), { timeout: 15_000 }).toBe(mailsBefore + 1);
  },

  'app/_actions/orgs.ts#createOrganizationAction': async (page) => {
    const entry = 'app/_actions/orgs.ts#createOrganizationAction';
    await signIn(page, uniqueEmail('csrf-org'));
    const name = `Civic Forum ${crypto.randomBytes(4).toString('hex')}`;
    const mine = async () => (await (await page.request.get('/dashboard')).text()).includes(name);
    await refuseAll(page.request, entry, { form: { name, confirmDistinct: 'on' } }, async () =>
      expect(await mine()).toBe(false),
    );
    const ok = await callAction(
      page.request,
      BASE_URL,
      entry,
      { form: { name, confirmDistinct: 'on' } },
      SAME_ORIGIN,
    );
    expectAccepted(ok);
    expect(ok.res.headers()['x-action-redirect']).toMatch(/^\/manage\/orgs\//);
    expect(await mine()).toBe(true);
  },

  // ---- statements: the initiator's own statement; refused requests leave it as it was ----

  'app/_actions/statements.ts#createStatementAction': async (page) => {
    const entry = 'app/_actions/statements.ts#createStatementAction';
    await signIn(page, uniqueEmail('csrf-statement'));
    const tag = crypto.randomBytes(4).toString('hex');
    const orgId = await seedOrganization(page.request, BASE_URL, tag);
    const title = `Letter from elsewhere ${tag}`;
    const listed = async () => (await (await page.request.get('/dashboard')).text()).includes(title);
    const form = { orgId, title, primaryLang: 'hy', timeZone: 'Asia/Yerevan' };
    await refuseAll(page.request, entry, { form }, async () => expect(await listed()).toBe(false));
    const ok = await callAction(page.request, BASE_URL, entry, { form }, SAME_ORIGIN);
    expectAccepted(ok);
    expect(await textVersion(page.request, BASE_URL, statementIdOf(ok), 'hy')).toBe(0);
    expect(await listed()).toBe(true);
  },

  'app/_actions/statements.ts#updateStatementDetailsAction': async (page) => {
    const entry = 'app/_actions/statements.ts#updateStatementDetailsAction';
    await signIn(page, uniqueEmail('csrf-details'));
    const tag = crypto.randomBytes(4).toString('hex');
    const { statementId } = await seedStatement(page.request, BASE_URL, tag);
    const summary = `Why we write ${tag}`;
    const shown = async () => (await overview(page.request, statementId)).includes(summary);
    const form = { statementId, summary, timeZone: 'Europe/Moscow' };
    await refuseAll(page.request, entry, { form }, async () => expect(await shown()).toBe(false));
    await refuseAll(page.request, entry, { json: [form] }, async () => expect(await shown()).toBe(false));
    expectAccepted(await callAction(page.request, BASE_URL, entry, { form }, SAME_ORIGIN));
    expect(await shown()).toBe(true);
  },

  'app/_actions/statements.ts#addTranslationAction': async (page) => {
    const entry = 'app/_actions/statements.ts#addTranslationAction';
    await signIn(page, uniqueEmail('csrf-translation'));
    const tag = crypto.randomBytes(4).toString('hex');
    const { statementId } = await seedStatement(page.request, BASE_URL, tag);
    const title = `Translated ${tag}`;
    const shown = async () => (await overview(page.request, statementId)).includes(title);
    const form = { statementId, lang: 'ru', title };
    await refuseAll(page.request, entry, { form }, async () => expect(await shown()).toBe(false));
    const ok = await callAction(page.request, BASE_URL, entry, { form }, SAME_ORIGIN);
    expectAccepted(ok);
    expect(ok.res.headers()['x-action-redirect']).toMatch(new RegExp(`^/statements/${statementId}/edit/ru`));
    expect(await shown()).toBe(true);
  },

  'app/_actions/statements.ts#markTranslationUpToDateAction': async (page) => {
    const entry = 'app/_actions/statements.ts#markTranslationUpToDateAction';
    await signIn(page, uniqueEmail('csrf-uptodate'));
    const tag = crypto.randomBytes(4).toString('hex');
    const { statementId, title } = await seedStatement(page.request, BASE_URL, tag);
    // A translation added at primary version 0, then the primary saved (version 1): out of date.
    expectAccepted(
      await callAction(
        page.request,
        BASE_URL,
        'app/_actions/statements.ts#addTranslationAction',
        { form: { statementId, lang: 'en', title } },
        SAME_ORIGIN,
      ),
    );
    const saved = await putText(
      page.request,
      BASE_URL,
      statementId,
      'hy',
      { baseVersion: 0, title, doc: docOf('First draft') },
      SAME_ORIGIN,
    );
    expect(saved.res.status(), saved.text).toBe(200);
    const outOfDate = async () =>
      (await overview(page.request, statementId)).includes('data-testid="out-of-date-en"');
    expect(await outOfDate()).toBe(true);
    const form = { statementId, lang: 'en', primaryVersion: '1' };
    await refuseAll(page.request, entry, { form }, async () => expect(await outOfDate()).toBe(true));
    expectAccepted(await callAction(page.request, BASE_URL, entry, { form }, SAME_ORIGIN));
    expect(await outOfDate()).toBe(false);
  },

  'app/_actions/statements.ts#restoreRevisionAction': async (page) => {
    const entry = 'app/_actions/statements.ts#restoreRevisionAction';
    await signIn(page, uniqueEmail('csrf-restore'));
    const tag = crypto.randomBytes(4).toString('hex');
    const { statementId, title } = await seedStatement(page.request, BASE_URL, tag);
    for (const [baseVersion, text] of ['First draft', 'Second draft'].entries()) {
      const r = await putText(
        page.request,
        BASE_URL,
        statementId,
        'hy',
        { baseVersion, title, doc: docOf(text) },
        SAME_ORIGIN,
      );
      expect(r.res.status(), r.text).toBe(200);
    }
    const form = { statementId, lang: 'hy', version: '1', baseVersion: '2' };
    await refuseAll(page.request, entry, { form }, async () =>
      expect(await textVersion(page.request, BASE_URL, statementId, 'hy')).toBe(2),
    );
    expectAccepted(await callAction(page.request, BASE_URL, entry, { form }, SAME_ORIGIN));
    expect(await textVersion(page.request, BASE_URL, statementId, 'hy')).toBe(3);
  },

  'app/api/statements/[id]/texts/[lang]/route.ts#PUT': async (page) => {
    tally.observed.add(TEXT_ROUTE);
    await signIn(page, uniqueEmail('csrf-autosave'));
    const tag = crypto.randomBytes(4).toString('hex');
    const { statementId, title } = await seedStatement(page.request, BASE_URL, tag);
    const body = { baseVersion: 0, title, doc: docOf(`Saved from elsewhere ${tag}`) };
    for (const v of CROSS_SITE_VARIANTS) {
      const r = await putText(page.request, BASE_URL, statementId, 'hy', body, v);
      expect(r.res.status(), `${v.name}: ${r.text.slice(0, 300)}`).toBe(403);
      expect((JSON.parse(r.text) as { error: { code: string } }).error.code).toBe('FORBIDDEN');
      try {
        expect(await textVersion(page.request, BASE_URL, statementId, 'hy'), `${v.name}: nothing saved`).toBe(
          0,
        );
      } catch (e) {
        tally.changed++;
        throw e;
      }
    }
    // The same save from our origin is applied.
    const ok = await putText(page.request, BASE_URL, statementId, 'hy', body, SAME_ORIGIN);
    expect(ok.res.status(), ok.text).toBe(200);
    expect(JSON.parse(ok.text)).toMatchObject({ version: 1, changed: true });
    expect(await textVersion(page.request, BASE_URL, statementId, 'hy')).toBe(1);
  },

  // ---- review: comments on the initiator's own statement ----

  'app/_actions/comments.ts#addCommentAction': async (page) => {
    const entry = 'app/_actions/comments.ts#addCommentAction';
    await signIn(page, uniqueEmail('csrf-comment'));
    const tag = crypto.randomBytes(4).toString('hex');
    const { statementId } = await seedStatement(page.request, BASE_URL, tag);
    const body = `Please shorten the first paragraph ${tag}`;
    const shown = async () => (await review(page.request, statementId)).includes(body);
    const form = { statementId, body };
    await refuseAll(page.request, entry, { form }, async () => expect(await shown()).toBe(false));
    await refuseAll(page.request, entry, { json: [form] }, async () => expect(await shown()).toBe(false));
    expectAccepted(await callAction(page.request, BASE_URL, entry, { form }, SAME_ORIGIN));
    expect(await shown()).toBe(true);
  },

  'app/_actions/comments.ts#resolveCommentAction': async (page) => {
    const entry = 'app/_actions/comments.ts#resolveCommentAction';
    const { statementId, commentId } = await seedComment(page, 'csrf-resolve');
    const open = openCount(await review(page.request, statementId));
    const form = { statementId, commentId };
    await refuseAll(page.request, entry, { form }, async () =>
      expect(openCount(await review(page.request, statementId))).toBe(open),
    );
    expectAccepted(await callAction(page.request, BASE_URL, entry, { form }, SAME_ORIGIN));
    expect(openCount(await review(page.request, statementId))).not.toBe(open);
  },

  'app/_actions/comments.ts#reopenCommentAction': async (page) => {
    const entry = 'app/_actions/comments.ts#reopenCommentAction';
    const { statementId, commentId } = await seedComment(page, 'csrf-reopen');
    const open = openCount(await review(page.request, statementId));
    const form = { statementId, commentId };
    expectAccepted(
      await callAction(page.request, BASE_URL, 'app/_actions/comments.ts#resolveCommentAction', { form }, SAME_ORIGIN),
    );
    const resolved = openCount(await review(page.request, statementId));
    expect(resolved).not.toBe(open);
    await refuseAll(page.request, entry, { form }, async () =>
      expect(openCount(await review(page.request, statementId))).toBe(resolved),
    );
    expectAccepted(await callAction(page.request, BASE_URL, entry, { form }, SAME_ORIGIN));
    expect(openCount(await review(page.request, statementId))).toBe(open);
  },

  // ---- invitations: links read from the development mailbox, as an invitee reads them ----

  'app/_actions/invitations.ts#inviteOrganizationsAction': async (page) => {
    const entry = 'app/_actions/invitations.ts#inviteOrganizationsAction';
    await signIn(page, uniqueEmail('csrf-invite'));
    const tag = crypto.randomBytes(4).toString('hex');
    const { statementId } = await seedStatement(page.request, BASE_URL, tag);
    const contact = uniqueEmail('csrf-invitee');
    const form = { statementId, kind: 'participant', emails: contact, locale: 'en' };
    const noMail = async () => expect(await mailCount(page.request, contact)).toBe(0);
    await refuseAll(page.request, entry, { form }, noMail);
    await refuseAll(page.request, entry, { json: [form] }, noMail);
    const ok = await callAction(page.request, BASE_URL, entry, { form }, SAME_ORIGIN);
    expectAccepted(ok);
    // Created, not "already invited": none of the refused requests wrote an invitation.
    expect(createdInvitationIds(ok)).toHaveLength(1);
    // (Not "no alreadyInvited anywhere": the re-rendered page in the same response carries the message catalog.)
    expect(ok.text).toContain('"skipped":[]');
    await expect.poll(() => mailCount(page.request, contact), { timeout: 15_000 }).toBe(1);
  },

  'app/_actions/invitations.ts#resendInvitationAction': async (page) => {
    const entry = 'app/_actions/invitations.ts#resendInvitationAction';
    await signIn(page, uniqueEmail('csrf-resend'));
    const tag = crypto.randomBytes(4).toString('hex');
    const contact = uniqueEmail('csrf-resent');
    const { statementId, invitationId } = await seedInvitation(page.request, BASE_URL, tag, contact);
    const first = await invitationTokenFor(page.request, contact);
    const form = { statementId, invitationId };
    await refuseAll(page.request, entry, { form }, async () =>
      expect(await mailCount(page.request, contact)).toBe(1),
    );
    expectAccepted(await callAction(page.request, BASE_URL, entry, { form }, SAME_ORIGIN));
    // A fresh link; and once it has arrived, exactly one more message (the relay sends in order).
    expect(await invitationTokenFor(page.request, contact, { exclude: [first] })).not.toBe(first);
    expect(await mailCount(page.request, contact)).toBe(2);
  },

  'app/_actions/invitations.ts#remindInvitationAction': async (page) => {
    const entry = 'app/_actions/invitations.ts#remindInvitationAction';
    await signIn(page, uniqueEmail('csrf-remind'));
    const tag = crypto.randomBytes(4).toString('hex');
    const contact = uniqueEmail('csrf-reminded');
    const { statementId, invitationId } = await seedInvitation(page.request, BASE_URL, tag, contact);
    await invitationTokenFor(page.request, contact);
    const form = { statementId, invitationId };
    await refuseAll(page.request, entry, { form }, async () =>
      expect(await mailCount(page.request, contact)).toBe(1),
    );
    // From our origin the request reaches the domain, which allows one reminder per 24 hours since the invitation
    // was sent (the server's clock cannot be moved here; lib/invitations.test.ts moves it): RATE_LIMITED, not the
    // origin check's FORBIDDEN.
    const r = await callAction(page.request, BASE_URL, entry, { form }, SAME_ORIGIN);
    expect(refusedBy(r), r.text.slice(0, 300)).toBeNull();
    expect(r.text).toContain('"code":"RATE_LIMITED"');
    expect(await mailCount(page.request, contact)).toBe(1);
  },

  'app/_actions/invitations.ts#revokeInvitationAction': async (page) => {
    const entry = 'app/_actions/invitations.ts#revokeInvitationAction';
    await signIn(page, uniqueEmail('csrf-revoke'));
    const tag = crypto.randomBytes(4).toString('hex');
    const contact = uniqueEmail('csrf-revoked');
    const { statementId, invitationId } = await seedInvitation(page.request, BASE_URL, tag, contact);
    const token = await invitationTokenFor(page.request, contact);
    const live = () => linkIsLive(page.request, BASE_URL, token);
    expect(await live()).toBe(true);
    const form = { statementId, invitationId };
    await refuseAll(page.request, entry, { form }, async () => expect(await live()).toBe(true));
    expectAccepted(await callAction(page.request, BASE_URL, entry, { form }, SAME_ORIGIN));
    expect(await live()).toBe(false);
  },

  'app/_actions/invitations.ts#acceptInvitationAction': async (page) => {
    const entry = 'app/_actions/invitations.ts#acceptInvitationAction';
    await signIn(page, uniqueEmail('csrf-accept-from'));
    const tag = crypto.randomBytes(4).toString('hex');
    const contact = uniqueEmail('csrf-accepter');
    await seedInvitation(page.request, BASE_URL, tag, contact);
    const token = await invitationTokenFor(page.request, contact);
    const invitee = await asInvitee(page, contact);
    try {
      const api = invitee.page.request;
      const orgId = await seedOrganization(api, BASE_URL, `${tag}i`);
      const form = { token, orgId };
      await refuseAll(api, entry, { form }, async () => expect(await linkIsLive(api, BASE_URL, token)).toBe(true));
      expectAccepted(await callAction(api, BASE_URL, entry, { form }, SAME_ORIGIN));
      expect(await linkIsLive(api, BASE_URL, token)).toBe(false);
    } finally {
      await invitee.close();
    }
  },

  'app/_actions/invitations.ts#declineInvitationAction': async (page) => {
    const entry = 'app/_actions/invitations.ts#declineInvitationAction';
    await signIn(page, uniqueEmail('csrf-decline-from'));
    const tag = crypto.randomBytes(4).toString('hex');
    const contact = uniqueEmail('csrf-decliner');
    await seedInvitation(page.request, BASE_URL, tag, contact);
    const token = await invitationTokenFor(page.request, contact);
    const invitee = await asInvitee(page, contact);
    try {
      const api = invitee.page.request;
      const form = { token, reason: 'Not our topic' };
      await refuseAll(api, entry, { form }, async () => expect(await linkIsLive(api, BASE_URL, token)).toBe(true));
      expectAccepted(await callAction(api, BASE_URL, entry, { form }, SAME_ORIGIN));
      expect(await linkIsLive(api, BASE_URL, token)).toBe(false);
    } finally {
      await invitee.close();
    }
  },

  'app/_actions/invitations.ts#confirmSharedMailboxAction': async (page) => {
    const entry = 'app/_actions/invitations.ts#confirmSharedMailboxAction';
    await signIn(page, uniqueEmail('csrf-mailbox-from'));
    const tag = crypto.randomBytes(4).toString('hex');
    const mailbox = uniqueEmail('info');
    await seedInvitation(page.request, BASE_URL, tag, mailbox);
    const token = await invitationTokenFor(page.request, mailbox);
    const invitee = await asInvitee(page, mailbox);
    try {
      const api = invitee.page.request;
      await refuseAll(api, entry, { form: { token } }, async () =>
        expect(await linkIsLive(api, BASE_URL, token)).toBe(true),
      );
      const ok = await callAction(api, BASE_URL, entry, { form: { token } }, SAME_ORIGIN);
      expectAccepted(ok);
      // The link is used up; the handoff lives in an HttpOnly cookie of this browser only.
      expect(await linkIsLive(api, BASE_URL, token)).toBe(false);
      expect(ok.res.headers()['set-cookie'] ?? '').toMatch(/us_invitation_handoff=[A-Za-z0-9_-]{43};.*HttpOnly/i);
      const handedOver = await callAction(
        api,
        BASE_URL,
        'app/_actions/invitations.ts#openInvitationByHandoffAction',
        { form: {} },
        SAME_ORIGIN,
      );
      expect(handedOver.text).toContain('"ok":true');
      expect(handedOver.text).toContain(mailbox);
    } finally {
      await invitee.close();
    }
  },

  // ---- signing: the initiator's own organization (owner, policy admins) on its own statement ----

  'app/_actions/signing.ts#freezeVersionAction': async (page) => {
    const entry = 'app/_actions/signing.ts#freezeVersionAction';
    await signIn(page, uniqueEmail('csrf-freeze'));
    const tag = crypto.randomBytes(4).toString('hex');
    const { statementId } = await seedFrozenStatement(page.request, BASE_URL, tag, { freeze: false });
    const unfrozen = async () => {
      expect(await versionStatus(page.request, statementId)).toBe(404);
      expect(await stateShown(page.request, statementId)).toBe('draft');
    };
    await unfrozen();
    await refuseAll(page.request, entry, { form: { statementId } }, unfrozen);
    await refuseAll(page.request, entry, { json: [{ statementId }] }, unfrozen);
    const ok = await callAction(page.request, BASE_URL, entry, { json: [{ statementId }] }, SAME_ORIGIN);
    expectAccepted(ok);
    // Version 1: none of the refused requests froze one before it.
    expect(ok.text).toContain('"version":1');
    expect(await versionStatus(page.request, statementId)).toBe(200);
    expect(await stateShown(page.request, statementId)).toBe('open');
  },

  'app/_actions/signing.ts#reopenStatementAction': async (page) => {
    const entry = 'app/_actions/signing.ts#reopenStatementAction';
    await signIn(page, uniqueEmail('csrf-reopen-statement'));
    const tag = crypto.randomBytes(4).toString('hex');
    const { statementId } = await seedFrozenStatement(page.request, BASE_URL, tag);
    expect(await stateShown(page.request, statementId)).toBe('open');
    await refuseAll(page.request, entry, { json: [{ statementId }] }, async () =>
      expect(await stateShown(page.request, statementId)).toBe('open'),
    );
    expectAccepted(await callAction(page.request, BASE_URL, entry, { json: [{ statementId }] }, SAME_ORIGIN));
    expect(await stateShown(page.request, statementId)).toBe('reopened');
    // The frozen version stays readable.
    expect(await versionStatus(page.request, statementId)).toBe(200);
  },

  'app/_actions/signing.ts#signStatementAction': async (page) => {
    const entry = 'app/_actions/signing.ts#signStatementAction';
    const email = uniqueEmail('csrf-sign');
    await signIn(page, email);
    const tag = crypto.randomBytes(4).toString('hex');
    const { statementId, orgId } = await seedFrozenStatement(page.request, BASE_URL, tag);
    const receipts = await receiptCount(page.request, email);
    const args = { statementId, orgId, version: 1 };
    await refuseAll(page.request, entry, { json: [args] }, async () =>
      expect(await receiptCount(page.request, email), 'no receipt').toBe(receipts),
    );
    await refuseAll(page.request, entry, { form: { statementId, orgId, version: '1' } }, async () =>
      expect(await receiptCount(page.request, email), 'no receipt').toBe(receipts),
    );
    const ok = await callAction(page.request, BASE_URL, entry, { json: [args] }, SAME_ORIGIN);
    expectAccepted(ok);
    // A new signature, not "existing": none of the refused requests signed.
    expect(ok.text).toContain('"kind":"signed"');
    expect(ok.text).toContain('"created":true');
    await expect.poll(() => receiptCount(page.request, email), { timeout: 15_000 }).toBe(receipts + 1);
    const again = await callAction(page.request, BASE_URL, entry, { json: [args] }, SAME_ORIGIN);
    expect(again.text).toContain('"kind":"existing"');
  },

  'app/_actions/signing.ts#declineToSignAction': async (page) => {
    const entry = 'app/_actions/signing.ts#declineToSignAction';
    await signIn(page, uniqueEmail('csrf-decline-sign'));
    const tag = crypto.randomBytes(4).toString('hex');
    const { statementId, orgId } = await seedFrozenStatement(page.request, BASE_URL, tag);
    const args = { statementId, orgId, reason: `Not our topic ${tag}` };
    await refuseAll(page.request, entry, { json: [args] }, async () =>
      expect(await stateShown(page.request, statementId)).toBe('open'),
    );
    const ok = await callAction(page.request, BASE_URL, entry, { json: [args] }, SAME_ORIGIN);
    expectAccepted(ok);
    // Declined now, not before: a refused request would have made this a repeat.
    expect(ok.text).toContain('"changed":true');
    expect((await callAction(page.request, BASE_URL, entry, { json: [args] }, SAME_ORIGIN)).text).toContain('"changed":false');
  },

  'app/_actions/signing.ts#withdrawSignatureAction': async (page) => {
    const entry = 'app/_actions/signing.ts#withdrawSignatureAction';
    await signIn(page, uniqueEmail('csrf-withdraw'));
    const tag = crypto.randomBytes(4).toString('hex');
    const { statementId, orgId } = await seedFrozenStatement(page.request, BASE_URL, tag);
    const signed = await postSign(page.request, BASE_URL, statementId, { orgId, version: 1 }, SAME_ORIGIN);
    expect(signed.res.status(), signed.text).toBe(201);
    const args = { statementId, orgId, reason: `Changed our mind ${tag}` };
    // Still signed after each refusal: signing again is a repeat (200, the same binding), not a reinstatement.
    const stillSigned = async () => {
      const r = await postSign(page.request, BASE_URL, statementId, { orgId, version: 1 }, SAME_ORIGIN);
      expect(r.res.status(), r.text).toBe(200);
      expect(JSON.parse(r.text)).toMatchObject({ kind: 'existing' });
    };
    await refuseAll(page.request, entry, { json: [args] }, stillSigned);
    const ok = await callAction(page.request, BASE_URL, entry, { json: [args] }, SAME_ORIGIN);
    expectAccepted(ok);
    expect(ok.text).toContain('"changed":true');
    // Withdrawn now: signing again reinstates it.
    const re = await postSign(page.request, BASE_URL, statementId, { orgId, version: 1 }, SAME_ORIGIN);
    expect(re.res.status(), re.text).toBe(201);
    expect(JSON.parse(re.text)).toMatchObject({ kind: 'reinstated' });
  },

  'app/_actions/signing.ts#acceptAndSignAction': async (page) => {
    const entry = 'app/_actions/signing.ts#acceptAndSignAction';
    await signIn(page, uniqueEmail('csrf-accept-sign-from'));
    const tag = crypto.randomBytes(4).toString('hex');
    const contact = uniqueEmail('csrf-accept-signer');
    const { statementId } = await seedInvitation(page.request, BASE_URL, tag, contact);
    // Put a text in and freeze it: the invitation arrives at a statement open for signature.
    const saved = await putText(page.request, BASE_URL, statementId, 'hy', { baseVersion: 0, title: `Open letter ${tag}`, doc: docOf(`Text ${tag}`) }, SAME_ORIGIN);
    expect(saved.res.status(), saved.text).toBe(200);
    expectAccepted(
      await callAction(page.request, BASE_URL, 'app/_actions/signing.ts#freezeVersionAction', { json: [{ statementId }] }, SAME_ORIGIN),
    );
    const token = await invitationTokenFor(page.request, contact);
    const invitee = await asInvitee(page, contact);
    try {
      const api = invitee.page.request;
      const orgId = await seedOrganization(api, BASE_URL, `${tag}s`);
      const args = { token, orgId, version: 1 };
      await refuseAll(api, entry, { json: [args] }, async () => {
        expect(await linkIsLive(api, BASE_URL, token), 'not accepted').toBe(true);
        expect(await versionStatus(api, statementId), 'not a participant: the statement is not theirs to read').toBe(404);
      });
      const ok = await callAction(api, BASE_URL, entry, { json: [args] }, SAME_ORIGIN);
      expectAccepted(ok);
      expect(ok.text).toContain('"kind":"signed"');
      expect(await linkIsLive(api, BASE_URL, token)).toBe(false);
      expect(await versionStatus(api, statementId)).toBe(200);
    } finally {
      await invitee.close();
    }
  },

  // ---- publishing: the initiator's own statement; the overview shows its state, public link, window and corrections ----

  'app/_actions/publishing.ts#publishStatementAction': async (page) => {
    const entry = PUBLISH_ACTION;
    await signIn(page, uniqueEmail('csrf-publish'));
    const tag = crypto.randomBytes(4).toString('hex');
    const { statementId } = await seedSignedStatement(page.request, BASE_URL, tag);
    const args = publishArgs(statementId, `csrf-${tag}`);
    const unpublished = async () => {
      const p = await publicationShown(page.request, statementId);
      expect(p.state, 'still open').toBe('open');
      expect(p.publicLink, 'no public link').toBe(false);
    };
    // As the dialog sends it (an object), and as a form would.
    await refuseAll(page.request, entry, { json: [args] }, unpublished);
    await refuseAll(
      page.request,
      entry,
      { form: { statementId, slug: args.slug, displayDate: args.displayDate, listOrder: args.listOrder } },
      unpublished,
    );
    const ok = await callAction(page.request, BASE_URL, entry, { json: [args] }, SAME_ORIGIN);
    expectAccepted(ok);
    expect(ok.text).toContain('"recordSeq":1');
    const p = await publicationShown(page.request, statementId);
    expect(p.state).toBe('published');
    expect(p.publicLink).toBe(true);
    expect((await page.request.get(`/en/s/${args.slug}`)).status(), 'the public page is there').toBe(200);
  },

  'app/_actions/publishing.ts#closeStatementAction': async (page) => {
    const entry = 'app/_actions/publishing.ts#closeStatementAction';
    await signIn(page, uniqueEmail('csrf-close'));
    const tag = crypto.randomBytes(4).toString('hex');
    const { statementId } = await seedPublishedStatement(page.request, BASE_URL, tag);
    const args = { statementId };
    await refuseAll(page.request, entry, { json: [args] }, async () =>
      expect((await publicationShown(page.request, statementId)).state).toBe('published'),
    );
    expectAccepted(await callAction(page.request, BASE_URL, entry, { json: [args] }, SAME_ORIGIN));
    expect((await publicationShown(page.request, statementId)).state).toBe('closed');
  },

  'app/_actions/publishing.ts#withdrawStatementAction': async (page) => {
    const entry = 'app/_actions/publishing.ts#withdrawStatementAction';
    await signIn(page, uniqueEmail('csrf-withdraw-statement'));
    const tag = crypto.randomBytes(4).toString('hex');
    const { statementId } = await seedPublishedStatement(page.request, BASE_URL, tag);
    const args = { statementId, reason: `Superseded by a joint statement ${tag}` };
    await refuseAll(page.request, entry, { json: [args] }, async () =>
      expect((await publicationShown(page.request, statementId)).state).toBe('published'),
    );
    expectAccepted(await callAction(page.request, BASE_URL, entry, { json: [args] }, SAME_ORIGIN));
    const p = await publicationShown(page.request, statementId);
    expect(p.state).toBe('withdrawn');
    expect(p.publicLink, 'the page stays, marked withdrawn').toBe(true);
  },

  'app/_actions/publishing.ts#addCorrectionAction': async (page) => {
    const entry = 'app/_actions/publishing.ts#addCorrectionAction';
    await signIn(page, uniqueEmail('csrf-correction'));
    const tag = crypto.randomBytes(4).toString('hex');
    const { statementId } = await seedPublishedStatement(page.request, BASE_URL, tag);
    const args = { statementId, lang: 'hy', body: `The date is 3 March ${tag}` };
    const shown = async () => (await publicationShown(page.request, statementId)).html.includes(args.body);
    await refuseAll(page.request, entry, { json: [args] }, async () => expect(await shown()).toBe(false));
    const ok = await callAction(page.request, BASE_URL, entry, { json: [args] }, SAME_ORIGIN);
    expectAccepted(ok);
    expect(ok.text).toContain('"recordSeq":2');
    expect(await shown()).toBe(true);
  },

  'app/_actions/publishing.ts#setJoiningAction': async (page) => {
    const entry = 'app/_actions/publishing.ts#setJoiningAction';
    await signIn(page, uniqueEmail('csrf-joining'));
    const tag = crypto.randomBytes(4).toString('hex');
    const { statementId } = await seedPublishedStatement(page.request, BASE_URL, tag);
    const args = { statementId, joinUntil: new Date(Date.now() + 7 * 86_400_000).toISOString() };
    await refuseAll(page.request, entry, { json: [args] }, async () =>
      expect((await publicationShown(page.request, statementId)).joiningClosed, 'not open for joining').toBe(true),
    );
    const ok = await callAction(page.request, BASE_URL, entry, { json: [args] }, SAME_ORIGIN);
    expectAccepted(ok);
    expect(ok.text).toContain(`"joinUntil":"${args.joinUntil}"`);
    expect((await publicationShown(page.request, statementId)).joiningClosed, 'open for joining now').toBe(false);
  },

  'app/_actions/joining.ts#requestToJoinAction': async (page) => {
    const entry = 'app/_actions/joining.ts#requestToJoinAction';
    const { slug, email } = await seedOpenForJoining(page, 'csrf-join-request');
    const args = { slug, kind: 'individual', name: 'Csrf Joiner', email, locale: 'en' };
    await refuseAll(page.request, entry, { json: [args] }, async () => expect(await mailedTo(page, email)).toBe(false));
    expectAccepted(await callAction(page.request, BASE_URL, entry, { json: [args] }, SAME_ORIGIN));
    await expect.poll(() => mailedTo(page, email), { timeout: 15_000 }).toBe(true);
  },

  'app/_actions/joining.ts#approveJoinRequestAction': async (page) => {
    const entry = 'app/_actions/joining.ts#approveJoinRequestAction';
    const { statementId, requestId } = await seedPendingJoinRequest(page, 'csrf-join-approve');
    const args = { statementId, requestId };
    await refuseAll(page.request, entry, { json: [args] }, async () => expect(await requestStatus(page, statementId, requestId)).toBe('pending'));
    expectAccepted(await callAction(page.request, BASE_URL, entry, { json: [args] }, SAME_ORIGIN));
    expect(await requestStatus(page, statementId, requestId)).toBe('approved');
  },

  'app/_actions/joining.ts#rejectJoinRequestAction': async (page) => {
    const entry = 'app/_actions/joining.ts#rejectJoinRequestAction';
    const { statementId, requestId } = await seedPendingJoinRequest(page, 'csrf-join-reject');
    const args = { statementId, requestId };
    await refuseAll(page.request, entry, { json: [args] }, async () => expect(await requestStatus(page, statementId, requestId)).toBe('pending'));
    expectAccepted(await callAction(page.request, BASE_URL, entry, { json: [args] }, SAME_ORIGIN));
    expect(await requestStatus(page, statementId, requestId)).toBe('rejected');
  },

  'app/api/statements/[id]/sign/route.ts#POST': async (page) => {
    tally.observed.add(SIGN_ROUTE);
    const email = uniqueEmail('csrf-sign-route');
    await signIn(page, email);
    const tag = crypto.randomBytes(4).toString('hex');
    const { statementId, orgId } = await seedFrozenStatement(page.request, BASE_URL, tag);
    const receipts = await receiptCount(page.request, email);
    for (const v of CROSS_SITE_VARIANTS) {
      const r = await postSign(page.request, BASE_URL, statementId, { orgId, version: 1 }, v);
      expect(r.res.status(), `${v.name}: ${r.text.slice(0, 300)}`).toBe(403);
      expect((JSON.parse(r.text) as { error: { code: string } }).error.code).toBe('FORBIDDEN');
      try {
        expect(await receiptCount(page.request, email), `${v.name}: no receipt`).toBe(receipts);
      } catch (e) {
        tally.changed++;
        throw e;
      }
    }
    // From our origin: a new signature (201, not the 200 of a repeat), then the repeat.
    const ok = await postSign(page.request, BASE_URL, statementId, { orgId, version: 1 }, SAME_ORIGIN);
    expect(ok.res.status(), ok.text).toBe(201);
    expect(JSON.parse(ok.text)).toMatchObject({ kind: 'signed', version: 1 });
    const again = await postSign(page.request, BASE_URL, statementId, { orgId, version: 1 }, SAME_ORIGIN);
    expect(again.res.status()).toBe(200);
    await expect.poll(() => receiptCount(page.request, email), { timeout: 15_000 }).toBe(receipts + 1);
  },

  'app/api/auth/confirm/route.ts#POST': async (page) => {
    tally.observed.add('app/api/auth/confirm/route.ts#POST');
    const email = uniqueEmail('csrf-confirm');
    await requestLink(page, email);
    const { token, email: linkEmail } = parseLink(await mailboxLinkFor(page, email));
    const api = page.request;
    for (const v of CROSS_SITE_VARIANTS) {
      const res = await api.post('/api/auth/confirm', {
        headers: { 'content-type': 'application/json', ...v.headers(BASE_URL) },
        data: { token, email: linkEmail },
      });
      expect(res.status(), `${v.name}`).toBe(403);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('FORBIDDEN');
      expect(res.headers()['set-cookie'] ?? '', 'no session cookie').not.toContain('session-token');
      expect(await sessionEmail(api)).toBeNull();
    }
    // The token was not consumed: the same request from our origin signs in.
    const ok = await api.post('/api/auth/confirm', {
      headers: { 'content-type': 'application/json', ...SAME_ORIGIN.headers(BASE_URL) },
      data: { token, email: linkEmail },
    });
    expect(ok.status(), await ok.text()).toBe(200);
    expect(((await ok.json()) as { redirect: string }).redirect).toBe('/dashboard');
    expect(await sessionEmail(api)).toBe(email);
  },
};

test.describe('CSRF: every origin-checked mutation in the access matrix', () => {
  test('the build knows every server action of the matrix, and the browser sends what these requests imitate', async ({
    page,
  }) => {
    for (const e of ACCESS_MATRIX.filter((x) => x.kind === 'action'))
      expect(serverAction(e).id).toMatch(/^[0-9a-f]{40,}$/);
    // A real submit of the settings form: same action id, same encoding (fields first, then the argument list).
    await signIn(page, uniqueEmail('csrf-capture'));
    await page.goto('/settings');
    const posted = page.waitForRequest((r) => r.method() === 'POST' && !!r.headers()['next-action']);
    await page.getByRole('radio', { name: 'Русский' }).check();
    await page.getByRole('button', { name: msg('en', 'settings.save') }).click();
    const req = await posted;
    const headers = await req.allHeaders();
    expect(headers['next-action']).toBe(serverAction('app/_actions/account.ts#setLocaleAction').id);
    expect(headers['origin']).toBe(BASE_URL);
    const body = req.postDataBuffer()?.toString('utf8') ?? '';
    const names = [...body.matchAll(/name="([^"]+)"/g)].map((m) => m[1]);
    // React also sends its progressive-enhancement fields ($ACTION_…), which action() ignores; the rest is ours.
    expect(names.filter((n) => !n?.startsWith('_1_$ACTION'))).toEqual(['_1_locale', '0']);
    expect(body).toContain('[null,"$K1"]');
    await expect(page.locator('html')).toHaveAttribute('lang', 'ru');
  });

  for (const entry of originCheckedMutations()) {
    test(`wiring: ${entry.id} — foreign Origin, no Origin, Sec-Fetch-Site: cross-site refused; our origin passes`, async ({
      request,
    }) => {
      if (entry.kind === 'action') {
        expect(entry.sample, `${entry.id}: no sample payload in lib/access-matrix.ts`).toBeDefined();
        for (const v of CROSS_SITE_VARIANTS) {
          const r = await callAction(request, BASE_URL, entry.id, { form: entry.sample!() }, v);
          const by = refusedBy(r);
          expect(by, `${v.name}: ${r.res.status()} ${r.text.slice(0, 300)}`).not.toBeNull();
          expect(r.res.headers()['x-action-redirect'], v.name).toBeUndefined();
          tally.refused++;
          if (by === 'next') tally.byNext++;
          else tally.byAction++;
        }
        // The same request from our origin gets past the check (signed out, it then meets the actor check).
        const twin = await callAction(request, BASE_URL, entry.id, { form: entry.sample!() }, SAME_ORIGIN);
        expect(refusedBy(twin), `${twin.res.status()} ${twin.text.slice(0, 300)}`).toBeNull();
        expect(twin.res.status()).toBeLessThan(500);
      } else {
        // With the route's own method (POST, PUT…): another method would only meet Next.js's 405.
        for (const v of CROSS_SITE_VARIANTS) {
          const { res, text } = await callRoute(request, BASE_URL, entry.id, v);
          expect(res.status(), `${v.name}: ${text.slice(0, 300)}`).toBe(403);
          expect((JSON.parse(text) as { error: { code: string } }).error.code).toBe('FORBIDDEN');
          tally.refused++;
          tally.byRoute++;
        }
        const twin = await callRoute(request, BASE_URL, entry.id, SAME_ORIGIN);
        expect(twin.res.status(), 'our origin gets past the check').not.toBe(403);
        expect(twin.res.status()).not.toBe(405);
        expect(twin.res.status()).toBeLessThan(500);
      }
      tally.wired.add(entry.id);
    });
  }

  for (const [id, recipe] of Object.entries(RECIPES)) {
    test(`observable: ${id} — refused requests change nothing; from our origin it takes effect`, async ({
      page,
    }) => {
      expect(
        originCheckedMutations().map((e) => e.id),
        `${id} is an origin-checked mutation of the matrix`,
      ).toContain(id);
      await recipe!(page);
    });
  }

  test('every foundation and statement mutation has an observable recipe', () => {
    const missing = originCheckedMutations()
      .filter((e) => (e.roles === 'foundation' || e.roles === 'statement') && !RECIPES[e.id])
      .map((e) => e.id);
    expect(missing).toEqual([]);
  });
});

// ---- open joining: a published statement open for joining, a confirmed request, the initiators' queue ----

/** Signed in as the initiator of a fresh statement, published and open for joining for a week. */
async function seedOpenForJoining(page: Page, who: string): Promise<{ statementId: string; slug: string; email: string }> {
  await signIn(page, uniqueEmail(who));
  const tag = crypto.randomBytes(4).toString('hex');
  const { statementId, slug } = await seedPublishedStatement(page.request, BASE_URL, tag);
  const joinUntil = new Date(Date.now() + 7 * 86_400_000).toISOString();
  expectAccepted(await callAction(page.request, BASE_URL, 'app/_actions/publishing.ts#setJoiningAction', { json: [{ statementId, joinUntil }] }, SAME_ORIGIN));
  return { statementId, slug, email: uniqueEmail(`${who}-joiner`) };
}

/** Whether the development mailbox holds a message to `email`. */
async function mailedTo(page: Page, email: string): Promise<boolean> {
  return (await (await page.request.get(mailboxUrl(email))).text()).includes(`data-testid="mail-to">${email}<`);
}

/** A join request asked and confirmed from our origin (the token from the mailed link); its id from the queue page. */
async function seedPendingJoinRequest(page: Page, who: string): Promise<{ statementId: string; requestId: string }> {
  const { statementId, slug, email } = await seedOpenForJoining(page, who);
  expectAccepted(
    await callAction(page.request, BASE_URL, 'app/_actions/joining.ts#requestToJoinAction', { json: [{ slug, kind: 'individual', name: 'Csrf Joiner', email, locale: 'en' }] }, SAME_ORIGIN),
  );
  let token = '';
  await expect
    .poll(
      async () => {
        const html = await (await page.request.get(mailboxUrl(email))).text();
        const i = html.indexOf(`data-testid="mail-to">${email}<`);
        token = i < 0 ? '' : (/\/join\/confirm#t=([A-Za-z0-9_-]+)/.exec(html.slice(i))?.[1] ?? '');
        return token;
      },
      { timeout: 15_000 },
    )
    .not.toBe('');
  expectAccepted(await callAction(page.request, BASE_URL, 'app/_actions/joining.ts#confirmJoinAction', { json: [{ token }] }, SAME_ORIGIN));
  const html = await (await page.request.get(`/statements/${statementId}/joins`)).text();
  const requestId = /data-request-id="([0-9a-f-]{36})" data-status="pending"/.exec(html)?.[1];
  expect(requestId, 'the confirmed request on the queue page').toBeTruthy();
  return { statementId, requestId: requestId! };
}

/** The request's status as the queue page shows it. */
async function requestStatus(page: Page, statementId: string, requestId: string): Promise<string> {
  const html = await (await page.request.get(`/statements/${statementId}/joins`)).text();
  return new RegExp(`data-request-id="${requestId}" data-status="([a-z]+)"`).exec(html)?.[1] ?? '?';
}

// ---- route-handler cells only HTTP can prove ----

/** The e2e server's AUTH_SECRET (scripts/e2e-server.sh), to sign a real unsubscribe link like lib/outbox.ts does. */
function e2eSecret(): string {
  const script = fs.readFileSync(path.join(process.cwd(), 'scripts', 'e2e-server.sh'), 'utf8');
  const m = /AUTH_SECRET="([^"]+)"/.exec(script);
  if (!m) throw new Error('scripts/e2e-server.sh no longer sets AUTH_SECRET: update e2eSecret()');
  return m[1]!;
}
function signUnsubscribe(email: string, scope: string): string {
  const key = crypto.createHmac('sha256', e2eSecret()).update('undersigned:unsubscribe:v1').digest();
  const payload = Buffer.from(JSON.stringify({ e: email, s: scope })).toString('base64url');
  return `${payload}.${crypto.createHmac('sha256', key).update(payload).digest('base64url')}`;
}

test.describe('route handlers: the cells HTTP proves', () => {
  test('GETs that would consume a link answer 405; health answers; unknown and malformed file ids alike 404', async ({
    request,
  }) => {
    expect((await request.get('/api/health')).status()).toBe(200);
    expect((await request.get(`/api/files/${crypto.randomUUID()}`)).status()).toBe(404);
    expect((await request.get('/api/files/not-a-uuid')).status()).toBe(404);
    expect((await request.get('/api/auth/confirm')).status()).toBe(405);
    expect((await request.get('/api/auth/callback/email?token=x&email=a%40example.org')).status()).toBe(405);
    expect(
      (
        await request.post('/api/auth/callback/email', { form: { token: 'x', email: 'a@example.org' } })
      ).status(),
    ).toBe(405);
  });

  test("Auth.js's signin endpoint sends nothing, even with its CSRF token (links only through the rate-limited action)", async ({
    playwright,
  }) => {
    const api = await playwright.request.newContext({ baseURL: BASE_URL });
    const email = uniqueEmail('authjs-signin');
    const { csrfToken } = (await (await api.get('/api/auth/csrf')).json()) as { csrfToken: string };
    expect(csrfToken).toBeTruthy();
    const res = await api.post('/api/auth/signin/email', {
      form: { csrfToken, email, callbackUrl: '/dashboard' },
      headers: SAME_ORIGIN.headers(BASE_URL),
      maxRedirects: 0,
    });
    expect(res.status()).toBe(405);
    expect(await mailCount(api, email)).toBe(0);
    await api.dispose();
  });

  test("Auth.js's signout endpoint needs its CSRF token (cross-site: the session stays; with the token: signed out)", async ({
    page,
  }) => {
    const email = uniqueEmail('authjs-signout');
    await signIn(page, email);
    for (const v of CROSS_SITE_VARIANTS) {
      await page.request.post('/api/auth/signout', {
        form: { callbackUrl: '/' },
        headers: v.headers(BASE_URL),
        maxRedirects: 0,
      });
      expect(await sessionEmail(page.request), v.name).toBe(email);
    }
    const { csrfToken } = (await (await page.request.get('/api/auth/csrf')).json()) as { csrfToken: string };
    await page.request.post('/api/auth/signout', {
      form: { csrfToken, callbackUrl: '/' },
      headers: SAME_ORIGIN.headers(BASE_URL),
      maxRedirects: 0,
    });
    expect(await sessionEmail(page.request)).toBeNull();
  });

  test('one-click unsubscribe: exempt from the origin check, so the HMAC capability is what counts', async ({
    request,
  }) => {
    const email = uniqueEmail('unsub');
    const good = signUnsubscribe(email, `statement:${crypto.randomUUID()}`);
    const [payload, mac] = good.split('.') as [string, string];
    const forged = `${payload}.${crypto.randomBytes(32).toString('base64url')}`;
    const swapped = `${Buffer.from(JSON.stringify({ e: uniqueEmail('victim'), s: 'statement:x' })).toString('base64url')}.${mac}`;
    for (const u of [forged, swapped, 'garbage', '']) {
      const res = await request.post(`/api/unsubscribe?u=${encodeURIComponent(u)}`);
      expect(res.status(), u).toBe(404);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('NOT_FOUND');
    }
    // A mail provider's one-click POST: no Origin, cross-site, only the capability. The first one changes, a repeat does not.
    const first = await request.post(`/api/unsubscribe?u=${encodeURIComponent(good)}`, {
      headers: { 'sec-fetch-site': 'cross-site' },
    });
    expect(first.status(), await first.text()).toBe(200);
    expect(await first.json()).toMatchObject({ changed: true });
    const again = await request.post(`/api/unsubscribe?u=${encodeURIComponent(good)}`);
    expect(await again.json()).toMatchObject({ changed: false });
  });
});
