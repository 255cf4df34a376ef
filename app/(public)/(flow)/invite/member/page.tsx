import { getTranslations } from 'next-intl/server';
import { MemberInvitationLanding } from '@/components/invitations/member-invitation-landing';
import { Card } from '@/components/ui/card';
import { getActor } from '@/lib/session';

export const metadata = { referrer: 'no-referrer' as const, robots: { index: false } };

export default async function MemberInvitationPage() {
  const actor = await getActor();
  const t = await getTranslations('invite');
  return (
    <Card className="mx-auto max-w-lg">
      <h1 className="mb-4 text-2xl font-bold">{t('title')}</h1>
      <MemberInvitationLanding signedInAs={actor?.email ?? null} />
    </Card>
  );
}
