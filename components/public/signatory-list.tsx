import { getTranslations } from 'next-intl/server';
import { escapeHtml as e } from '@/lib/editor/render';
import { signatoryName, type RecordSignatory } from '@/lib/record';

/** The host of an http(s) URL, or null (only such links are written). */
export function sourceHost(url: string | null): string | null {
  if (!url) return null;
  try {
    const u = new URL(url);
    return u.protocol === 'http:' || u.protocol === 'https:' ? u.host : null;
  } catch {
    return null;
  }
}

/**
 * The signatory list as one HTML string: organizations with city/country and a verified mark, individuals as
 * "Name, role", a heading whenever the group changes, late joiners with their date, withdrawn entries struck through
 * with date and reason, and each signature's method (the common one once above the list, with the source of an
 * imported list linked; an entry names its own only when it differs).
 *
 * A string, not a React tree, because the list may hold 10,000 rows: the App Router sends a page twice (HTML, and
 * the React Server Components payload it hydrates from), and a tree of ~10 elements per row made the payload larger
 * than the HTML and the render take seconds (bench/results/public-notes.md). Every value from the record goes
 * through escapeHtml; the only other text is the trusted message catalog. Styles live in app/globals.css
 * (`.signatory-list`).
 */
export async function signatoryListHtml({
  signatories,
  lang,
  sourceUrl,
  timeZone = 'UTC',
}: {
  signatories: RecordSignatory[];
  lang: string;
  sourceUrl: string | null;
  timeZone?: string;
}): Promise<string> {
  const t = await getTranslations({ locale: lang, namespace: 'publicStatement' });
  const dateFmt = new Intl.DateTimeFormat(lang, { dateStyle: 'long', timeZone });
  const date = (iso: string) => dateFmt.format(new Date(iso));
  const host = sourceHost(sourceUrl);
  const methodText: Record<string, string> = {
    member: e(t('methodMember')),
    join_request: e(t('methodJoinRequest')),
    imported: e(t('methodImportedNoSource')),
  };
  // The most frequent method is said once above the list (with the source linked when imported); an entry names
  // its method only when it differs. 10,000 repetitions of "imported" say nothing a reader needs.
  const counts = new Map<string, number>();
  for (const s of signatories) counts.set(s.method, (counts.get(s.method) ?? 0) + 1);
  const common = [...counts].sort((x, y) => y[1] - x[1])[0]?.[0] ?? 'member';
  const verified = e(t('verified'));
  const initiator = e(t('initiatorMark'));
  const joinedLater = e(t('joinedLater'));

  // Compact markup, styled by the `.signatory-list` rules: <b> the name (an individual's with the role), then the
  // place and who signed for an organization as plain text; <s> around a withdrawn entry; <small> the method when it
  // is not the common one, and dates.
  const row = (s: RecordSignatory): string => {
    const withdrawn = s.status === 'withdrawn';
    const name = signatoryName(s, lang);
    const place = [s.city, s.country].filter(Boolean).join(', ');
    const who = s.kind === 'individual' ? [name, s.title].filter(Boolean).join(', ') : name;
    const signer = s.kind === 'organization' ? [s.person_name, s.title].filter(Boolean).join(', ') : '';
    let entry = `<b>${e(who)}</b>`;
    if (place) entry += `, ${e(place)}`;
    if (signer) entry += ` — ${e(signer)}`;
    let h = withdrawn ? `<li data-status="withdrawn"><s>${entry}</s>` : `<li>${entry}`;
    if (s.kind === 'organization' && s.verified) h += `<span class="sig-verified">${verified}</span>`;
    if (s.initiator) h += `<span class="sig-initiator">${initiator}</span>`;
    const notes: string[] = [];
    if (s.method !== common) notes.push(methodText[s.method] ?? methodText.member!);
    if (s.joined_after_publication) notes.push(s.signed_at ? e(t('joinedOn', { date: date(s.signed_at) })) : joinedLater);
    if (withdrawn) {
      let w = `<strong>${e(s.withdrawn_at ? t('withdrawnOn', { date: date(s.withdrawn_at) }) : t('withdrawn'))}</strong>`;
      if (s.withdraw_reason) w += ` — ${e(t('withdrawReason', { reason: s.withdraw_reason }))}`;
      notes.push(w);
    }
    if (notes.length) h += `<small>${notes.join(' · ')}</small>`;
    return h + '</li>';
  };

  const out: string[] = [];
  if (signatories.length > 0) {
    const commonText =
      common === 'imported' && host
        ? t.markup('methodImported', { host: e(host), link: (chunks) => `<a href="${e(sourceUrl!)}" rel="noopener noreferrer nofollow">${chunks}</a>` })
        : (methodText[common] ?? methodText.member!);
    out.push(`<p class="sig-method">${t.markup('methodCommon', { method: commonText })}</p>`);
  }
  // Consecutive runs of one group; a heading whenever the group changes (order kept as given).
  let group: string | null | undefined;
  let open = '';
  let runs = 0;
  for (const s of signatories) {
    if (open === '' || s.group !== group) {
      if (open) out.push(open);
      group = s.group;
      const id = `sig-group-${runs++}`;
      out.push(group ? `<section aria-labelledby="${id}"><h3 id="${id}">${e(group)}</h3><ul>` : '<ul>');
      open = group ? '</ul></section>' : '</ul>';
    }
    out.push(row(s));
  }
  if (open) out.push(open);
  return out.join('');
}

/** The list on a server-rendered page (one element whose content is the pre-escaped string). */
export async function SignatoryList(props: { signatories: RecordSignatory[]; lang: string; sourceUrl: string | null; timeZone?: string }) {
  return <div className="signatory-list" data-testid="signatory-list" dangerouslySetInnerHTML={{ __html: await signatoryListHtml(props) }} />;
}
