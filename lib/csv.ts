// CSV of a published statement's signatories (R3): RFC 4180 (CRLF rows, quoted cells where needed, quotes
// doubled), UTF-8 with a byte-order mark so spreadsheet programs read Armenian and Cyrillic, and formula-safe
// (OWASP "CSV injection"): a cell that begins with = + - @, a tab or a carriage return is prefixed with a single
// quote, so no spreadsheet evaluates it. Rows come from the signed record only: no e-mail address or user id (I13).
import { orderedSignatories, type PublicStatement } from './publishing';
import { signatoryName } from './record';

export const CSV_BOM = '\uFEFF';

export const SIGNATORY_COLUMNS = [
  'name',
  'kind',
  'role_or_title',
  'city',
  'country',
  'group',
  'verified',
  'method',
  'joined_after_publication',
  'signed_at',
  'status',
  'withdrawn_at',
] as const;

const FORMULA_START = /^[=+\-@\t\r]/;

/** One cell: neutralised when a spreadsheet would read it as a formula, quoted when it holds `,` `"` CR or LF. */
export function csvCell(value: string | number | boolean | null | undefined): string {
  let s = value === null || value === undefined ? '' : String(value);
  if (FORMULA_START.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** Rows → CSV text (CRLF line ends, BOM first). */
export function toCsv(rows: (string | number | boolean | null | undefined)[][]): string {
  return CSV_BOM + rows.map((r) => r.map(csvCell).join(',')).join('\r\n') + '\r\n';
}

/** Permission: anyone (the public record). The signatories in display order for `lang`, one row each. */
export function signatoriesCsv(
  pub: Pick<PublicStatement, 'record' | 'listOrder' | 'positions'>,
  lang: string,
): string {
  const rows = orderedSignatories(pub, lang).map((s) => [
    signatoryName(s, lang),
    s.kind,
    [s.person_name, s.title].filter((v) => !!v && v.trim()).join(', '),
    s.city,
    s.country,
    s.group,
    s.verified,
    s.method,
    s.joined_after_publication,
    s.signed_at,
    s.status,
    s.withdrawn_at,
  ]);
  return toCsv([[...SIGNATORY_COLUMNS], ...rows]);
}
