import { getTranslations } from 'next-intl/server';
import type { Locale } from '@/lib/i18n';

export async function SiteFooter({ locale }: { locale: Locale }) {
  const t = await getTranslations({ locale, namespace: 'meta' });
  return (
    <footer className="mt-16 border-t border-line">
      <p className="mx-auto max-w-5xl px-4 py-6 text-sm text-muted">{t('description')}</p>
    </footer>
  );
}
