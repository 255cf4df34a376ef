'use client';
import { useTranslations } from 'next-intl';
import { useRouter } from 'next/navigation';
import { useState, useTransition } from 'react';
import { freezeVersionAction, reopenStatementAction } from '@/app/_actions/signing';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { ConfirmButton } from '@/components/ui/confirm-button';

export type Result = { ok: true; data: unknown } | { ok: false; code: string; message: string; fieldErrors?: Record<string, string[]> };

/** Run a server action with a plain object; keep its error for display; refresh (or go on) when it succeeds. */
export function useRun() {
  const t = useTranslations();
  const router = useRouter();
  const [pending, start] = useTransition();
  const [error, setError] = useState<{ message: string; code: string; fields?: Record<string, string[]> } | null>(null);
  const run = (fn: () => Promise<Result>, onOk?: (data: unknown) => void) =>
    start(async () => {
      setError(null);
      let r: Result;
      try {
        r = await fn();
      } catch {
        setError({ message: 'errors.offline', code: 'OFFLINE' });
        return;
      }
      if (!r.ok) {
        setError({ message: r.message, code: r.code, fields: r.fieldErrors });
        return;
      }
      if (onOk) onOk(r.data);
      else router.refresh();
    });
  const field = (k: string) => {
    const m = error?.fields?.[k]?.[0];
    return m ? t(m) : undefined;
  };
  const alert = error ? (
    <Alert>
      {t(error.message)}
      {error.code === 'CONFLICT' ? (
        <>
          {' '}
          <button type="button" className="font-semibold underline" onClick={() => window.location.reload()}>
            {t('signing.reload')}
          </button>
        </>
      ) : null}
    </Alert>
  ) : null;
  return { run, pending, alert, field, router };
}

/** Initiator admins: freeze the draft as the next version, choosing the languages included. */
export function FreezePanel({
  statementId,
  nextVersion,
  languages,
}: {
  statementId: string;
  nextVersion: number;
  languages: { lang: string; name: string; isPrimary: boolean; outOfDate: boolean }[];
}) {
  const t = useTranslations('signing');
  const { run, pending, alert, field } = useRun();
  const [chosen, setChosen] = useState<string[]>(languages.filter((l) => l.isPrimary || !l.outOfDate).map((l) => l.lang));
  const [asking, setAsking] = useState(false);
  return (
    <div className="flex flex-col gap-3" data-testid="freeze-panel">
      <fieldset className="flex flex-col gap-2">
        <legend className="mb-1 text-sm font-semibold">{t('freezeLanguages')}</legend>
        {languages.map((l) => (
          <label key={l.lang} className="flex items-start gap-2 text-sm">
            <input
              type="checkbox"
              className="mt-1 size-4"
              checked={chosen.includes(l.lang)}
              disabled={l.isPrimary || pending}
              onChange={(e) => setChosen((c) => (e.target.checked ? [...c, l.lang] : c.filter((x) => x !== l.lang)))}
            />
            <span>
              {l.name}
              {l.isPrimary ? <span className="text-muted"> {t('primaryAlways')}</span> : null}
              {l.outOfDate ? <span className="block text-amber-900">{t('outOfDateHint')}</span> : null}
            </span>
          </label>
        ))}
      </fieldset>
      {field('langs') ? <p className="text-sm text-danger">{field('langs')}</p> : null}
      {alert}
      {asking ? (
        <div role="group" className="flex flex-col gap-2 rounded-md border border-line bg-stone-50 p-3 text-sm">
          <p>{t('freezeQuestion', { version: nextVersion })}</p>
          <div className="flex flex-wrap gap-2">
            <Button
              type="button"
              disabled={pending}
              onClick={() =>
                run(() => freezeVersionAction({ statementId, langs: chosen }) as Promise<Result>, () => {
                  setAsking(false);
                  window.location.reload();
                })
              }
            >
              {pending ? t('freezing') : t('freezeConfirm', { version: nextVersion })}
            </Button>
            <Button type="button" variant="secondary" onClick={() => setAsking(false)}>
              {t('cancel')}
            </Button>
          </div>
        </div>
      ) : (
        <div>
          <Button type="button" onClick={() => setAsking(true)}>
            {t('freezeButton', { version: nextVersion })}
          </Button>
        </div>
      )}
    </div>
  );
}

/** Initiator admins: open → reopened. */
export function ReopenButton({ statementId, version }: { statementId: string; version: number }) {
  const t = useTranslations('signing');
  const { run, pending, alert } = useRun();
  return (
    <div className="flex flex-col gap-2">
      <div>
        <ConfirmButton
          variant="secondary"
          label={t('reopenButton')}
          question={t('reopenQuestion', { version })}
          confirmLabel={t('reopenConfirm')}
          cancelLabel={t('cancel')}
          disabled={pending}
          onConfirm={() => run(() => reopenStatementAction({ statementId }) as Promise<Result>, () => window.location.reload())}
        />
      </div>
      {alert}
    </div>
  );
}
