'use client';
import { useTranslations } from 'next-intl';
import { useActionState, useState } from 'react';
import {
  addTranslationAction,
  createStatementAction,
  markTranslationUpToDateAction,
  restoreRevisionAction,
  updateStatementDetailsAction,
} from '@/app/_actions/statements';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { Field } from '@/components/ui/field';
import { TextArea } from '@/components/ui/textarea';

type Option = { value: string; label: string };

function useFieldError(state: { ok: true } | { ok: false; fieldErrors?: Record<string, string[]> } | null) {
  const t = useTranslations();
  return (k: string) => {
    const m = state && !state.ok ? state.fieldErrors?.[k]?.[0] : undefined;
    return m ? t(m) : undefined;
  };
}

function SelectField({
  id,
  name,
  label,
  options,
  defaultValue,
  error,
}: {
  id: string;
  name: string;
  label: string;
  options: Option[];
  defaultValue?: string;
  error?: string;
}) {
  return (
    <div className="flex flex-col gap-1">
      <label htmlFor={id} className="text-sm font-semibold">
        {label}
      </label>
      <select
        id={id}
        name={name}
        defaultValue={defaultValue}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? `${id}-error` : undefined}
        className="min-h-11 rounded-md border border-stone-400 bg-white px-3 py-2 text-base"
      >
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
      {error ? (
        <p id={`${id}-error`} className="text-sm text-danger" role="alert">
          {error}
        </p>
      ) : null}
    </div>
  );
}

/** Language: the offered ones first, or any other BCP 47 code typed in. */
function LanguageField({
  id,
  name,
  label,
  languages,
  defaultValue,
  error,
}: {
  id: string;
  name: string;
  label: string;
  languages: Option[];
  defaultValue?: string;
  error?: string;
}) {
  const t = useTranslations('statements');
  const [other, setOther] = useState(false);
  return (
    <div className="flex flex-col gap-2">
      {other ? (
        <Field
          id={id}
          name={name}
          label={label}
          placeholder={t('langPlaceholder')}
          maxLength={20}
          required
          error={error}
        />
      ) : (
        <SelectField
          id={id}
          name={name}
          label={label}
          options={languages}
          defaultValue={defaultValue}
          error={error}
        />
      )}
      <button
        type="button"
        className="self-start text-sm text-accent underline"
        onClick={() => setOther((v) => !v)}
      >
        {other ? t('langChooseOffered') : t('langOther')}
      </button>
    </div>
  );
}

export function NewStatementForm({
  orgs,
  languages,
  timeZones,
  defaultOrgId,
  defaultLang,
}: {
  orgs: Option[];
  languages: Option[];
  timeZones: Option[];
  defaultOrgId?: string;
  defaultLang: string;
}) {
  const t = useTranslations('statements');
  const tc = useTranslations();
  const [state, formAction, pending] = useActionState(createStatementAction, null);
  const fe = useFieldError(state);
  return (
    <form action={formAction} className="flex flex-col gap-4" noValidate>
      <SelectField
        id="st-org"
        name="orgId"
        label={t('fieldOrg')}
        options={orgs}
        defaultValue={defaultOrgId}
        error={fe('orgId')}
      />
      <Field
        id="st-title"
        name="title"
        label={t('fieldTitle')}
        required
        maxLength={300}
        error={fe('title')}
      />
      <div className="grid gap-4 sm:grid-cols-2">
        <LanguageField
          id="st-lang"
          name="primaryLang"
          label={t('fieldPrimaryLang')}
          languages={languages}
          defaultValue={defaultLang}
          error={fe('primaryLang')}
        />
        <SelectField
          id="st-tz"
          name="timeZone"
          label={t('fieldTimeZone')}
          options={timeZones}
          defaultValue="Asia/Yerevan"
          error={fe('timeZone')}
        />
      </div>
      <TextArea
        id="st-summary"
        name="summary"
        label={t('fieldSummary')}
        maxLength={2000}
        error={fe('summary')}
      />
      {state && !state.ok && !state.fieldErrors ? <Alert>{tc(state.message)}</Alert> : null}
      <div>
        <Button type="submit" disabled={pending} aria-busy={pending}>
          {t('create')}
        </Button>
      </div>
    </form>
  );
}

export function StatementDetailsForm({
  statementId,
  summary,
  timeZone,
  timeZones,
}: {
  statementId: string;
  summary: string | null;
  timeZone: string;
  timeZones: Option[];
}) {
  const t = useTranslations('statements');
  const tc = useTranslations();
  const [state, formAction, pending] = useActionState(updateStatementDetailsAction, null);
  const fe = useFieldError(state);
  return (
    <form action={formAction} className="flex flex-col gap-3" noValidate>
      <input type="hidden" name="statementId" value={statementId} />
      <TextArea
        id="st-summary"
        name="summary"
        label={t('fieldSummary')}
        maxLength={2000}
        defaultValue={summary ?? ''}
        error={fe('summary')}
      />
      <SelectField
        id="st-tz"
        name="timeZone"
        label={t('fieldTimeZone')}
        options={timeZones}
        defaultValue={timeZone}
        error={fe('timeZone')}
      />
      {state && !state.ok && !state.fieldErrors ? <Alert>{tc(state.message)}</Alert> : null}
      {state?.ok ? <Alert tone="ok">{t('detailsSaved')}</Alert> : null}
      <div>
        <Button type="submit" variant="secondary" disabled={pending} aria-busy={pending}>
          {t('saveDetails')}
        </Button>
      </div>
    </form>
  );
}

export function AddTranslationForm({ statementId, languages }: { statementId: string; languages: Option[] }) {
  const t = useTranslations('statements');
  const tc = useTranslations();
  const [state, formAction, pending] = useActionState(addTranslationAction, null);
  const fe = useFieldError(state);
  return (
    <form action={formAction} className="flex flex-col gap-3" noValidate>
      <input type="hidden" name="statementId" value={statementId} />
      <div className="grid gap-3 sm:grid-cols-2">
        <LanguageField
          id="tr-lang"
          name="lang"
          label={t('fieldLanguage')}
          languages={languages}
          defaultValue={languages[0]?.value}
          error={fe('lang')}
        />
        <Field
          id="tr-title"
          name="title"
          label={t('fieldTranslatedTitle')}
          maxLength={300}
          error={fe('title')}
        />
      </div>
      {state && !state.ok && !state.fieldErrors ? <Alert>{tc(state.message)}</Alert> : null}
      <div>
        <Button type="submit" variant="secondary" disabled={pending} aria-busy={pending}>
          {t('addTranslation')}
        </Button>
      </div>
    </form>
  );
}

export function MarkUpToDateButton({
  statementId,
  lang,
  primaryVersion,
}: {
  statementId: string;
  lang: string;
  primaryVersion: number;
}) {
  const t = useTranslations('statements');
  const tc = useTranslations();
  const [state, formAction, pending] = useActionState(markTranslationUpToDateAction, null);
  return (
    <form action={formAction} className="flex flex-col gap-2">
      <input type="hidden" name="statementId" value={statementId} />
      <input type="hidden" name="lang" value={lang} />
      <input type="hidden" name="primaryVersion" value={primaryVersion} />
      <div>
        <Button type="submit" disabled={pending} aria-busy={pending}>
          {t('markUpToDate')}
        </Button>
      </div>
      {state && !state.ok ? <Alert>{tc(state.message)}</Alert> : null}
    </form>
  );
}

export function RestoreButton({
  statementId,
  lang,
  version,
  baseVersion,
}: {
  statementId: string;
  lang: string;
  version: number;
  baseVersion: number;
}) {
  const t = useTranslations('statements');
  const tc = useTranslations();
  const [state, formAction, pending] = useActionState(restoreRevisionAction, null);
  return (
    <form action={formAction} className="inline-flex flex-col gap-1">
      <input type="hidden" name="statementId" value={statementId} />
      <input type="hidden" name="lang" value={lang} />
      <input type="hidden" name="version" value={version} />
      <input type="hidden" name="baseVersion" value={baseVersion} />
      <Button
        type="submit"
        variant="secondary"
        className="min-h-9 px-2 py-1"
        disabled={pending}
        aria-busy={pending}
      >
        {t('restoreVersion', { version })}
      </Button>
      {state?.ok ? (
        <Alert tone="ok">
          {state.data.changed ? t('restored', { version: state.data.version }) : t('restoreNoChange')}
        </Alert>
      ) : null}
      {state && !state.ok ? <Alert>{tc(state.message)}</Alert> : null}
    </form>
  );
}
