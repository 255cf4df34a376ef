'use client';
// One of the actor's organizations on the sign page: its status and the one form that fits it — sign (or decline
// to sign), re-confirm after a new version (or decline, which withdraws), withdraw, reinstate. Every signing call
// carries the version and hash the page showed, so a page left open across a new freeze is refused clearly.
import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useFormatter, useTranslations } from 'next-intl';
import { useId, useState, useTransition, type ReactNode } from 'react';
import {
  declineToSignAction,
  signStatementAction,
  withdrawSignatureAction,
} from '@/app/_actions/signing';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { Field } from '@/components/ui/field';
import { TextArea } from '@/components/ui/textarea';

export type SignOrgView = {
  orgId: string;
  name: string;
  canSign: boolean;
  status: 'signed' | 'needs_reconfirmation' | 'withdrawn' | 'declined' | 'unsigned';
  signedVersion: number | null;
  signedAt: string | null;
  bindingId: string | null;
  memberTitle: string | null;
  withdrawnReason: string | null;
};

export type VersionDiff = { lang: string; language: string; html: string; titleA: string; titleB: string };

export const STATUS_STYLE: Record<SignOrgView['status'], string> = {
  signed: 'bg-green-100 text-ok',
  needs_reconfirmation: 'bg-amber-100 text-amber-900',
  withdrawn: 'bg-rose-100 text-danger',
  declined: 'bg-stone-200 text-ink',
  unsigned: 'bg-stone-100 text-muted',
};

export function SignOrgPanel({
  statementId,
  version,
  contentSha256,
  timeZone,
  org,
  personalName,
  diffs,
}: {
  statementId: string;
  version: number;
  contentSha256: string;
  timeZone: string;
  org: SignOrgView;
  personalName: string | null;
  diffs: VersionDiff[];
}) {
  const t = useTranslations();
  const ts = useTranslations('signPage');
  const format = useFormatter();
  const router = useRouter();
  const id = useId();
  const [title, setTitle] = useState(org.memberTitle ?? '');
  const [showName, setShowName] = useState(false);
  const [reason, setReason] = useState('');
  const [mode, setMode] = useState<'idle' | 'decline' | 'withdraw'>('idle');
  const [error, setError] = useState<string | null>(null);
  const [pending, start] = useTransition();

  const when = org.signedAt
    ? format.dateTime(new Date(org.signedAt), { dateStyle: 'medium', timeStyle: 'short', timeZone })
    : '';
  const statusText = {
    signed: ts('statusSignedOn', { version: org.signedVersion ?? version, date: when }),
    needs_reconfirmation: ts('statusNeedsReconfirmation', { version: org.signedVersion ?? 0 }),
    withdrawn: ts('statusWithdrawn'),
    declined: ts('statusDeclined'),
    unsigned: ts('statusUnsigned'),
  }[org.status];

  const sign = () => {
    setError(null);
    start(async () => {
      const r = await signStatementAction({
        statementId,
        orgId: org.orgId,
        version,
        contentSha256,
        title: title.trim() || null,
        showName: personalName ? showName : false,
      });
      if (!r.ok) return setError(r.message);
      router.push(`/statements/${statementId}/receipts/${r.data.bindingId}`);
    });
  };
  const withReason = (kind: 'decline' | 'withdraw') => {
    setError(null);
    start(async () => {
      const input = { statementId, orgId: org.orgId, reason: reason.trim() || null };
      const r = kind === 'decline' ? await declineToSignAction(input) : await withdrawSignatureAction(input);
      if (!r.ok) return setError(r.message);
      setMode('idle');
      setReason('');
      router.refresh();
    });
  };

  const errorBox = error ? (
    error === 'errors.staleVersion' ? (
      <Alert tone="warn">
        <span className="flex flex-col gap-2">
          <span>{t(error)}</span>
          <span>
            <Button type="button" variant="secondary" onClick={() => window.location.reload()}>
              {ts('reload')}
            </Button>
          </span>
        </span>
      </Alert>
    ) : (
      <Alert>{t(error)}</Alert>
    )
  ) : null;

  const signFields = (
    <div className="flex flex-col gap-3">
      <Field
        id={`${id}-title`}
        label={ts('titleLabel')}
        value={title}
        onChange={(e) => setTitle(e.target.value)}
        maxLength={200}
        autoComplete="organization-title"
      />
      {personalName ? (
        <label className="flex min-h-11 items-center gap-3">
          <input type="checkbox" className="h-5 w-5" checked={showName} onChange={(e) => setShowName(e.target.checked)} />
          <span>{ts('showName', { name: personalName })}</span>
        </label>
      ) : (
        <p className="text-sm text-muted">
          {ts.rich('noNameHint', {
            link: (chunks: ReactNode) => (
              <Link href="/settings" className="text-accent underline">
                {chunks}
              </Link>
            ),
          })}
        </p>
      )}
    </div>
  );

  const reasonBox = (kind: 'decline' | 'withdraw', confirmLabel: string, question: string, hint: string) => (
    <div role="group" aria-labelledby={`${id}-${kind}-q`} className="flex flex-col gap-3 rounded-md border border-line bg-stone-50 p-3">
      <p id={`${id}-${kind}-q`} className="text-sm font-semibold">
        {question}
      </p>
      <TextArea
        id={`${id}-${kind}-reason`}
        label={ts('reasonLabel')}
        value={reason}
        onChange={(e) => setReason(e.target.value)}
        maxLength={2000}
        rows={3}
      />
      <p className="text-sm text-muted">{hint}</p>
      <div className="flex flex-wrap gap-3">
        <Button type="button" variant="danger" onClick={() => withReason(kind)} disabled={pending} aria-busy={pending}>
          {confirmLabel}
        </Button>
        <Button type="button" variant="secondary" onClick={() => setMode('idle')} disabled={pending}>
          {t('common.cancel')}
        </Button>
      </div>
    </div>
  );

  let body: ReactNode;
  if (!org.canSign) {
    body = <Alert tone="info">{ts('onlyAdminsCanSign', { org: org.name })}</Alert>;
  } else if (org.status === 'signed') {
    body = (
      <div className="flex flex-col gap-3">
        {org.bindingId ? (
          <p>
            <Link href={`/statements/${statementId}/receipts/${org.bindingId}`} className="text-accent underline">
              {ts('viewReceipt')}
            </Link>
          </p>
        ) : null}
        {mode === 'withdraw' ? (
          reasonBox('withdraw', ts('withdrawConfirm'), ts('withdrawQuestion', { org: org.name }), ts('withdrawReasonHint'))
        ) : (
          <div>
            <Button type="button" variant="danger" onClick={() => setMode('withdraw')} disabled={pending}>
              {ts('withdraw')}
            </Button>
          </div>
        )}
      </div>
    );
  } else if (org.status === 'needs_reconfirmation') {
    body = (
      <div className="flex flex-col gap-4">
        <p>{ts('reconfirmExplain', { old: org.signedVersion ?? 0, version })}</p>
        {diffs.length ? (
          <div className="flex flex-col gap-3">
            {diffs.map((d) => (
              <details key={d.lang} className="rounded-md border border-line p-3" open={diffs.length === 1}>
                <summary className="cursor-pointer font-semibold">
                  {ts('changesIn', { language: d.language, old: org.signedVersion ?? 0, version })}
                </summary>
                {d.titleA !== d.titleB ? (
                  <p className="my-2 text-sm" lang={d.lang}>
                    {t('statements.titleChanged')}: <del className="bg-rose-100">{d.titleA}</del> →{' '}
                    <ins className="bg-green-100">{d.titleB}</ins>
                  </p>
                ) : null}
                <div
                  className="diff-view statement-text mt-2"
                  lang={d.lang}
                  data-testid={`reconfirm-diff-${d.lang}`}
                  dangerouslySetInnerHTML={{ __html: d.html }}
                />
              </details>
            ))}
          </div>
        ) : null}
        {signFields}
        {mode === 'decline' ? (
          reasonBox('withdraw', ts('declineReconfirmConfirm'), ts('declineReconfirmQuestion', { org: org.name, version }), ts('withdrawReasonHint'))
        ) : (
          <div className="flex flex-wrap gap-3">
            <Button type="button" onClick={sign} disabled={pending} aria-busy={pending}>
              {ts('reconfirm', { version })}
            </Button>
            <Button type="button" variant="secondary" onClick={() => setMode('decline')} disabled={pending}>
              {ts('declineReconfirm')}
            </Button>
          </div>
        )}
      </div>
    );
  } else if (org.status === 'withdrawn') {
    body = (
      <div className="flex flex-col gap-3">
        {org.withdrawnReason ? (
          <p className="text-sm break-words">{ts('withdrawnReason', { reason: org.withdrawnReason })}</p>
        ) : null}
        <p className="text-sm text-muted">{ts('reinstateExplain', { version })}</p>
        {signFields}
        <div>
          <Button type="button" onClick={sign} disabled={pending} aria-busy={pending}>
            {ts('reinstate', { version })}
          </Button>
        </div>
      </div>
    );
  } else {
    body = (
      <div className="flex flex-col gap-3">
        {org.status === 'declined' ? <p className="text-sm text-muted">{ts('declinedCanStillSign')}</p> : null}
        {signFields}
        {mode === 'decline' ? (
          reasonBox('decline', ts('declineToSignConfirm'), ts('declineToSignQuestion', { org: org.name }), ts('declineReasonHint'))
        ) : (
          <div className="flex flex-wrap gap-3">
            <Button type="button" onClick={sign} disabled={pending} aria-busy={pending}>
              {ts('signFor', { org: org.name, version })}
            </Button>
            {org.status === 'unsigned' ? (
              <Button type="button" variant="secondary" onClick={() => setMode('decline')} disabled={pending}>
                {ts('declineToSign')}
              </Button>
            ) : null}
          </div>
        )}
      </div>
    );
  }

  return (
    <section
      aria-labelledby={`${id}-h`}
      className="flex flex-col gap-3 rounded-lg border border-line bg-white p-4"
      data-testid={`sign-org-${org.orgId}`}
    >
      <div className="flex flex-wrap items-center gap-2">
        <h3 id={`${id}-h`} className="min-w-0 text-lg font-semibold break-words">
          {org.name}
        </h3>
        <span className={`rounded px-2 py-0.5 text-xs font-semibold ${STATUS_STYLE[org.status]}`} data-testid="sign-status">
          {statusText}
        </span>
      </div>
      {errorBox}
      {body}
    </section>
  );
}
