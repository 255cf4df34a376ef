import { getTranslations } from 'next-intl/server';

/** While the invitations and their states load. */
export default async function InvitationsLoading() {
  const t = await getTranslations('invitations');
  return (
    <div role="status" className="flex flex-col gap-4">
      <p className="text-sm text-muted">{t('loading')}</p>
      <div className="flex flex-col gap-4" aria-hidden="true">
        <div className="h-24 animate-pulse rounded-lg border border-line bg-stone-100" />
        <div className="h-64 animate-pulse rounded-lg border border-line bg-stone-100" />
      </div>
    </div>
  );
}
