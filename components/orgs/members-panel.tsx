'use client';
import { useTranslations } from 'next-intl';
import { useState, useTransition } from 'react';
import {
  changeMemberRoleAction,
  removeMemberAction,
  resendMemberInvitationAction,
  revokeMemberInvitationAction,
  setMemberTitleAction,
  transferOwnershipAction,
} from '@/app/_actions/orgs';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { ConfirmButton } from '@/components/ui/confirm-button';

type Role = 'owner' | 'admin' | 'member';
type Member = { id: string; userId: string; role: Role; title: string | null; name: string | null; email: string };
type Invitation = { id: string; email: string; role: Role; expiresLabel: string };
type Result = { ok: true } | { ok: false; message: string };

export function MembersPanel({ orgId, myRole, me, members, invitations }: { orgId: string; myRole: Role; me: string; members: Member[]; invitations: Invitation[] }) {
  const t = useTranslations();
  const [pending, start] = useTransition();
  const [message, setMessage] = useState<{ tone: 'ok' | 'error'; text: string } | null>(null);
  const isOwner = myRole === 'owner';
  const isAdmin = myRole === 'admin' || isOwner;
  const canManage = (target: Role) => isOwner || (myRole === 'admin' && target !== 'owner');

  function run(fn: () => Promise<Result>, okText: string) {
    start(async () => {
      const r = await fn();
      setMessage(r.ok ? { tone: 'ok', text: okText } : { tone: 'error', text: t(r.message) });
    });
  }

  return (
    <div className="flex flex-col gap-4">
      {message ? <Alert tone={message.tone}>{message.text}</Alert> : null}
      <ul className="divide-y divide-line">
        {members.map((m) => (
          <li key={m.id} className="flex flex-col gap-2 py-3 sm:flex-row sm:items-center sm:justify-between">
            <div className="min-w-0">
              {/* Wrapped, not truncated: on a phone a long address (and "you") must stay readable. */}
              <p className="font-semibold break-words">
                {m.name ?? <span className="break-all">{m.email}</span>}
                {m.userId === me ? <span className="ml-1 font-normal text-muted">({t('orgs.you')})</span> : null}
              </p>
              {m.name ? <p className="text-sm break-all text-muted">{m.email}</p> : null}
              <p className="text-sm">
                <span className="rounded bg-stone-100 px-1.5 py-0.5 text-xs font-semibold">{t(`roles.${m.role}`)}</span>
                {m.title ? <span className="ml-2">{m.title}</span> : null}
              </p>
            </div>
            <div className="flex flex-wrap items-center gap-2">
              {m.userId === me || canManage(m.role) ? (
                <form
                  className="flex items-center gap-1"
                  onSubmit={(e) => {
                    e.preventDefault();
                    const title = String(new FormData(e.currentTarget).get('title') ?? '');
                    run(() => setMemberTitleAction({ orgId, membershipId: m.id, title }), t('orgs.saved'));
                  }}
                >
                  <label className="sr-only" htmlFor={`title-${m.id}`}>
                    {t('orgs.titleFor', { name: m.name ?? m.email })}
                  </label>
                  <input id={`title-${m.id}`} name="title" defaultValue={m.title ?? ''} maxLength={120} placeholder={t('orgs.titlePlaceholder')} className="min-h-9 w-40 rounded border border-stone-400 px-2 text-sm" />
                  <Button type="submit" variant="secondary" disabled={pending} className="min-h-9 px-2 py-1">
                    {t('orgs.saveTitle')}
                  </Button>
                </form>
              ) : null}
              {isOwner && m.userId !== me ? (
                <>
                  <label className="sr-only" htmlFor={`role-${m.id}`}>
                    {t('orgs.roleFor', { name: m.name ?? m.email })}
                  </label>
                  <select
                    id={`role-${m.id}`}
                    defaultValue={m.role}
                    disabled={pending}
                    onChange={(e) => {
                      const role = e.currentTarget.value as Role;
                      run(() => changeMemberRoleAction({ orgId, membershipId: m.id, role }), t('orgs.roleChanged'));
                    }}
                    className="min-h-9 rounded border border-stone-400 bg-white px-2 text-sm"
                  >
                    <option value="member">{t('roles.member')}</option>
                    <option value="admin">{t('roles.admin')}</option>
                    <option value="owner">{t('roles.owner')}</option>
                  </select>
                  {m.role !== 'owner' ? (
                    <ConfirmButton
                      variant="secondary"
                      disabled={pending}
                      label={t('orgs.transfer')}
                      question={t('orgs.confirmTransfer', { name: m.name ?? m.email })}
                      confirmLabel={t('common.yes')}
                      cancelLabel={t('common.cancel')}
                      onConfirm={() => run(() => transferOwnershipAction({ orgId, membershipId: m.id }), t('orgs.transferred'))}
                    />
                  ) : null}
                </>
              ) : null}
              {m.userId !== me && canManage(m.role) ? (
                <ConfirmButton
                  disabled={pending}
                  label={t('orgs.remove')}
                  question={t('orgs.confirmRemove', { name: m.name ?? m.email })}
                  confirmLabel={t('common.yes')}
                  cancelLabel={t('common.cancel')}
                  onConfirm={() => run(() => removeMemberAction({ orgId, membershipId: m.id }), t('orgs.removed'))}
                />
              ) : null}
            </div>
          </li>
        ))}
      </ul>
      {isAdmin ? (
        <div>
          <h3 className="mb-2 font-semibold">{t('orgs.pendingInvitations')}</h3>
          {invitations.length === 0 ? (
            <p className="text-sm text-muted">{t('orgs.noPendingInvitations')}</p>
          ) : (
            <ul className="divide-y divide-line">
              {invitations.map((inv) => (
                <li key={inv.id} className="flex flex-col gap-2 py-2 sm:flex-row sm:items-center sm:justify-between">
                  <div className="min-w-0">
                    <p className="font-semibold break-all">{inv.email}</p>
                    <p className="text-sm text-muted">
                      {t(`roles.${inv.role}`)} · {t('orgs.expires', { date: inv.expiresLabel })}
                    </p>
                  </div>
                  {canManage(inv.role) && (isOwner || inv.role === 'member') ? (
                    <div className="flex gap-2">
                      <Button type="button" variant="secondary" disabled={pending} className="min-h-9 px-2 py-1" onClick={() => run(() => resendMemberInvitationAction({ invitationId: inv.id }), t('orgs.resent'))}>
                        {t('orgs.resend')}
                      </Button>
                      <Button type="button" variant="danger" disabled={pending} className="min-h-9 px-2 py-1" onClick={() => run(() => revokeMemberInvitationAction({ invitationId: inv.id }), t('orgs.revoked'))}>
                        {t('orgs.revoke')}
                      </Button>
                    </div>
                  ) : null}
                </li>
              ))}
            </ul>
          )}
        </div>
      ) : null}
    </div>
  );
}
