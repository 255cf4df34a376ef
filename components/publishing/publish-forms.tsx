'use client';
import { useTranslations } from 'next-intl';
import { useState } from 'react';
import {
  addCorrectionAction,
  closeStatementAction,
  publishStatementAction,
  setJoiningAction,
  withdrawStatementAction,
} from '@/app/_actions/publishing';
import { useRun, type Result } from '@/components/signing/signing-forms';
import { Button } from '@/components/ui/button';
import { ConfirmButton } from '@/components/ui/confirm-button';
import { Field } from '@/components/ui/field';
import { TextArea } from '@/components/ui/textarea';

/** A `datetime-local` value (the browser's local time) as an ISO instant, or null when empty. */
const toInstant = (local: string): string | null => (local ? new Date(local).toISOString() : null);
/** An instant as a `datetime-local` value in the browser's local time. */
const toLocal = (iso: string | null): string => {
  if (!iso) return '';
  const d = new Date(iso);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
};
const browserZone = () => (typeof Intl !== 'undefined' ? Intl.DateTimeFormat().resolvedOptions().timeZone : 'UTC');

/** Initiator admins: publish the open version (PRODUCT.md, Lifecycle; issue 7 item 1). */
export function PublishPanel({
  statementId,
  version,
  suggestedSlug,
  today,
  initiatorsMissing,
  awaitingReconfirmation,
  listed,
}: {
  statementId: string;
  version: number;
  suggestedSlug: string;
  today: string;
  initiatorsMissing: string[];
  awaitingReconfirmation: string[];
  listed: number;
}) {
  const t = useTranslations('publishing');
  const { run, pending, alert, field } = useRun();
  const [slug, setSlug] = useState(suggestedSlug);
  const [displayDate, setDisplayDate] = useState(today);
  const [listOrder, setListOrder] = useState<'joined' | 'alphabetical'>('joined');
  const [joining, setJoining] = useState(false);
  const [joinUntil, setJoinUntil] = useState('');
  const [asking, setAsking] = useState(false);
  const blocked = initiatorsMissing.length > 0;
  return (
    <section aria-labelledby="publish-heading" className="flex flex-col gap-3 border-t border-line pt-4" data-testid="publish-panel">
      <h3 id="publish-heading" className="font-semibold">
        {t('publishHeading', { version })}
      </h3>
      <p className="text-sm text-muted">{t('publishIntro')}</p>
      {blocked ? (
        <p className="rounded-md border border-amber-300 bg-amber-50 p-3 text-sm text-amber-950" data-testid="initiators-missing">
          {t('initiatorsMissing', { version, names: initiatorsMissing.join(', ') })}
        </p>
      ) : null}
      {awaitingReconfirmation.length > 0 ? (
        <p className="rounded-md border border-amber-300 bg-amber-50 p-3 text-sm text-amber-950" data-testid="awaiting-reconfirmation">
          {t('awaitingReconfirmation', { count: awaitingReconfirmation.length, version, names: awaitingReconfirmation.join(', ') })}
        </p>
      ) : null}
      <p className="text-sm">{t('listedCount', { count: listed })}</p>
      <form
        className="grid gap-3 sm:grid-cols-2"
        onSubmit={(e) => {
          e.preventDefault();
          setAsking(true);
        }}
      >
        <div className="sm:col-span-2">
          <Field
            id="publish-slug"
            label={t('slugLabel')}
            value={slug}
            onChange={(e) => setSlug(e.target.value)}
            aria-describedby="publish-slug-hint"
            error={field('slug')}
            required
            maxLength={80}
            autoComplete="off"
            spellCheck={false}
          />
          <p id="publish-slug-hint" className="mt-1 text-xs text-muted">
            {t('slugHint')}
          </p>
        </div>
        <div>
          <Field
            id="publish-date"
            type="date"
            label={t('displayDateLabel')}
            value={displayDate}
            onChange={(e) => setDisplayDate(e.target.value)}
            error={field('displayDate')}
            required
          />
          <p className="mt-1 text-xs text-muted">{t('displayDateHint')}</p>
        </div>
        <fieldset className="flex flex-col gap-1">
          <legend className="mb-1 text-sm font-semibold">{t('orderLabel')}</legend>
          {(['joined', 'alphabetical'] as const).map((o) => (
            <label key={o} className="flex items-start gap-2 text-sm">
              <input type="radio" name="listOrder" className="mt-1 size-4" checked={listOrder === o} onChange={() => setListOrder(o)} />
              <span>{o === 'joined' ? t('orderJoined') : t('orderAlphabetical')}</span>
            </label>
          ))}
        </fieldset>
        <div className="flex flex-col gap-2 sm:col-span-2">
          <label className="flex items-start gap-2 text-sm">
            <input type="checkbox" className="mt-1 size-4" checked={joining} onChange={(e) => setJoining(e.target.checked)} />
            <span>
              <span className="font-semibold">{t('joiningLabel')}</span>
              <span className="block text-muted">{t('joiningHint')}</span>
            </span>
          </label>
          {joining ? (
            <div className="max-w-xs">
              <Field
                id="publish-join-until"
                type="datetime-local"
                label={t('joinUntilLabel')}
                value={joinUntil}
                onChange={(e) => setJoinUntil(e.target.value)}
                error={field('joinUntil')}
                required
              />
              <p className="mt-1 text-xs text-muted">{t('joinUntilZone', { zone: browserZone() })}</p>
            </div>
          ) : null}
        </div>
        {alert ? <div className="sm:col-span-2">{alert}</div> : null}
        <div className="sm:col-span-2">
          {asking ? (
            <div role="group" className="flex flex-col gap-2 rounded-md border border-line bg-stone-50 p-3 text-sm">
              <p>{t('publishQuestion', { version, slug })}</p>
              <div className="flex flex-wrap gap-2">
                <Button
                  type="button"
                  disabled={pending}
                  onClick={() =>
                    run(
                      () =>
                        publishStatementAction({
                          statementId,
                          slug,
                          displayDate,
                          listOrder,
                          joinUntil: joining ? toInstant(joinUntil) : null,
                        }) as Promise<Result>,
                      () => window.location.reload(),
                    )
                  }
                >
                  {pending ? t('publishing') : t('publishConfirm')}
                </Button>
                <Button type="button" variant="secondary" onClick={() => setAsking(false)}>
                  {t('cancel')}
                </Button>
              </div>
            </div>
          ) : (
            <Button type="submit" disabled={blocked}>
              {t('publishButton')}
            </Button>
          )}
        </div>
      </form>
    </section>
  );
}

/** Initiator admins, after publication: joining window, corrections, close, withdraw. */
export function ManagePublication({
  statementId,
  state,
  joinUntil,
  langs,
  primaryLang,
  languageNames,
}: {
  statementId: string;
  state: 'published' | 'closed' | 'withdrawn';
  joinUntil: string | null;
  langs: string[];
  primaryLang: string;
  languageNames: Record<string, string>;
}) {
  const t = useTranslations('publishing');
  const joiningRun = useRun();
  const correctionRun = useRun();
  const closeRun = useRun();
  const withdrawRun = useRun();
  const [until, setUntil] = useState(toLocal(joinUntil));
  const [correction, setCorrection] = useState('');
  const [lang, setLang] = useState(primaryLang);
  const [reason, setReason] = useState('');
  const [added, setAdded] = useState(false);
  return (
    <div className="flex flex-col gap-5" data-testid="manage-publication">
      {state === 'published' ? (
        <section aria-labelledby="joining-heading" className="flex flex-col gap-2 border-t border-line pt-4">
          <h3 id="joining-heading" className="font-semibold">
            {t('joiningLabel')}
          </h3>
          <form
            className="flex flex-wrap items-end gap-2"
            onSubmit={(e) => {
              e.preventDefault();
              joiningRun.run(() => setJoiningAction({ statementId, joinUntil: toInstant(until) }) as Promise<Result>);
            }}
          >
            <div className="max-w-xs">
              <Field
                id="join-until"
                type="datetime-local"
                label={t('joinUntilLabel')}
                value={until}
                onChange={(e) => setUntil(e.target.value)}
                error={joiningRun.field('joinUntil')}
              />
            </div>
            <Button type="submit" variant="secondary" disabled={joiningRun.pending}>
              {t('saveJoining')}
            </Button>
            {joinUntil ? (
              <Button
                type="button"
                variant="secondary"
                disabled={joiningRun.pending}
                onClick={() => joiningRun.run(() => setJoiningAction({ statementId, joinUntil: null }) as Promise<Result>)}
              >
                {t('endJoining')}
              </Button>
            ) : null}
          </form>
          <p className="text-xs text-muted">{t('joinUntilZone', { zone: browserZone() })}</p>
          {joiningRun.alert}
        </section>
      ) : null}
      <section aria-labelledby="corrections-heading" className="flex flex-col gap-2 border-t border-line pt-4">
        <h3 id="corrections-heading" className="font-semibold">
          {t('correctionsHeading')}
        </h3>
        <p className="text-sm text-muted">{t('correctionsIntro')}</p>
        <form
          className="flex flex-col gap-2"
          onSubmit={(e) => {
            e.preventDefault();
            setAdded(false);
            correctionRun.run(
              () => addCorrectionAction({ statementId, lang, body: correction }) as Promise<Result>,
              () => {
                setCorrection('');
                setAdded(true);
                correctionRun.router.refresh();
              },
            );
          }}
        >
          {langs.length > 1 ? (
            <label className="flex flex-col gap-1 text-sm font-semibold">
              {t('correctionLanguage')}
              <select className="min-h-11 max-w-xs rounded-md border border-stone-400 bg-white px-3 font-normal" value={lang} onChange={(e) => setLang(e.target.value)}>
                {langs.map((l) => (
                  <option key={l} value={l}>
                    {languageNames[l] ?? l}
                  </option>
                ))}
              </select>
            </label>
          ) : null}
          <TextArea
            id="correction-body"
            label={t('correctionLabel')}
            value={correction}
            onChange={(e) => setCorrection(e.target.value)}
            error={correctionRun.field('body')}
            maxLength={5000}
            required
          />
          <div>
            <Button type="submit" variant="secondary" disabled={correctionRun.pending}>
              {t('addCorrection')}
            </Button>
          </div>
          {added ? (
            <p role="status" className="text-sm text-ok">
              {t('correctionAdded')}
            </p>
          ) : null}
          {correctionRun.alert}
        </form>
      </section>
      {state === 'published' ? (
        <section aria-labelledby="close-heading" className="flex flex-col gap-2 border-t border-line pt-4">
          <h3 id="close-heading" className="font-semibold">
            {t('closeHeading')}
          </h3>
          <p className="text-sm text-muted">{t('closeIntro')}</p>
          <div>
            <ConfirmButton
              variant="secondary"
              label={t('closeButton')}
              question={t('closeQuestion')}
              confirmLabel={t('closeConfirm')}
              cancelLabel={t('cancel')}
              disabled={closeRun.pending}
              onConfirm={() => closeRun.run(() => closeStatementAction({ statementId }) as Promise<Result>, () => window.location.reload())}
            />
          </div>
          {closeRun.alert}
        </section>
      ) : null}
      {state !== 'withdrawn' ? (
        <section aria-labelledby="withdraw-heading" className="flex flex-col gap-2 border-t border-line pt-4">
          <h3 id="withdraw-heading" className="font-semibold">
            {t('withdrawHeading')}
          </h3>
          <p className="text-sm text-muted">{t('withdrawIntro')}</p>
          <TextArea
            id="withdraw-reason"
            label={t('withdrawReasonLabel')}
            value={reason}
            onChange={(e) => setReason(e.target.value)}
            error={withdrawRun.field('reason')}
            maxLength={2000}
          />
          <div>
            <ConfirmButton
              label={t('withdrawButton')}
              question={t('withdrawQuestion')}
              confirmLabel={t('withdrawConfirm')}
              cancelLabel={t('cancel')}
              disabled={withdrawRun.pending}
              onConfirm={() => withdrawRun.run(() => withdrawStatementAction({ statementId, reason }) as Promise<Result>, () => window.location.reload())}
            />
          </div>
          {withdrawRun.alert}
        </section>
      ) : null}
    </div>
  );
}
