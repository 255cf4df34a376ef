// Accessibility: axe (WCAG 2.2 AA rule set) on every page built so far, on a laptop and on a phone, plus
// full-page phone screenshots in test-results/screenshots/ for a human look. The drafting pages are checked in
// e2e/drafting.spec.ts; the statement invitations (board, invite form, landing, dashboard), the review page
// with comments, and signing (overview with the freeze panel, landing with accept-and-sign, sign page unsigned and
// re-confirming with the diff, receipt, signature board) at the end of this file.
import crypto from 'node:crypto';
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import { BASE_URL } from '../playwright.config';
import { requestLink, signIn, uniqueEmail } from './helpers/auth';
import { escapeRegExp, msg, type Locale } from './helpers/catalog';
import {
  inviteByAction,
  newSession,
  orgIdOf,
  signByInDays,
  waitForInvitationLinks,
} from './helpers/invitations';
import {
  callAction,
  docOf,
  expectAccepted,
  putText,
  SAME_ORIGIN,
  seedOrganization,
  seedStatement,
  textVersion,
} from './helpers/registry';

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

// ---- statement invitations and review (PRODUCT.md S1–S3, D5) ----

test.describe('statement invitations and review', () => {
  // Three people signing in by e-mail, a statement, invitations and comments: more than the default minute.
  test.describe.configure({ timeout: 240_000 });

  test('invitations board and invite form (initiator admin), landing signed out and signed in, dashboard with a waiting invitation, review page with comments', async ({
    page,
    browser,
  }) => {
    const t = (key: string, values: Record<string, string> = {}) => msg('en', key, values);
    const tag = crypto.randomBytes(4).toString('hex');
    // The initiator: an organization, a statement with text.
    await signIn(page, uniqueEmail('a11y-initiator'));
    const { statementId, title } = await seedStatement(page.request, BASE_URL, tag);
    const saved = await putText(
      page.request,
      BASE_URL,
      statementId,
      'hy',
      {
        baseVersion: 0,
        title,
        doc: docOf(
          'We call on the government to publish the draft law on assemblies.',
          'The draft must be open to comment for thirty days before the vote.',
        ),
      },
      SAME_ORIGIN,
    );
    expect(saved.res.status(), saved.text).toBe(200);

    // An organization in the directory (its owner also invited by e-mail), and a contact who has not answered.
    const invitee = await newSession(browser, uniqueEmail('a11y-invitee'));
    const inviteeOrgId = await seedOrganization(invitee.page.request, BASE_URL, `${tag}b`);
    const inviteeOrg = `Drafting Group ${tag}b`;
    const pending = uniqueEmail('a11y-pending');
    const [directoryInvitation] = await inviteByAction(page.request, {
      statementId,
      orgIds: [inviteeOrgId],
      emails: [invitee.email, pending],
      message: `Please review our letter before the vote. ${tag}`,
      signBy: signByInDays(10).local,
    });

    // The dashboard with invitations waiting for my organization.
    const ip = invitee.page;
    await ip.goto('/dashboard');
    await check(ip, 'dashboard-waiting-invitations', async () => {
      await expect(h1(ip, msg('en', 'dashboard.title'))).toBeVisible();
      await expect(
        ip.getByRole('heading', { level: 2, name: t('invitations.waitingHeading'), exact: true }),
      ).toBeVisible();
      await expect(
        ip.getByRole('button', { name: new RegExp(`^${t('invitations.decline')} `) }),
      ).toBeVisible();
    });

    // The landing, signed out: the inviting organization and a masked address.
    const links = await waitForInvitationLinks(ip, invitee.email, 2);
    const outsider = await browser.newContext({ locale: 'en-US' });
    const op = await outsider.newPage();
    await op.goto(links[0]!);
    await check(op, 'invitation-landing-signed-out', async () => {
      await expect(h1(op, t('invitations.landingTitle'))).toBeVisible();
      await expect(op.getByRole('main').getByRole('link', { name: msg('en', 'nav.signIn') })).toBeVisible();
      await islandSettled(op, 'en');
    });
    await outsider.close();

    // The landing, signed in with the invited address: title, message, the organization to answer for, the
    // "create an organization" and "shared mailbox" sections open.
    const emailLink = await (async () => {
      // The invitation to the address (not the one to the organization's owners) offers to create one.
      for (const l of links) {
        await ip.goto(l);
        const create = ip.getByText(t('invitations.createOrgSummary'), { exact: true });
        const heading = ip.getByRole('main').getByRole('heading', { level: 2, name: title });
        await expect(heading).toBeVisible();
        if (await create.isVisible()) return l;
      }
      throw new Error('no invitation to the address among the links');
    })();
    expect(emailLink).toBeTruthy();
    await ip.getByText(t('invitations.createOrgSummary'), { exact: true }).click();
    await ip.getByText(t('invitations.sharedMailboxSummary')).click();
    await ip.getByRole('button', { name: t('invitations.decline'), exact: true }).click();
    await check(ip, 'invitation-landing-signed-in', async () => {
      await expect(ip.getByLabel(t('invitations.declineReasonLabel'))).toBeVisible();
      await expect(ip.getByRole('radio', { name: new RegExp(inviteeOrg) })).toBeVisible();
    });

    // Accept for the organization → the review page; comment on a passage and on the whole statement.
    await ip.getByRole('radio', { name: new RegExp(inviteeOrg) }).check();
    await ip.getByRole('button', { name: t('invitations.acceptFor', { org: inviteeOrg }) }).click();
    await expect(ip).toHaveURL(new RegExp(`/statements/${statementId}/review/hy$`), { timeout: 30_000 });
    const comments: Record<string, string>[] = [
      {
        statementId,
        body: `Thirty days is too short, see https://example.org/rules ${tag}`,
        anchorLang: 'hy',
        anchorVersion: '1',
        anchorExact: 'open to comment for thirty days',
        anchorPrefix: 'The draft must be ',
        anchorSuffix: ' before the vote.',
      },
      { statementId, body: `We support the letter as a whole. ${tag}` },
    ];
    for (const form of comments)
      expectAccepted(
        await callAction(
          ip.request,
          BASE_URL,
          'app/_actions/comments.ts#addCommentAction',
          { form },
          SAME_ORIGIN,
        ),
      );
    // The directory invitation to the same organization: declined with a reason, from the dashboard's id.
    expectAccepted(
      await callAction(
        ip.request,
        BASE_URL,
        'app/_actions/invitations.ts#declineInvitationAction',
        { json: [{ invitationId: directoryInvitation, reason: `Already taking part. ${tag}` }] },
        SAME_ORIGIN,
      ),
    );

    // The review page with comments, as the participant and as the initiator (who may resolve).
    await ip.goto(`/statements/${statementId}/review/hy`);
    await check(ip, 'review-with-comments-participant', async () => {
      await expect(ip.locator('mark[data-comment-id]')).toHaveText('open to comment for thirty days');
      await expect(ip.getByTestId('open-count')).toHaveText('2 open comments');
    });
    await page.goto(`/statements/${statementId}/review/hy`);
    await check(page, 'review-with-comments-initiator', async () => {
      await expect(page.locator('mark[data-comment-id]')).toHaveText('open to comment for thirty days');
      await expect(page.getByRole('button', { name: t('comments.resolve') }).first()).toBeVisible();
    });

    // The board (accepted, declined with a reason, sent) and the invite form, as the initiator admin.
    await page.goto(`/statements/${statementId}/invitations`);
    await check(page, 'invitations-board', async () => {
      await expect(
        page.getByRole('heading', { level: 2, name: t('invitations.boardHeading') }),
      ).toBeVisible();
      await expect(page.getByRole('progressbar', { name: t('invitations.progressLabel') })).toHaveAttribute(
        'aria-valuetext',
        '1 of 3 accepted',
      );
      await islandSettled(page, 'en');
    });
    // The form with its typeahead open on results and an invalid line in the pasted addresses.
    await page.setViewportSize(DESKTOP);
    await page.getByLabel(t('invitations.emailsLabel')).fill(`${uniqueEmail('a11y-more')}\nnot-an-address`);
    const search = page.getByRole('combobox', { name: t('invitations.searchLabel') });
    await search.fill('Drafting Group');
    await check(page, 'invite-form-typeahead-and-invalid-line', async () => {
      await search.focus();
      await expect(search).toHaveAttribute('aria-expanded', 'true');
      await expect(page.getByRole('option').first()).toBeVisible();
      await expect(page.getByText('line 2: not-an-address')).toBeVisible();
    });

    await invitee.ctx.close();
  });
});

// ---- signing (PRODUCT.md S4–S6) ----

test.describe('signing', () => {
  // Two people signing in by e-mail, a statement frozen twice, three organizations: more than the default minute.
  test.describe.configure({ timeout: 240_000 });

  test('overview with the freeze panel, landing with accept-and-sign, sign page unsigned and re-confirming with the diff, receipt, signature board', async ({
    page,
    browser,
  }) => {
    const tag = crypto.randomBytes(4).toString('hex');
    /** A signing action called as a client component calls it (one plain argument); its response text. */
    const signing = async (who: Page, name: string, input: Record<string, unknown>) => {
      const r = await callAction(
        who.request,
        BASE_URL,
        `app/_actions/signing.ts#${name}`,
        { json: [input] },
        SAME_ORIGIN,
      );
      expectAccepted(r);
      return r.text;
    };

    // The initiator: an organization, a statement with text.
    await signIn(page, uniqueEmail('a11y-sign-initiator'));
    const { statementId, title } = await seedStatement(page.request, BASE_URL, tag);
    const base = `/statements/${statementId}`;
    const first = [
      'We call on the government to publish the draft law on assemblies.',
      'The draft must be open to comment for thirty days before the vote.',
    ];
    const saved = await putText(
      page.request,
      BASE_URL,
      statementId,
      'hy',
      { baseVersion: 0, title, doc: docOf(...first) },
      SAME_ORIGIN,
    );
    expect(saved.res.status(), saved.text).toBe(200);

    // The overview of a draft: the freeze panel.
    await page.goto(base);
    await check(page, 'statement-overview-freeze-panel-draft', async () => {
      await expect(page.getByRole('heading', { level: 1 }).first()).toBeVisible();
      await islandSettled(page, 'en');
    });

    // The signer's organizations: one takes part before the freeze, one accepts and signs on the landing, one
    // signs and withdraws with a reason, one declines to sign.
    const signer = await newSession(browser, uniqueEmail('a11y-signer'));
    const sp = signer.page;
    const names = ['Early', 'Landing', 'Withdrawn', 'Declined'].map((n) => `${n} Group ${tag}`);
    const orgIds: string[] = [];
    for (const n of names) {
      const r = await callAction(
        sp.request,
        BASE_URL,
        'app/_actions/orgs.ts#createOrganizationAction',
        { form: { name: n, confirmDistinct: 'on' } },
        SAME_ORIGIN,
      );
      expectAccepted(r);
      const slug = /\/manage\/orgs\/([^;?/]+)/.exec(r.res.headers()['x-action-redirect'] ?? '')?.[1];
      expect(slug, `${n}: created`).toBeTruthy();
      orgIds.push(await orgIdOf(sp.request, slug!));
    }
    const [early, landing, withdrawn, declined] = orgIds as [string, string, string, string];
    const invitations = await inviteByAction(page.request, {
      statementId,
      orgIds,
      message: `Please sign our letter. ${tag}`,
      signBy: signByInDays(10).local,
    });
    for (const k of [0, 2, 3])
      expectAccepted(
        await callAction(
          sp.request,
          BASE_URL,
          'app/_actions/invitations.ts#acceptInvitationAction',
          { json: [{ invitationId: invitations[k], orgId: orgIds[k] }] },
          SAME_ORIGIN,
        ),
      );

    // Freeze v1.
    const v1 = await signing(page, 'freezeVersionAction', { statementId });
    const hash1 = /"contentSha256":"([0-9a-f]{64})"/.exec(v1)![1]!;

    // The sign page, nothing signed yet: the text, the version and hash, a form per organization.
    await sp.goto(`${base}/sign`);
    await check(sp, 'sign-unsigned', async () => {
      await expect(sp.getByRole('heading', { level: 1 }).first()).toBeVisible();
      await expect(sp.getByText(hash1).first()).toBeVisible();
      await islandSettled(sp, 'en');
    });

    // The landing of the invitation not yet answered: accept and sign on one page.
    await sp.goto(`/invite/statement?invitation=${invitations[1]}`);
    await check(sp, 'invitation-landing-accept-and-sign', async () => {
      await expect(sp.getByRole('main').getByRole('heading', { level: 2, name: title })).toBeVisible();
      await islandSettled(sp, 'en');
    });

    // Sign for three of them (one from the landing), withdraw one with a reason, decline the last.
    const signedEarly = await signing(sp, 'signStatementAction', {
      statementId,
      orgId: early,
      version: 1,
      contentSha256: hash1,
      title: 'Chair of the board',
      showName: false,
    });
    const bindingId = /"bindingId":"([0-9a-f-]{36})"/.exec(signedEarly)![1]!;
    await signing(sp, 'acceptAndSignAction', {
      invitationId: invitations[1],
      orgId: landing,
      version: 1,
      contentSha256: hash1,
      title: 'Director',
      showName: false,
    });
    await signing(sp, 'signStatementAction', { statementId, orgId: withdrawn, version: 1, showName: false });
    await signing(sp, 'withdrawSignatureAction', {
      statementId,
      orgId: withdrawn,
      reason: `Our members voted against it. ${tag}`,
    });
    await signing(sp, 'declineToSignAction', {
      statementId,
      orgId: declined,
      reason: `Outside our mandate. ${tag}`,
    });

    // The receipt: statement, organization, version, hash, time.
    await sp.goto(`${base}/receipts/${bindingId}`);
    await check(sp, 'signature-receipt', async () => {
      await expect(sp.getByRole('heading', { level: 1 }).first()).toBeVisible();
      await expect(sp.getByText(hash1).first()).toBeVisible();
      await islandSettled(sp, 'en');
    });

    // The board as the initiator: signed, withdrawn with its reason, declined with its reason.
    await page.goto(`${base}/signatures`);
    await check(page, 'signature-board', async () => {
      await expect(page.getByRole('heading', { level: 1 }).first()).toBeVisible();
      await expect(page.getByText(`Outside our mandate. ${tag}`)).toBeVisible();
      await islandSettled(page, 'en');
    });

    // The overview while open: versions and the freeze panel (reopen).
    await page.goto(base);
    await check(page, 'statement-overview-freeze-panel-open', async () => {
      await expect(page.getByRole('heading', { level: 1 }).first()).toBeVisible();
      await islandSettled(page, 'en');
    });

    // Reopen, change a sentence, freeze v2: the signatures need re-confirmation, with a diff.
    await signing(page, 'reopenStatementAction', { statementId });
    await page.goto(base);
    await check(page, 'statement-overview-freeze-panel-reopened', async () => {
      await expect(page.getByRole('heading', { level: 1 }).first()).toBeVisible();
      await islandSettled(page, 'en');
    });
    const version = await textVersion(page.request, BASE_URL, statementId, 'hy');
    const edited = await putText(
      page.request,
      BASE_URL,
      statementId,
      'hy',
      {
        baseVersion: version,
        title,
        doc: docOf(first[0]!, 'The draft must be open to comment for forty days before the vote.'),
      },
      SAME_ORIGIN,
    );
    expect(edited.res.status(), edited.text).toBe(200);
    await signing(page, 'freezeVersionAction', { statementId });

    await sp.goto(`${base}/sign`);
    await check(sp, 'sign-reconfirm-diff', async () => {
      await expect(sp.getByRole('heading', { level: 1 }).first()).toBeVisible();
      await expect(sp.getByText('forty').first()).toBeVisible();
      await expect(sp.getByText('thirty').first()).toBeVisible();
      await islandSettled(sp, 'en');
    });

    // The board after v2, as the initiator and as the participant.
    await page.goto(`${base}/signatures`);
    await check(page, 'signature-board-v2-initiator', async () => {
      await expect(page.getByRole('heading', { level: 1 }).first()).toBeVisible();
      await islandSettled(page, 'en');
    });
    await sp.goto(`${base}/signatures`);
    await check(sp, 'signature-board-v2-participant', async () => {
      await expect(sp.getByRole('heading', { level: 1 }).first()).toBeVisible();
      await islandSettled(sp, 'en');
    });

    await signer.ctx.close();
  });
});
