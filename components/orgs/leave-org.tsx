'use client';
import { useTranslations } from 'next-intl';
import { useActionState } from 'react';
import { leaveOrganizationAction } from '@/app/_actions/orgs';
import { Alert } from '@/components/ui/alert';
import { ConfirmButton } from '@/components/ui/confirm-button';

export function LeaveOrg({ orgId, orgName }: { orgId: string; orgName: string }) {
  const t = useTranslations();
  const [state, formAction, pending] = useActionState(leaveOrganizationAction, null);
  return (
    <form action={formAction} className="flex flex-col gap-2">
      <input type="hidden" name="orgId" value={orgId} />
      {state && !state.ok ? <Alert>{t(state.message)}</Alert> : null}
      <div>
        <ConfirmButton
          type="submit"
          disabled={pending}
          label={t('orgs.leave')}
          question={t('orgs.confirmLeave', { name: orgName })}
          confirmLabel={t('common.yes')}
          cancelLabel={t('common.cancel')}
        />
      </div>
    </form>
  );
}
