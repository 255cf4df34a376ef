'use client';
import { useRouter } from 'next/navigation';
import { useTranslations } from 'next-intl';
import { useState, useTransition } from 'react';
import { acceptMemberInvitationAction, declineMemberInvitationAction } from '@/app/_actions/orgs';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';

// Dates arrive formatted by the server (one formatting, no hydration differences).
type Inv = { id: string; orgName: string; orgSlug: string; role: 'owner' | 'admin' | 'member'; expiresLabel: string };

export function PendingMemberInvitations({ invitations }: { invitations: Inv[] }) {
  const t = useTranslations();
  const router = useRouter();
  const [pending, start] = useTransition();
  const [error, setError] = useState<string | null>(null);
  return (
    <div className="flex flex-col gap-3">
      {error ? <Alert>{t(error)}</Alert> : null}
      <ul className="divide-y divide-line">
        {invitations.map((inv) => (
          <li key={inv.id} className="flex flex-col gap-2 py-2">
            <p>{t('invite.body', { org: inv.orgName, role: t(`roles.${inv.role}`) })}</p>
            <p className="text-sm text-muted">{t('orgs.expires', { date: inv.expiresLabel })}</p>
            <div className="flex gap-2">
              <Button
                type="button"
                disabled={pending}
                className="min-h-9 px-3 py-1"
                onClick={() =>
                  start(async () => {
                    const r = await acceptMemberInvitationAction({ invitationId: inv.id });
                    if (r.ok) router.push(`/manage/orgs/${r.data.slug}`);
                    else setError(r.message);
                  })
                }
              >
                {t('invite.accept')}
              </Button>
              <Button
                type="button"
                variant="secondary"
                disabled={pending}
                className="min-h-9 px-3 py-1"
                onClick={() =>
                  start(async () => {
                    const r = await declineMemberInvitationAction({ invitationId: inv.id });
                    if (r.ok) router.refresh();
                    else setError(r.message);
                  })
                }
              >
                {t('invite.decline')}
              </Button>
            </div>
          </li>
        ))}
      </ul>
    </div>
  );
}
