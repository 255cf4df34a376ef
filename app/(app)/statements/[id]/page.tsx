import Link from 'next/link';
import { notFound, redirect } from 'next/navigation';
import { getFormatter, getLocale, getTranslations } from 'next-intl/server';
import { InvitationProgress } from '@/components/invitations/invitation-progress';
import { AddTranslationForm, StatementDetailsForm } from '@/components/statements/statement-forms';
import { StatementHeader } from '@/components/statements/statement-header';
import { buttonClass } from '@/components/ui/button';
import { Card } from '@/components/ui/card';
import { isAppError } from '@/lib/errors';
import { invitationCountsFor, listStatementOrganizations } from '@/lib/invitations';
import { languageName, languageOptions, timeZoneOptions } from '@/lib/languages';
import { getCtx } from '@/lib/session';
import { getStatementOverview } from '@/lib/statements';
import { listVersions } from '@/lib/signing';
import { FreezePanel, ReopenButton } from '@/components/signing/signing-forms';
import { isOrgAdmin } from '@/lib/permissions';
import { ManagePublication, PublishPanel } from '@/components/publishing/publish-forms';
import { getPublishDialog, publicationOf, todayIn } from '@/lib/publishing';

type Props = { params: Promise<{ id: string }> };

async function load(id: string) {
  const ctx = await getCtx();
  if (!ctx.actor) redirect(`/sign-in?next=/statements/${encodeURIComponent(id)}`);
  try {
    return await getStatementOverview(ctx, id);
  } catch (e) {
    if (isAppError(e) && e.code === 'NOT_FOUND') notFound();
    // Participant members read the draft and comment on the review page; these pages are the initiators'.
    if (isAppError(e) && e.code === 'FORBIDDEN') redirect(`/statements/${encodeURIComponent(id)}/review`);
    throw e;
  }
}

export async function generateMetadata() {
  const t = await getTranslations('statements');
  return { title: t('overviewTitle') };
}

export default async function StatementOverviewPage({ params }: Props) {
  const { id } = await params;
  const o = await load(id);
  const ctx = await getCtx();
  const [t, ti, tg, tp, tst, locale, format, orgs, counts, versions, publication] = await Promise.all([
    getTranslations('statements'),
    getTranslations('invitations'),
    getTranslations('signing'),
    getTranslations('publishing'),
    getTranslations('statementStates'),
    getLocale(),
    getFormatter(),
    listStatementOrganizations(ctx, id),
    invitationCountsFor(ctx, [id]),
    listVersions(ctx.db, id),
    publicationOf(ctx.db, id),
  ]);
  const admin = isOrgAdmin(o.role);
  const state = o.statement.state;
  const dialog = admin && state === 'open' ? await getPublishDialog(ctx, id) : null;
  const published = state === 'published' || state === 'closed' || state === 'withdrawn';
  const publicPath = publication ? `/${locale}/s/${publication.slug}` : '';
  const c = counts[id];
  const primary = o.texts.find((x) => x.isPrimary);
  const existing = o.texts.map((x) => x.lang);
  return (
    <div className="flex flex-col gap-6">
      <StatementHeader
        id={id}
        title={primary?.title ?? ''}
        state={o.statement.state}
        initiators={o.initiators}
        current="overview"
        primaryLang={o.statement.primaryLang}
        version={o.statement.currentVersion}
      />
      {published && publication ? (
        <Card>
          <h2 className="mb-3 text-lg font-semibold">{tp('heading')}</h2>
          <p className="mb-1">
            {tp('publishedAt', { date: format.dateTime(publication.publishedAt, { dateStyle: 'long', timeStyle: 'short', timeZone: o.statement.timeZone }) })}{' '}
            <a href={publicPath} className="font-semibold break-all text-accent hover:underline" data-testid="public-link">
              {publicPath}
            </a>
          </p>
          <p className="mb-1 text-sm text-muted">{tp('stateLine', { state: tst(state) })}</p>
          {state === 'published' ? (
            <p className="mb-1 text-sm" data-testid="joining-state" data-joining={publication.joiningOpen ? 'open' : 'closed'}>
              {publication.joinUntil && publication.joiningOpen
                ? tp('joiningOpenUntil', { date: format.dateTime(publication.joinUntil, { dateStyle: 'long', timeStyle: 'short', timeZone: o.statement.timeZone }) })
                : tp('joiningClosed')}{' '}
              <Link href={`/statements/${id}/joins`} className="text-accent hover:underline">
                {tp('joinRequests')}
              </Link>
            </p>
          ) : null}
          {publication.corrections.length > 0 ? (
            <ul className="mt-2 flex flex-col gap-1 text-sm" data-testid="corrections">
              {publication.corrections.map((c) => (
                <li key={c.id}>
                  <span className="text-muted">{format.dateTime(c.at, { dateStyle: 'medium' })}:</span> <span lang={c.lang}>{c.body}</span>
                </li>
              ))}
            </ul>
          ) : null}
          {admin ? (
            <div className="mt-4">
              <ManagePublication
                statementId={id}
                state={state as 'published' | 'closed' | 'withdrawn'}
                joinUntil={publication.joinUntil?.toISOString() ?? null}
                langs={publication.langs}
                primaryLang={o.statement.primaryLang}
                languageNames={Object.fromEntries(publication.langs.map((l) => [l, languageName(l, locale)]))}
              />
            </div>
          ) : null}
        </Card>
      ) : null}
      <Card>
        <h2 className="mb-3 text-lg font-semibold">{tg('signingHeading')}</h2>
        {state === 'open' ? (
          <p className="mb-3">
            {tg('openForSignature', { version: o.statement.currentVersion ?? 0 })}{' '}
            <Link href={`/statements/${id}/sign`} className="font-semibold text-accent hover:underline">
              {tg('goSign')}
            </Link>{' '}
            ·{' '}
            <Link href={`/statements/${id}/signatures`} className="font-semibold text-accent hover:underline">
              {tg('goBoard')}
            </Link>
          </p>
        ) : state === 'reopened' ? (
          <p className="mb-3">{tg('reopenedOverview', { version: o.statement.currentVersion ?? 0 })}</p>
        ) : state === 'draft' ? (
          <p className="mb-3 text-muted">{tg('draftOverview')}</p>
        ) : null}
        {admin && (state === 'draft' || state === 'reopened') ? (
          <FreezePanel
            statementId={id}
            nextVersion={(o.statement.currentVersion ?? 0) + 1}
            languages={o.texts.map((x) => ({ lang: x.lang, name: languageName(x.lang, locale), isPrimary: x.isPrimary, outOfDate: x.outOfDate }))}
          />
        ) : null}
        {admin && state === 'open' ? <ReopenButton statementId={id} version={o.statement.currentVersion ?? 0} /> : null}
        {dialog ? (
          <PublishPanel
            statementId={id}
            version={dialog.version ?? 0}
            suggestedSlug={dialog.suggestedSlug}
            today={todayIn(o.statement.timeZone)}
            initiatorsMissing={dialog.initiatorsMissing}
            awaitingReconfirmation={dialog.awaitingReconfirmation}
            listed={dialog.listed}
          />
        ) : null}
        {!admin && (state === 'draft' || state === 'reopened') ? <p className="text-sm text-muted">{tg('onlyAdminsFreeze')}</p> : null}
        {versions.length > 0 ? (
          <div className="mt-4 border-t border-line pt-3">
            <h3 className="mb-2 text-sm font-semibold text-muted uppercase">{tg('versionsHeading')}</h3>
            <ul className="flex flex-col gap-2" data-testid="versions">
              {versions.map((v) => (
                <li key={v.number} className="text-sm">
                  <span className="font-semibold">{tg('versionLabel', { version: v.number })}</span> ·{' '}
                  {format.dateTime(v.frozenAt, { dateStyle: 'medium', timeStyle: 'short' })} ·{' '}
                  <a className="text-accent underline" href={`/api/statements/${id}/versions/${v.number}`}>
                    {tg('canonicalShort')}
                  </a>
                  <code className="block font-mono text-xs break-all text-muted">{v.contentSha256}</code>
                </li>
              ))}
            </ul>
          </div>
        ) : null}
      </Card>
      <Card>
        <h2 className="mb-3 text-lg font-semibold">{ti('organizationsHeading')}</h2>
        <div className="grid gap-4 sm:grid-cols-2">
          <section aria-labelledby="initiators-heading">
            <h3 id="initiators-heading" className="mb-1 text-sm font-semibold text-muted uppercase">
              {ti('initiatorsHeading', { count: orgs.initiators.length })}
            </h3>
            <ul className="flex flex-col gap-1">
              {orgs.initiators.map((x) => (
                <li key={x.id} className="break-words">
                  <Link href={`/${locale}/orgs/${x.slug}`} className="text-accent hover:underline">
                    {x.name}
                  </Link>{' '}
                  <span className="text-sm text-muted">
                    {x.role === 'primary'
                      ? ti('primaryInitiator')
                      : ti('coInitiatorSince', { date: format.dateTime(x.since, { dateStyle: 'medium' }) })}
                  </span>
                </li>
              ))}
            </ul>
          </section>
          <section aria-labelledby="participants-heading">
            <h3 id="participants-heading" className="mb-1 text-sm font-semibold text-muted uppercase">
              {ti('participantsHeading', { count: orgs.participants.length })}
            </h3>
            {orgs.participants.length === 0 ? (
              <p className="text-sm text-muted">{ti('noParticipants')}</p>
            ) : (
              <ul className="flex flex-col gap-1">
                {orgs.participants.map((x) => (
                  <li key={x.id} className="break-words">
                    <Link href={`/${locale}/orgs/${x.slug}`} className="text-accent hover:underline">
                      {x.name}
                    </Link>{' '}
                    <span className="text-sm text-muted">
                      {ti('joinedOn', { date: format.dateTime(x.since, { dateStyle: 'medium' }) })}
                    </span>
                  </li>
                ))}
              </ul>
            )}
          </section>
        </div>
        <div className="mt-4 flex flex-col gap-3 border-t border-line pt-4 sm:flex-row sm:items-end sm:justify-between">
          <div className="min-w-0 flex-1">
            {c && c.total + c.revoked > 0 ? (
              <InvitationProgress
                accepted={c.accepted}
                total={c.total}
                label={ti('progressLabel')}
                valueText={ti('progressText', { accepted: c.accepted, total: c.total })}
              />
            ) : (
              <p className="text-sm text-muted">{ti('noInvitationsYet')}</p>
            )}
          </div>
          <Link href={`/statements/${id}/invitations`} className={buttonClass('secondary')}>
            {ti('openBoard')}
          </Link>
        </div>
      </Card>
      <Card>
        <h2 className="mb-3 text-lg font-semibold">{t('languagesHeading')}</h2>
        <ul className="divide-y divide-line">
          {o.texts.map((x) => (
            <li key={x.lang} className="flex flex-wrap items-center justify-between gap-3 py-3">
              <div className="min-w-0">
                <p className="font-semibold">
                  {languageName(x.lang, locale)}{' '}
                  {x.isPrimary ? (
                    <span className="ml-1 rounded bg-accent-soft px-2 py-0.5 text-xs text-accent">
                      {t('primary')}
                    </span>
                  ) : x.outOfDate ? (
                    <span
                      className="ml-1 rounded bg-amber-100 px-2 py-0.5 text-xs text-amber-900"
                      data-testid={`out-of-date-${x.lang}`}
                    >
                      {t('outOfDate')}
                    </span>
                  ) : (
                    <span className="ml-1 rounded bg-green-100 px-2 py-0.5 text-xs text-ok">
                      {t('upToDate')}
                    </span>
                  )}
                </p>
                <p className="truncate" lang={x.lang}>
                  {x.title || <span className="text-muted">{t('untitled')}</span>}
                </p>
                <p className="text-sm text-muted">
                  {x.version === 0
                    ? t('neverSaved')
                    : t('lastEdited', {
                        version: x.version,
                        when: format.dateTime(x.updatedAt, { dateStyle: 'medium', timeStyle: 'short' }),
                        who: x.updatedByName ?? '—',
                      })}
                </p>
              </div>
              <div className="flex gap-2">
                <Link
                  href={`/statements/${id}/edit/${x.lang}`}
                  className={buttonClass(o.canEdit ? 'primary' : 'secondary')}
                >
                  {o.canEdit ? t('edit') : t('read')}
                  <span className="sr-only"> {languageName(x.lang, locale)}</span>
                </Link>
                <Link href={`/statements/${id}/history/${x.lang}`} className={buttonClass('secondary')}>
                  {t('history')}
                  <span className="sr-only"> {languageName(x.lang, locale)}</span>
                </Link>
              </div>
            </li>
          ))}
        </ul>
        {o.canEdit ? (
          <div className="mt-4 border-t border-line pt-4">
            <h3 className="mb-2 font-semibold">{t('addTranslationHeading')}</h3>
            <AddTranslationForm statementId={id} languages={languageOptions(locale, existing)} />
          </div>
        ) : null}
      </Card>
      <Card>
        <h2 className="mb-3 text-lg font-semibold">{t('detailsHeading')}</h2>
        {o.canEdit ? (
          <StatementDetailsForm
            statementId={id}
            summary={o.statement.summary}
            timeZone={o.statement.timeZone}
            timeZones={timeZoneOptions()}
          />
        ) : (
          <dl className="grid gap-2 text-sm">
            <dt className="font-semibold">{t('fieldSummary')}</dt>
            <dd>{o.statement.summary ?? '—'}</dd>
            <dt className="font-semibold">{t('fieldTimeZone')}</dt>
            <dd>{o.statement.timeZone}</dd>
          </dl>
        )}
      </Card>
    </div>
  );
}
