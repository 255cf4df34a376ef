import { getTranslations } from 'next-intl/server';
import { redirect } from 'next/navigation';
import { Card, EmptyState } from '@/components/ui/card';
import { getCtx } from '@/lib/session';
import { getOwnAccount } from '@/lib/users';

export const metadata = { title: 'Dashboard · Undersigned' };

export default async function DashboardPage() {
  const ctx = await getCtx();
  if (!ctx.actor) redirect('/sign-in?next=/dashboard');
  const me = await getOwnAccount(ctx);
  const t = await getTranslations('dashboard');
  return (
    <div className="flex flex-col gap-6">
      <div>
        <h1 className="text-2xl font-bold">{t('title')}</h1>
        <p className="text-muted">{t('welcome', { email: me.email })}</p>
      </div>
      <div className="grid gap-4 md:grid-cols-2">
        <Card>
          <h2 className="mb-3 text-lg font-semibold">{t('orgsHeading')}</h2>
          <EmptyState title={t('orgsEmpty')} hint={t('orgsEmptyHint')} />
        </Card>
        <Card>
          <h2 className="mb-3 text-lg font-semibold">{t('invitationsHeading')}</h2>
          <EmptyState title={t('invitationsEmpty')} />
        </Card>
        <Card className="md:col-span-2">
          <h2 className="mb-3 text-lg font-semibold">{t('statementsHeading')}</h2>
          <EmptyState title={t('statementsEmpty')} />
        </Card>
      </div>
    </div>
  );
}
