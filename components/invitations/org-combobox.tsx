'use client';
// Directory typeahead for the invite form: an ARIA 1.2 combobox (list autocomplete). Arrow keys move through
// the results (aria-activedescendant keeps focus in the input), Enter chooses, Escape closes then clears.
// Organizations already initiating, participating or invited are shown but cannot be chosen.
import { useTranslations } from 'next-intl';
import { useEffect, useId, useRef, useState, type KeyboardEvent } from 'react';
import { searchOrganizationsToInviteAction } from '@/app/_actions/invitations';

export type OrgOption = {
  id: string;
  name: string;
  city: string | null;
  country: string | null;
  verified: boolean;
  status: 'initiator' | 'participant' | 'invited' | null;
};

const DEBOUNCE_MS = 250;

export function OrgCombobox({
  statementId,
  chosenIds,
  onChoose,
  describedBy,
}: {
  statementId: string;
  chosenIds: string[];
  onChoose: (org: OrgOption) => void;
  describedBy?: string;
}) {
  const t = useTranslations('invitations');
  const te = useTranslations();
  const id = useId();
  const listId = `${id}-list`;
  const [q, setQ] = useState('');
  const [results, setResults] = useState<OrgOption[]>([]);
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(-1);
  const [status, setStatus] = useState<'idle' | 'searching' | 'done' | 'error'>('idle');
  const [error, setError] = useState<string | null>(null);
  const seq = useRef(0);

  const query = q.trim();
  useEffect(() => {
    if (query.length < 2) return;
    const mine = ++seq.current;
    const h = setTimeout(async () => {
      setStatus('searching');
      const r = await searchOrganizationsToInviteAction({ statementId, q: query });
      if (mine !== seq.current) return; // a newer query is on its way
      if (r.ok) {
        setResults(r.data);
        setStatus('done');
        setError(null);
      } else {
        setResults([]);
        setStatus('error');
        setError(r.message);
      }
      setActive(-1);
    }, DEBOUNCE_MS);
    return () => clearTimeout(h);
  }, [query, statementId]);

  const shown = query.length >= 2 ? results : [];
  const unavailable = (o: OrgOption) => o.status !== null || chosenIds.includes(o.id);
  const expanded = open && query.length >= 2 && status !== 'idle';

  function move(delta: 1 | -1) {
    if (shown.length === 0) return;
    let i = active;
    for (let n = 0; n < shown.length; n++) {
      i = (i + delta + shown.length) % shown.length;
      if (!unavailable(shown[i]!)) {
        setActive(i);
        return;
      }
    }
  }

  function choose(o: OrgOption) {
    if (unavailable(o)) return;
    onChoose(o);
    setQ('');
    setResults([]);
    setStatus('idle');
    setActive(-1);
    setOpen(false);
  }

  function onKeyDown(e: KeyboardEvent<HTMLInputElement>) {
    if (e.key === 'ArrowDown') {
      e.preventDefault();
      setOpen(true);
      move(1);
    } else if (e.key === 'ArrowUp') {
      e.preventDefault();
      setOpen(true);
      move(-1);
    } else if (e.key === 'Enter') {
      // Never submit the whole form from the search box.
      e.preventDefault();
      const o = active >= 0 ? shown[active] : undefined;
      if (expanded && o) choose(o);
    } else if (e.key === 'Escape') {
      if (expanded) {
        e.preventDefault();
        setOpen(false);
        setActive(-1);
      } else if (q) {
        e.preventDefault();
        setQ('');
      }
    }
  }

  const statusText =
    query.length < 2
      ? ''
      : status === 'searching'
        ? t('searching')
        : status === 'error'
          ? te(error ?? 'errors.unexpected')
          : status === 'done'
            ? shown.length === 0
              ? t('noResults')
              : t('resultCount', { count: shown.length })
            : '';

  return (
    <div className="relative flex flex-col gap-1">
      <label htmlFor={`${id}-input`} className="text-sm font-semibold">
        {t('searchLabel')}
      </label>
      <input
        id={`${id}-input`}
        type="text"
        role="combobox"
        autoComplete="off"
        spellCheck={false}
        aria-autocomplete="list"
        aria-expanded={expanded}
        aria-controls={listId}
        aria-activedescendant={expanded && active >= 0 ? `${id}-opt-${active}` : undefined}
        aria-describedby={describedBy}
        placeholder={t('searchPlaceholder')}
        value={q}
        maxLength={100}
        onChange={(e) => {
          setQ(e.target.value);
          setOpen(true);
          setActive(-1);
          if (e.target.value.trim().length < 2) setStatus('idle');
        }}
        onFocus={() => setOpen(true)}
        onBlur={() => setOpen(false)}
        onKeyDown={onKeyDown}
        className="min-h-11 rounded-md border border-stone-400 bg-white px-3 py-2 text-base"
      />
      <p className="sr-only" role="status" aria-live="polite">
        {statusText}
      </p>
      <ul
        id={listId}
        role="listbox"
        aria-label={t('resultsLabel')}
        hidden={!expanded}
        className="absolute top-full right-0 left-0 z-20 mt-1 max-h-80 overflow-y-auto rounded-md border border-line bg-white shadow-lg"
      >
        {status === 'searching' && shown.length === 0 ? (
          <li role="presentation" className="px-3 py-2 text-sm text-muted">
            {t('searching')}
          </li>
        ) : null}
        {status !== 'searching' && shown.length === 0 ? (
          <li role="presentation" className="px-3 py-2 text-sm text-muted">
            {status === 'error' ? te(error ?? 'errors.unexpected') : t('noResults')}
          </li>
        ) : null}
        {shown.map((o, i) => {
          const off = unavailable(o);
          const why = chosenIds.includes(o.id)
            ? t('alreadyChosen')
            : o.status
              ? t(`already.${o.status}`)
              : null;
          const place = [o.city, o.country].filter(Boolean).join(', ');
          return (
            <li
              key={o.id}
              id={`${id}-opt-${i}`}
              role="option"
              aria-selected={i === active}
              aria-disabled={off || undefined}
              onMouseDown={(e) => e.preventDefault()}
              onClick={() => choose(o)}
              onMouseMove={() => !off && active !== i && setActive(i)}
              className={`flex flex-wrap items-baseline justify-between gap-x-3 px-3 py-2 text-sm ${
                off ? 'cursor-not-allowed text-muted' : 'cursor-pointer'
              } ${i === active ? 'bg-accent-soft' : ''}`}
            >
              <span className="min-w-0">
                <span className={`font-semibold ${off ? '' : 'text-ink'}`}>{o.name}</span>
                {o.verified ? (
                  <span className="ml-2 inline-flex items-center gap-1 rounded bg-green-100 px-1.5 py-0.5 text-xs text-ok">
                    <svg aria-hidden="true" viewBox="0 0 16 16" className="h-3 w-3 fill-current">
                      <path d="M6.5 11.2 3.3 8l1.1-1.1 2.1 2.1 5.1-5.1L12.7 5z" />
                    </svg>
                    {t('verified')}
                  </span>
                ) : null}
                {place ? <span className="block text-xs text-muted">{place}</span> : null}
              </span>
              {why ? <span className="text-xs italic">{why}</span> : null}
            </li>
          );
        })}
      </ul>
    </div>
  );
}
