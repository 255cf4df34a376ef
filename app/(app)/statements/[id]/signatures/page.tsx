import Link from 'next/link';
import { notFound, redirect } from 'next/navigation';
import { getFormatter, getLocale, getTranslations } from 'next-intl/server';
import { InvitationProgress } from '@/components/invitations/invitation-progress';
import { StatementHeader } from '@/components/statements/statement-header';
import { Card } from '@/components/ui/card';
import { isAppError } from '@/lib/errors';
import { listStatementOrganizations } from '@/lib/invitations';
import { getCtx } from '@/lib/session';
import { getSignatureBoard, type BoardSignature } from '@/lib/signing';
import { primaryTitle } from '@/lib/invitations';

type Props = { params: Promise<{ id: string }> };

export async function generateMetadata() {
  const t = await getTranslations('signing');
  return { title: t('boardTitle') };
}

const BADGE: Record<BoardSignature['status'], string> = {
  signed: 'bg-green-100 text-ok',
  needs_reconfirmation: 'bg-amber-100 text-amber-900',
  withdrawn: 'bg-rose-100 text-danger',
  declined: 'bg-stone-200 text-ink',
  unsigned: 'bg-stone-100 text-muted',
};

/** Signed / awaiting re-confirmation / withdrawn / declined / not yet, for every organization taking part. */
export default async function SignaturesPage({ params }: Props) {
  const { id } = await params;
  const ctx = await getCtx();
  if (!ctx.actor) redirect(`/sign-in?next=/statements/${encodeURIComponent(id)}/signatures`);
  let board;
  try {
    board = await getSignatureBoard(ctx, id);
  } catch (e) {
    if (isAppError(e) && e.code === 'NOT_FOUND') notFound();
    throw e;
  }
  const [t, ts, locale, format, orgs, title] = await Promise.all([
    getTranslations('signing'),
    getTranslations('signing.status'),
    getLocale(),
    getFormatter(),
    listStatementOrganizations(ctx, id),
    primaryTitle(ctx.db, id),
  ]);
  const when = (d: Date) => format.dateTime(d, { dateStyle: 'medium', timeStyle: 'short', timeZone: board.statement.timeZone });
  const total = board.rows.length;
  return (
    <div className="flex flex-col gap-6">
      <StatementHeader
        id={id}
        title={title}
        state={board.statement.state}
        initiators={orgs.initiators.map((x) => ({ name: x.name, role: x.role }))}
        current="signatures"
        primaryLang={board.statement.primaryLang}
        access={board.access.kind}
        version={board.currentVersion}
      />
      <Card>
        <h2 className="mb-3 text-lg font-semibold">{t('boardHeading')}</h2>
        {board.currentVersion ? (
          <InvitationProgress
            accepted={board.counts.signed}
            total={total}
            label={t('progressLabel', { version: board.currentVersion })}
            valueText={t('progressText', { signed: board.counts.signed, total, version: board.currentVersion })}
          />
        ) : (
          <p className="text-muted">{t('notFrozenBody')}</p>
        )}
        <ul className="mt-3 flex flex-wrap gap-2 text-sm" aria-label={t('countsLabel')}>
          {(Object.keys(board.counts) as BoardSignature['status'][]).map((k) =>
            k === 'declined' && board.access.kind !== 'initiator' ? null : (
              <li key={k} className={`rounded px-2 py-0.5 ${BADGE[k]}`} data-testid={`count-${k}`}>
                {ts(k)}: {board.counts[k]}
              </li>
            ),
          )}
        </ul>
      </Card>
      <Card>
        {board.rows.length === 0 ? (
          <p className="text-muted">{t('noOrganizations')}</p>
        ) : (
          <ul className="divide-y divide-line">
            {board.rows.map((r) => (
              <li key={r.orgId} className="flex flex-col gap-1 py-3 sm:flex-row sm:items-start sm:justify-between" data-testid={`board-row-${r.slug}`}>
                <div className="min-w-0">
                  <Link href={`/${locale}/orgs/${r.slug}`} className="font-semibold break-words text-accent hover:underline">
                    {r.name}
                  </Link>
                  <span className="ml-2 text-xs text-muted">{r.relation === 'initiator' ? t('initiator') : t('participant')}</span>
                  {r.status === 'signed' && (r.title || r.personName) ? (
                    <p className="text-sm break-words">{[r.personName, r.title].filter(Boolean).join(', ')}</p>
                  ) : null}
                  {r.status === 'withdrawn' && r.withdrawnAt ? (
                    <p className="text-sm text-muted">
                      {t('withdrawnOn', { date: when(r.withdrawnAt) })}
                      {r.withdrawnReason ? ` — ${r.withdrawnReason}` : ''}
                    </p>
                  ) : null}
                  {r.status === 'declined' && r.declineReason ? <p className="text-sm break-words text-muted">{t('declineReasonShown', { reason: r.declineReason })}</p> : null}
                </div>
                <div className="flex flex-col items-start gap-1 sm:items-end">
                  <span className={`rounded px-2 py-0.5 text-xs font-semibold ${BADGE[r.status]}`} data-testid="board-status">
                    {ts(r.status)}
                  </span>
                  {r.signedVersion && r.signedAt && r.status !== 'unsigned' ? (
                    <span className="text-xs text-muted">{t('signedVersionOn', { version: r.signedVersion, date: when(r.signedAt) })}</span>
                  ) : null}
                </div>
              </li>
            ))}
          </ul>
        )}
      </Card>
      <Card>
        <h2 className="mb-3 text-lg font-semibold">{t('versionsHeading')}</h2>
        {board.versions.length === 0 ? (
          <p className="text-muted">{t('noVersions')}</p>
        ) : (
          <ul className="flex flex-col gap-2">
            {board.versions.map((v) => (
              <li key={v.number} className="text-sm">
                <span className="font-semibold">{t('versionLabel', { version: v.number })}</span> · {when(v.frozenAt)} ·{' '}
                <a className="text-accent underline" href={`/api/statements/${id}/versions/${v.number}`}>
                  {t('canonicalShort')}
                </a>
                <code className="block font-mono text-xs break-all text-muted">{v.contentSha256}</code>
              </li>
            ))}
          </ul>
        )}
      </Card>
    </div>
  );
}
