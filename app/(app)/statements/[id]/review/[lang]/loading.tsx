import { getTranslations } from 'next-intl/server';

/** While the draft and its comments load. */
export default async function ReviewLoading() {
  const t = await getTranslations('comments');
  return (
    <div role="status" className="flex flex-col gap-4">
      <p className="text-sm text-muted">{t('loading')}</p>
      <div className="grid gap-6 lg:grid-cols-[minmax(0,1fr)_22rem]" aria-hidden="true">
        <div className="h-96 animate-pulse rounded-md border border-line bg-stone-100" />
        <div className="h-64 animate-pulse rounded-md border border-line bg-stone-100" />
      </div>
    </div>
  );
}
