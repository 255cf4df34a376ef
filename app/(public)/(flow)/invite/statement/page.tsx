import { cookies } from 'next/headers';
import { redirect } from 'next/navigation';
import { getTranslations } from 'next-intl/server';
import {
  StatementInvitationLanding,
  type InvitationView,
} from '@/components/invitations/statement-invitation-landing';
import { Card } from '@/components/ui/card';
import { isAppError } from '@/lib/errors';
import { openInvitationById } from '@/lib/invitation-reads';
import { getCtx } from '@/lib/session';

// The HttpOnly cookie set by confirmSharedMailboxAction (app/_actions/invitations.ts). This page only learns
// whether it exists; its value never leaves the server actions that use it.
const HANDOFF_COOKIE = 'us_invitation_handoff';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export async function generateMetadata() {
  const t = await getTranslations('invitations');
  return { title: t('landingTitle'), referrer: 'no-referrer' as const, robots: { index: false } };
}

type Props = { searchParams: Promise<{ invitation?: string | string[]; org?: string | string[] }> };

/**
 * A statement invitation: the link's token (URL fragment → sessionStorage → POST only), the handoff from a
 * shared mailbox (cookie), or `?invitation=<id>` from the dashboard (answered by id, authorized like the link).
 */
export default async function StatementInvitationPage({ searchParams }: Props) {
  const sp = await searchParams;
  const invitationId =
    typeof sp.invitation === 'string' && UUID.test(sp.invitation) ? sp.invitation.toLowerCase() : null;
  const preselect = typeof sp.org === 'string' && UUID.test(sp.org) ? sp.org.toLowerCase() : null;
  const ctx = await getCtx();
  const t = await getTranslations('invitations');

  let byId: { view: InvitationView } | { error: string } | null = null;
  if (invitationId) {
    if (!ctx.actor)
      redirect(`/sign-in?next=${encodeURIComponent(`/invite/statement?invitation=${invitationId}`)}`);
    try {
      byId = { view: await openInvitationById(ctx, { invitationId }) };
    } catch (e) {
      if (!isAppError(e)) throw e;
      byId = { error: e.message };
    }
  }
  const hasHandoff = !invitationId && !!(await cookies()).get(HANDOFF_COOKIE)?.value;

  return (
    <Card className="mx-auto max-w-2xl">
      <h1 className="mb-4 text-2xl font-bold">{t('landingTitle')}</h1>
      <StatementInvitationLanding
        signedInAs={ctx.actor?.email ?? null}
        hasHandoff={hasHandoff}
        byId={byId}
        invitationId={invitationId}
        preselectOrg={preselect}
      />
    </Card>
  );
}
