'use client';
import { useRouter, usePathname } from 'next/navigation';
import { useTranslations } from 'next-intl';
import { useTransition } from 'react';
import { LOCALES, LOCALE_NAMES, type Locale } from '@/lib/i18n';
import { setLocaleAction } from '@/app/_actions/account';

// Called only from the click handler below; kept outside the component because React's compiler rules refuse
// writes to globals inside a component body, even in a handler.
function rememberLocale(locale: Locale) {
  document.cookie = `NEXT_LOCALE=${locale}; path=/; max-age=31536000; samesite=lax`;
}

/**
 * Public pages: the language is in the URL. Flow pages (signed out): a cookie. Signed-in pages: the account's
 * saved choice.
 */
export function LocaleSwitcher({ current, mode }: { current: Locale; mode: 'url' | 'cookie' | 'account' }) {
  const t = useTranslations('nav');
  const router = useRouter();
  const pathname = usePathname();
  const [pending, start] = useTransition();

  function choose(next: Locale) {
    rememberLocale(next);
    if (mode === 'url') {
      const parts = pathname.split('/');
      parts[1] = next;
      router.push(parts.join('/') || `/${next}`);
      return;
    }
    start(async () => {
      if (mode === 'account') await setLocaleAction({ locale: next });
      router.refresh();
    });
  }

  return (
    <nav aria-label={t('language')} className="flex items-center gap-1 text-sm">
      {LOCALES.map((l) => (
        <button
          key={l}
          type="button"
          lang={l}
          disabled={pending}
          aria-current={l === current ? 'true' : undefined}
          onClick={() => choose(l)}
          className={`min-h-9 rounded px-2 ${l === current ? 'bg-accent-soft font-semibold text-accent' : 'text-muted hover:bg-stone-100'}`}
        >
          {LOCALE_NAMES[l]}
        </button>
      ))}
    </nav>
  );
}
