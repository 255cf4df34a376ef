'use client';
import { useTranslations } from 'next-intl';
import { useActionState } from 'react';
import { setSigningPolicyAction } from '@/app/_actions/orgs';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';

export function SigningPolicyForm({ orgId, policy, canChange }: { orgId: string; policy: 'admins' | 'members'; canChange: boolean }) {
  const t = useTranslations();
  const [state, formAction, pending] = useActionState(setSigningPolicyAction, null);
  return (
    <form action={formAction} className="flex flex-col gap-3">
      <input type="hidden" name="orgId" value={orgId} />
      <fieldset className="flex flex-col gap-2" disabled={!canChange}>
        <legend className="mb-1 text-sm text-muted">{canChange ? t('orgs.policyHint') : t('orgs.policyOwnersOnly')}</legend>
        <label className="flex items-center gap-2">
          <input type="radio" name="policy" value="admins" defaultChecked={policy === 'admins'} className="h-4 w-4" />
          {t('orgs.policyAdmins')}
        </label>
        <label className="flex items-center gap-2">
          <input type="radio" name="policy" value="members" defaultChecked={policy === 'members'} className="h-4 w-4" />
          {t('orgs.policyMembers')}
        </label>
      </fieldset>
      {state && !state.ok ? <Alert>{t(state.message)}</Alert> : null}
      {state?.ok ? <Alert tone="ok">{t('orgs.saved')}</Alert> : null}
      {canChange ? (
        <div>
          <Button type="submit" variant="secondary" disabled={pending}>
            {t('orgs.savePolicy')}
          </Button>
        </div>
      ) : null}
    </form>
  );
}
