'use client';
// The public join form (S7): organization or individual, each field labelled with its hint and its error next to
// it; on success, "check your e-mail". The server (lib/joining.ts) decides everything; this only shows its answer.
import { useTranslations } from 'next-intl';
import { useActionState, useState, type InputHTMLAttributes } from 'react';
import { requestToJoinAction } from '@/app/_actions/joining';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';

type Kind = 'organization' | 'individual';
type Fields = { name: string; city: string; country: string; title: string; email: string };
type Result = Awaited<ReturnType<typeof requestToJoinAction>>;

function Input({
  id,
  label,
  hint,
  error,
  optional,
  ...props
}: InputHTMLAttributes<HTMLInputElement> & { id: string; label: string; hint?: string; error?: string; optional?: string }) {
  const described = [hint ? `${id}-hint` : null, error ? `${id}-error` : null].filter(Boolean).join(' ') || undefined;
  return (
    <div className="flex flex-col gap-1">
      <label htmlFor={id} className="text-sm font-semibold">
        {label}
        {optional ? <span className="font-normal text-muted"> {optional}</span> : null}
      </label>
      {hint ? (
        <p id={`${id}-hint`} className="text-sm text-muted">
          {hint}
        </p>
      ) : null}
      <input
        id={id}
        aria-invalid={error ? true : undefined}
        aria-describedby={described}
        className="min-h-11 rounded-md border border-stone-400 bg-white px-3 py-2 text-base"
        {...props}
      />
      {error ? (
        <p id={`${id}-error`} className="text-sm text-danger" role="alert">
          {error}
        </p>
      ) : null}
    </div>
  );
}

export function JoinForm({ slug, locale }: { slug: string; locale: string }) {
  const t = useTranslations();
  const [state, formAction, pending] = useActionState<Result | null, FormData>(
    (prev, form) => requestToJoinAction(prev, form) as Promise<Result>,
    null,
  );
  const [kind, setKind] = useState<Kind>('organization');
  // Controlled: a form action resets uncontrolled fields, which would wipe what the errors ask to correct.
  const [v, setV] = useState<Fields>({ name: '', city: '', country: '', title: '', email: '' });
  const set = (k: keyof Fields) => (e: React.ChangeEvent<HTMLInputElement>) => setV((s) => ({ ...s, [k]: e.target.value }));
  const errs = state && !state.ok ? (state.fieldErrors ?? {}) : {};
  const err = (k: string) => (errs[k]?.[0] ? t(errs[k][0]) : undefined);
  const formError = state && !state.ok && Object.keys(errs).length === 0 ? t(state.message) : null;

  if (state?.ok)
    return (
      <div className="flex flex-col gap-3" role="status" aria-live="polite">
        <h2 className="text-xl font-semibold">{t('joining.sentHeading')}</h2>
        <p>{t('joining.sentBody', { email: v.email.trim() })}</p>
      </div>
    );

  const org = kind === 'organization';
  return (
    <form action={formAction} className="flex flex-col gap-4" noValidate>
      <input type="hidden" name="slug" value={slug} />
      <input type="hidden" name="locale" value={locale} />
      <fieldset className="flex flex-col gap-2" aria-describedby={err('kind') ? 'kind-error' : undefined}>
        <legend className="mb-1 text-sm font-semibold">{t('joining.kindLegend')}</legend>
        {(['organization', 'individual'] as const).map((k) => (
          <label key={k} className="flex min-h-11 items-center gap-2">
            <input
              type="radio"
              name="kind"
              value={k}
              checked={kind === k}
              onChange={() => setKind(k)}
              className="h-5 w-5"
            />
            {t(k === 'organization' ? 'joining.kindOrganization' : 'joining.kindIndividual')}
          </label>
        ))}
        {err('kind') ? (
          <p id="kind-error" className="text-sm text-danger" role="alert">
            {err('kind')}
          </p>
        ) : null}
      </fieldset>
      <Input
        id="join-name"
        name="name"
        required
        maxLength={200}
        autoComplete={org ? 'organization' : 'name'}
        label={t(org ? 'joining.orgName' : 'joining.personName')}
        hint={t('joining.nameHint')}
        value={v.name}
        onChange={set('name')}
        error={err('name')}
      />
      {org ? (
        <div className="grid gap-4 sm:grid-cols-2">
          <Input
            id="join-city"
            name="city"
            maxLength={200}
            autoComplete="address-level2"
            label={t('joining.city')}
            optional={t('joining.optional')}
            value={v.city}
            onChange={set('city')}
            error={err('city')}
          />
          <Input
            id="join-country"
            name="country"
            maxLength={200}
            autoComplete="country-name"
            label={t('joining.country')}
            optional={t('joining.optional')}
            value={v.country}
            onChange={set('country')}
            error={err('country')}
          />
        </div>
      ) : null}
      <Input
        id="join-title"
        name="title"
        maxLength={200}
        autoComplete={org ? 'organization-title' : 'off'}
        label={t(org ? 'joining.orgTitle' : 'joining.role')}
        hint={t(org ? 'joining.orgTitleHint' : 'joining.roleHint')}
        value={v.title}
        onChange={set('title')}
        error={err('title')}
      />
      <Input
        id="join-email"
        name="email"
        type="email"
        required
        autoComplete="email"
        label={t('joining.email')}
        hint={t('joining.emailHint')}
        value={v.email}
        onChange={set('email')}
        error={err('email')}
      />
      {formError ? <Alert>{formError}</Alert> : null}
      <div>
        <Button type="submit" disabled={pending} aria-busy={pending}>
          {pending ? t('joining.submitting') : t('joining.submit')}
        </Button>
      </div>
    </form>
  );
}
