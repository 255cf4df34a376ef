// Display helpers for language codes and time zones (no I/O).
import { OFFERED_LANGS } from './validation/statements';

/** "Armenian", "Հայերեն"… in the reader's language; the code itself when unknown. */
export function languageName(code: string, uiLocale: string): string {
  try {
    return new Intl.DisplayNames([uiLocale], { type: 'language' }).of(code) ?? code;
  } catch {
    return code;
  }
}

/** The offered languages as options, each labelled in the reader's language and in its own. */
export function languageOptions(uiLocale: string, exclude: readonly string[] = []) {
  return OFFERED_LANGS.filter((l) => !exclude.includes(l)).map((l) => {
    const own = languageName(l, l);
    const here = languageName(l, uiLocale);
    return { value: l, label: own === here ? here : `${here} — ${own}` };
  });
}

/** IANA time zones, Asia/Yerevan first. */
export function timeZoneOptions() {
  const zones =
    typeof Intl.supportedValuesOf === 'function'
      ? Intl.supportedValuesOf('timeZone')
      : ['Asia/Yerevan', 'UTC'];
  const first = [
    'Asia/Yerevan',
    'Europe/Moscow',
    'Europe/Berlin',
    'Europe/London',
    'America/New_York',
    'UTC',
  ];
  return [...first, ...zones.filter((z) => !first.includes(z))].map((z) => ({
    value: z,
    label: z.replace(/_/g, ' '),
  }));
}

/** Right-to-left scripts, for the `dir` of a text. */
export function directionOf(code: string): 'rtl' | 'ltr' {
  return /^(ar|fa|he|ur|yi|ps|sd|ug|dv)(-|$)/.test(code) ? 'rtl' : 'ltr';
}
