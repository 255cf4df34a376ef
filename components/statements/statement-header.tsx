import Link from 'next/link';
import { getTranslations } from 'next-intl/server';
import type { StatementState } from '@/db/schema';

const STATE_STYLE: Record<StatementState, string> = {
  draft: 'bg-stone-200 text-ink',
  open: 'bg-accent-soft text-accent',
  reopened: 'bg-amber-100 text-amber-900',
  published: 'bg-green-100 text-ok',
  closed: 'bg-stone-200 text-muted',
  withdrawn: 'bg-rose-100 text-danger',
};

export async function StateBadge({ state }: { state: StatementState }) {
  const t = await getTranslations('statementStates');
  return (
    <span
      className={`inline-block rounded px-2 py-0.5 text-xs font-semibold uppercase tracking-wide ${STATE_STYLE[state]}`}
    >
      {t(state)}
    </span>
  );
}

/** The heading every statement page shares: breadcrumb, title, state, initiators, tabs. */
export async function StatementHeader({
  id,
  title,
  state,
  initiators,
  current,
  primaryLang,
  access = 'initiator',
  version = null,
}: {
  id: string;
  title: string;
  state: StatementState;
  initiators: { name: string; role: 'primary' | 'co' }[];
  current: 'overview' | 'edit' | 'history' | 'review' | 'invitations' | 'sign' | 'signatures' | 'joins';
  primaryLang: string;
  /** The frozen version signing binds to, shown beside the state once there is one. */
  version?: number | null;
  /** Participant members read and comment only: Overview, Text and History are the initiators'. */
  access?: 'initiator' | 'participant';
}) {
  const t = await getTranslations('statements');
  const tj = await getTranslations('joining');
  const tab = (key: typeof current, href: string, label: string) => (
    <Link
      href={href}
      aria-current={current === key ? 'page' : undefined}
      className="inline-block border-b-2 border-transparent px-3 py-2 text-sm font-semibold hover:bg-stone-100 aria-[current=page]:border-accent aria-[current=page]:text-accent"
    >
      {label}
    </Link>
  );
  return (
    <header className="flex flex-col gap-2">
      <nav aria-label={t('breadcrumb')} className="text-sm">
        <Link href="/dashboard" className="text-accent hover:underline">
          {t('backToDashboard')}
        </Link>
      </nav>
      <div className="flex flex-wrap items-center gap-3">
        <h1 className="text-2xl font-bold break-words">{title || t('untitled')}</h1>
        <StateBadge state={state} />
        {version ? (
          <span className="text-sm text-muted" data-testid="current-version">
            {t('versionBadge', { version })}
          </span>
        ) : null}
      </div>
      {initiators.length ? (
        <p className="text-sm text-muted">
          {t('initiatedBy', { names: initiators.map((i) => i.name).join(', ') })}
        </p>
      ) : null}
      <nav
        aria-label={t('statementNavigation')}
        className="overflow-x-auto border-b border-line whitespace-nowrap"
      >
        {access === 'initiator' ? (
          <>
            {tab('overview', `/statements/${id}`, t('tabOverview'))}
            {tab('edit', `/statements/${id}/edit/${primaryLang}`, t('tabText'))}
          </>
        ) : null}
        {tab('review', `/statements/${id}/review/${primaryLang}`, t('tabReview'))}
        {access === 'initiator' ? tab('history', `/statements/${id}/history`, t('tabHistory')) : null}
        {access === 'initiator'
          ? tab('invitations', `/statements/${id}/invitations`, t('tabInvitations'))
          : null}
        {tab('sign', `/statements/${id}/sign`, t('tabSign'))}
        {tab('signatures', `/statements/${id}/signatures`, t('tabSignatures'))}
        {/* Open joining (S7): the initiators' queue of join requests, once the statement is public. */}
        {access === 'initiator' && state === 'published' ? tab('joins', `/statements/${id}/joins`, tj('tab')) : null}
      </nav>
    </header>
  );
}
