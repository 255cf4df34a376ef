import { notFound, redirect } from 'next/navigation';
import { getLocale, getTranslations } from 'next-intl/server';
import { boardView, InvitationBoard, type SignatureByOrg } from '@/components/invitations/invitation-board';
import { InvitationProgress } from '@/components/invitations/invitation-progress';
import { InviteForm } from '@/components/invitations/invite-form';
import { StatementHeader } from '@/components/statements/statement-header';
import { Alert } from '@/components/ui/alert';
import { Card } from '@/components/ui/card';
import { isAppError } from '@/lib/errors';
import { isLocale } from '@/lib/i18n';
import { getInvitationBoard } from '@/lib/invitations';
import { getCtx } from '@/lib/session';
import { getSignatureBoard } from '@/lib/signing';
import { getStatementOverview, REVIEW_STATES } from '@/lib/statements';

type Props = {
  params: Promise<{ id: string }>;
  searchParams: Promise<{ state?: string | string[]; sort?: string | string[] }>;
};

async function load(id: string) {
  const ctx = await getCtx();
  if (!ctx.actor) redirect(`/sign-in?next=${encodeURIComponent(`/statements/${id}/invitations`)}`);
  try {
    const [overview, board, signing] = await Promise.all([
      getStatementOverview(ctx, id),
      getInvitationBoard(ctx, id),
      getSignatureBoard(ctx, id),
    ]);
    const signatures: SignatureByOrg = Object.fromEntries(
      signing.rows.map((r) => [r.orgId, { status: r.status, signedVersion: r.signedVersion }]),
    );
    return { overview, board, signatures };
  } catch (e) {
    // The board is the initiators' (SECURITY.md: declines, reasons, pending invitations): participants and
    // everyone else get the same "not found".
    if (isAppError(e) && (e.code === 'NOT_FOUND' || e.code === 'FORBIDDEN')) notFound();
    throw e;
  }
}

export async function generateMetadata() {
  const t = await getTranslations('invitations');
  return { title: t('pageTitle') };
}

/** Initiator members follow the invitations (S2); initiator admins also invite, resend, remind and revoke (S1, S3). */
export default async function StatementInvitationsPage({ params, searchParams }: Props) {
  const { id } = await params;
  const { overview, board, signatures } = await load(id);
  const view = boardView(await searchParams);
  const [t, locale] = await Promise.all([getTranslations('invitations'), getLocale()]);
  const primary = overview.texts.find((x) => x.isPrimary);
  const invitable = REVIEW_STATES.includes(board.state);
  const c = board.counts;
  return (
    <div className="flex flex-col gap-6">
      <StatementHeader
        id={id}
        title={primary?.title ?? ''}
        state={overview.statement.state}
        initiators={overview.initiators}
        current="invitations"
        primaryLang={overview.statement.primaryLang}
      />
      <Card>
        <h2 className="mb-3 text-lg font-semibold">{t('progressHeading')}</h2>
        {c.total + c.revoked === 0 ? (
          <p className="text-muted">{t('noInvitationsYet')}</p>
        ) : (
          <div className="flex flex-col gap-2">
            <InvitationProgress
              accepted={c.accepted}
              total={c.total}
              label={t('progressLabel')}
              valueText={t('progressText', { accepted: c.accepted, total: c.total })}
            />
            <p className="text-sm text-muted">
              {t('progressDetail', {
                answered: c.answered,
                declined: c.declined,
                waiting: c.sent + c.viewed,
              })}
            </p>
          </div>
        )}
      </Card>
      <Card>
        <h2 className="mb-3 text-lg font-semibold">{t('inviteHeading')}</h2>
        {!board.canManage ? (
          <p className="text-muted">{t('readOnlyNote')}</p>
        ) : !invitable ? (
          <Alert tone="info">{t('notInvitable')}</Alert>
        ) : (
          <InviteForm
            statementId={id}
            timeZone={board.timeZone}
            defaultLocale={isLocale(locale) ? locale : 'en'}
          />
        )}
      </Card>
      <Card>
        <h2 id="board" className="mb-3 scroll-mt-4 text-lg font-semibold">
          {t('boardHeading')}
        </h2>
        <InvitationBoard
          board={board}
          basePath={`/statements/${id}/invitations`}
          state={view.state}
          sort={view.sort}
          signatures={signatures}
        />
      </Card>
    </div>
  );
}
