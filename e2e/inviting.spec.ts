// Inviting organizations and reviewing together (PRODUCT.md S1–S3, D5; SECURITY.md I8, I11), end to end in a real
// browser against the production build, as users would do it:
//  - the journey: an initiator creates a statement and writes its text, invites an organization from the directory
//    (typeahead) and a new contact by e-mail (bulk field, an invalid line shown first), with a message and a
//    sign-by; the contact reads the e-mail in the development mailbox, follows the link, sees only the inviting
//    organization and a masked address, signs in with that address, creates their organization on the spot,
//    accepts, lands on the review page and comments on a passage they select with the mouse; the initiator sees
//    the comment on that passage, replies and resolves it; the directory organization's admin declines with a
//    reason from the dashboard; the board, its progress bar and the dashboard card show all of it;
//  - the shared mailbox: info-…@ signs in, opens the link and hands it to a personal account in the same browser;
//  - the forwarded link: another signed-in address gets the invalid-link answer and nothing else, and the link
//    still works for the person it was sent to.
// Every test has its own users, organizations and statement.
import crypto from 'node:crypto';
import { expect, test, type Locator, type Page } from '@playwright/test';
import { BASE_URL } from '../playwright.config';
import { mailboxMessages, uniqueEmail } from './helpers/auth';
import { escapeRegExp, msg } from './helpers/catalog';
import {
  INVITE_LINK,
  inviteByAction,
  newSession,
  signByInDays,
  signInHere,
  waitForInvitationLinks,
} from './helpers/invitations';
import { docOf, putText, SAME_ORIGIN, seedStatement } from './helpers/registry';

test.use({ locale: 'en-US' });
// Three people, each signing in by e-mail, on a slow machine: generous budgets (no retries).
test.describe.configure({ timeout: 300_000 });

const FIRST_LOAD = 60_000;
const t = (key: string, values: Record<string, string | number> = {}) =>
  msg('en', key, Object.fromEntries(Object.entries(values).map(([k, v]) => [k, String(v)])));
const rand = () => crypto.randomBytes(5).toString('hex');

const PARAGRAPHS = [
  'We call on the government to publish the draft law on assemblies.',
  'The draft must be open to comment for thirty days before the vote.',
  'Civil society must be heard before the vote, not after it.',
];
const PASSAGE = 'open to comment for thirty days';

// ---------------------------------------------------------------------------------------------------------
// Organizations, statements, text — through the UI

/** Create an organization through /manage/orgs/new (the signed-in user becomes its owner). */
async function createOrg(page: Page, name: string): Promise<void> {
  await page.goto('/manage/orgs/new');
  await expect(page.getByRole('heading', { level: 1, name: t('orgs.newTitle') })).toBeVisible({
    timeout: FIRST_LOAD,
  });
  await fillOrgForm(page, name, /\/manage\/orgs\/(?!new$)[^/]+$/);
  await expect(page.getByRole('heading', { level: 1, name })).toBeVisible({ timeout: 30_000 });
}

/**
 * Fill the organization form (its own page or the one on the invitation landing) and create it; ends when the
 * URL matches `done`. A similar name elsewhere in the directory asks for a confirmation first.
 */
async function fillOrgForm(page: Page, name: string, done: RegExp): Promise<void> {
  await page.getByLabel(t('orgs.fieldName'), { exact: true }).fill(name);
  await page.getByLabel(t('orgs.fieldNameEn')).fill(name);
  await page.getByLabel(t('orgs.fieldCity')).fill('Yerevan');
  await page.getByLabel(t('orgs.fieldCountry')).fill('Armenia');
  await page.getByRole('button', { name: t('orgs.create') }).click();
  const confirm = page.getByRole('checkbox', { name: t('orgs.confirmDistinct') });
  await expect
    .poll(async () => done.test(page.url()) || (await confirm.isVisible()), { timeout: 30_000 })
    .toBe(true);
  if (!done.test(page.url())) {
    await confirm.check();
    await page.getByRole('button', { name: t('orgs.create') }).click();
  }
  await expect(page).toHaveURL(done, { timeout: 30_000 });
}

const LANDING_WITH_ORG = /\/invite\/statement\?org=[0-9a-f-]{36}$/;

/** Create a statement through /statements/new (primary language English, Asia/Yerevan); returns its id. */
async function createStatement(page: Page, title: string): Promise<string> {
  await page.goto('/statements/new');
  await expect(page.getByRole('heading', { level: 1, name: t('statements.newTitle') })).toBeVisible({
    timeout: FIRST_LOAD,
  });
  await page.getByLabel(t('statements.fieldTitle'), { exact: true }).fill(title);
  await page.getByRole('button', { name: t('statements.create') }).click();
  await expect(page).toHaveURL(/\/statements\/[0-9a-f-]{36}$/, { timeout: 30_000 });
  return new URL(page.url()).pathname.split('/').pop()!;
}

/** Write the paragraphs in the editor and wait until the autosave has them all. */
async function writeText(page: Page, id: string, paragraphs: string[]): Promise<void> {
  await page.goto(`/statements/${id}/edit/en`);
  const body = page.getByRole('textbox', { name: t('editor.bodyLabel') });
  await expect(body).toHaveAttribute('contenteditable', 'true', { timeout: FIRST_LOAD });
  await body.click();
  await page.keyboard.type(paragraphs.join('\n'));
  await expect
    .poll(
      () =>
        page.evaluate(
          (k) =>
            `${document.querySelector('[data-save-status]')?.getAttribute('data-save-status')}|${localStorage.getItem(k) === null ? 'clean' : 'local copy'}`,
          `undersigned:draft:${id}:en`,
        ),
      { timeout: 30_000, message: 'the editor saved everything' },
    )
    .toBe('saved|clean');
}

// ---------------------------------------------------------------------------------------------------------
// The review page

/** Select `passage` in the review text with the mouse: press before its first letter, drag past its last. */
async function dragSelect(page: Page, passage: string): Promise<void> {
  const text = page.getByTestId('review-text');
  await text.scrollIntoViewIfNeeded();
  const at = await text.evaluate((root, p) => {
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const i = (n as Text).data.indexOf(p);
      if (i < 0) continue;
      const box = (from: number, to: number) => {
        const r = document.createRange();
        r.setStart(n!, from);
        r.setEnd(n!, to);
        return r.getBoundingClientRect();
      };
      const first = box(i, i + 1);
      const last = box(i + p.length - 1, i + p.length);
      return {
        x1: first.left + 1,
        y1: first.top + first.height / 2,
        x2: last.right - 1,
        y2: last.top + last.height / 2,
      };
    }
    throw new Error(`"${p}" is not in the text`);
  }, passage);
  await page.mouse.move(at.x1, at.y1);
  await page.mouse.down();
  await page.mouse.move(at.x2, at.y2, { steps: 8 });
  await page.mouse.up();
}

const thread = (page: Page, body: string): Locator =>
  page.locator('li[data-comment-id]').filter({ hasText: body }).first();

// ---------------------------------------------------------------------------------------------------------
// The board

/** The row of one invitation on the status board (the table, on a laptop). */
const boardRow = (page: Page, target: string): Locator =>
  page.getByRole('row').filter({ has: page.getByText(target, { exact: true }) });

async function openBoard(page: Page, id: string): Promise<void> {
  await page.goto(`/statements/${id}/invitations`);
  await expect(page.getByRole('heading', { level: 2, name: t('invitations.boardHeading') })).toBeVisible({
    timeout: FIRST_LOAD,
  });
}

// ---------------------------------------------------------------------------------------------------------

test('the journey: invite a directory organization and a new contact; the contact joins, comments on a passage; the initiator replies and resolves; a decline with its reason; board, progress and dashboard', async ({
  browser,
}) => {
  const tag = rand();
  const initiator = await newSession(browser, uniqueEmail('inv-initiator'));
  const dirAdmin = await newSession(browser, uniqueEmail('inv-dir-admin'));
  const contactEmail = uniqueEmail('inv-contact');
  const initiatorOrg = `Initiators ${tag}`;
  const dirOrg = `Directory Union ${tag}`;
  const contactOrg = `Contact Group ${tag}`;
  const title = `Open letter on assemblies ${tag}`;
  const message = `Dear colleagues, please review our letter by the end of the month. ${tag}`;
  const reason = `Our board has not met yet ${tag}`;
  const signBy = signByInDays(10);

  // ---- the directory organization exists; the initiator writes a statement ----
  await createOrg(dirAdmin.page, dirOrg);
  const ip = initiator.page;
  await createOrg(ip, initiatorOrg);
  const id = await createStatement(ip, title);
  await writeText(ip, id, PARAGRAPHS);

  // ---- Invitations: the directory typeahead and the bulk e-mail field ----
  await ip.goto(`/statements/${id}`);
  await ip
    .getByRole('navigation', { name: t('statements.statementNavigation') })
    .getByRole('link', { name: t('statements.tabInvitations') })
    .click();
  await expect(ip).toHaveURL(new RegExp(`/statements/${id}/invitations$`));
  await expect(ip.getByText(t('invitations.noInvitationsYet'))).toBeVisible();
  await expect(ip.getByText(t('invitations.boardEmpty'))).toBeVisible();

  const search = ip.getByRole('combobox', { name: t('invitations.searchLabel') });
  await search.fill(`union ${tag}`);
  await expect(search).toHaveAttribute('aria-expanded', 'true');
  await ip.getByRole('option', { name: new RegExp(escapeRegExp(dirOrg)) }).click();
  const chosen = ip.getByRole('list', { name: t('invitations.chosenLabel') });
  await expect(chosen.getByRole('listitem')).toHaveText([new RegExp(escapeRegExp(dirOrg))]);
  await expect(search).toHaveValue('');

  // A pasted list with a line that is not an address: shown before anything is sent, and sending waits.
  const emails = ip.getByLabel(t('invitations.emailsLabel'));
  await emails.fill(`Contact Person <${contactEmail}>\nnot-an-address`);
  await expect(ip.getByText('1 line is not a valid e-mail address:')).toBeVisible();
  await expect(ip.getByText('line 2: not-an-address')).toBeVisible();
  const send2 = ip.getByRole('button', { name: 'Send 2 invitations' });
  await expect(send2).toBeDisabled();
  await emails.fill(`Contact Person <${contactEmail}>`);
  await expect(ip.getByText('1 valid address')).toBeVisible();
  await ip.getByLabel(t('invitations.messageLabel')).fill(message);
  await ip.getByLabel(t('invitations.signByLabel')).fill(signBy.local);
  await expect(ip.getByText(t('invitations.inZone', { zone: 'Asia/Yerevan' }))).toBeVisible();
  await send2.click();
  await expect(ip.getByText('2 invitations sent.')).toBeVisible();

  // The board: both sent, automatic reminders scheduled before the sign-by; nothing accepted yet.
  const progress = ip.getByRole('progressbar', { name: t('invitations.progressLabel') });
  await expect(progress).toHaveAttribute('aria-valuetext', '0 of 2 accepted');
  await expect(boardRow(ip, dirOrg)).toContainText(t('invitations.state.sent'));
  await expect(boardRow(ip, contactEmail)).toContainText(t('invitations.state.sent'));
  await expect(boardRow(ip, contactEmail)).toContainText('2 automatic reminders scheduled');

  // ---- the contact: the e-mail in the development mailbox ----
  const contactCtx = await browser.newContext({ locale: 'en-US' });
  const cp = await contactCtx.newPage();
  await waitForInvitationLinks(cp, contactEmail);
  const mail = mailboxMessages(cp, contactEmail, title);
  await expect(mail).toHaveCount(1);
  await expect(mail).toContainText(t('mail.statementInvitation.subject', { inviters: initiatorOrg, title }));
  const letter = mail.locator('iframe').contentFrame();
  await expect(letter.getByText(message)).toBeVisible();
  await expect(letter.getByText(`(Asia/Yerevan)`, { exact: false })).toBeVisible();
  await mail.getByRole('link', { name: INVITE_LINK }).click();

  // Signed out: only the inviting organization and a masked address; the token leaves the address bar.
  await expect(cp).toHaveURL(/\/invite\/statement$/);
  const main = cp.getByRole('main');
  await expect(main.getByText(t('invitations.previewParticipant', { inviters: initiatorOrg }))).toBeVisible();
  const masked = `${contactEmail[0]}…@example.org`;
  await expect(main.getByText(t('invitations.signInAs', { email: masked }))).toBeVisible();
  await expect(main).not.toContainText(title);
  await expect(main).not.toContainText(message);
  await expect(main).not.toContainText(contactEmail);
  await expect(main).not.toContainText(dirOrg);

  // Sign in with the invited address: back on the landing, the invitation itself.
  await main.getByRole('link', { name: t('nav.signIn'), exact: true }).click();
  await signInHere(cp, contactEmail, /\/invite\/statement$/);
  await expect(main.getByRole('heading', { level: 2, name: title })).toBeVisible();
  await expect(
    main.getByText(t('invitations.inviteToParticipate', { inviters: initiatorOrg })),
  ).toBeVisible();
  await expect(main.getByText(message)).toBeVisible();
  await expect(
    main.getByText(new RegExp(`^Please answer by .*${signBy.day.source}.*\\(Asia/Yerevan\\)\\.$`)),
  ).toBeVisible();
  await expect(main.getByText(t('invitations.noEligibleOrg'))).toBeVisible();
  await expect(main.getByRole('button', { name: t('invitations.accept'), exact: true })).toBeDisabled();

  // Opened by the invited person: "viewed" on the board.
  await ip.reload();
  await expect(boardRow(ip, contactEmail)).toContainText(t('invitations.state.viewed'));

  // Create the organization right here; back on the landing it is chosen; accept → the review page.
  await fillOrgForm(cp, contactOrg, LANDING_WITH_ORG);
  await expect(main.getByRole('radio', { name: new RegExp(escapeRegExp(contactOrg)) })).toBeChecked();
  await main.getByRole('button', { name: t('invitations.acceptFor', { org: contactOrg }) }).click();
  await expect(cp).toHaveURL(new RegExp(`/statements/${id}/review/en$`), { timeout: 30_000 });

  // ---- the contact comments on a passage they select ----
  await expect(cp.getByTestId('review-text')).toContainText(PARAGRAPHS[1]!);
  await dragSelect(cp, PASSAGE);
  await expect(cp.getByText(t('comments.passageSelected', { quote: PASSAGE }))).toBeVisible();
  await cp.getByRole('button', { name: t('comments.commentOnPassage') }).click();
  const comment = `Thirty days is too short for our members to consult. ${tag}`;
  await cp.getByLabel(t('comments.bodyLabel')).fill(comment);
  await cp.getByRole('button', { name: t('comments.submit') }).click();
  await expect(cp.locator('mark[data-comment-id]')).toHaveText(PASSAGE);
  await expect(thread(cp, comment)).toContainText(contactOrg);
  await expect(cp.getByTestId('open-count')).toHaveText('1 open comment');

  // ---- the initiator sees it on that passage, replies, resolves ----
  await ip.goto(`/statements/${id}/review`);
  await expect(ip).toHaveURL(new RegExp(`/statements/${id}/review/en$`));
  const mark = ip.locator('mark[data-comment-id]');
  await expect(mark).toHaveText(PASSAGE);
  const th = thread(ip, comment);
  await expect(th).toContainText(contactOrg);
  await expect(mark).toHaveAttribute('data-comment-id', (await th.getAttribute('data-comment-id'))!);
  await mark.click();
  await expect(th).toHaveClass(/ring-2/);
  await th.getByRole('button', { name: t('comments.reply') }).click();
  const reply = `Agreed: we will propose forty-five days. ${tag}`;
  await ip.getByLabel(t('comments.replyLabel')).fill(reply);
  await th.getByRole('button', { name: t('comments.submitReply') }).click();
  await expect(th.getByRole('list', { name: '1 reply' })).toContainText(reply);
  await th.getByRole('button', { name: t('comments.resolve') }).click();
  await expect(ip.getByTestId('open-count')).toHaveText('No open comments');
  await expect(thread(ip, comment)).toHaveCount(0);
  await ip.getByRole('button', { name: t('comments.filterResolved', { count: 1 }) }).click();
  await expect(thread(ip, comment)).toHaveAttribute('data-resolved', 'true');
  await expect(thread(ip, comment)).toContainText(
    t('comments.resolvedBy', { name: initiator.email.split('@')[0]! }),
  );
  await expect(thread(ip, comment)).toContainText(reply);

  // The contact sees the reply and that it was resolved.
  await cp.reload();
  await cp.getByRole('button', { name: t('comments.filterResolved', { count: 1 }) }).click();
  await expect(thread(cp, comment)).toContainText(reply);

  // ---- the directory organization's admin: the mail, then decline with a reason from the dashboard ----
  const dp = dirAdmin.page;
  await waitForInvitationLinks(dp, dirAdmin.email);
  await expect(
    mailboxMessages(dp, dirAdmin.email, title)
      .locator('iframe')
      .contentFrame()
      .getByText(t('mail.statementInvitation.bodyOrg', { org: dirOrg })),
  ).toBeVisible();
  await dp.goto('/dashboard');
  const waiting = dp.getByRole('region', { name: /^Invitations? to answer/ });
  const item = waiting.getByRole('listitem').filter({ hasText: title });
  await expect(item).toContainText(t('invitations.forOrganization', { org: dirOrg }));
  await expect(item).toContainText(t('invitations.inviteToParticipate', { inviters: initiatorOrg }));
  await expect(item).toContainText(/Answer by .*\(Asia\/Yerevan\)/);
  await item
    .getByRole('button', {
      name: `${t('invitations.decline')} ${t('invitations.actionFor', { target: title })}`,
    })
    .click();
  await item.getByLabel(t('invitations.declineReasonLabel')).fill(reason);
  await item.getByRole('button', { name: t('invitations.declineConfirm') }).click();
  await expect(dp.getByText(t('invitations.waitingEmpty'))).toBeVisible();

  // ---- the board: accepted, declined with its reason, the progress bar; filter by state ----
  await openBoard(ip, id);
  await expect(progress).toHaveAttribute('aria-valuenow', '1');
  await expect(progress).toHaveAttribute('aria-valuemax', '2');
  await expect(progress).toHaveAttribute('aria-valuetext', '1 of 2 accepted');
  await expect(ip.getByText('1 of 2 accepted', { exact: true })).toBeVisible();
  await expect(
    ip.getByText(t('invitations.progressDetail', { answered: 2, declined: 1, waiting: 0 })),
  ).toBeVisible();
  const accepted = boardRow(ip, contactEmail);
  await expect(accepted).toContainText(t('invitations.state.accepted'));
  await expect(accepted).toContainText(t('invitations.acceptedBy', { name: contactEmail, org: contactOrg }));
  // Accepted: the reminders to sign stay scheduled until the organization signs the current version (they go out
  // only while the statement is open for signature); declined: they stop.
  await expect(accepted).toContainText('2 automatic reminders scheduled');
  await expect(accepted).toContainText(t('signatureColumn.unsigned'));
  const declined = boardRow(ip, dirOrg);
  await expect(declined).not.toContainText('automatic reminder');
  await expect(declined).toContainText(t('invitations.state.declined'));
  await expect(declined).toContainText(t('invitations.declinedBy', { name: dirAdmin.email }));
  await expect(declined.locator('q')).toHaveText(reason);
  // Answered invitations have no resend / remind / revoke.
  await expect(accepted.getByRole('button')).toHaveCount(0);
  await expect(declined.getByRole('button')).toHaveCount(0);
  await ip
    .getByRole('navigation', { name: t('invitations.filterLabel') })
    .getByRole('link', { name: /^Declined/ })
    .click();
  await expect(ip).toHaveURL(/[?&]state=declined/);
  await expect(boardRow(ip, dirOrg)).toBeVisible();
  await expect(boardRow(ip, contactEmail)).toHaveCount(0);

  // ---- the dashboard card: the same counts ----
  await ip.goto('/dashboard');
  const card = ip.getByRole('listitem').filter({ has: ip.getByRole('link', { name: title, exact: true }) });
  const small = card.getByRole('progressbar', { name: t('invitations.progressLabel') });
  await expect(small).toHaveAttribute('aria-valuenow', '1');
  await expect(small).toHaveAttribute('aria-valuemax', '2');
  await expect(card).toContainText('1 of 2 accepted');

  // The participant's dashboard lists the draft to review, with its open comments.
  await cp.goto('/dashboard');
  const reviews = cp.getByRole('region', { name: /^Drafts? to review/ });
  await expect(reviews.getByRole('link', { name: title, exact: true })).toBeVisible();
  await expect(reviews).toContainText(`${t('invitations.reviewingAs', { org: contactOrg })}`);

  for (const c of [initiator.ctx, dirAdmin.ctx, contactCtx]) await c.close();
});

test('shared mailbox: info@ opens the link and hands it to a personal account in the same browser; the board records both', async ({
  browser,
}) => {
  const tag = rand();
  const initiator = await newSession(browser, uniqueEmail('inv-shared-init'));
  const { statementId, title } = await seedStatement(initiator.page.request, BASE_URL, tag);
  const r = await putText(
    initiator.page.request,
    BASE_URL,
    statementId,
    'hy',
    { baseVersion: 0, title, doc: docOf(...PARAGRAPHS) },
    SAME_ORIGIN,
  );
  expect(r.res.status(), r.text).toBe(200);
  const info = `info-${tag}@example.org`;
  const personal = uniqueEmail('inv-personal');
  const org = `Shared Mailbox Society ${tag}`;
  await inviteByAction(initiator.page.request, {
    statementId,
    emails: [info],
    message: `For the board ${tag}`,
  });

  // The shared mailbox signs in and opens the link.
  const mailbox = await newSession(browser, info);
  const page = mailbox.page;
  const [link] = await waitForInvitationLinks(page, info);
  await page.goto(link!);
  const main = page.getByRole('main');
  await expect(main.getByRole('heading', { level: 2, name: title })).toBeVisible();
  await main.getByText(t('invitations.sharedMailboxSummary')).click();
  await expect(main.getByText(t('invitations.sharedMailboxExplain', { email: info }))).toBeVisible();
  await main.getByRole('button', { name: t('invitations.sharedMailboxContinue') }).click();

  // Signed out, on the sign-in page that leads back; the personal address signs in within the same browser.
  await expect(page).toHaveURL(/\/sign-in\?next=%2Finvite%2Fstatement$/, { timeout: 30_000 });
  await signInHere(page, personal, /\/invite\/statement$/);
  await expect(main.getByRole('heading', { level: 2, name: title })).toBeVisible();
  await expect(
    main.getByText(t('invitations.continuingFrom', { me: personal, mailbox: info })),
  ).toBeVisible();
  // No way to hand it on again: the link is used up.
  await expect(main.getByText(t('invitations.sharedMailboxSummary'))).toHaveCount(0);

  await fillOrgForm(page, org, LANDING_WITH_ORG);
  await main.getByRole('button', { name: t('invitations.acceptFor', { org }) }).click();
  await expect(page).toHaveURL(new RegExp(`/statements/${statementId}/review/hy$`), { timeout: 30_000 });
  await expect(page.getByTestId('review-text')).toContainText(PARAGRAPHS[0]!);

  // The board: accepted by the personal account for its organization, proven by the shared mailbox.
  await openBoard(initiator.page, statementId);
  const row = boardRow(initiator.page, info);
  await expect(row).toContainText(t('invitations.state.accepted'));
  await expect(row).toContainText(t('invitations.acceptedBy', { name: personal, org }));
  await expect(row).toContainText(t('invitations.viaSharedMailbox', { email: info }));
  await expect(
    initiator.page.getByRole('progressbar', { name: t('invitations.progressLabel') }),
  ).toHaveAttribute('aria-valuetext', '1 of 1 accepted');

  for (const c of [initiator.ctx, mailbox.ctx]) await c.close();
});

test('a forwarded link: another signed-in address gets the invalid-link answer and nothing else; the link still works for its addressee', async ({
  browser,
}) => {
  const tag = rand();
  const initiator = await newSession(browser, uniqueEmail('inv-fwd-init'));
  const { statementId, title } = await seedStatement(initiator.page.request, BASE_URL, tag);
  const invitee = uniqueEmail('inv-fwd-invitee');
  const message = `Only for you ${tag}`;
  await inviteByAction(initiator.page.request, { statementId, emails: [invitee], message });
  const [link] = await waitForInvitationLinks(initiator.page, invitee);

  // Someone else, signed in, opens the forwarded link.
  const other = await newSession(browser, uniqueEmail('inv-fwd-other'));
  await other.page.goto(link!);
  const main = other.page.getByRole('main');
  await expect(main.getByRole('alert')).toHaveText(t('errors.invitationLinkInvalid'));
  await expect(main).toHaveText(
    new RegExp(
      `^\\s*${escapeRegExp(t('invitations.landingTitle'))}\\s*${escapeRegExp(t('errors.invitationLinkInvalid'))}\\s*${escapeRegExp(t('invite.signedInAs', { email: other.email }))}\\s*$`,
    ),
  );
  for (const leak of [title, message, invitee, `${invitee[0]}…@example.org`, 'Drafting Group'])
    await expect(main).not.toContainText(leak);
  await expect(main.getByRole('button')).toHaveCount(0);
  await expect(main.getByRole('radio')).toHaveCount(0);

  // Nothing was consumed or marked: still "sent" on the board, and the addressee can open it.
  await openBoard(initiator.page, statementId);
  await expect(boardRow(initiator.page, invitee)).toContainText(t('invitations.state.sent'));
  const addressee = await newSession(browser, invitee);
  await addressee.page.goto(link!);
  const theirs = addressee.page.getByRole('main');
  await expect(theirs.getByRole('heading', { level: 2, name: title })).toBeVisible();
  await expect(theirs.getByText(message)).toBeVisible();
  await initiator.page.reload();
  await expect(boardRow(initiator.page, invitee)).toContainText(t('invitations.state.viewed'));

  for (const c of [initiator.ctx, other.ctx, addressee.ctx]) await c.close();
});
