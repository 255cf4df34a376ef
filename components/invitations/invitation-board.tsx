// The invitation status board (S2), rendered on the server: counts per state as filters, sort links, and every
// invitation with its state, timestamps (in the statement's time zone), sign-by, answer and reminders. A table
// on wide screens, cards on phones. Filter and sort are search params, so it all works without JavaScript.
import Link from 'next/link';
import type { ReactNode } from 'react';
import { getFormatter, getLocale, getTranslations } from 'next-intl/server';
import { EmptyState } from '@/components/ui/card';
import type { BoardState, getInvitationBoard } from '@/lib/invitations';
import { InvitationRowActions } from './invitation-row-actions';

export type Board = Awaited<ReturnType<typeof getInvitationBoard>>;
type Item = Board['items'][number];

export const BOARD_STATES: BoardState[] = ['sent', 'viewed', 'accepted', 'declined', 'expired', 'revoked'];
export const BOARD_SORTS = ['sent', 'target', 'state'] as const;
export type BoardSort = (typeof BOARD_SORTS)[number];

const STATE_STYLE: Record<BoardState, string> = {
  sent: 'bg-stone-200 text-ink',
  viewed: 'bg-accent-soft text-accent',
  accepted: 'bg-green-100 text-ok',
  declined: 'bg-rose-100 text-danger',
  expired: 'bg-amber-100 text-amber-900',
  revoked: 'bg-stone-100 text-muted',
};

export async function InvitationStateBadge({ state }: { state: BoardState }) {
  const t = await getTranslations('invitations');
  return (
    <span
      className={`inline-block rounded px-2 py-0.5 text-xs font-semibold tracking-wide whitespace-nowrap uppercase ${STATE_STYLE[state]}`}
    >
      {t(`state.${state}`)}
    </span>
  );
}

/** Filter and sort from the URL; unknown values fall back to everything / newest first. */
export function boardView(params: { state?: string | string[]; sort?: string | string[] }) {
  const state =
    typeof params.state === 'string' && (BOARD_STATES as string[]).includes(params.state)
      ? (params.state as BoardState)
      : null;
  const sort: BoardSort =
    typeof params.sort === 'string' && (BOARD_SORTS as readonly string[]).includes(params.sort)
      ? (params.sort as BoardSort)
      : 'sent';
  return { state, sort };
}

function sortItems(items: Item[], sort: BoardSort, locale: string): Item[] {
  const collator = new Intl.Collator(locale, { ignorePunctuation: true, sensitivity: 'base' });
  const bySent = (a: Item, b: Item) => b.createdAt.localeCompare(a.createdAt);
  const copy = [...items];
  if (sort === 'target') return copy.sort((a, b) => collator.compare(a.target, b.target) || bySent(a, b));
  if (sort === 'state')
    return copy.sort((a, b) => BOARD_STATES.indexOf(a.state) - BOARD_STATES.indexOf(b.state) || bySent(a, b));
  return copy.sort(bySent);
}

export type SignatureByOrg = Record<string, { status: SignatureState; signedVersion: number | null }>;
type SignatureState = 'signed' | 'needs_reconfirmation' | 'withdrawn' | 'declined' | 'unsigned';

const SIGNATURE_STYLE: Record<SignatureState, string> = {
  signed: 'bg-green-100 text-ok',
  needs_reconfirmation: 'bg-amber-100 text-amber-900',
  withdrawn: 'bg-rose-100 text-danger',
  declined: 'bg-stone-200 text-ink',
  unsigned: 'bg-stone-100 text-muted',
};

export async function InvitationBoard({
  board,
  basePath,
  state,
  sort,
  signatures,
}: {
  board: Board;
  basePath: string;
  state: BoardState | null;
  sort: BoardSort;
  /** The accepted organizations' signature status (getSignatureBoard rows by orgId). */
  signatures?: SignatureByOrg;
}) {
  const [t, ts, locale, format] = await Promise.all([
    getTranslations('invitations'),
    getTranslations('signatureColumn'),
    getLocale(),
    getFormatter(),
  ]);
  const zone = board.timeZone;
  const when = (iso: string | null) =>
    iso ? format.dateTime(new Date(iso), { dateStyle: 'medium', timeStyle: 'short', timeZone: zone }) : null;
  const href = (p: { state?: BoardState | null; sort?: BoardSort }) => {
    const q = new URLSearchParams();
    const s = p.state === undefined ? state : p.state;
    const o = p.sort ?? sort;
    if (s) q.set('state', s);
    if (o !== 'sent') q.set('sort', o);
    const qs = q.toString();
    return `${basePath}${qs ? `?${qs}` : ''}#board`;
  };
  const items = sortItems(state ? board.items.filter((i) => i.state === state) : board.items, sort, locale);
  const chip =
    'inline-flex min-h-9 items-center gap-1 rounded-full border px-3 py-1 text-sm hover:bg-stone-100 aria-[current=true]:border-accent aria-[current=true]:bg-accent-soft aria-[current=true]:font-semibold aria-[current=true]:text-accent';
  const total = board.items.length;

  const timeline = (i: Item) => {
    const rows: [string, string | null][] = [
      [t('at.sent'), when(i.createdAt)],
      [t('at.viewed'), when(i.viewedAt)],
      [t('at.reminded'), when(i.lastRemindedAt)],
      [
        i.state === 'revoked' || i.state === 'expired' ? t(`at.${i.state}`) : t('at.answered'),
        when(i.respondedAt),
      ],
      [t('colSignBy'), when(i.signBy)],
    ];
    return (
      <dl className="grid grid-cols-[auto_1fr] gap-x-2 text-sm">
        {rows
          .filter(([, v]) => v)
          .map(([k, v]) => (
            <div key={k} className="contents">
              <dt className="text-muted">{k}</dt>
              <dd className="whitespace-nowrap">{v}</dd>
            </div>
          ))}
      </dl>
    );
  };

  const notes = (i: Item) => {
    const lines: ReactNode[] = [];
    if (i.state === 'accepted' && i.respondedBy)
      lines.push(t('acceptedBy', { name: i.respondedBy, org: i.acceptedOrg ?? i.target }));
    if (i.state === 'declined' && i.respondedBy) lines.push(t('declinedBy', { name: i.respondedBy }));
    if (i.state === 'revoked' && i.respondedBy) lines.push(t('revokedBy', { name: i.respondedBy }));
    if (i.provenBy) lines.push(t('viaSharedMailbox', { email: i.provenBy }));
    if (i.state === 'declined' && i.declineReason)
      lines.push(
        <span>
          {t('reasonLabel')} <q className="break-words whitespace-pre-wrap">{i.declineReason}</q>
        </span>,
      );
    if (i.state === 'declined' && !i.declineReason)
      lines.push(<span className="text-muted">{t('noReason')}</span>);
    if (i.remindersScheduled > 0) lines.push(t('remindersScheduled', { count: i.remindersScheduled }));
    if (i.invitedBy) lines.push(<span className="text-muted">{t('invitedBy', { name: i.invitedBy })}</span>);
    return lines.length ? (
      <ul className="flex flex-col gap-1 text-sm">
        {lines.map((l, n) => (
          <li key={n}>{l}</li>
        ))}
      </ul>
    ) : null;
  };

  const target = (i: Item) => (
    <div className="min-w-0">
      <p className="font-semibold break-words">
        {i.byEmail ? (
          <span className="[overflow-wrap:anywhere]">{i.target}</span>
        ) : i.targetOrgSlug ? (
          <Link href={`/${locale}/orgs/${i.targetOrgSlug}`} className="text-accent hover:underline">
            {i.target}
          </Link>
        ) : (
          i.target
        )}
      </p>
      <p className="text-xs text-muted">
        {t(`kind.${i.kind}`)} · {i.byEmail ? t('byEmail') : t('fromDirectory')}
      </p>
    </div>
  );

  const signature = (i: Item) => {
    const sig = i.state === 'accepted' && i.acceptedOrgId && signatures ? signatures[i.acceptedOrgId] : undefined;
    if (!sig) return null;
    return (
      <span
        className={`inline-block rounded px-2 py-0.5 text-xs font-semibold whitespace-nowrap ${SIGNATURE_STYLE[sig.status]}`}
        data-testid="signature-badge"
      >
        {sig.status === 'needs_reconfirmation'
          ? ts('needs_reconfirmation', { version: sig.signedVersion ?? 0 })
          : sig.status === 'signed'
            ? ts('signed', { version: sig.signedVersion ?? 0 })
            : ts(sig.status)}
      </span>
    );
  };

  const actionable = (i: Item) => board.canManage && (i.state === 'sent' || i.state === 'viewed');

  return (
    <div className="flex flex-col gap-4">
      <nav aria-label={t('filterLabel')}>
        <ul className="flex flex-wrap gap-2">
          <li>
            <Link
              href={href({ state: null })}
              aria-current={state === null ? 'true' : undefined}
              className={chip}
            >
              {t('filterAll', { count: total })}
            </Link>
          </li>
          {BOARD_STATES.map((s) => (
            <li key={s}>
              <Link
                href={href({ state: s })}
                aria-current={state === s ? 'true' : undefined}
                className={chip}
              >
                {t(`state.${s}`)} <span className="tabular-nums">({board.counts[s]})</span>
              </Link>
            </li>
          ))}
        </ul>
      </nav>
      <nav aria-label={t('sortLabel')} className="flex flex-wrap items-center gap-2 text-sm">
        <span className="text-muted" aria-hidden="true">
          {t('sortLabel')}:
        </span>
        {BOARD_SORTS.map((o) => (
          <Link
            key={o}
            href={href({ sort: o })}
            aria-current={sort === o ? 'true' : undefined}
            className={chip}
          >
            {t(`sort.${o}`)}
          </Link>
        ))}
      </nav>
      <p className="text-sm text-muted">{t('timesIn', { zone })}</p>

      {items.length === 0 ? (
        total === 0 ? (
          <EmptyState title={t('boardEmpty')} hint={board.canManage ? t('boardEmptyHint') : undefined} />
        ) : (
          <EmptyState title={t('boardEmptyFiltered')} />
        )
      ) : (
        <>
          <div className="hidden overflow-x-auto lg:block">
            <table className="w-full border-collapse text-left text-sm">
              <caption className="sr-only">{t('boardCaption', { count: items.length })}</caption>
              <thead>
                <tr className="border-b border-line text-xs text-muted uppercase">
                  <th scope="col" className="py-2 pr-3">
                    {t('colInvitee')}
                  </th>
                  <th scope="col" className="py-2 pr-3">
                    {t('colState')}
                  </th>
                  {signatures ? (
                    <th scope="col" className="py-2 pr-3">
                      {ts('heading')}
                    </th>
                  ) : null}
                  <th scope="col" className="py-2 pr-3">
                    {t('colTimeline')}
                  </th>
                  <th scope="col" className="py-2 pr-3">
                    {t('colDetails')}
                  </th>
                  {board.canManage ? (
                    <th scope="col" className="py-2">
                      {t('colActions')}
                    </th>
                  ) : null}
                </tr>
              </thead>
              <tbody>
                {items.map((i) => (
                  <tr
                    key={i.id}
                    className="border-b border-line align-top"
                    data-testid={`invitation-${i.id}`}
                  >
                    <td className="w-48 max-w-56 py-3 pr-3">{target(i)}</td>
                    <td className="py-3 pr-3">
                      <InvitationStateBadge state={i.state} />
                    </td>
                    {signatures ? <td className="py-3 pr-3">{signature(i)}</td> : null}
                    <td className="py-3 pr-3">{timeline(i)}</td>
                    <td className="max-w-64 py-3 pr-3">{notes(i)}</td>
                    {board.canManage ? (
                      <td className="w-40 py-3">
                        {actionable(i) ? (
                          <InvitationRowActions
                            stacked
                            statementId={board.statementId}
                            invitationId={i.id}
                            target={i.target}
                          />
                        ) : null}
                      </td>
                    ) : null}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <ul
            className="flex flex-col gap-3 lg:hidden"
            aria-label={t('boardCaption', { count: items.length })}
          >
            {items.map((i) => (
              <li key={i.id} className="flex flex-col gap-3 rounded-md border border-line p-3">
                <div className="flex items-start justify-between gap-2">
                  {target(i)}
                  <InvitationStateBadge state={i.state} />
                </div>
                {signature(i) ? (
                  <p className="text-sm">
                    <span className="text-muted">{ts('heading')}:</span> {signature(i)}
                  </p>
                ) : null}
                {timeline(i)}
                {notes(i)}
                {actionable(i) ? (
                  <InvitationRowActions
                    statementId={board.statementId}
                    invitationId={i.id}
                    target={i.target}
                  />
                ) : null}
              </li>
            ))}
          </ul>
        </>
      )}
    </div>
  );
}
