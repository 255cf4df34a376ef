import { translator, type Locale } from '@/lib/i18n';
import { env } from '@/lib/env';

export type RenderedMail = { subject: string; text: string; html: string };

export const escapeHtml = (s: string): string =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

type Block = { kind: 'p'; text: string } | { kind: 'button'; label: string; href: string } | { kind: 'small'; text: string };

/** One calm layout for every message: escaped text, a button, and the plain-text twin. */
export function layout(locale: Locale, subject: string, blocks: Block[], unsubscribeUrl?: string): RenderedMail {
  const t = translator(locale, 'mail');
  const htmlBlocks = blocks
    .map((b) => {
      if (b.kind === 'p') return `<p style="margin:0 0 16px">${escapeHtml(b.text)}</p>`;
      if (b.kind === 'small') return `<p style="margin:0 0 16px;color:#57534e;font-size:13px">${escapeHtml(b.text)}</p>`;
      return `<p style="margin:24px 0"><a href="${escapeHtml(b.href)}" style="background:#1e3a5f;color:#fff;padding:12px 20px;border-radius:6px;text-decoration:none;display:inline-block">${escapeHtml(b.label)}</a></p><p style="margin:0 0 16px;color:#57534e;font-size:13px;word-break:break-all">${escapeHtml(b.href)}</p>`;
    })
    .join('\n');
  const footer = unsubscribeUrl
    ? `<p style="margin:32px 0 0;color:#78716c;font-size:12px"><a href="${escapeHtml(unsubscribeUrl)}" style="color:#78716c">${escapeHtml(t('unsubscribe'))}</a></p>`
    : '';
  const html = `<!doctype html><html lang="${locale}"><head><meta charset="utf-8"><title>${escapeHtml(subject)}</title></head><body style="font-family:system-ui,'Noto Sans','Noto Sans Armenian',sans-serif;color:#1c1917;background:#fafaf9;padding:24px"><div style="max-width:560px;margin:0 auto;background:#fff;border:1px solid #e7e5e4;border-radius:8px;padding:24px"><p style="margin:0 0 20px;font-weight:600;letter-spacing:.02em">Undersigned</p>${htmlBlocks}${footer}</div></body></html>`;
  const text =
    blocks.map((b) => (b.kind === 'button' ? `${b.label}:\n${b.href}` : b.text)).join('\n\n') +
    (unsubscribeUrl ? `\n\n${t('unsubscribe')}: ${unsubscribeUrl}` : '') +
    '\n';
  return { subject, text, html };
}

export function renderSignInMail(locale: Locale, url: string): RenderedMail {
  const t = translator(locale, 'mail.signIn');
  return layout(locale, t('subject'), [
    { kind: 'p', text: t('intro') },
    { kind: 'button', label: t('button'), href: url },
    { kind: 'small', text: t('expires') },
    { kind: 'small', text: t('ignore') },
  ]);
}

/** Messages that go through the outbox, by kind. `link` is minted by the relay when the row has a token reference. */
export function renderOutboxMail(
  kind: string,
  locale: Locale,
  data: Record<string, unknown>,
  link: string | null,
  unsubscribeUrl: string | undefined,
): RenderedMail {
  switch (kind) {
    case 'user.signed_out_everywhere': {
      const t = translator(locale, 'mail.signedOutEverywhere');
      return layout(locale, t('subject'), [{ kind: 'p', text: t('body') }, { kind: 'small', text: t('notYou') }]);
    }
    case 'org.member_invitation': {
      const t = translator(locale, 'mail.memberInvitation');
      const role = translator(locale, 'roles')(String(data.role ?? 'member'));
      const blocks: Block[] = [{ kind: 'p', text: t('body', { org: String(data.orgName ?? ''), role }) }];
      if (link) blocks.push({ kind: 'button', label: t('button'), href: link });
      blocks.push({ kind: 'small', text: t('expires') }, { kind: 'small', text: t('ignore') });
      return layout(locale, t('subject', { org: String(data.orgName ?? '') }), blocks);
    }
    case 'statement.invitation':
    case 'statement.invitation_reminder': {
      const t = translator(locale, 'mail.statementInvitation');
      const r = translator(locale, 'mail.invitationReminder');
      const vars = { inviters: String(data.inviters ?? ''), title: String(data.title ?? '') };
      const co = data.kind === 'co_initiator';
      const reminder = kind === 'statement.invitation_reminder';
      const blocks: Block[] = [];
      if (reminder) blocks.push({ kind: 'p', text: r('body', vars) });
      blocks.push({ kind: 'p', text: t(co ? 'bodyCo' : 'body', vars) });
      if (data.targetOrg) blocks.push({ kind: 'p', text: t('bodyOrg', { org: String(data.targetOrg) }) });
      if (typeof data.message === 'string' && data.message) blocks.push({ kind: 'p', text: t('message') }, { kind: 'p', text: data.message });
      if (typeof data.signBy === 'string') {
        const zone = typeof data.timeZone === 'string' ? data.timeZone : 'UTC';
        const date = new Intl.DateTimeFormat(locale, { dateStyle: 'long', timeStyle: 'short', timeZone: zone }).format(new Date(data.signBy));
        blocks.push({ kind: 'p', text: t('signBy', { date, zone }) });
      }
      if (data.accepted) {
        // A reminder after the organization accepted: the sign page, no token (the reader signs in as usual).
        if (link) blocks.push({ kind: 'button', label: r('buttonSign'), href: link });
        blocks.push({ kind: 'small', text: r('whySign') });
        return layout(locale, r('subject', vars), blocks);
      }
      if (link) blocks.push({ kind: 'button', label: t('button'), href: link });
      blocks.push({ kind: 'small', text: t('howTo') }, { kind: 'small', text: t('ignore') });
      const subject = reminder ? r('subject', vars) : t(co ? 'subjectCo' : 'subject', vars);
      return layout(locale, subject, blocks);
    }
    case 'statement.comments_digest': {
      // A plain link to the review page (no token): the reader signs in as usual.
      const t = translator(locale, 'mail.commentsDigest');
      const title = String(data.title ?? '') || t('untitled');
      const count = Number(data.count ?? 1);
      const href = `${env().APP_URL}/statements/${encodeURIComponent(String(data.statementId ?? ''))}/review`;
      return layout(
        locale,
        t('subject', { count, title }),
        [
          { kind: 'p', text: t('body', { count, title }) },
          { kind: 'button', label: t('button'), href },
          { kind: 'small', text: t('why') },
        ],
        unsubscribeUrl,
      );
    }
    case 'signature.receipt': {
      const t = translator(locale, 'mail.signatureReceipt');
      const zone = typeof data.timeZone === 'string' ? data.timeZone : 'UTC';
      const date = new Intl.DateTimeFormat(locale, { dateStyle: 'long', timeStyle: 'medium', timeZone: zone }).format(new Date(String(data.signedAt)));
      const vars = { title: String(data.title ?? ''), org: String(data.orgName ?? ''), version: String(data.version ?? ''), hash: String(data.contentSha256 ?? ''), date, zone };
      const href = `${env().APP_URL}/statements/${encodeURIComponent(String(data.statementId ?? ''))}/receipts/${encodeURIComponent(String(data.bindingId ?? ''))}`;
      return layout(locale, t('subject', vars), [
        { kind: 'p', text: t('body', vars) },
        { kind: 'p', text: t('version', vars) },
        { kind: 'p', text: t('hash', vars) },
        { kind: 'p', text: t('time', vars) },
        { kind: 'button', label: t('button'), href },
        { kind: 'small', text: t('keep') },
      ]);
    }
    case 'signature.reconfirm_needed':
    case 'statement.signing_open': {
      const t = translator(locale, kind === 'statement.signing_open' ? 'mail.signingOpen' : 'mail.reconfirmNeeded');
      const vars = { title: String(data.title ?? ''), org: String(data.orgName ?? ''), version: String(data.version ?? ''), signedVersion: String(data.signedVersion ?? '') };
      const href = `${env().APP_URL}/statements/${encodeURIComponent(String(data.statementId ?? ''))}/sign`;
      return layout(locale, t('subject', vars), [
        { kind: 'p', text: t('body', vars) },
        { kind: 'button', label: t('button'), href },
        { kind: 'small', text: t('why', vars) },
      ]);
    }
    case 'statement.published': {
      const t = translator(locale, 'mail.published');
      const vars = { title: String(data.title ?? ''), org: String(data.orgName ?? '') };
      const lang = ['en', 'hy', 'ru'].includes(String(data.lang)) ? String(data.lang) : locale;
      const href = `${env().APP_URL}/${lang}/s/${encodeURIComponent(String(data.slug ?? ''))}`;
      return layout(locale, t('subject', vars), [
        { kind: 'p', text: t(data.listed ? 'bodyListed' : 'bodyNotListed', vars) },
        { kind: 'button', label: t('button'), href },
        { kind: 'small', text: t('why', vars) },
      ]);
    }
    // Open joining (S7): the requester confirms their address (the relay mints the link), the initiators hear of a
    // confirmed request, and the requester learns the decision.
    case 'join.confirm':
    case 'join.pending':
    case 'join.approved':
    case 'join.rejected': {
      const ns = { 'join.confirm': 'joinConfirm', 'join.pending': 'joinPending', 'join.approved': 'joinApproved', 'join.rejected': 'joinRejected' }[kind];
      const t = translator(locale, `mail.${ns}`);
      const vars = {
        title: String(data.title ?? ''),
        name: String(data.name ?? ''),
        kind: translator(locale, 'mail.joinKinds')(data.kind === 'individual' ? 'individual' : 'organization'),
      };
      const blocks: Block[] = [{ kind: 'p', text: t('body', vars) }];
      if (kind === 'join.confirm') {
        if (link) blocks.push({ kind: 'button', label: t('button'), href: link });
        blocks.push({ kind: 'small', text: t('expires') }, { kind: 'small', text: t('ignore') });
      } else if (kind === 'join.pending') {
        blocks.push({ kind: 'button', label: t('button'), href: `${env().APP_URL}/statements/${encodeURIComponent(String(data.statementId ?? ''))}/joins` });
        blocks.push({ kind: 'small', text: t('why') });
      } else if (kind === 'join.approved') {
        blocks.push({ kind: 'button', label: t('button'), href: `${env().APP_URL}/${locale}/s/${encodeURIComponent(String(data.slug ?? ''))}` });
      }
      return layout(locale, t('subject', vars), blocks);
    }
    case 'test.notice': {
      const t = translator(locale, 'mail.testNotice');
      const blocks: Block[] = [{ kind: 'p', text: t('body', { n: String(data.n ?? '') }) }];
      if (link) blocks.push({ kind: 'button', label: t('button'), href: link });
      return layout(locale, t('subject'), blocks, unsubscribeUrl);
    }
    default:
      throw new Error(`unknown outbox message kind: ${kind}`);
  }
}
