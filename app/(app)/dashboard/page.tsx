import Link from 'next/link';
import { getFormatter, getLocale, getTranslations } from 'next-intl/server';
import { redirect } from 'next/navigation';
import { InvitationProgress } from '@/components/invitations/invitation-progress';
import { PendingMemberInvitations } from '@/components/invitations/pending-member-invitations';
import { WaitingInvitationActions } from '@/components/invitations/waiting-invitation-actions';
import { OrgLogo } from '@/components/orgs/org-logo';
import { VerifiedBadge } from '@/components/orgs/verified-badge';
import { buttonClass } from '@/components/ui/button';
import { Card, EmptyState } from '@/components/ui/card';
import { invitationCountsFor, listWaitingForMe } from '@/lib/invitations';
import { listMyPendingMemberInvitations } from '@/lib/members';
import { listMyOrganizations } from '@/lib/orgs';
import { languageName } from '@/lib/languages';
import { listMyStatements } from '@/lib/statements';
import { StateBadge } from '@/components/statements/statement-header';
import { STATEMENT_STATES } from '@/db/schema';
import { getCtx } from '@/lib/session';
import { getOwnAccount } from '@/lib/users';

export async function generateMetadata() {
  const t = await getTranslations('dashboard');
  return { title: t('title') };
}

export default async function DashboardPage() {
  const ctx = await getCtx();
  if (!ctx.actor) redirect('/sign-in?next=/dashboard');
  const [me, orgs, invitations, statements, waiting] = await Promise.all([
    getOwnAccount(ctx),
    listMyOrganizations(ctx),
    listMyPendingMemberInvitations(ctx),
    listMyStatements(ctx),
    listWaitingForMe(ctx),
  ]);
  const counts = await invitationCountsFor(
    ctx,
    statements.map((s) => s.id),
  );
  const ti = await getTranslations('invitations');
  const inZone = (iso: string, zone: string) =>
    ti('whenInZone', {
      when: format.dateTime(new Date(iso), { dateStyle: 'medium', timeStyle: 'short', timeZone: zone }),
      zone,
    });
  const locale = await getLocale();
  const format = await getFormatter();
  const ts = await getTranslations('statements');
  const tstate = await getTranslations('statementStates');
  const tp = await getTranslations('publishing');
  const t = await getTranslations('dashboard');
  const tr = await getTranslations('roles');
  return (
    <div className="flex flex-col gap-6">
      <div className="flex flex-wrap items-end justify-between gap-3">
        <div>
          <h1 className="text-2xl font-bold">{t('title')}</h1>
          <p className="text-muted">{t('welcome', { email: me.email })}</p>
        </div>
        <Link href="/manage/orgs/new" className={buttonClass('primary')}>
          {t('createOrg')}
        </Link>
      </div>
      <div className="grid gap-4 md:grid-cols-2">
        <Card className="md:col-span-2">
          <h2 className="mb-3 text-lg font-semibold">{ti('waitingHeading')}</h2>
          {waiting.invitations.length === 0 && waiting.reviews.length === 0 ? (
            <EmptyState title={ti('waitingEmpty')} hint={ti('waitingEmptyHint')} />
          ) : (
            <div className="flex flex-col gap-4">
              {waiting.invitations.length > 0 ? (
                <section aria-labelledby="waiting-invitations">
                  <h3 id="waiting-invitations" className="mb-1 text-sm font-semibold text-muted uppercase">
                    {ti('waitingInvitations', { count: waiting.invitations.length })}
                  </h3>
                  <ul className="divide-y divide-line">
                    {waiting.invitations.map((w) => (
                      <li key={w.id} className="flex flex-col gap-2 py-3">
                        <div className="min-w-0">
                          <p className="font-semibold break-words">{w.title || ts('untitled')}</p>
                          <p className="text-sm text-muted">
                            {ti(w.kind === 'co_initiator' ? 'inviteToCoInitiate' : 'inviteToParticipate', {
                              inviters: w.inviters,
                            })}
                          </p>
                          <p className="text-sm">
                            {w.targetOrg ? ti('forOrganization', { org: w.targetOrg }) : ti('toYourAddress')}
                          </p>
                          <p className="text-sm">
                            {w.signBy
                              ? ti('answerByShort', { when: inZone(w.signBy, w.timeZone) })
                              : ti('expiresOn', { when: inZone(w.expiresAt, w.timeZone) })}
                          </p>
                        </div>
                        <div>
                          <WaitingInvitationActions
                            invitationId={w.id}
                            orgId={w.targetOrgId}
                            orgName={w.targetOrg}
                            title={w.title || ts('untitled')}
                          />
                        </div>
                      </li>
                    ))}
                  </ul>
                </section>
              ) : null}
              {waiting.reviews.length > 0 ? (
                <section aria-labelledby="waiting-reviews">
                  <h3 id="waiting-reviews" className="mb-1 text-sm font-semibold text-muted uppercase">
                    {ti('waitingReviews', { count: waiting.reviews.length })}
                  </h3>
                  <ul className="divide-y divide-line">
                    {waiting.reviews.map((r) => (
                      <li
                        key={r.statementId}
                        className="flex flex-wrap items-center justify-between gap-2 py-3"
                      >
                        <div className="min-w-0">
                          <Link
                            href={`/statements/${r.statementId}/review`}
                            className="font-semibold break-words text-accent hover:underline"
                          >
                            {r.title || ts('untitled')}
                          </Link>
                          <p className="text-sm text-muted">
                            {ti('reviewingAs', { org: r.orgName })} ·{' '}
                            {ti('openComments', { count: r.openComments })}
                          </p>
                          {r.signBy ? (
                            <p className="text-sm">
                              {ti('answerByShort', { when: inZone(r.signBy, r.timeZone) })}
                            </p>
                          ) : null}
                        </div>
                        <StateBadge state={r.state} />
                      </li>
                    ))}
                  </ul>
                </section>
              ) : null}
            </div>
          )}
        </Card>
        <Card>
          <h2 className="mb-3 text-lg font-semibold">{t('orgsHeading')}</h2>
          {orgs.length === 0 ? (
            <EmptyState title={t('orgsEmpty')} hint={t('orgsEmptyHint')} />
          ) : (
            <ul className="divide-y divide-line">
              {orgs.map((o) => (
                <li key={o.id} className="flex items-center gap-3 py-2">
                  <OrgLogo fileId={o.logoFileId} name={o.name} size={40} />
                  <div className="min-w-0">
                    <Link
                      href={`/manage/orgs/${o.slug}`}
                      className="font-semibold text-accent hover:underline"
                    >
                      {o.name}
                    </Link>
                    <p className="flex flex-wrap items-center gap-2 text-sm text-muted">
                      <span>{tr(o.role)}</span>
                      <VerifiedBadge verified={o.verified} locale={locale} />
                    </p>
                  </div>
                </li>
              ))}
            </ul>
          )}
        </Card>
        <Card>
          <h2 className="mb-3 text-lg font-semibold">{t('invitationsHeading')}</h2>
          {invitations.length === 0 ? (
            <EmptyState title={t('invitationsEmpty')} />
          ) : (
            <PendingMemberInvitations
              invitations={invitations.map((i) => ({
                ...i,
                expiresLabel: format.dateTime(i.expiresAt, { dateStyle: 'medium' }),
              }))}
            />
          )}
        </Card>
        <Card className="md:col-span-2">
          <div className="mb-3 flex flex-wrap items-center justify-between gap-2">
            <h2 className="text-lg font-semibold">{t('statementsHeading')}</h2>
            {orgs.length > 0 ? (
              <Link href="/statements/new" className={buttonClass('primary')}>
                {ts('newTitle')}
              </Link>
            ) : null}
          </div>
          {statements.length === 0 ? (
            <EmptyState title={t('statementsEmpty')} hint={orgs.length > 0 ? ts('emptyHint') : undefined} />
          ) : (
            <div className="flex flex-col gap-4">
              {STATEMENT_STATES.filter((st) => statements.some((s) => s.state === st)).map((st) => (
                <section key={st} aria-labelledby={`state-${st}`}>
                  <h3 id={`state-${st}`} className="mb-1 text-sm font-semibold text-muted uppercase">
                    {tstate(st)} ({statements.filter((s) => s.state === st).length})
                  </h3>
                  <ul className="divide-y divide-line">
                    {statements
                      .filter((s) => s.state === st)
                      .map((s) => (
                        <li key={s.id} className="flex flex-wrap items-center justify-between gap-2 py-2">
                          <div className="min-w-0">
                            <Link
                              href={`/statements/${s.id}`}
                              className="font-semibold text-accent hover:underline"
                              lang={s.primaryLang}
                            >
                              {s.title || ts('untitled')}
                            </Link>
                            <p className="text-sm text-muted">
                              {s.orgName} · {s.languages.map((l) => languageName(l, locale)).join(', ')}
                            </p>
                          </div>
                          <div className="flex flex-wrap items-center gap-2 text-sm text-muted">
                            {counts[s.id] && counts[s.id]!.total + counts[s.id]!.revoked > 0 ? (
                              <Link
                                href={`/statements/${s.id}/invitations`}
                                className="rounded hover:bg-stone-100"
                              >
                                <InvitationProgress
                                  compact
                                  accepted={counts[s.id]!.accepted}
                                  total={counts[s.id]!.total}
                                  label={ti('progressLabel')}
                                  valueText={ti('progressText', {
                                    accepted: counts[s.id]!.accepted,
                                    total: counts[s.id]!.total,
                                  })}
                                />
                              </Link>
                            ) : null}
                            <StateBadge state={s.state} />
                            {s.publicSlug ? (
                              <Link
                                href={`/${locale}/s/${s.publicSlug}`}
                                className="text-accent hover:underline"
                                data-testid="dashboard-public-link"
                              >
                                {tp('viewPublic')}
                              </Link>
                            ) : null}
                            <span>
                              {ts('editedBy', {
                                when: format.dateTime(s.lastEditedAt, {
                                  dateStyle: 'medium',
                                  timeStyle: 'short',
                                }),
                                who: s.editor ?? '—',
                              })}
                            </span>
                          </div>
                        </li>
                      ))}
                  </ul>
                </section>
              ))}
            </div>
          )}
        </Card>
      </div>
    </div>
  );
}
