import { getFormatter, getTranslations } from 'next-intl/server';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { Card, EmptyState } from '@/components/ui/card';
import { linksIn, listDevMailbox } from '@/lib/dev-mailbox';
import { getCtx } from '@/lib/session';

export async function generateMetadata() {
  const t = await getTranslations('mailbox');
  return { title: t('title'), referrer: 'no-referrer' as const, robots: { index: false } };
}

export default async function DevMailboxPage({ searchParams }: { searchParams: Promise<{ to?: string | string[] }> }) {
  const ctx = await getCtx();
  const raw = (await searchParams).to;
  // One address at most; anything longer than an address can be is not one (and matches nothing anyway).
  const to = typeof raw === 'string' ? raw.slice(0, 320) : undefined;
  const listed = await listDevMailbox(ctx.db, { to });
  if (!listed) notFound();
  const { messages, total } = listed;
  const t = await getTranslations('mailbox');
  const format = await getFormatter();
  return (
    <div className="flex flex-col gap-4">
      <div className="flex flex-wrap items-baseline justify-between gap-2">
        <h1 className="text-2xl font-bold">{t('title')}</h1>
        <Link href="/dev/mailbox" className="text-sm font-semibold text-accent underline">
          {t('refresh')}
        </Link>
      </div>
      <p className="text-muted">{t('lead')}</p>
      <form method="get" action="/dev/mailbox" className="flex flex-wrap items-end gap-2" role="search">
        <label className="flex min-w-0 flex-1 flex-col gap-1 text-sm font-semibold">
          {t('filterLabel')}
          <input
            type="search"
            name="to"
            defaultValue={listed.to ?? ''}
            autoComplete="off"
            placeholder="name@example.org"
            className="min-h-11 rounded border border-line bg-white px-3 font-normal"
          />
        </label>
        <button type="submit" className="min-h-11 rounded bg-accent px-4 text-sm font-semibold text-white">
          {t('filter')}
        </button>
        {listed.to ? (
          <Link href="/dev/mailbox" className="min-h-11 content-center text-sm font-semibold text-accent underline">
            {t('showAll')}
          </Link>
        ) : null}
      </form>
      <p className="text-sm text-muted" data-testid="mail-total" data-total={total}>
        {listed.to
          ? t('countTo', { total, to: listed.to })
          : t('count', { total })}
        {messages.length < total ? ` ${t('newest', { shown: messages.length })}` : null}
      </p>
      {messages.length === 0 ? <EmptyState title={listed.to ? t('emptyTo', { to: listed.to }) : t('empty')} /> : null}
      <ol className="flex flex-col gap-4">
        {messages.map((m) => (
          <li key={m.id}>
            <Card>
              <dl className="grid grid-cols-[auto_1fr] gap-x-3 gap-y-1 text-sm">
                <dt className="font-semibold">{t('to')}</dt>
                <dd data-testid="mail-to">{m.toEmail}</dd>
                <dt className="font-semibold">{t('subject')}</dt>
                <dd>{m.subject}</dd>
                <dt className="font-semibold">{t('received')}</dt>
                <dd>{format.dateTime(m.createdAt, { dateStyle: 'medium', timeStyle: 'long' })}</dd>
              </dl>
              <h2 className="mt-3 text-sm font-semibold">{t('links')}</h2>
              <ul className="mb-3">
                {linksIn(m.text).map((href) => (
                  <li key={href} className="break-all">
                    <a href={href} className="text-accent underline">
                      {href}
                    </a>
                  </li>
                ))}
              </ul>
              {/* The message HTML is untrusted: shown in a frame with every sandbox restriction on. */}
              <iframe title={t('preview')} sandbox="" srcDoc={m.html} className="h-72 w-full rounded border border-line bg-white" />
            </Card>
          </li>
        ))}
      </ol>
    </div>
  );
}
