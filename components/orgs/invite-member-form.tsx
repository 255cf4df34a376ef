'use client';
import { useTranslations } from 'next-intl';
import { useActionState } from 'react';
import { inviteMemberAction } from '@/app/_actions/orgs';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { Field } from '@/components/ui/field';

export function InviteMemberForm({ orgId, canInviteAdmins }: { orgId: string; canInviteAdmins: boolean }) {
  const t = useTranslations();
  const [state, formAction, pending] = useActionState(inviteMemberAction, null);
  const fe = (k: string) => {
    const m = state && !state.ok ? state.fieldErrors?.[k]?.[0] : undefined;
    return m ? t(m) : undefined;
  };
  return (
    <form action={formAction} className="flex flex-col gap-3" noValidate>
      <input type="hidden" name="orgId" value={orgId} />
      <div className="grid gap-3 sm:grid-cols-2">
        <Field id="invite-email" name="email" type="email" required label={t('orgs.inviteEmail')} error={fe('email')} />
        <Field id="invite-title" name="title" label={t('orgs.inviteTitle')} maxLength={120} error={fe('title')} />
      </div>
      <div className="flex flex-col gap-1">
        <label htmlFor="invite-role" className="text-sm font-semibold">
          {t('orgs.role')}
        </label>
        <select id="invite-role" name="role" defaultValue="member" className="min-h-11 rounded-md border border-stone-400 bg-white px-3">
          <option value="member">{t('roles.member')}</option>
          {canInviteAdmins ? <option value="admin">{t('roles.admin')}</option> : null}
          {canInviteAdmins ? <option value="owner">{t('roles.owner')}</option> : null}
        </select>
      </div>
      {state && !state.ok && !state.fieldErrors ? <Alert>{t(state.message)}</Alert> : null}
      {state?.ok ? <Alert tone="ok">{t('orgs.invited')}</Alert> : null}
      <div>
        <Button type="submit" disabled={pending} aria-busy={pending}>
          {t('orgs.sendInvitation')}
        </Button>
      </div>
    </form>
  );
}
