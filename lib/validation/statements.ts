import { z } from 'zod';
import { safeText } from './strings';

/** Languages offered first (PRODUCT.md: Armenian, English, Russian); any other BCP 47 tag may be typed. */
export const OFFERED_LANGS = ['hy', 'en', 'ru'] as const;
const LANG = /^[a-z]{2,3}(-[A-Z][a-z]{3})?(-(?:[A-Z]{2}|\d{3}))?$/;
export const langCode = () =>
  safeText(20).pipe(z.string().regex(LANG, { message: 'errors.invalidLanguage' }));

function isTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return tz.includes('/') || tz === 'UTC';
  } catch {
    return false;
  }
}
export const timeZone = () =>
  safeText(64).pipe(z.string().refine(isTimeZone, { message: 'errors.invalidTimeZone' }));

export const TITLE_MAX = 300;
export const statementTitle = () => safeText(TITLE_MAX);
const requiredTitle = () => statementTitle().pipe(z.string().min(1, { message: 'errors.titleRequired' }));
const summary = () =>
  safeText(2000)
    .optional()
    .transform((v) => (v ? v : null));
const version = () => z.coerce.number().int().min(0).max(2_147_483_647);

export const createStatementSchema = z
  .object({
    orgId: z.string().uuid(),
    title: requiredTitle(),
    primaryLang: langCode(),
    summary: summary(),
    timeZone: timeZone(),
  })
  .strict();
export const updateStatementDetailsSchema = z
  .object({ statementId: z.string().uuid(), summary: summary(), timeZone: timeZone() })
  .strict();
export const addTranslationSchema = z
  .object({ statementId: z.string().uuid(), lang: langCode(), title: statementTitle() })
  .strict();
export const markUpToDateSchema = z
  .object({ statementId: z.string().uuid(), lang: langCode(), primaryVersion: version() })
  .strict();
export const restoreRevisionSchema = z
  .object({
    statementId: z.string().uuid(),
    lang: langCode(),
    version: version().pipe(z.number().min(1)),
    baseVersion: version(),
  })
  .strict();

/** The autosave body (the route handler). `doc` is checked by the editor schema validator, not here. */
export const saveTextBodySchema = z
  .object({
    // A JSON number, not coerced: `true`, `""` or `"0x1"` are not versions.
    baseVersion: z.number().int().min(0).max(2_147_483_647),
    title: statementTitle(),
    doc: z.unknown(),
    resolution: z.literal('keep_mine').optional(),
  })
  .strict();

/** Autosave bodies: 4 MB cap (SECURITY.md I9) — the document limit itself (512 KB) is the validator's to report. */
export const SAVE_BODY_MAX_BYTES = 4 * 1024 * 1024;
