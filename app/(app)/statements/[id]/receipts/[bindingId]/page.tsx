import Link from 'next/link';
import { notFound, redirect } from 'next/navigation';
import { getFormatter, getTranslations } from 'next-intl/server';
import { Card } from '@/components/ui/card';
import { isAppError } from '@/lib/errors';
import { getCtx } from '@/lib/session';
import { getReceipt } from '@/lib/signing';

type Props = { params: Promise<{ id: string; bindingId: string }> };

export async function generateMetadata() {
  const t = await getTranslations('signing');
  return { title: t('receiptTitle') };
}

/** The receipt of one signature binding: what was signed (version, hash), for whom, when. No e-mail, no user id. */
export default async function ReceiptPage({ params }: Props) {
  const { id, bindingId } = await params;
  const ctx = await getCtx();
  if (!ctx.actor) redirect(`/sign-in?next=/statements/${encodeURIComponent(id)}/receipts/${encodeURIComponent(bindingId)}`);
  let r;
  try {
    r = await getReceipt(ctx, id, bindingId);
  } catch (e) {
    if (isAppError(e) && e.code === 'NOT_FOUND') notFound();
    throw e;
  }
  const [t, format] = await Promise.all([getTranslations('signing'), getFormatter()]);
  const { receipt } = r;
  const signedAt = format.dateTime(receipt.signedAt, { dateStyle: 'long', timeStyle: 'medium', timeZone: r.timeZone });
  return (
    <div className="mx-auto flex max-w-2xl flex-col gap-4">
      <nav aria-label={t('breadcrumb')} className="text-sm print:hidden">
        <Link href={`/statements/${id}/sign`} className="text-accent hover:underline">
          {t('backToSigning')}
        </Link>
      </nav>
      <Card>
        <div data-testid="receipt" className="flex flex-col gap-4">
          <div>
            <p className="text-sm font-semibold tracking-wide text-muted uppercase">{t('receiptKicker')}</p>
            <h1 className="text-2xl font-bold break-words">{t('receiptHeading', { org: receipt.organization })}</h1>
          </div>
          <dl className="grid gap-x-4 gap-y-2 sm:grid-cols-[12rem_1fr]">
            <dt className="font-semibold">{t('receiptStatement')}</dt>
            <dd className="break-words">{r.title}</dd>
            <dt className="font-semibold">{t('receiptOrganization')}</dt>
            <dd className="break-words">{receipt.organization}</dd>
            {receipt.title ? (
              <>
                <dt className="font-semibold">{t('receiptSignerTitle')}</dt>
                <dd className="break-words">{receipt.title}</dd>
              </>
            ) : null}
            {receipt.personName ? (
              <>
                <dt className="font-semibold">{t('receiptPersonName')}</dt>
                <dd className="break-words">{receipt.personName}</dd>
              </>
            ) : null}
            <dt className="font-semibold">{t('receiptVersion')}</dt>
            <dd data-testid="receipt-version">{receipt.version}</dd>
            <dt className="font-semibold">{t('receiptHash')}</dt>
            <dd>
              <code className="font-mono text-sm break-all" data-testid="receipt-hash">
                {receipt.contentSha256}
              </code>
            </dd>
            <dt className="font-semibold">{t('receiptTime')}</dt>
            <dd>
              {signedAt} <span className="text-muted">({r.timeZone})</span>
            </dd>
            <dt className="font-semibold">{t('receiptId')}</dt>
            <dd>
              <code className="font-mono text-xs break-all">{receipt.id}</code>
            </dd>
          </dl>
          <p className="text-sm text-muted">{t('receiptExplain')}</p>
          <p className="text-sm print:hidden">
            <a className="text-accent hover:underline" href={`/api/statements/${id}/versions/${receipt.version}`}>
              {t('canonicalLink')}
            </a>
          </p>
        </div>
      </Card>
    </div>
  );
}
