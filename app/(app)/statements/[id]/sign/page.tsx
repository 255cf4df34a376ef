import Link from 'next/link';
import { notFound, redirect } from 'next/navigation';
import { getFormatter, getLocale, getTranslations } from 'next-intl/server';
import { SignOrgPanel, type VersionDiff } from '@/components/signing/sign-org-panel';
import { VersionText } from '@/components/signing/version-text';
import { StatementHeader } from '@/components/statements/statement-header';
import { Card, EmptyState } from '@/components/ui/card';
import { diffDocs, renderDiffHtml } from '@/lib/editor/diff';
import { isAppError } from '@/lib/errors';
import { languageName } from '@/lib/languages';
import { primaryTitle as primaryTitleOf } from '@/lib/invitations';
import { getCtx } from '@/lib/session';
import { getSigningPage, getVersion } from '@/lib/signing';

type Props = { params: Promise<{ id: string }>; searchParams: Promise<{ lang?: string | string[] }> };

export async function generateMetadata() {
  const t = await getTranslations('signPage');
  return { title: t('signTitle') };
}

/** Readers of the statement sign the current frozen version for their organizations, re-confirm, withdraw. */
export default async function SignPage({ params, searchParams }: Props) {
  const { id } = await params;
  const sp = await searchParams;
  const ctx = await getCtx();
  if (!ctx.actor) redirect(`/sign-in?next=${encodeURIComponent(`/statements/${id}/sign`)}`);
  let data: Awaited<ReturnType<typeof getSigningPage>>;
  try {
    data = await getSigningPage(ctx, id);
  } catch (e) {
    if (isAppError(e) && e.code === 'NOT_FOUND') notFound();
    throw e;
  }
  const [t, locale, format] = await Promise.all([getTranslations('signPage'), getLocale(), getFormatter()]);
  const { statement, version } = data;
  const open = statement.state === 'open' && version !== null;
  const primaryTitle = version?.doc.texts[statement.primaryLang]?.title ?? '';
  const initiators: { name: string; role: 'primary' | 'co' }[] = [];

  // Needs re-confirmation: what changed between the version each organization signed and the current one.
  const diffsFor = new Map<number, VersionDiff[]>();
  if (open) {
    for (const o of data.orgs) {
      const old = o.signedVersion;
      if (o.status !== 'needs_reconfirmation' || !old || diffsFor.has(old)) continue;
      try {
        const prev = await getVersion(ctx, id, old);
        diffsFor.set(
          old,
          Object.entries(version.doc.texts).map(([lang, cur]) => {
            const before = prev.doc.texts[lang];
            const empty = { type: 'doc', content: [] } as unknown as typeof cur.body;
            return {
              lang,
              language: languageName(lang, locale),
              titleA: before?.title ?? '',
              titleB: cur.title,
              html: renderDiffHtml(diffDocs(before?.body ?? empty, cur.body)),
            };
          }),
        );
      } catch (e) {
        if (!(isAppError(e) && e.code === 'NOT_FOUND')) throw e;
      }
    }
  }

  return (
    <div className="flex flex-col gap-4">
      <StatementHeader
        id={id}
        title={primaryTitle || (await primaryTitleOf(ctx.db, id))}
        state={statement.state}
        version={statement.currentVersion}
        initiators={initiators}
        current="sign"
        primaryLang={statement.primaryLang}
        access={data.access.kind}
      />
      {!open ? (
        <Card>
          <EmptyState
            title={statement.state === 'reopened' ? t('reopenedTitle') : statement.state === 'draft' ? t('notFrozenTitle') : t('notOpenTitle')}
            hint={
              statement.state === 'reopened'
                ? t('reopenedHint', { version: statement.currentVersion ?? 0 })
                : statement.state === 'draft'
                  ? t('notFrozenHint')
                  : t('notOpenHint')
            }
          />
          <p className="mt-3 text-sm">
            <Link href={`/statements/${id}/signatures`} className="text-accent underline">
              {t('toBoard')}
            </Link>
          </p>
        </Card>
      ) : (
        <>
          <Card>
            <h2 className="mb-3 text-lg font-semibold">{t('yourOrganizations')}</h2>
            {data.orgs.length === 0 ? (
              <EmptyState title={t('noSignerOrgs')} hint={t('noSignerOrgsHint')} />
            ) : (
              <div className="flex flex-col gap-4">
                {data.orgs.map((o) => (
                  <SignOrgPanel
                    key={o.orgId}
                    statementId={id}
                    version={version.number}
                    contentSha256={version.contentSha256}
                    timeZone={statement.timeZone}
                    personalName={data.personalName}
                    diffs={o.status === 'needs_reconfirmation' && o.signedVersion ? (diffsFor.get(o.signedVersion) ?? []) : []}
                    org={{
                      orgId: o.orgId,
                      name: o.name,
                      canSign: o.canSign,
                      status: o.status,
                      signedVersion: o.signedVersion,
                      signedAt: o.signedAt?.toISOString() ?? null,
                      bindingId: o.bindingId,
                      memberTitle: o.memberTitle,
                      withdrawnReason: o.withdrawnReason,
                    }}
                  />
                ))}
              </div>
            )}
          </Card>
          <VersionText
            statementId={id}
            basePath={`/statements/${id}/sign`}
            version={version.number}
            contentSha256={version.contentSha256}
            frozenAt={format.dateTime(version.frozenAt, { dateStyle: 'medium', timeStyle: 'short', timeZone: statement.timeZone })}
            texts={version.doc.texts}
            primaryLang={statement.primaryLang}
            lang={typeof sp.lang === 'string' ? sp.lang : null}
          />
        </>
      )}
    </div>
  );
}
