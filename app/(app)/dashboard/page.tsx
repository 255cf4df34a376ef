import Link from 'next/link';
import { getFormatter, getLocale, getTranslations } from 'next-intl/server';
import { redirect } from 'next/navigation';
import { PendingMemberInvitations } from '@/components/invitations/pending-member-invitations';
import { OrgLogo } from '@/components/orgs/org-logo';
import { VerifiedBadge } from '@/components/orgs/verified-badge';
import { buttonClass } from '@/components/ui/button';
import { Card, EmptyState } from '@/components/ui/card';
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
  const [me, orgs, invitations, statements] = await Promise.all([
    getOwnAccount(ctx),
    listMyOrganizations(ctx),
    listMyPendingMemberInvitations(ctx),
    listMyStatements(ctx),
  ]);
  const ts = await getTranslations('statements');
  const tstate = await getTranslations('statementStates');
  const t = await getTranslations('dashboard');
  const tr = await getTranslations('roles');
  const locale = await getLocale();
  const format = await getFormatter();
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
                          <div className="flex items-center gap-2 text-sm text-muted">
                            <StateBadge state={s.state} />
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
