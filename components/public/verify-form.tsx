'use client';
import { useTranslations } from 'next-intl';
import { useState, type FormEvent } from 'react';
import type { VerifyReport } from '@/lib/verify';

const MAX_BYTES = 5 * 1024 * 1024;
const ERROR_KEYS = new Set(['tooLarge', 'urlInvalid', 'urlNotThisSite', 'urlNotARecord', 'notFound', 'badRequest']);

type State = { kind: 'idle' } | { kind: 'busy' } | { kind: 'error'; key: string } | { kind: 'done'; report: VerifyReport };

/** The verify form: paste a signed record (or give one of this site's record URLs); POST /api/verify checks it. */
export function VerifyForm({ lang }: { lang: string }) {
  const t = useTranslations('verify');
  const [record, setRecord] = useState('');
  const [url, setUrl] = useState('');
  const [state, setState] = useState<State>({ kind: 'idle' });

  async function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const body = record.trim() ? { record } : url.trim() ? { url: url.trim() } : null;
    if (!body) return setState({ kind: 'error', key: 'empty' });
    if ('record' in body && new Blob([record]).size > MAX_BYTES) return setState({ kind: 'error', key: 'tooLarge' });
    setState({ kind: 'busy' });
    try {
      const res = await fetch('/api/verify', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
      const data = (await res.json()) as VerifyReport | { error: { code: string; message: string } };
      if ('error' in data && typeof data.error === 'object') {
        const key = data.error.message.replace(/^verify\./, '');
        return setState({ kind: 'error', key: data.error.code === 'RATE_LIMITED' ? 'rateLimited' : ERROR_KEYS.has(key) ? key : 'failed' });
      }
      setState({ kind: 'done', report: data as VerifyReport });
    } catch {
      setState({ kind: 'error', key: 'failed' });
    }
  }

  return (
    <div className="flex flex-col gap-6">
      <form onSubmit={submit} className="flex flex-col gap-4" noValidate>
        <div className="flex flex-col gap-1">
          <label htmlFor="verify-record" className="text-sm font-semibold">
            {t('recordLabel')}
          </label>
          <textarea
            id="verify-record"
            value={record}
            onChange={(e) => setRecord(e.target.value)}
            aria-describedby="verify-record-hint"
            rows={10}
            spellCheck={false}
            autoCapitalize="off"
            autoCorrect="off"
            className="min-h-40 w-full rounded-md border border-stone-400 bg-white px-3 py-2 font-mono text-sm"
          />
          <p id="verify-record-hint" className="text-sm text-muted">
            {t('recordHint')}
          </p>
        </div>
        <div className="flex flex-col gap-1">
          <label htmlFor="verify-url" className="text-sm font-semibold">
            {t('urlLabel')}
          </label>
          <input
            id="verify-url"
            type="url"
            inputMode="url"
            value={url}
            onChange={(e) => setUrl(e.target.value)}
            aria-describedby="verify-url-hint"
            autoComplete="off"
            className="min-h-11 w-full rounded-md border border-stone-400 bg-white px-3 py-2 text-base"
          />
          <p id="verify-url-hint" className="text-sm text-muted">
            {t('urlHint')}
          </p>
        </div>
        <div>
          <button
            type="submit"
            disabled={state.kind === 'busy'}
            className="inline-flex min-h-11 items-center justify-center rounded-md bg-accent px-4 py-2 text-sm font-semibold text-white hover:bg-[#16304f] disabled:opacity-60"
          >
            {state.kind === 'busy' ? t('checking') : t('submit')}
          </button>
        </div>
      </form>
      <div role="status" aria-live="polite" aria-atomic="false">
        {state.kind === 'error' ? <p className="rounded-md border border-danger bg-rose-50 p-3 text-sm text-danger">{t(state.key)}</p> : null}
        {state.kind === 'done' ? <Result report={state.report} lang={lang} /> : null}
      </div>
    </div>
  );
}

function Result({ report: r, lang }: { report: VerifyReport; lang: string }) {
  const t = useTranslations('verify');
  const row = 'flex flex-col gap-1 border-t border-line py-3 sm:flex-row sm:gap-4';
  const code = 'break-all font-mono text-xs';
  return (
    <section aria-labelledby="verify-result-heading" className="flex flex-col gap-2 rounded-lg border border-line bg-white p-4">
      <h2 id="verify-result-heading" className="text-xl font-semibold">
        {t('resultHeading')}
      </h2>
      <p className={`font-semibold ${r.ok ? 'text-ok' : 'text-danger'}`}>{r.ok ? t('verdictOk') : t('verdictFail')}</p>
      {r.error ? <p className="text-danger">{t(r.error)}</p> : null}
      {r.error === 'unparseable' ? null : (
        <dl className="flex flex-col">
          <div className={row}>
            <dt className="font-semibold sm:w-44">{t('hash')}</dt>
            <dd className="flex min-w-0 flex-col gap-1">
              <span className={r.hashOk ? 'text-ok' : 'text-danger'}>{r.hashOk ? t('hashOk') : t('hashBad')}</span>
              {r.computedSha256 ? (
                <span>
                  {t('computed')}: <code className={code}>{r.computedSha256}</code>
                </span>
              ) : null}
              {r.claimedSha256 ? (
                <span>
                  {t('claimed')}: <code className={code}>{r.claimedSha256}</code>
                </span>
              ) : null}
            </dd>
          </div>
          <div className={row}>
            <dt className="font-semibold sm:w-44">{t('signature')}</dt>
            <dd className={r.signatureOk ? 'text-ok' : 'text-danger'}>{r.signatureOk ? t('signatureOk') : t('signatureBad')}</dd>
          </div>
          <div className={row}>
            <dt className="font-semibold sm:w-44">{t('key')}</dt>
            <dd className="flex min-w-0 flex-col gap-1">
              {r.key.id ? <code className={code}>{r.key.id}</code> : null}
              <span className={r.key.status === 'unknown' ? 'text-danger' : undefined}>
                {t(r.key.status === 'current' ? 'keyCurrent' : r.key.status === 'retired' ? 'keyRetired' : 'keyUnknown')}
              </span>
            </dd>
          </div>
        </dl>
      )}
      {r.error === 'unparseable' ? null : <Live report={r} lang={lang} />}
    </section>
  );
}

function Live({ report: r, lang }: { report: VerifyReport; lang: string }) {
  const t = useTranslations('verify');
  const live = r.live;
  const paths = (list: string[]) => (
    <ul className="list-disc pl-5">
      {list.map((p) => (
        <li key={p}>
          <code className="break-all font-mono text-xs">{p}</code>
        </li>
      ))}
    </ul>
  );
  return (
    <div className="flex flex-col gap-2 border-t border-line pt-3">
      <h3 className="font-semibold">{t('liveHeading')}</h3>
      {!live ? (
        <p>{r.subject ? t('liveNone', { slug: r.subject.slug }) : t('liveMissing')}</p>
      ) : (
        <>
          {live.sameAsLive ? <p className="text-ok">{t('liveSame', { seq: live.seq })}</p> : null}
          {live.revision?.matchesStored ? <p>{t('liveOlderMatches', { seq: live.revision.seq, live: live.seq })}</p> : null}
          {live.revision && !live.revision.matchesStored ? (
            <>
              <p className="text-danger">{t('liveOlderDiffers', { seq: live.revision.seq })}</p>
              {paths(live.revision.differences)}
            </>
          ) : null}
          {!live.sameAsLive ? (
            <>
              <p>{t('liveDiffers', { seq: live.seq })}</p>
              {paths(live.differences)}
            </>
          ) : null}
          {live.state === 'closed' ? <p>{t('liveClosed')}</p> : live.state === 'withdrawn' ? <p>{t('liveWithdrawn')}</p> : null}
          <p>
            <a href={`/${lang}/s/${live.slug}`} className="text-accent underline">
              {t('viewLive')}
            </a>
          </p>
        </>
      )}
    </div>
  );
}
