import Link from 'next/link';
import { getFormatter, getLocale, getTranslations } from 'next-intl/server';
import { notFound, redirect } from 'next/navigation';
import { InviteMemberForm } from '@/components/orgs/invite-member-form';
import { LeaveOrg } from '@/components/orgs/leave-org';
import { LogoUpload } from '@/components/orgs/logo-upload';
import { MembersPanel } from '@/components/orgs/members-panel';
import { OrgProfileForm } from '@/components/orgs/org-profile-form';
import { SigningPolicyForm } from '@/components/orgs/signing-policy-form';
import { VerifiedBadge } from '@/components/orgs/verified-badge';
import { Card } from '@/components/ui/card';
import { isAppError } from '@/lib/errors';
import { listMembers } from '@/lib/members';
import { getOrganizationForMember } from '@/lib/orgs';
import { getCtx } from '@/lib/session';

export default async function ManageOrgPage({ params }: { params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  const ctx = await getCtx();
  if (!ctx.actor) redirect(`/sign-in?next=/manage/orgs/${encodeURIComponent(slug)}`);
  let data;
  try {
    data = await getOrganizationForMember(ctx, slug);
  } catch (e) {
    // Non-members get the same "not found" whether or not the organization exists.
    if (isAppError(e) && e.code === 'NOT_FOUND') notFound();
    throw e;
  }
  const { org, role } = data;
  const members = await listMembers(ctx, { orgId: org.id });
  const t = await getTranslations('orgs');
  const tr = await getTranslations('roles');
  const locale = await getLocale();
  const format = await getFormatter();
  const isAdmin = role === 'owner' || role === 'admin';
  return (
    <div className="flex flex-col gap-6">
      <div className="flex flex-wrap items-center gap-3">
        <h1 className="text-2xl font-bold">{org.name}</h1>
        <VerifiedBadge verified={org.verified} locale={locale} />
        <span className="rounded bg-stone-100 px-2 py-0.5 text-sm">{t('yourRole', { role: tr(role) })}</span>
      </div>
      <p>
        <Link href={`/${locale}/orgs/${org.slug}`} className="text-accent underline">
          {t('viewPublicPage')}
        </Link>
      </p>
      {!org.verified ? <p className="max-w-2xl text-sm text-muted">{t('verificationHint')}</p> : null}
      <Card>
        <h2 className="mb-3 text-lg font-semibold">{t('profileHeading')}</h2>
        {isAdmin ? (
          <div className="flex flex-col gap-6">
            <LogoUpload orgId={org.id} logoFileId={org.logoFileId} orgName={org.name} />
            <OrgProfileForm orgId={org.id} initial={org} />
          </div>
        ) : (
          <p className="text-sm text-muted">{t('profileAdminsOnly')}</p>
        )}
      </Card>
      <Card>
        <h2 className="mb-3 text-lg font-semibold">{t('policyHeading')}</h2>
        <SigningPolicyForm orgId={org.id} policy={org.signingPolicy} canChange={role === 'owner'} />
      </Card>
      <Card>
        <h2 className="mb-3 text-lg font-semibold">{t('membersHeading')}</h2>
        <MembersPanel orgId={org.id} myRole={role} me={members.me} members={members.members} invitations={members.invitations.map((i) => ({ ...i, expiresLabel: format.dateTime(i.expiresAt, { dateStyle: 'medium' }) }))} />
      </Card>
      {isAdmin ? (
        <Card>
          <h2 className="mb-3 text-lg font-semibold">{t('inviteHeading')}</h2>
          <InviteMemberForm orgId={org.id} canInviteAdmins={role === 'owner'} />
        </Card>
      ) : null}
      <Card>
        <h2 className="mb-3 text-lg font-semibold">{t('leaveHeading')}</h2>
        <LeaveOrg orgId={org.id} orgName={org.name} />
      </Card>
    </div>
  );
}
