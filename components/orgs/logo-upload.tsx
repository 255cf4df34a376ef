'use client';
import { useRouter } from 'next/navigation';
import { useTranslations } from 'next-intl';
import { useState } from 'react';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';

/** Uploads through a route handler (bodies over 1 MB do not belong in server actions), with progress. */
export function LogoUpload({ orgId, logoFileId, orgName }: { orgId: string; logoFileId: string | null; orgName: string }) {
  const t = useTranslations();
  const router = useRouter();
  const [progress, setProgress] = useState<number | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState(false);

  function upload(form: HTMLFormElement) {
    const data = new FormData(form);
    const file = data.get('logo');
    if (!(file instanceof File) || file.size === 0) return setError('errors.logoEmpty');
    setError(null);
    setDone(false);
    setProgress(0);
    const xhr = new XMLHttpRequest();
    xhr.open('POST', `/api/orgs/${orgId}/logo`);
    xhr.upload.onprogress = (e) => e.lengthComputable && setProgress(Math.round((e.loaded / e.total) * 100));
    xhr.onload = () => {
      setProgress(null);
      if (xhr.status >= 200 && xhr.status < 300) {
        setDone(true);
        form.reset();
        router.refresh();
      } else {
        try {
          setError((JSON.parse(xhr.responseText) as { error: { message: string } }).error.message);
        } catch {
          setError('errors.unexpected');
        }
      }
    };
    xhr.onerror = () => {
      setProgress(null);
      setError('errors.offline');
    };
    xhr.send(data);
  }

  return (
    <form
      className="flex flex-col gap-3"
      onSubmit={(e) => {
        e.preventDefault();
        upload(e.currentTarget);
      }}
    >
      <div className="flex flex-wrap items-center gap-4">
        {logoFileId ? (
          // eslint-disable-next-line @next/next/no-img-element -- our own re-encoded PNG, served with immutable caching
          <img src={`/api/files/${logoFileId}`} alt={t('orgs.logoAlt', { name: orgName })} className="h-20 w-20 rounded border border-line bg-white object-contain" />
        ) : (
          <div className="flex h-20 w-20 items-center justify-center rounded border border-dashed border-stone-300 text-xs text-muted">{t('orgs.noLogo')}</div>
        )}
        <div className="flex min-w-0 flex-1 flex-col gap-1">
          <label htmlFor="logo" className="text-sm font-semibold">
            {t('orgs.logoLabel')}
          </label>
          <input id="logo" name="logo" type="file" accept="image/png,image/jpeg,image/webp,image/gif" className="w-full max-w-full text-sm" aria-describedby="logo-hint" />
          <p id="logo-hint" className="text-xs text-muted">
            {t('orgs.logoHint')}
          </p>
        </div>
      </div>
      {progress !== null ? (
        <div className="flex items-center gap-2">
          <progress max={100} value={progress} aria-label={t('orgs.uploading')} className="h-2 w-48" />
          <span className="text-sm">{t('orgs.percent', { n: progress })}</span>
        </div>
      ) : null}
      {error ? <Alert>{t(error)}</Alert> : null}
      {done ? <Alert tone="ok">{t('orgs.logoSaved')}</Alert> : null}
      <div>
        <Button type="submit" variant="secondary" disabled={progress !== null}>
          {t('orgs.uploadLogo')}
        </Button>
      </div>
    </form>
  );
}
