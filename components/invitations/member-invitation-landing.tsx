'use client';
// The member-invitation link: the token travels in the URL fragment (never sent to a server by the browser),
// survives the sign-in detour in sessionStorage, and is only ever POSTed.
import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useTranslations } from 'next-intl';
import { useEffect, useRef, useState } from 'react';
import { acceptMemberInvitationAction, declineMemberInvitationAction, previewMemberInvitationAction } from '@/app/_actions/orgs';
import { Alert } from '@/components/ui/alert';
import { Button, buttonClass } from '@/components/ui/button';

const KEY = 'undersigned:member-invitation';
type Preview = { orgName: string; orgSlug: string; role: 'owner' | 'admin' | 'member' };

export function MemberInvitationLanding({ signedInAs }: { signedInAs: string | null }) {
  const t = useTranslations();
  const router = useRouter();
  const read = useRef(false);
  const [token, setToken] = useState<string | null | undefined>(undefined);
  const [preview, setPreview] = useState<Preview | null>(null);
  const [state, setState] = useState<'idle' | 'invalid' | 'declined' | 'busy'>('idle');

  useEffect(() => {
    if (read.current) return;
    read.current = true;
    const fromHash = new URLSearchParams(window.location.hash.slice(1)).get('t');
    if (fromHash) {
      sessionStorage.setItem(KEY, fromHash);
      history.replaceState(null, '', window.location.pathname);
    }
    setToken(fromHash ?? sessionStorage.getItem(KEY));
  }, []);

  useEffect(() => {
    if (!token || !signedInAs) return;
    void previewMemberInvitationAction({ token }).then((r) => {
      if (r.ok) {
        setPreview(r.data);
        setState('idle');
      } else setState('invalid');
    });
  }, [token, signedInAs]);

  if (token === undefined) return <p aria-live="polite">{t('common.loading')}</p>;
  if (!token) return <Alert>{t('invite.missing')}</Alert>;
  if (!signedInAs)
    return (
      <div className="flex flex-col gap-4">
        <p>{t('invite.signInFirst')}</p>
        <div>
          <Link href="/sign-in?next=/invite/member" className={buttonClass('primary')}>
            {t('nav.signIn')}
          </Link>
        </div>
      </div>
    );
  // Signed in with a token but no preview yet: the preview request is in flight.
  if (state === 'idle' && !preview) return <p aria-live="polite">{t('common.loading')}</p>;
  if (state === 'invalid')
    return (
      <div className="flex flex-col gap-3">
        <Alert>{t('invite.invalid')}</Alert>
        <p className="text-sm text-muted">{t('invite.signedInAs', { email: signedInAs })}</p>
      </div>
    );
  if (state === 'declined') return <Alert tone="ok">{t('invite.declined')}</Alert>;
  if (!preview) return null;

  async function accept() {
    setState('busy');
    const r = await acceptMemberInvitationAction({ token });
    if (r.ok) {
      sessionStorage.removeItem(KEY);
      router.push(`/manage/orgs/${r.data.slug}`);
    } else setState('invalid');
  }
  async function decline() {
    setState('busy');
    const r = await declineMemberInvitationAction({ token });
    sessionStorage.removeItem(KEY);
    setState(r.ok ? 'declined' : 'invalid');
  }

  return (
    <div className="flex flex-col gap-4">
      <p className="text-lg">{t('invite.body', { org: preview.orgName, role: t(`roles.${preview.role}`) })}</p>
      <p className="text-sm text-muted">{t('invite.signedInAs', { email: signedInAs })}</p>
      <div className="flex flex-wrap gap-3">
        <Button type="button" onClick={accept} disabled={state === 'busy'}>
          {t('invite.accept')}
        </Button>
        <Button type="button" variant="secondary" onClick={decline} disabled={state === 'busy'}>
          {t('invite.decline')}
        </Button>
      </div>
    </div>
  );
}
