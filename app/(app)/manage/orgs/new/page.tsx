import { getTranslations } from 'next-intl/server';
import { redirect } from 'next/navigation';
import { OrgProfileForm } from '@/components/orgs/org-profile-form';
import { Card } from '@/components/ui/card';
import { getCtx } from '@/lib/session';

export default async function NewOrgPage() {
  const ctx = await getCtx();
  if (!ctx.actor) redirect('/sign-in?next=/manage/orgs/new');
  const t = await getTranslations('orgs');
  return (
    <div className="flex flex-col gap-4">
      <h1 className="text-2xl font-bold">{t('newTitle')}</h1>
      <p className="max-w-2xl text-muted">{t('newLead')}</p>
      <Card>
        <OrgProfileForm />
      </Card>
    </div>
  );
}
