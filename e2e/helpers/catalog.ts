// The message catalogs, read from disk when a test runs (they change while translations land), so specs
// assert the text the build actually ships rather than hard-coded strings.
import fs from 'node:fs';
import path from 'node:path';
import type { Page } from '@playwright/test';

export const LOCALES = ['en', 'hy', 'ru'] as const;
export type Locale = (typeof LOCALES)[number];

type Tree = { [k: string]: string | Tree };
const cache = new Map<Locale, Tree>();

export function catalog(locale: Locale): Tree {
  let c = cache.get(locale);
  if (!c) {
    c = JSON.parse(fs.readFileSync(path.join(process.cwd(), 'messages', `${locale}.json`), 'utf8')) as Tree;
    cache.set(locale, c);
  }
  return c;
}

/** `msg('hy', 'dashboard.title')`; simple `{name}` placeholders are filled from `values`. */
export function msg(locale: Locale, key: string, values: Record<string, string> = {}): string {
  let node: string | Tree | undefined = catalog(locale);
  for (const part of key.split('.')) node = typeof node === 'object' ? node[part] : undefined;
  if (typeof node !== 'string') throw new Error(`messages/${locale}.json has no string at ${key}`);
  return node.replace(/\{(\w+)\}/g, (m, name: string) => values[name] ?? m);
}

/** The interface language the page was rendered in (from <html lang>). */
export async function pageLocale(page: Page): Promise<Locale> {
  const lang = (await page.locator('html').getAttribute('lang')) ?? 'en';
  return (LOCALES as readonly string[]).includes(lang) ? (lang as Locale) : 'en';
}

export const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
