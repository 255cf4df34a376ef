'use client';
import { useTranslations } from 'next-intl';
import { useActionState } from 'react';
import { setLocaleAction } from '@/app/_actions/account';
import { signOutAction, signOutEverywhereAction } from '@/app/_actions/auth';
import { Button } from '@/components/ui/button';
import { LOCALES, LOCALE_NAMES } from '@/lib/i18n';

export function LocaleForm({ current }: { current: string | null }) {
  const t = useTranslations();
  const [state, formAction, pending] = useActionState(setLocaleAction, null);
  return (
    <form action={formAction} className="flex flex-col gap-3">
      <fieldset className="flex flex-col gap-2">
        <legend className="mb-1 text-sm text-muted">{t('settings.languageHint')}</legend>
        <label className="flex items-center gap-2">
          <input type="radio" name="locale" value="" defaultChecked={!current} className="h-4 w-4" />
          {t('settings.languageFollowBrowser')}
        </label>
        {LOCALES.map((l) => (
          <label key={l} className="flex items-center gap-2" lang={l}>
            <input type="radio" name="locale" value={l} defaultChecked={current === l} className="h-4 w-4" />
            {LOCALE_NAMES[l]}
          </label>
        ))}
      </fieldset>
      <div className="flex items-center gap-3">
        <Button type="submit" disabled={pending}>
          {t('settings.save')}
        </Button>
        <p role="status" className="text-sm text-ok">
          {state?.ok ? t('settings.saved') : ''}
        </p>
        {state && !state.ok ? (
          <p role="alert" className="text-sm text-danger">
            {t(state.message)}
          </p>
        ) : null}
      </div>
    </form>
  );
}

export function SignOutForms() {
  const t = useTranslations('settings');
  const [, signOutForm, p1] = useActionState(signOutAction, null);
  const [, everywhereForm, p2] = useActionState(signOutEverywhereAction, null);
  return (
    <div className="flex flex-col gap-4">
      <form action={signOutForm}>
        <Button type="submit" variant="secondary" disabled={p1}>
          {t('signOut')}
        </Button>
      </form>
      <form action={everywhereForm} className="flex flex-col gap-2">
        <p className="text-sm text-muted">{t('signOutEverywhereHint')}</p>
        <div>
          <Button type="submit" variant="danger" disabled={p2}>
            {t('signOutEverywhere')}
          </Button>
        </div>
      </form>
    </div>
  );
}
