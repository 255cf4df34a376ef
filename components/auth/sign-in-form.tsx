'use client';
import { useTranslations } from 'next-intl';
import { useActionState, useState } from 'react';
import { requestSignInAction } from '@/app/_actions/auth';
import { Button } from '@/components/ui/button';
import { Field } from '@/components/ui/field';

export function SignInForm({ next }: { next?: string }) {
  const t = useTranslations();
  const [state, formAction, pending] = useActionState(requestSignInAction, null);
  // Controlled: React resets uncontrolled fields after a form action, which would wipe a mistyped address
  // just when the error asks the user to correct it.
  const [email, setEmail] = useState('');
  const fieldError = state && !state.ok ? state.fieldErrors?.email?.[0] : undefined;
  const formError = state && !state.ok && !fieldError ? state.message : undefined;
  return (
    <form action={formAction} className="flex flex-col gap-4" noValidate>
      <Field
        id="email"
        name="email"
        type="email"
        autoComplete="email"
        required
        value={email}
        onChange={(e) => setEmail(e.target.value)}
        label={t('signIn.emailLabel')}
        error={fieldError ? t(fieldError) : undefined}
      />
      {next ? <input type="hidden" name="next" value={next} /> : null}
      {formError ? (
        <p role="alert" className="rounded-md border border-danger bg-rose-50 p-3 text-sm text-danger">
          {t(formError)}
        </p>
      ) : null}
      <div>
        <Button type="submit" disabled={pending} aria-busy={pending}>
          {pending ? t('signIn.sending') : t('signIn.submit')}
        </Button>
      </div>
    </form>
  );
}
