import { getTranslations } from 'next-intl/server';
import type { ReactNode } from 'react';
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
 * The signatory list in the order given (joined or alphabetical per language), from the record's binding snapshots:
 * organizations with city/country and a verified mark, individuals as "Name, role", a heading whenever the group
 * changes, late joiners with their date, withdrawn entries struck through with date and reason, and each
 * signature's method. One translation lookup for the whole list, plain elements per row (it may hold 10,000 rows).
 */
export async function SignatoryList({
  signatories,
  lang,
  sourceUrl,
  timeZone = 'Asia/Yerevan',
}: {
  signatories: RecordSignatory[];
  lang: string;
  sourceUrl: string | null;
  timeZone?: string;
}) {
  const t = await getTranslations({ locale: lang, namespace: 'publicStatement' });
  const dateFmt = new Intl.DateTimeFormat(lang, { dateStyle: 'long', timeZone });
  const date = (iso: string) => dateFmt.format(new Date(iso));
  const host = sourceHost(sourceUrl);
  const labels = {
    member: t('methodMember'),
    join: t('methodJoinRequest'),
    joinedLater: t('joinedLater'),
    verified: t('verified'),
    initiator: t('initiatorMark'),
  };
  const imported = t('methodImportedNoSource');
  // Built once: every imported row shows the same source link.
  const importedFrom = host
    ? t.rich('methodImported', {
        host,
        link: (chunks) => (
          <a href={sourceUrl!} rel="noopener noreferrer nofollow" className="underline">
            {chunks}
          </a>
        ),
      })
    : null;
  const methodOf = (s: RecordSignatory): ReactNode => {
    if (s.method === 'member') return labels.member;
    if (s.method === 'join_request') return labels.join;
    if (!host) return imported;
    return importedFrom;
  };

  // Consecutive runs of one group; a heading whenever the group changes (order kept as given).
  const runs: { group: string | null; items: RecordSignatory[] }[] = [];
  for (const s of signatories) {
    const last = runs[runs.length - 1];
    if (last && last.group === s.group) last.items.push(s);
    else runs.push({ group: s.group, items: [s] });
  }

  const row = (s: RecordSignatory) => {
    const withdrawn = s.status === 'withdrawn';
    const name = signatoryName(s, lang);
    const place = [s.city, s.country].filter(Boolean).join(', ');
    const who =
      s.kind === 'individual'
        ? [name, s.title].filter(Boolean).join(', ')
        : name;
    const signer = s.kind === 'organization' ? [s.person_name, s.title].filter(Boolean).join(', ') : '';
    return (
      <li key={s.id} className="py-1.5" data-status={s.status}>
        <span className={withdrawn ? 'line-through' : undefined}>
          <span className="font-semibold">{who}</span>
          {place ? <span className="text-muted">, {place}</span> : null}
          {signer ? <span> — {signer}</span> : null}
        </span>
        {s.kind === 'organization' && s.verified ? (
          <span className="ml-1.5 inline-flex items-center gap-0.5 rounded-full bg-green-50 px-1.5 text-xs font-semibold text-ok ring-1 ring-green-700/40">
            <svg aria-hidden="true" viewBox="0 0 16 16" className="h-3 w-3 fill-current">
              <path d="M6.5 11.2 3.3 8l1.1-1.1 2.1 2.1 5.1-5.1L12.7 5z" />
            </svg>
            {labels.verified}
          </span>
        ) : null}
        {s.initiator ? <span className="ml-1.5 text-xs font-semibold uppercase tracking-wide text-accent">{labels.initiator}</span> : null}
        <span className="block text-xs text-muted">
          {methodOf(s)}
          {s.joined_after_publication ? <> · {s.signed_at ? t('joinedOn', { date: date(s.signed_at) }) : labels.joinedLater}</> : null}
          {withdrawn ? (
            <>
              {' · '}
              <strong className="font-semibold text-danger">{s.withdrawn_at ? t('withdrawnOn', { date: date(s.withdrawn_at) }) : t('withdrawn')}</strong>
              {s.withdraw_reason ? <> — {t('withdrawReason', { reason: s.withdraw_reason })}</> : null}
            </>
          ) : null}
        </span>
      </li>
    );
  };

  return (
    <div className="signatory-list flex flex-col gap-4" data-testid="signatory-list">
      {runs.map((run, i) =>
        run.group ? (
          <section key={i} aria-labelledby={`sig-group-${i}`}>
            <h3 id={`sig-group-${i}`} className="mb-1 text-base font-semibold">
              {run.group}
            </h3>
            <ul className="divide-y divide-line">{run.items.map(row)}</ul>
          </section>
        ) : (
          <ul key={i} className="divide-y divide-line">
            {run.items.map(row)}
          </ul>
        ),
      )}
    </div>
  );
}
