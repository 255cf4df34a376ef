// Adapter for pages and actions: who is acting, as a Ctx for the domain functions.
import 'server-only';
import { cookies, headers } from 'next/headers';
import { getDb } from '@/db';
import { auth } from './auth';
import type { Actor, Ctx } from './context';
import { DEFAULT_LOCALE, isLocale, localeFromAcceptLanguage, type Locale } from './i18n';
import { getOwnAccount } from './users';

export async function getActor(): Promise<Actor | null> {
  const session = await auth();
  const u = session?.user as { id?: string; email?: string | null } | undefined;
  return u?.id && u.email ? { userId: u.id, email: u.email } : null;
}

export async function getCtx(): Promise<Ctx> {
  const h = await headers();
  return { db: getDb(), actor: await getActor(), ip: h.get('x-client-ip') ?? 'unknown' };
}

/** The signed-in interface language: the user's choice, else the cookie, else Accept-Language. */
export async function resolveUiLocale(ctx?: Ctx): Promise<Locale> {
  if (ctx?.actor) {
    try {
      const me = await getOwnAccount(ctx);
      if (isLocale(me.locale)) return me.locale;
    } catch {
      /* fall through */
    }
  }
  const c = (await cookies()).get('NEXT_LOCALE')?.value;
  if (isLocale(c)) return c;
  return localeFromAcceptLanguage((await headers()).get('accept-language')) ?? DEFAULT_LOCALE;
}
