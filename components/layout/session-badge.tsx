'use client';
// A small client island: public pages stay static; the signed-in state is fetched after load.
import Link from 'next/link';
import { useTranslations } from 'next-intl';
import { useEffect, useState } from 'react';

export function SessionBadge() {
  const t = useTranslations('nav');
  const [email, setEmail] = useState<string | null | undefined>(undefined);
  useEffect(() => {
    let live = true;
    fetch('/api/auth/session', { credentials: 'same-origin' })
      .then((r) => (r.ok ? r.json() : null))
      .then((s: { user?: { email?: string } } | null) => live && setEmail(s?.user?.email ?? null))
      .catch(() => live && setEmail(null));
    return () => {
      live = false;
    };
  }, []);
  if (email === undefined) return <span className="h-5 w-24" aria-hidden="true" />;
  if (!email)
    return (
      <Link href="/sign-in" className="font-semibold text-accent underline-offset-4 hover:underline">
        {t('signIn')}
      </Link>
    );
  return (
    <Link href="/dashboard" className="max-w-[16rem] truncate text-sm text-muted hover:underline" title={email}>
      {t('signedInAs', { email })}
    </Link>
  );
}
