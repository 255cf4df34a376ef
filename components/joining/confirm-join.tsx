'use client';
// Reads the join-confirmation token from the URL fragment (never sent to a server by the browser), drops it from
// the address bar, and POSTs it (a server action) only when the person presses the button: opening the page — or a
// mail scanner fetching it — changes nothing.
import Link from 'next/link';
import { useTranslations } from 'next-intl';
import { useEffect, useRef, useState } from 'react';
import { confirmJoinAction } from '@/app/_actions/joining';
import { Alert } from '@/components/ui/alert';
import { Button, buttonClass } from '@/components/ui/button';

type Done = { slug: string; title: string; name: string };
type Phase = { k: 'loading' } | { k: 'missing' } | { k: 'ready'; token: string } | { k: 'posting'; token: string } | { k: 'done'; done: Done } | { k: 'error'; message: string; token: string };

export function ConfirmJoin({ locale }: { locale: string }) {
  const t = useTranslations();
  const [phase, setPhase] = useState<Phase>({ k: 'loading' });
  const read = useRef(false);

  useEffect(() => {
    function readFragment() {
      const tok = new URLSearchParams(window.location.hash.slice(1)).get('t');
      if (read.current && !tok) return;
      read.current = true;
      history.replaceState(null, '', window.location.pathname);
      setPhase(tok ? { k: 'ready', token: tok } : { k: 'missing' });
    }
    // Effects may run twice (strict mode): the fragment is read and cleared once.
    if (!read.current) readFragment();
    window.addEventListener('hashchange', readFragment);
    return () => window.removeEventListener('hashchange', readFragment);
  }, []);

  async function confirm(token: string) {
    setPhase({ k: 'posting', token });
    try {
      const r = await confirmJoinAction({ token });
      if (r.ok) setPhase({ k: 'done', done: r.data });
      else setPhase({ k: 'error', message: r.message, token });
    } catch {
      setPhase({ k: 'error', message: 'errors.offline', token });
    }
  }

  switch (phase.k) {
    case 'loading':
      return (
        <p role="status" aria-live="polite">
          {t('common.loading')}
        </p>
      );
    case 'missing':
      return <Alert tone="info">{t('joining.confirmMissing')}</Alert>;
    case 'done':
      return (
        <div className="flex flex-col gap-4">
          <Alert tone="ok">{t('joining.confirmed', { title: phase.done.title, name: phase.done.name })}</Alert>
          <div>
            <Link href={`/${locale}/s/${encodeURIComponent(phase.done.slug)}`} className={buttonClass('secondary')}>
              {t('joining.viewStatement')}
            </Link>
          </div>
        </div>
      );
    case 'error': {
      // One answer for unknown, expired and used links; a closed statement and a busy address say so.
      const known = ['joining.errors.closed', 'errors.rateLimited', 'errors.offline'];
      const retry = phase.message === 'errors.offline' || phase.message === 'errors.rateLimited';
      return (
        <div className="flex flex-col gap-4">
          <Alert>{t(known.includes(phase.message) ? phase.message : 'joining.errors.linkInvalid')}</Alert>
          {retry ? (
            <div>
              <Button type="button" onClick={() => confirm(phase.token)}>
                {t('joining.confirmButton')}
              </Button>
            </div>
          ) : null}
        </div>
      );
    }
    default: {
      const posting = phase.k === 'posting';
      return (
        <div className="flex flex-col gap-4">
          <p>{t('joining.confirmBody')}</p>
          <div>
            <Button type="button" onClick={() => confirm(phase.token)} disabled={posting} aria-busy={posting}>
              {posting ? t('joining.confirming') : t('joining.confirmButton')}
            </Button>
          </div>
        </div>
      );
    }
  }
}
