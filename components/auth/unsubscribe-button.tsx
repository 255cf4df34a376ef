'use client';
import { useTranslations } from 'next-intl';
import { useState } from 'react';
import { Button } from '@/components/ui/button';

export function UnsubscribeButton({ u }: { u: string }) {
  const t = useTranslations();
  const [state, setState] = useState<'idle' | 'posting' | 'done' | 'invalid'>('idle');
  async function go() {
    setState('posting');
    const res = await fetch(`/api/unsubscribe?u=${encodeURIComponent(u)}`, { method: 'POST' }).catch(() => null);
    setState(res?.ok ? 'done' : 'invalid');
  }
  if (state === 'done') return <p role="status">{t('unsubscribe.done')}</p>;
  if (state === 'invalid') return <p role="alert">{t('unsubscribe.invalid')}</p>;
  return (
    <Button type="button" onClick={go} disabled={state === 'posting'}>
      {t('unsubscribe.button')}
    </Button>
  );
}
