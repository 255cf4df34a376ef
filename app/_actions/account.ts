'use server';
import { revalidatePath } from 'next/cache';
import { z } from 'zod';
import { action } from '@/lib/action';
import { LOCALES } from '@/lib/i18n';
import { setInterfaceLocale } from '@/lib/users';

const setLocale = action(
  z.object({ locale: z.union([z.enum(LOCALES), z.literal('').transform(() => null), z.null()]) }).strict(),
  (ctx, input) => setInterfaceLocale(ctx, { locale: input.locale }),
);

/** Signed in: choose the interface language of one's own account ('' or null = follow the browser). */
export async function setLocaleAction(...args: unknown[]) {
  const result = await setLocale(...args);
  if (result.ok) revalidatePath('/', 'layout');
  return result;
}
