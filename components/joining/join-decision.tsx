'use client';
// Approve / reject one join request on the initiators' queue (owners/admins; the actions authorize themselves).
import { useRouter } from 'next/navigation';
import { useTranslations } from 'next-intl';
import { createContext, useContext, useState, useTransition, type ReactNode } from 'react';
import { approveJoinRequestAction, rejectJoinRequestAction } from '@/app/_actions/joining';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { ConfirmButton } from '@/components/ui/confirm-button';

type Result = { ok: true } | { ok: false; code: string; message: string };
type Notice = { tone: 'ok' | 'error'; text: string } | null;

// The outcome of a decision is shown above the queue, not in the row: an approved or rejected request moves from
// "Waiting" to "Decided" when the page refreshes, which unmounts its row (and anything shown in it).
const NoticeContext = createContext<((n: Notice) => void) | null>(null);

export function JoinNoticeArea({ children }: { children: ReactNode }) {
  const [notice, setNotice] = useState<Notice>(null);
  return (
    <NoticeContext.Provider value={setNotice}>
      {notice ? <Alert tone={notice.tone}>{notice.text}</Alert> : null}
      {children}
    </NoticeContext.Provider>
  );
}

export function JoinDecision({
  statementId,
  requestId,
  name,
  canApprove,
}: {
  statementId: string;
  requestId: string;
  name: string;
  canApprove: boolean;
}) {
  const t = useTranslations();
  const router = useRouter();
  const [pending, start] = useTransition();
  const setNotice = useContext(NoticeContext);
  if (!setNotice) throw new Error('JoinDecision belongs inside JoinNoticeArea');

  const run = (fn: (input: { statementId: string; requestId: string }) => Promise<Result>, okKey: string) => {
    setNotice(null);
    start(async () => {
      const r = await fn({ statementId, requestId });
      if (r.ok) {
        setNotice({ tone: 'ok', text: t(okKey, { name }) });
        router.refresh();
      } else setNotice({ tone: 'error', text: t(r.message) });
    });
  };
  const who = <span className="sr-only"> {name}</span>;
  return (
    <div className="flex flex-col gap-2">
      <div className="flex flex-wrap items-center gap-2" aria-busy={pending}>
        {canApprove ? (
          <Button
            type="button"
            className="min-h-9 px-2 py-1"
            disabled={pending}
            onClick={() => run(approveJoinRequestAction, 'joining.queue.approvedDone')}
          >
            {t('joining.queue.approve')}
            {who}
          </Button>
        ) : null}
        <ConfirmButton
          label={
            <>
              {t('joining.queue.reject')}
              {who}
            </>
          }
          question={t('joining.queue.rejectQuestion')}
          confirmLabel={t('joining.queue.rejectConfirm')}
          cancelLabel={t('joining.queue.cancel')}
          disabled={pending}
          onConfirm={() => run(rejectJoinRequestAction, 'joining.queue.rejectedDone')}
        />
      </div>
    </div>
  );
}
