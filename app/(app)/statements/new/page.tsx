import Link from 'next/link';
import { getLocale, getTranslations } from 'next-intl/server';
import { redirect } from 'next/navigation';
import { NewStatementForm } from '@/components/statements/statement-forms';
import { buttonClass } from '@/components/ui/button';
import { Card, EmptyState } from '@/components/ui/card';
import { languageOptions, timeZoneOptions } from '@/lib/languages';
import { listMyOrganizations } from '@/lib/orgs';
import { getCtx } from '@/lib/session';

export async function generateMetadata() {
  const t = await getTranslations('statements');
  return { title: t('newTitle') };
}

export default async function NewStatementPage({
  searchParams,
}: {
  searchParams: Promise<{ org?: string }>;
}) {
  const ctx = await getCtx();
  if (!ctx.actor) redirect('/sign-in?next=/statements/new');
  const [orgs, t, locale, sp] = await Promise.all([
    listMyOrganizations(ctx),
    getTranslations('statements'),
    getLocale(),
    searchParams,
  ]);
  const defaultOrg = orgs.find((o) => o.slug === sp.org) ?? orgs[0];
  return (
    <div className="flex flex-col gap-4">
      <h1 className="text-2xl font-bold">{t('newTitle')}</h1>
      <p className="max-w-2xl text-muted">{t('newLead')}</p>
      <Card>
        {orgs.length === 0 ? (
          <div className="flex flex-col items-center gap-3">
            <EmptyState title={t('needOrg')} hint={t('needOrgHint')} />
            <Link href="/manage/orgs/new" className={buttonClass('primary')}>
              {t('createOrgFirst')}
            </Link>
          </div>
        ) : (
          <NewStatementForm
            orgs={orgs.map((o) => ({ value: o.id, label: o.name }))}
            defaultOrgId={defaultOrg?.id}
            languages={languageOptions(locale)}
            defaultLang={locale}
            timeZones={timeZoneOptions()}
          />
        )}
      </Card>
    </div>
  );
}
