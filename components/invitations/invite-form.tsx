'use client';
// The invite form (S1), for initiator admins: organizations from the directory (typeahead, chips) and contacts
// by e-mail (one per line, invalid lines shown before sending), as participants or co-initiators, with a
// personal message, a sign-by time in the statement's time zone and the e-mail's language.
import { useRouter } from 'next/navigation';
import { useTranslations } from 'next-intl';
import { useId, useMemo, useState, useTransition, type FormEvent } from 'react';
import { inviteOrganizationsAction } from '@/app/_actions/invitations';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { TextArea } from '@/components/ui/textarea';
import { LOCALE_NAMES, type Locale } from '@/lib/i18n';
import { MESSAGE_MAX, parseEmailLines } from '@/lib/validation/invitations';
import { OrgCombobox, type OrgOption } from './org-combobox';

type Kind = 'participant' | 'co_initiator';
type SkipReason = 'alreadyInvited' | 'alreadyParticipant' | 'alreadyInitiator' | 'duplicate';
type Outcome = {
  created: { invitationId: string; target: string }[];
  skipped: { target: string; reason: SkipReason }[];
};

const LOCALE_ORDER: Locale[] = ['hy', 'en', 'ru'];

export function InviteForm({
  statementId,
  timeZone,
  defaultLocale,
}: {
  statementId: string;
  timeZone: string;
  defaultLocale: Locale;
}) {
  const t = useTranslations('invitations');
  const tAll = useTranslations();
  const router = useRouter();
  const id = useId();
  const [kind, setKind] = useState<Kind>('participant');
  const [orgs, setOrgs] = useState<OrgOption[]>([]);
  const [emails, setEmails] = useState('');
  const [message, setMessage] = useState('');
  const [signBy, setSignBy] = useState('');
  const [locale, setLocale] = useState<Locale>(defaultLocale);
  const [pending, start] = useTransition();
  const [fieldErrors, setFieldErrors] = useState<Record<string, string[]>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [outcome, setOutcome] = useState<Outcome | null>(null);

  const parsed = useMemo(() => parseEmailLines(emails), [emails]);
  const fe = (k: string) => {
    const m = fieldErrors[k]?.[0];
    return m ? tAll(m) : undefined;
  };
  const targetsCount = orgs.length + parsed.valid.length;
  const canSend = targetsCount > 0 && parsed.invalid.length === 0 && !pending;

  function submit(e: FormEvent) {
    e.preventDefault();
    if (!canSend) return;
    // Cleared now, not when the transition ends: the previous outcome must not read as this one's.
    setFormError(null);
    setFieldErrors({});
    setOutcome(null);
    start(async () => {
      const r = await inviteOrganizationsAction({
        statementId,
        kind,
        orgIds: orgs.map((o) => o.id),
        emails,
        message,
        signBy,
        locale,
      });
      if (r.ok) {
        setOutcome(r.data as Outcome);
        setOrgs([]);
        setEmails('');
        router.refresh();
      } else {
        setFieldErrors(r.fieldErrors ?? {});
        setFormError(r.fieldErrors && Object.keys(r.fieldErrors).length ? null : r.message);
      }
    });
  }

  const hintId = `${id}-search-hint`;
  const preview = `${id}-emails-preview`;
  return (
    <form onSubmit={submit} className="flex flex-col gap-5" noValidate aria-busy={pending}>
      <fieldset className="flex flex-col gap-2">
        <legend className="mb-1 text-sm font-semibold">{t('kindLegend')}</legend>
        {(['participant', 'co_initiator'] as const).map((k) => (
          <label key={k} className="flex items-start gap-2">
            <input
              type="radio"
              name="kind"
              value={k}
              checked={kind === k}
              onChange={() => setKind(k)}
              className="mt-1 h-4 w-4"
            />
            <span>
              <span className="font-semibold">{t(`kind.${k}`)}</span>
              <span className="block text-sm text-muted">{t(`kindHint.${k}`)}</span>
            </span>
          </label>
        ))}
      </fieldset>

      <div className="flex flex-col gap-2">
        <OrgCombobox
          statementId={statementId}
          chosenIds={orgs.map((o) => o.id)}
          onChoose={(o) => setOrgs((prev) => (prev.some((p) => p.id === o.id) ? prev : [...prev, o]))}
          describedBy={hintId}
        />
        <p id={hintId} className="text-sm text-muted">
          {t('searchHint')}
        </p>
        {orgs.length > 0 ? (
          <ul aria-label={t('chosenLabel')} className="flex flex-wrap gap-2">
            {orgs.map((o) => (
              <li
                key={o.id}
                className="inline-flex max-w-full items-center gap-1 rounded-full border border-accent bg-accent-soft py-1 pr-1 pl-3 text-sm text-accent"
              >
                <span className="truncate">{o.name}</span>
                <button
                  type="button"
                  onClick={() => setOrgs((prev) => prev.filter((p) => p.id !== o.id))}
                  className="inline-flex h-8 w-8 shrink-0 items-center justify-center rounded-full hover:bg-white"
                  aria-label={t('removeChosen', { name: o.name })}
                >
                  <span aria-hidden="true">×</span>
                </button>
              </li>
            ))}
          </ul>
        ) : null}
        {fe('orgIds') ? <p className="text-sm text-danger">{fe('orgIds')}</p> : null}
      </div>

      <div className="flex flex-col gap-2">
        <TextArea
          id={`${id}-emails`}
          label={t('emailsLabel')}
          value={emails}
          onChange={(e) => setEmails(e.target.value)}
          rows={4}
          spellCheck={false}
          autoComplete="off"
          placeholder={t('emailsPlaceholder')}
          aria-describedby={preview}
          error={fe('emails')}
        />
        <div id={preview} className="text-sm" aria-live="polite">
          {emails.trim() ? (
            <p className={parsed.valid.length ? 'text-ok' : 'text-muted'}>
              {t('validAddresses', { count: parsed.valid.length })}
            </p>
          ) : (
            <p className="text-muted">{t('emailsHint')}</p>
          )}
          {parsed.invalid.length > 0 ? (
            <div className="mt-1 rounded-md border border-danger bg-rose-50 p-2 text-danger">
              <p className="font-semibold">{t('invalidLines', { count: parsed.invalid.length })}</p>
              <ul className="mt-1 list-disc pl-5">
                {parsed.invalid.slice(0, 20).map((x, i) => (
                  <li key={`${x.line}-${i}`} className="break-all">
                    {t('invalidLine', { line: x.line, value: x.value })}
                  </li>
                ))}
              </ul>
              {parsed.invalid.length > 20 ? (
                <p>{t('moreInvalid', { count: parsed.invalid.length - 20 })}</p>
              ) : null}
            </div>
          ) : null}
        </div>
      </div>

      <TextArea
        id={`${id}-message`}
        label={t('messageLabel')}
        value={message}
        onChange={(e) => setMessage(e.target.value)}
        maxLength={MESSAGE_MAX}
        rows={4}
        error={fe('message')}
      />

      <div className="grid gap-4 sm:grid-cols-2">
        <div className="flex flex-col gap-1">
          <label htmlFor={`${id}-signby`} className="text-sm font-semibold">
            {t('signByLabel')}
          </label>
          <div className="flex flex-wrap items-center gap-2">
            <input
              id={`${id}-signby`}
              type="datetime-local"
              value={signBy}
              onChange={(e) => setSignBy(e.target.value)}
              aria-describedby={`${id}-signby-zone${fe('signBy') ? ` ${id}-signby-error` : ''}`}
              aria-invalid={fe('signBy') ? true : undefined}
              className="min-h-11 rounded-md border border-stone-400 bg-white px-3 py-2 text-base"
            />
            <span id={`${id}-signby-zone`} className="text-sm text-muted">
              {t('inZone', { zone: timeZone })}
            </span>
          </div>
          <p className="text-sm text-muted">{t('signByHint')}</p>
          {fe('signBy') ? (
            <p id={`${id}-signby-error`} className="text-sm text-danger" role="alert">
              {fe('signBy')}
            </p>
          ) : null}
        </div>
        <div className="flex flex-col gap-1">
          <label htmlFor={`${id}-locale`} className="text-sm font-semibold">
            {t('localeLabel')}
          </label>
          <select
            id={`${id}-locale`}
            value={locale}
            onChange={(e) => setLocale(e.target.value as Locale)}
            className="min-h-11 rounded-md border border-stone-400 bg-white px-3 py-2 text-base"
          >
            {LOCALE_ORDER.map((l) => (
              <option key={l} value={l} lang={l}>
                {LOCALE_NAMES[l]}
              </option>
            ))}
          </select>
        </div>
      </div>

      {fe('targets') ? <Alert>{fe('targets')}</Alert> : null}
      {formError ? <Alert>{tAll(formError)}</Alert> : null}
      {outcome ? <InviteOutcome outcome={outcome} /> : null}

      <div className="flex flex-wrap items-center gap-3">
        <Button type="submit" disabled={!canSend} aria-busy={pending}>
          {pending ? t('sending') : t('send', { count: targetsCount })}
        </Button>
        {parsed.invalid.length > 0 ? (
          <span className="text-sm text-danger">{t('fixInvalidFirst')}</span>
        ) : null}
      </div>
    </form>
  );
}

function InviteOutcome({ outcome }: { outcome: Outcome }) {
  const t = useTranslations('invitations');
  return (
    <Alert tone={outcome.created.length ? 'ok' : 'warn'}>
      <p className="font-semibold">{t('createdCount', { count: outcome.created.length })}</p>
      {outcome.skipped.length > 0 ? (
        <>
          <p className="mt-2">{t('skippedHeading', { count: outcome.skipped.length })}</p>
          <ul className="mt-1 list-disc pl-5">
            {outcome.skipped.map((s, i) => (
              <li key={`${s.target}-${i}`} className="break-words">
                {t('skippedItem', { target: s.target, reason: t(`skip.${s.reason}`) })}
              </li>
            ))}
          </ul>
        </>
      ) : null}
    </Alert>
  );
}
