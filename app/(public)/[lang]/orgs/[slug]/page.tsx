import { getTranslations, setRequestLocale } from 'next-intl/server';
import { notFound } from 'next/navigation';
import { OrgLogo } from '@/components/orgs/org-logo';
import { VerifiedBadge } from '@/components/orgs/verified-badge';
import { ArchiveList } from '@/components/public/archive-list';
import { EmptyState } from '@/components/ui/card';
import { getDb } from '@/db';
import { orgStatements } from '@/lib/archive';
import { feedAlternates, feedPath } from '@/lib/feeds';
import { isLocale, LOCALES } from '@/lib/i18n';
import { displayName, publicOrganization } from '@/lib/public-data';

// Rendered on first request and cached (no database at build time); refreshed when the profile changes on
// this instance, and at most every minute elsewhere.
export const revalidate = 60;
export function generateStaticParams() {
  return [];
}

export async function generateMetadata({ params }: { params: Promise<{ lang: string; slug: string }> }) {
  const { lang, slug } = await params;
  const org = isLocale(lang) ? await publicOrganization(slug) : null;
  if (!org) return {};
  return {
    title: displayName(org, lang),
    description: org.description?.slice(0, 200) ?? undefined,
    alternates: {
      languages: Object.fromEntries(LOCALES.map((l) => [l, `/${l}/orgs/${slug}`])),
      // The statements it initiated or signed, as a feed (and the feed of every statement).
      types: feedAlternates(lang, [{ scope: { kind: 'org', slug }, orgName: displayName(org, lang) }]),
    },
  };
}

export default async function PublicOrgPage({ params }: { params: Promise<{ lang: string; slug: string }> }) {
  const { lang, slug } = await params;
  if (!isLocale(lang)) notFound();
  setRequestLocale(lang);
  const org = await publicOrganization(slug);
  if (!org) notFound();
  const [t, ta, statements] = await Promise.all([
    getTranslations({ locale: lang, namespace: 'orgPage' }),
    getTranslations({ locale: lang, namespace: 'archive' }),
    orgStatements(getDb(), org.id, lang),
  ]);
  const name = displayName(org, lang);
  const otherNames = Object.entries(org.names).filter(([l, v]) => l !== lang && v && v !== name);
  // The name as registered, when the page shows a translation and no other entry repeats it.
  if (org.name !== name && !otherNames.some(([, v]) => v === org.name)) otherNames.unshift(['', org.name]);
  return (
    <article className="flex flex-col gap-6">
      <header className="flex flex-col gap-4 sm:flex-row sm:items-center">
        <OrgLogo fileId={org.logoFileId} name={name} size={80} />
        <div className="flex flex-col gap-1">
          <h1 className="text-2xl font-bold sm:text-3xl">{name}</h1>
          {otherNames.map(([l, v]) => (
            <p key={l} lang={l || undefined} className="text-muted">
              {v}
            </p>
          ))}
          <div className="flex flex-wrap items-center gap-2">
            <VerifiedBadge verified={org.verified} locale={lang} />
            {org.verified ? <span className="text-sm text-muted">{org.verificationMethod === 'operator' ? t('verifiedByOperator') : t('verifiedByDomain')}</span> : <span className="text-sm text-muted">{t('unverifiedHint')}</span>}
          </div>
        </div>
      </header>
      <dl className="grid gap-x-6 gap-y-2 sm:grid-cols-[auto_1fr]">
        {org.city || org.country ? (
          <>
            <dt className="font-semibold">{t('location')}</dt>
            <dd>{[org.city, org.country].filter(Boolean).join(', ')}</dd>
          </>
        ) : null}
        {org.website ? (
          <>
            <dt className="font-semibold">{t('website')}</dt>
            <dd>
              <a href={org.website} rel="noopener noreferrer nofollow" className="break-all text-accent underline">
                {org.website}
              </a>
            </dd>
          </>
        ) : null}
      </dl>
      {org.description ? <p className="max-w-3xl whitespace-pre-line">{org.description}</p> : null}
      <section aria-labelledby="statements-heading" className="flex flex-col gap-4">
        <h2 id="statements-heading" className="text-xl font-semibold">
          {t('statementsHeading')}
        </h2>
        <p className="text-sm" data-testid="feed-links">
          {t('feeds')}{' '}
          <a href={feedPath({ kind: 'org', slug }, 'rss')} className="text-accent underline underline-offset-4">
            {t('rss')}
          </a>
          {' · '}
          <a href={feedPath({ kind: 'org', slug }, 'atom')} className="text-accent underline underline-offset-4">
            {t('atom')}
          </a>
        </p>
        <section aria-labelledby="initiated-heading" className="flex flex-col gap-3">
          <h3 id="initiated-heading" className="text-lg font-semibold">
            {ta('orgInitiated')}
          </h3>
          {statements.initiated.length > 0 ? <ArchiveList items={statements.initiated} lang={lang} headingLevel={4} /> : <EmptyState title={ta('orgInitiatedEmpty')} />}
        </section>
        <section aria-labelledby="signed-heading" className="flex flex-col gap-3">
          <h3 id="signed-heading" className="text-lg font-semibold">
            {ta('orgSigned')}
          </h3>
          {statements.signed.length > 0 ? <ArchiveList items={statements.signed} lang={lang} headingLevel={4} /> : <EmptyState title={ta('orgSignedEmpty')} />}
        </section>
      </section>
    </article>
  );
}
