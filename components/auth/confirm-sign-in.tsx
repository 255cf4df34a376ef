'use client';
// Reads the token from the URL fragment (never sent to any server by the browser) and POSTs it.
import Link from 'next/link';
import { useTranslations } from 'next-intl';
import { useEffect, useRef, useState } from 'react';
import { Button, buttonClass } from '@/components/ui/button';

type Link_ = { t: string; e: string; next: string };

export function ConfirmSignIn() {
  const t = useTranslations();
  const [link, setLink] = useState<Link_ | null | undefined>(undefined);
  const [state, setState] = useState<'idle' | 'posting' | 'failed' | 'offline' | 'limited'>('idle');

  const read = useRef(false);

  useEffect(() => {
    function readFragment() {
      const params = new URLSearchParams(window.location.hash.slice(1));
      const tok = params.get('t');
      const e = params.get('e');
      // A later fragment without a link (e.g. "#") changes nothing once a link was read.
      if (read.current && !(tok && e)) return;
      read.current = true;
      // Drop the token from the address bar and history right away.
      history.replaceState(null, '', window.location.pathname);
      setLink(tok && e ? { t: tok, e, next: params.get('next') ?? '/dashboard' } : null);
      setState('idle');
    }
    // Effects may run twice (React strict mode); the fragment is read and cleared exactly once.
    if (!read.current) readFragment();
    // A link opened (or pasted) while this page is already open only changes the fragment: no new page load.
    window.addEventListener('hashchange', readFragment);
    return () => window.removeEventListener('hashchange', readFragment);
  }, []);

  async function confirm() {
    if (!link) return;
    setState('posting');
    try {
      const res = await fetch('/api/auth/confirm', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ token: link.t, email: link.e, next: link.next }),
      });
      const body = (await res.json().catch(() => null)) as { redirect?: string } | null;
      if (res.ok && body?.redirect) {
        window.location.assign(body.redirect);
        return;
      }
      setState(res.status === 429 ? 'limited' : 'failed');
    } catch {
      setState('offline');
    }
  }

  if (link === undefined) return <p aria-live="polite">{t('common.loading')}</p>;
  if (link === null || state === 'failed')
    return (
      <div className="flex flex-col gap-4">
        <p role="alert">{link === null ? t('signIn.confirmMissing') : t('signIn.linkInvalid')}</p>
        <div>
          <Link href="/sign-in" className={buttonClass('primary')}>
            {t('signIn.requestNew')}
          </Link>
        </div>
      </div>
    );
  return (
    <div className="flex flex-col gap-4">
      <p>{t('signIn.confirmBody', { email: link.e })}</p>
      {state === 'offline' ? (
        <p role="alert" className="text-danger">
          {t('errors.offline')}
        </p>
      ) : null}
      {state === 'limited' ? (
        <p role="alert" className="text-danger">
          {t('errors.rateLimited')}
        </p>
      ) : null}
      <div>
        <Button
          type="button"
          onClick={confirm}
          disabled={state === 'posting'}
          aria-busy={state === 'posting'}
        >
          {state === 'posting' ? t('signIn.confirming') : t('signIn.confirmButton')}
        </Button>
      </div>
    </div>
  );
}
