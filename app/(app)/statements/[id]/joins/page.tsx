import Link from 'next/link';
import { notFound, redirect } from 'next/navigation';
import { getFormatter, getTranslations } from 'next-intl/server';
import { JoinDecision, JoinNoticeArea } from '@/components/joining/join-decision';
import { StatementHeader } from '@/components/statements/statement-header';
import { Alert } from '@/components/ui/alert';
import { Card, EmptyState } from '@/components/ui/card';
import { isAppError } from '@/lib/errors';
import { listJoinRequests, type JoinRequestRow } from '@/lib/joining';
import { getCtx } from '@/lib/session';

type Props = { params: Promise<{ id: string }> };

export async function generateMetadata() {
  const t = await getTranslations('joining');
  return { title: t('queue.heading') };
}

async function load(id: string) {
  const ctx = await getCtx();
  if (!ctx.actor) redirect(`/sign-in?next=${encodeURIComponent(`/statements/${id}/joins`)}`);
  try {
    return await listJoinRequests(ctx, id);
  } catch (e) {
    // The queue (with private e-mail addresses) is the initiators': everyone else gets the same "not found".
    if (isAppError(e) && (e.code === 'NOT_FOUND' || e.code === 'FORBIDDEN')) notFound();
    throw e;
  }
}

/** Initiator members see the join requests (S7); owners and admins approve or reject them. */
export default async function JoinRequestsPage({ params }: Props) {
  const { id } = await params;
  const q = await load(id);
  const [t, format] = await Promise.all([getTranslations('joining'), getFormatter()]);
  const when = (d: Date | null) => (d ? format.dateTime(d, { dateStyle: 'medium', timeStyle: 'short', timeZone: q.statement.timeZone }) : '—');
  const place = (r: JoinRequestRow) => [r.city, r.country].filter(Boolean).join(', ') || '—';
  const th = 'px-2 py-2 text-left font-semibold';
  const td = 'px-2 py-2 align-top break-words';
  const head = (withActions: boolean) => (
    <thead className="border-b border-line">
      <tr>
        <th scope="col" className={th}>{t('queue.colName')}</th>
        <th scope="col" className={th}>{t('queue.colKind')}</th>
        <th scope="col" className={th}>{t('queue.colPlace')}</th>
        <th scope="col" className={th}>{t('queue.colTitle')}</th>
        <th scope="col" className={th}>{t('queue.colEmail')}</th>
        <th scope="col" className={th}>{t('queue.colConfirmed')}</th>
        <th scope="col" className={th}>{withActions ? t('queue.colActions') : t('queue.colDecision')}</th>
      </tr>
    </thead>
  );
  const cells = (r: JoinRequestRow) => (
    <>
      <th scope="row" className={`${td} text-left font-semibold`}>{r.name}</th>
      <td className={td}>{t(`kinds.${r.kind}`)}</td>
      <td className={td}>{place(r)}</td>
      <td className={td}>{r.title ?? '—'}</td>
      <td className={td}>{r.email}</td>
      <td className={td}>{when(r.confirmedAt)}</td>
    </>
  );
  return (
    <div className="flex flex-col gap-6">
      <StatementHeader
        id={id}
        title={q.statement.title}
        state={q.statement.state}
        initiators={q.initiators}
        current="joins"
        primaryLang={q.statement.primaryLang}
        version={q.statement.currentVersion}
      />
      <Card>
        <h2 className="mb-2 text-lg font-semibold">{t('queue.heading')}</h2>
        {!q.publication ? (
          <Alert tone="info">{t('queue.notPublished')}</Alert>
        ) : (
          <div className="flex flex-col gap-2">
            <p className="text-sm">{t('queue.intro')}</p>
            <p className="text-sm">
              {q.publication.joiningOpen && q.publication.joinUntil
                ? t('queue.joiningOpenUntil', { date: when(q.publication.joinUntil) })
                : t('queue.joiningClosed')}{' '}
              {q.publication.joiningOpen ? (
                <Link href={`/join/${encodeURIComponent(q.publication.slug)}`} className="text-accent underline">
                  {t('queue.publicLink')}
                </Link>
              ) : null}
            </p>
            {!q.canDecide ? <p className="text-sm text-muted">{t('queue.readOnly')}</p> : null}
            {q.canDecide && !q.canApprove ? <Alert tone="warn">{t('queue.cannotApprove')}</Alert> : null}
          </div>
        )}
      </Card>
      {q.publication ? (
        <JoinNoticeArea>
          <Card>
            <h2 className="mb-3 text-lg font-semibold">{t('queue.pendingHeading', { count: q.pending.length })}</h2>
            {q.pending.length === 0 ? (
              <EmptyState title={t('queue.noPending')} />
            ) : (
              <div className="overflow-x-auto">
                <table className="w-full text-sm">
                  {head(q.canDecide)}
                  <tbody>
                    {q.pending.map((r) => (
                      <tr key={r.id} className="border-b border-line last:border-0" data-request-id={r.id} data-status={r.status}>
                        {cells(r)}
                        <td className={td}>
                          {q.canDecide ? (
                            <JoinDecision statementId={id} requestId={r.id} name={r.name} canApprove={q.canApprove} />
                          ) : (
                            '—'
                          )}
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            )}
            {q.unconfirmed > 0 ? <p className="mt-3 text-sm text-muted">{t('queue.unconfirmed', { count: q.unconfirmed })}</p> : null}
          </Card>
          <Card>
            <h2 className="mb-3 text-lg font-semibold">{t('queue.decidedHeading')}</h2>
            {q.decided.length === 0 ? (
              <p className="text-sm text-muted">{t('queue.noDecided')}</p>
            ) : (
              <div className="overflow-x-auto">
                <table className="w-full text-sm">
                  {head(false)}
                  <tbody>
                    {q.decided.map((r) => (
                      <tr key={r.id} className="border-b border-line last:border-0" data-request-id={r.id} data-status={r.status}>
                        {cells(r)}
                        <td className={td}>
                          {t(r.status === 'approved' ? 'queue.approvedOn' : 'queue.rejectedOn', { date: when(r.decidedAt) })}
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            )}
          </Card>
        </JoinNoticeArea>
      ) : null}
    </div>
  );
}
