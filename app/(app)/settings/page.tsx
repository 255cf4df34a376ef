import { getFormatter, getTranslations } from 'next-intl/server';
import { redirect } from 'next/navigation';
import { LocaleForm, SignOutForms } from '@/components/auth/settings-forms';
import { Card } from '@/components/ui/card';
import { getCtx } from '@/lib/session';
import { getOwnAccount } from '@/lib/users';

export async function generateMetadata() {
  const t = await getTranslations('settings');
  return { title: t('title') };
}

export default async function SettingsPage() {
  const ctx = await getCtx();
  if (!ctx.actor) redirect('/sign-in?next=/settings');
  const me = await getOwnAccount(ctx);
  const t = await getTranslations('settings');
  const format = await getFormatter();
  return (
    <div className="flex flex-col gap-6">
      <h1 className="text-2xl font-bold">{t('title')}</h1>
      <Card>
        <h2 className="mb-2 text-lg font-semibold">{t('accountHeading')}</h2>
        <p>
          <span className="font-semibold">{t('emailLabel')}</span> <span>{me.email}</span>
        </p>
        <p className="text-sm text-muted">{t('memberSince', { date: format.dateTime(me.createdAt, { dateStyle: 'long' }) })}</p>
      </Card>
      <Card>
        <h2 className="mb-2 text-lg font-semibold">{t('languageHeading')}</h2>
        <LocaleForm current={me.locale} />
      </Card>
      <Card>
        <h2 className="mb-2 text-lg font-semibold">{t('sessionsHeading')}</h2>
        <SignOutForms />
      </Card>
    </div>
  );
}
