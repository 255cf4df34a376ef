// Signing (PRODUCT.md S4–S6; SECURITY.md C2, C3, I3), end to end in a real browser against the production build:
// the initiator freezes version 1 from the overview; an invited organization's admin opens the invitation link,
// reads the frozen text with its hash, accepts and signs on the same page and lands on the receipt; a second
// organization accepts, signs from the sign page, withdraws with a public reason and reinstates; the initiator
// reopens, changes a sentence and freezes version 2; the first signer gets the re-confirmation e-mail, sees the
// change as a diff and re-confirms; the board shows signed / awaiting re-confirmation / not yet.
import crypto from 'node:crypto';
import { expect, test, type Page } from '@playwright/test';
import { BASE_URL } from '../playwright.config';
import { mailboxMessages, mailboxUrl, uniqueEmail } from './helpers/auth';
import { msg } from './helpers/catalog';
import { inviteByAction, newSession, waitForInvitationLinks } from './helpers/invitations';
import { docOf, putText, SAME_ORIGIN, seedOrganization, seedStatement, textVersion } from './helpers/registry';

test.use({ locale: 'en-US' });
test.describe.configure({ timeout: 420_000 });

const FIRST_LOAD = 60_000;
const t = (key: string, values: Record<string, string | number> = {}) =>
  msg('en', key, Object.fromEntries(Object.entries(values).map(([k, v]) => [k, String(v)])));
const rand = () => crypto.randomBytes(5).toString('hex');
const sha256 = (b: Buffer) => crypto.createHash('sha256').update(b).digest('hex');

const SENTENCE_1 = 'We call for an open budget hearing before the vote.';
const SENTENCE_2 = 'The ministry must publish every line of the draft budget.';
const SENTENCE_2_NEW = 'The ministry must publish every line of the draft budget within ten days.';

async function freezeFromOverview(page: Page, id: string, version: number): Promise<void> {
  await page.goto(`/statements/${id}`);
  await page.getByRole('button', { name: t('signing.freezeButton', { version }) }).click({ timeout: FIRST_LOAD });
  await page.getByRole('button', { name: t('signing.freezeConfirm', { version }) }).click();
  await expect(page.getByText(t('signing.versionLabel', { version }), { exact: true })).toBeVisible({
    timeout: 30_000,
  });
  await expect(page.getByText(t('statementStates.open')).first()).toBeVisible();
}

/** The receipt shows the organization, the version and exactly the hash of the canonical bytes. */
async function expectReceipt(page: Page, org: string, version: number, hash: string): Promise<void> {
  await expect(page).toHaveURL(/\/statements\/[0-9a-f-]{36}\/receipts\/[0-9a-f-]{36}$/, { timeout: 30_000 });
  const receipt = page.getByTestId('receipt');
  await expect(receipt).toContainText(org);
  await expect(page.getByTestId('receipt-version')).toHaveText(String(version));
  await expect(page.getByTestId('receipt-hash')).toHaveText(hash);
  // Nothing that identifies the person beyond what they chose to show.
  await expect(receipt).not.toContainText('@example.org');
}

test('freeze, accept and sign from the invitation, withdraw and reinstate, reopen, re-confirm the new version; the board', async ({
  browser,
}) => {
  const tag = rand();
  const initiator = await newSession(browser, uniqueEmail('sign-init'));
  const { statementId: id, title } = await seedStatement(initiator.ctx.request, BASE_URL, tag);
  const initiatorOrg = `Drafting Group ${tag}`;
  const saved = await putText(
    initiator.ctx.request,
    BASE_URL,
    id,
    'hy',
    { baseVersion: 0, title, doc: docOf(SENTENCE_1, SENTENCE_2) },
    SAME_ORIGIN,
  );
  expect(saved.res.status()).toBe(200);

  // Two organizations, each with its own admin, invited from the directory.
  const alpha = await newSession(browser, uniqueEmail('sign-alpha'));
  const alphaOrgId = await seedOrganization(alpha.ctx.request, BASE_URL, `${tag}a`);
  const alphaOrg = `Drafting Group ${tag}a`;
  const beta = await newSession(browser, uniqueEmail('sign-beta'));
  const betaOrgId = await seedOrganization(beta.ctx.request, BASE_URL, `${tag}b`);
  const betaOrg = `Drafting Group ${tag}b`;
  await inviteByAction(initiator.ctx.request, { statementId: id, orgIds: [alphaOrgId, betaOrgId] });

  // ---- the initiator freezes version 1 ----
  const ip = initiator.page;
  await freezeFromOverview(ip, id, 1);
  const v1 = await initiator.ctx.request.get(`/api/statements/${id}/versions/1`);
  expect(v1.status()).toBe(200);
  const hash1 = sha256(await v1.body());
  await expect(ip.getByText(hash1)).toBeVisible();

  // ---- alpha: the invitation link, the frozen text and its hash, accept and sign on one page ----
  const ap = alpha.page;
  const [alphaLink] = await waitForInvitationLinks(ap, alpha.email);
  await ap.goto(alphaLink!);
  const one = ap.getByTestId('accept-and-sign');
  await expect(one).toBeVisible({ timeout: FIRST_LOAD });
  await expect(one.getByTestId('frozen-text')).toContainText(SENTENCE_2);
  await expect(one.getByTestId('content-sha256')).toHaveText(hash1);
  await one.getByLabel(t('acceptSign.titleLabel')).fill('Chair of the board');
  await one.getByRole('button', { name: t('acceptSign.button', { org: alphaOrg, version: 1 }) }).click();
  await expectReceipt(ap, alphaOrg, 1, hash1);
  await expect(ap.getByTestId('receipt')).toContainText('Chair of the board');

  // ---- beta: plain accept, then sign from the sign page; withdraw with a reason; reinstate ----
  const bp = beta.page;
  const [betaLink] = await waitForInvitationLinks(bp, beta.email);
  await bp.goto(betaLink!);
  await expect(bp.getByTestId('accept-and-sign')).toBeVisible({ timeout: FIRST_LOAD });
  await bp.getByRole('button', { name: t('invitations.acceptFor', { org: betaOrg }) }).click();
  await expect(bp).toHaveURL(new RegExp(`/statements/${id}/sign$`), { timeout: 30_000 });
  await expect(bp.getByTestId('frozen-text')).toContainText(SENTENCE_1);
  await expect(bp.getByTestId('content-sha256')).toHaveText(hash1);
  await expect(bp.getByTestId('sign-status')).toHaveText(t('signPage.statusUnsigned'));
  await bp.getByRole('button', { name: t('signPage.signFor', { org: betaOrg, version: 1 }) }).click();
  await expectReceipt(bp, betaOrg, 1, hash1);

  await bp.goto(`/statements/${id}/sign`);
  await bp.getByRole('button', { name: t('signPage.withdraw') }).click();
  await bp.getByLabel(t('signPage.reasonLabel')).fill('Our members asked for time to consult.');
  await bp.getByRole('button', { name: t('signPage.withdrawConfirm'), exact: true }).click();
  await expect(bp.getByTestId('sign-status')).toHaveText(t('signPage.statusWithdrawn'), { timeout: 30_000 });
  await bp.goto(`/statements/${id}/signatures`);
  const betaRow = bp.getByRole('listitem').filter({ has: bp.getByRole('link', { name: betaOrg, exact: true }) });
  await expect(betaRow).toContainText(t('signing.status.withdrawn'));
  await expect(betaRow).toContainText('Our members asked for time to consult.');
  await bp.goto(`/statements/${id}/sign`);
  await bp.getByRole('button', { name: t('signPage.reinstate', { version: 1 }) }).click();
  await expectReceipt(bp, betaOrg, 1, hash1);

  // ---- the initiator reopens, changes a sentence and freezes version 2 ----
  await ip.goto(`/statements/${id}`);
  await ip.getByRole('button', { name: t('signing.reopenButton') }).click();
  await ip.getByRole('button', { name: t('signing.reopenConfirm') }).click();
  await expect(ip.getByRole('button', { name: t('signing.freezeButton', { version: 2 }) })).toBeVisible({
    timeout: 30_000,
  });
  const base = await textVersion(initiator.ctx.request, BASE_URL, id, 'hy');
  const edited = await putText(
    initiator.ctx.request,
    BASE_URL,
    id,
    'hy',
    { baseVersion: base, title, doc: docOf(SENTENCE_1, SENTENCE_2_NEW) },
    SAME_ORIGIN,
  );
  expect(edited.res.status()).toBe(200);
  await freezeFromOverview(ip, id, 2);
  const hash2 = sha256(await (await initiator.ctx.request.get(`/api/statements/${id}/versions/2`)).body());
  expect(hash2).not.toBe(hash1);

  // ---- alpha: the re-confirmation e-mail, the diff, re-confirm ----
  const subject = t('mail.reconfirmNeeded.subject', { title });
  await expect(async () => {
    await ap.goto(mailboxUrl(alpha.email));
    await expect(mailboxMessages(ap, alpha.email, subject)).not.toHaveCount(0);
  }).toPass({ timeout: 30_000 });
  await ap.goto(`/statements/${id}/sign`);
  await expect(ap.getByTestId('sign-status')).toHaveText(t('signPage.statusNeedsReconfirmation', { version: 1 }), {
    timeout: FIRST_LOAD,
  });
  const diff = ap.getByTestId('reconfirm-diff-hy');
  await expect(diff).toBeVisible();
  await expect(diff.locator('ins').first()).toContainText('ten days');
  await ap.getByLabel(t('signPage.titleLabel')).fill('Chair of the board');
  await ap.getByRole('button', { name: t('signPage.reconfirm', { version: 2 }) }).click();
  await expectReceipt(ap, alphaOrg, 2, hash2);

  // ---- the board, as the initiator ----
  await ip.goto(`/statements/${id}/signatures`);
  const row = (org: string) => ip.getByRole('listitem').filter({ has: ip.getByRole('link', { name: org, exact: true }) });
  await expect(row(alphaOrg).getByTestId('board-status')).toHaveText(t('signing.status.signed'));
  await expect(row(alphaOrg)).toContainText('Chair of the board');
  await expect(row(betaOrg).getByTestId('board-status')).toHaveText(t('signing.status.needs_reconfirmation'));
  await expect(row(initiatorOrg).getByTestId('board-status')).toHaveText(t('signing.status.unsigned'));
  await expect(ip.getByText(t('signing.progressText', { signed: 1, total: 3, version: 2 }))).toBeVisible();

  // The invitations board shows the signature of each accepted organization.
  await ip.goto(`/statements/${id}/invitations`);
  await expect(ip.getByTestId('signature-badge').filter({ hasText: t('signatureColumn.signed', { version: 2 }) }).first()).toBeVisible();

  for (const s of [initiator, alpha, beta]) await s.ctx.close();
});
