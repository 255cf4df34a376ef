import { getTranslations } from 'next-intl/server';

/** Verified or unverified, always said in words (not colour alone). */
export async function VerifiedBadge({ verified, locale }: { verified: boolean; locale?: string }) {
  const t = await getTranslations({ locale: locale as string, namespace: 'orgs' });
  return verified ? (
    <span className="inline-flex items-center gap-1 rounded-full bg-green-50 px-2 py-0.5 text-xs font-semibold text-ok ring-1 ring-green-700/40">
      <svg aria-hidden="true" viewBox="0 0 16 16" className="h-3.5 w-3.5 fill-current">
        <path d="M6.5 11.2 3.3 8l1.1-1.1 2.1 2.1 5.1-5.1L12.7 5z" />
      </svg>
      {t('verified')}
    </span>
  ) : (
    <span className="inline-flex items-center rounded-full bg-stone-100 px-2 py-0.5 text-xs font-semibold text-muted ring-1 ring-stone-300">{t('unverified')}</span>
  );
}
