'use client';
// Accept / decline a statement invitation to one of my organizations, right on the dashboard (proof: the
// invitation id; the action checks that the actor is an owner/admin of that organization).
import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useTranslations } from 'next-intl';
import { useId, useState, useTransition } from 'react';
import { acceptInvitationAction, declineInvitationAction } from '@/app/_actions/invitations';
import { Alert } from '@/components/ui/alert';
import { Button, buttonClass } from '@/components/ui/button';
import { TextArea } from '@/components/ui/textarea';

export function WaitingInvitationActions({
  invitationId,
  orgId,
  orgName,
  title,
}: {
  invitationId: string;
  /** The invited organization; null for an invitation to my e-mail, answered on the landing (choose or create). */
  orgId: string | null;
  orgName: string | null;
  title: string;
}) {
  const t = useTranslations();
  const ti = useTranslations('invitations');
  const router = useRouter();
  const id = useId();
  const [pending, start] = useTransition();
  const [declining, setDeclining] = useState(false);
  const [reason, setReason] = useState('');
  const [notice, setNotice] = useState<{ tone: 'ok' | 'error'; text: string } | null>(null);
  const details = `/invite/statement?invitation=${invitationId}`;
  const about = <span className="sr-only"> {ti('actionFor', { target: title })}</span>;

  if (!orgId)
    return (
      <Link href={details} className={buttonClass('primary')}>
        {ti('answer')}
        {about}
      </Link>
    );

  const accept = () => {
    setNotice(null);
    start(async () => {
      const r = await acceptInvitationAction({ invitationId, orgId });
      if (!r.ok) return setNotice({ tone: 'error', text: t(r.message) });
      router.push(
        r.data.kind === 'co_initiator'
          ? `/statements/${r.data.statementId}`
          : `/statements/${r.data.statementId}/review`,
      );
    });
  };
  const decline = () => {
    setNotice(null);
    start(async () => {
      const r = await declineInvitationAction({ invitationId, reason });
      if (!r.ok) return setNotice({ tone: 'error', text: t(r.message) });
      setNotice({ tone: 'ok', text: ti('declinedDone') });
      router.refresh();
    });
  };

  return (
    <div className="flex flex-col gap-2">
      <div className="flex flex-wrap gap-2" aria-busy={pending}>
        <Button type="button" onClick={accept} disabled={pending} className="min-h-9 px-3 py-1">
          {orgName ? ti('acceptFor', { org: orgName }) : ti('accept')}
          {about}
        </Button>
        {!declining ? (
          <Button
            type="button"
            variant="secondary"
            onClick={() => setDeclining(true)}
            disabled={pending}
            className="min-h-9 px-3 py-1"
          >
            {ti('decline')}
            {about}
          </Button>
        ) : null}
        <Link href={details} className="inline-flex min-h-9 items-center px-2 text-sm text-accent underline">
          {ti('details')}
          {about}
        </Link>
      </div>
      {declining ? (
        <div className="flex flex-col gap-2 rounded-md border border-line p-3">
          <TextArea
            id={`${id}-reason`}
            label={ti('declineReasonLabel')}
            value={reason}
            onChange={(e) => setReason(e.target.value)}
            maxLength={1000}
            rows={2}
          />
          <div className="flex flex-wrap gap-2">
            <Button
              type="button"
              variant="danger"
              onClick={decline}
              disabled={pending}
              className="min-h-9 px-3 py-1"
            >
              {ti('declineConfirm')}
            </Button>
            <Button
              type="button"
              variant="secondary"
              onClick={() => setDeclining(false)}
              disabled={pending}
              className="min-h-9 px-3 py-1"
            >
              {t('common.cancel')}
            </Button>
          </div>
        </div>
      ) : null}
      {notice ? <Alert tone={notice.tone}>{notice.text}</Alert> : null}
    </div>
  );
}
