'use client';
// Resend / remind now / revoke for one invitation on the status board (initiator admins only; the actions
// authorize themselves). "Remind now" is rate-limited per invitation: that answer is shown as a notice.
import { useRouter } from 'next/navigation';
import { useTranslations } from 'next-intl';
import { useState, useTransition } from 'react';
import {
  remindInvitationAction,
  resendInvitationAction,
  revokeInvitationAction,
} from '@/app/_actions/invitations';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { ConfirmButton } from '@/components/ui/confirm-button';

type Result = { ok: true } | { ok: false; code: string; message: string };
type Notice = { tone: 'ok' | 'warn' | 'error'; text: string };

export function InvitationRowActions({
  statementId,
  invitationId,
  target,
  stacked = false,
}: {
  statementId: string;
  invitationId: string;
  target: string;
  /** In a narrow table cell: one button per line. */
  stacked?: boolean;
}) {
  const t = useTranslations();
  const router = useRouter();
  const [pending, start] = useTransition();
  const [notice, setNotice] = useState<Notice | null>(null);

  const run = (
    fn: (input: { statementId: string; invitationId: string }) => Promise<Result>,
    okKey: string,
  ) => {
    // Cleared now, not when the transition ends.
    setNotice(null);
    start(async () => {
      const r = await fn({ statementId, invitationId });
      if (r.ok) {
        setNotice({ tone: 'ok', text: t(okKey, { target }) });
        router.refresh();
      } else {
        setNotice({ tone: r.code === 'RATE_LIMITED' ? 'warn' : 'error', text: t(r.message) });
      }
    });
  };

  const who = <span className="sr-only"> {t('invitations.actionFor', { target })}</span>;
  return (
    <div className="flex flex-col gap-2">
      <div
        className={stacked ? 'flex flex-col items-start gap-2' : 'flex flex-wrap items-center gap-2'}
        aria-busy={pending}
      >
        <Button
          type="button"
          variant="secondary"
          className="min-h-9 px-2 py-1"
          disabled={pending}
          onClick={() => run(resendInvitationAction, 'invitations.resent')}
        >
          {t('invitations.resend')}
          {who}
        </Button>
        <Button
          type="button"
          variant="secondary"
          className="min-h-9 px-2 py-1"
          disabled={pending}
          onClick={() => run(remindInvitationAction, 'invitations.reminded')}
        >
          {t('invitations.remindNow')}
          {who}
        </Button>
        <ConfirmButton
          label={
            <>
              {t('invitations.revoke')}
              {who}
            </>
          }
          question={t('invitations.revokeQuestion', { target })}
          confirmLabel={t('invitations.revokeConfirm')}
          cancelLabel={t('common.cancel')}
          disabled={pending}
          onConfirm={() => run(revokeInvitationAction, 'invitations.revoked')}
        />
      </div>
      {notice ? <Alert tone={notice.tone}>{notice.text}</Alert> : null}
    </div>
  );
}
