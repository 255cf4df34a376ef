'use client';
import { useTranslations } from 'next-intl';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';

/** The board could not be loaded (a database hiccup): say so, and offer to try again. */
export default function InvitationsError({ reset }: { error: Error; reset: () => void }) {
  const t = useTranslations();
  return (
    <div className="flex flex-col items-start gap-3">
      <Alert>{t('errors.unexpected')}</Alert>
      <Button type="button" variant="secondary" onClick={reset}>
        {t('invitations.retry')}
      </Button>
    </div>
  );
}
