// next-intl request configuration. Public pages pass their locale from the [lang] segment (static);
// signed-in and flow pages follow the user's choice, then the NEXT_LOCALE cookie, then Accept-Language.
import { getRequestConfig } from 'next-intl/server';
import { catalogs, isLocale } from '@/lib/i18n';
import { getCtx, resolveUiLocale } from '@/lib/session';

export default getRequestConfig(async ({ requestLocale }) => {
  const requested = await requestLocale;
  const locale = isLocale(requested) ? requested : await resolveUiLocale(await getCtx());
  return { locale, messages: catalogs[locale], timeZone: 'Asia/Yerevan' };
});
