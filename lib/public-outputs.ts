// Shared pieces of the public outputs built from a signed record (feeds, CSV, PDF, embed): which text a language
// shows, dates, and how a signatory is described. Reads only the record (binding snapshots): no e-mail address or
// user id can reach these outputs (SECURITY.md I13). Plain functions, no I/O.
import type { DocJSON } from './editor/extensions';
import { escapeHtml as e } from './editor/render';
import { isLocale, translator, type Locale } from './i18n';
import type { RecordDocument, RecordSignatory } from './record';
import { signatoryName } from './record';

/** A language code as the data routes accept it (`hy`, `en`, `sr-Latn`, `pt-BR`). */
export const LANG_CODE = /^[a-z]{2,3}(-[A-Z][a-z]{3})?(-(?:[A-Z]{2}|\d{3}))?$/;

/** The interface language for a text language: itself when the interface has it, else English. */
export const uiLocaleOf = (lang: string): Locale => (isLocale(lang) ? lang : 'en');

/** The text shown for `lang`: that language when the version has it, else the primary language. */
export function textFor(
  record: Pick<RecordDocument, 'texts' | 'primary_lang'>,
  lang: string,
): { lang: string; title: string; body: DocJSON } {
  const code = record.texts[lang]
    ? lang
    : record.texts[record.primary_lang]
      ? record.primary_lang
      : Object.keys(record.texts)[0];
  const t = code ? record.texts[code] : undefined;
  return {
    lang: code ?? record.primary_lang,
    title: t?.title ?? '',
    body: t?.body ?? { type: 'doc', content: [] },
  };
}

/**
 * "1 May 2024" in the reader's language: a YYYY-MM-DD date as written; an ISO instant as its day in `timeZone`
 * (the statement's time zone, so the page, the embed and the PDF agree), UTC when none or an unknown one is given.
 */
export function formatDay(value: string, locale: string, timeZone = 'UTC'): string {
  const dateOnly = /^\d{4}-\d{2}-\d{2}$/.test(value);
  const d = dateOnly ? new Date(`${value}T00:00:00Z`) : new Date(value);
  if (Number.isNaN(d.getTime())) return value;
  for (const tz of dateOnly ? ['UTC'] : [timeZone, 'UTC']) {
    try {
      return new Intl.DateTimeFormat(locale, { dateStyle: 'long', timeZone: tz }).format(d);
    } catch {
      /* an unknown time zone or locale: try the next */
    }
  }
  return d.toISOString().slice(0, 10);
}

/** The public strings of these outputs in one interface language. */
export const outputText = (lang: string) => translator(uiLocaleOf(lang), 'publicData');

export type SignatoryView = {
  id: string;
  name: string;
  kind: RecordSignatory['kind'];
  /** The signer's personal name and title (organizations), or the role (individuals). */
  person: string | null;
  place: string | null;
  group: string | null;
  verified: boolean;
  initiator: boolean;
  withdrawn: boolean;
  /** Marks in the reader's language: "joined after publication, 2 May 2024", "withdrawn …", the method. */
  marks: string[];
};

/**
 * How a signatory is described in `lang` (marks localized); `source` names an import's source. The ordinary method
 * (signed by a member) is a mark only with `memberMethod`.
 */
export function signatoryView(
  s: RecordSignatory,
  lang: string,
  source: string | null,
  opts: { memberMethod?: boolean; timeZone?: string } = {},
): SignatoryView {
  const t = outputText(lang);
  const ui = uiLocaleOf(lang);
  const person = [s.person_name, s.title].filter((v): v is string => !!v && !!v.trim()).join(', ') || null;
  const place = [s.city, s.country].filter((v): v is string => !!v && !!v.trim()).join(', ') || null;
  const marks: string[] = [];
  if (s.joined_after_publication)
    marks.push(s.signed_at ? t('joinedAfter', { date: formatDay(s.signed_at, ui, opts.timeZone) }) : t('joinedLater'));
  if (s.method === 'member' && opts.memberMethod) marks.push(t('methodMember'));
  if (s.method === 'join_request') marks.push(t('methodJoinRequest'));
  if (s.method === 'imported')
    marks.push(source ? t('methodImported', { source: hostOf(source) }) : t('methodImportedNoSource'));
  if (s.status === 'withdrawn')
    marks.push(
      s.withdrawn_at
        ? t('withdrawnSignature', { date: formatDay(s.withdrawn_at, ui, opts.timeZone) })
        : t('withdrawnSignatureNoDate'),
    );
  return {
    id: s.id,
    name: signatoryName(s, lang),
    kind: s.kind,
    person,
    place,
    group: s.group,
    verified: s.verified,
    initiator: s.initiator,
    withdrawn: s.status === 'withdrawn',
    marks,
  };
}

/** The host of a source URL ("Imported from example.org"), or the text itself when it is not a URL. */
export function hostOf(url: string): string {
  try {
    return new URL(url).host || url;
  } catch {
    return url;
  }
}

/** Consecutive runs of one group, in the order given: a heading whenever the group changes (as the public page does). */
export function groupSignatories<T extends { group: string | null }>(
  list: T[],
): { group: string | null; items: T[] }[] {
  const out: { group: string | null; items: T[] }[] = [];
  for (const s of list) {
    const key = s.group && s.group.trim() ? s.group : null;
    const last = out[out.length - 1];
    if (last && last.group === key) last.items.push(s);
    else out.push({ group: key, items: [s] });
  }
  return out;
}

/**
 * The embed's signatory list as one HTML string (`ul.signatories`, styled by app/embed/embed.css): a heading per
 * group, each entry's name, the person and role, the place, a verified mark and the localized marks. A string and
 * not a React tree for the reason the public page's list is one (components/public/signatory-list.tsx): the App
 * Router sends a page twice, and a tree of elements per row doubles a long list's weight in a partner's iframe.
 * Every value goes through escapeHtml; `labels` come from the message catalog.
 */
export function embedListHtml(list: SignatoryView[], labels: { verified: string; initiator: string }): string {
  const item = (s: SignatoryView): string => {
    let h = `<li${s.withdrawn ? ' class="withdrawn"' : ''}><span class="who"><strong>${e(s.name)}</strong>`;
    if (s.person) h += ` — ${e(s.person)}`;
    if (s.place) h += ` (${e(s.place)})`;
    h += '</span>';
    if (s.verified) h += `<span class="verified"> · ${e(labels.verified)}</span>`;
    const marks = [...(s.initiator ? [labels.initiator] : []), ...s.marks];
    if (marks.length) h += `<span class="marks">${e(marks.join(' · '))}</span>`;
    return `${h}</li>`;
  };
  return groupSignatories(list)
    .map((g, i) => {
      const items = `<ul class="signatories">${g.items.map(item).join('')}</ul>`;
      return g.group
        ? `<section aria-labelledby="embed-group-${i}"><h3 id="embed-group-${i}">${e(g.group)}</h3>${items}</section>`
        : items;
    })
    .join('');
}

/** Listed signatories that have not withdrawn. */
export const signedCount = (record: Pick<RecordDocument, 'signatories'>) =>
  record.signatories.filter((s) => s.status === 'signed').length;

/** The initiators' names in `lang`. */
export const initiatorNames = (record: Pick<RecordDocument, 'signatories'>, lang: string) =>
  record.signatories.filter((s) => s.initiator).map((s) => signatoryName(s, lang));
