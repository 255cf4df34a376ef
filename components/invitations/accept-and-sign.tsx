'use client';
// Accept and sign on one page (S4): while the statement is open for signature, an owner/admin answering an
// invitation reads the exact frozen text (with its version and SHA-256), and accepts for the organization and
// signs it in one step. The version and hash shown travel with the call, so a newer freeze is refused clearly.
import { useRouter } from 'next/navigation';
import { useLocale, useTranslations } from 'next-intl';
import { useId, useMemo, useState, useTransition, type ReactNode } from 'react';
import { acceptAndSignAction } from '@/app/_actions/signing';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { Field } from '@/components/ui/field';
import type { DocJSON } from '@/lib/editor/extensions';
import { renderDoc } from '@/lib/editor/render';
import { directionOf, languageName } from '@/lib/languages';

export type OpenVersion = {
  version: number;
  contentSha256: string;
  primaryLang: string;
  texts: Record<string, { title: string; body: DocJSON }>;
};
type Proof = { token: string } | { via: 'handoff' } | { invitationId: string };

export function AcceptAndSign({
  proof,
  signing,
  org,
  signerName,
  disabled,
  onInvalid,
  onDone,
}: {
  proof: Proof;
  signing: OpenVersion;
  org: { id: string; name: string; memberTitle: string | null };
  signerName: string | null;
  disabled?: boolean;
  onInvalid: (message: string) => boolean;
  onDone: () => void;
}) {
  const t = useTranslations();
  const ta = useTranslations('acceptSign');
  const tr = useTranslations('render');
  const router = useRouter();
  const locale = useLocale();
  const id = useId();
  const langs = useMemo(
    () =>
      Object.keys(signing.texts).sort(
        (a, b) => Number(b === signing.primaryLang) - Number(a === signing.primaryLang),
      ),
    [signing],
  );
  const [lang, setLang] = useState(langs[0]!);
  const [title, setTitle] = useState(org.memberTitle ?? '');
  const [showName, setShowName] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [pending, start] = useTransition();
  const text = signing.texts[lang]!;
  const html = useMemo(
    () => renderDoc(text.body, { notesLabel: tr('notes'), backLabel: tr('backToText'), idPrefix: 'inv' }).html,
    [text, tr],
  );

  const submit = () => {
    setError(null);
    start(async () => {
      const r = await acceptAndSignAction({
        ...proof,
        orgId: org.id,
        version: signing.version,
        contentSha256: signing.contentSha256,
        title: title.trim() || null,
        showName: signerName ? showName : false,
      });
      if (!r.ok) {
        if (!onInvalid(r.message)) setError(r.message);
        return;
      }
      onDone();
      router.push(`/statements/${r.data.statementId}/receipts/${r.data.bindingId}`);
    });
  };

  let errorBox: ReactNode = null;
  if (error === 'errors.staleVersion')
    errorBox = (
      <Alert tone="warn">
        <span className="flex flex-col gap-2">
          <span>{t(error)}</span>
          <span>
            <Button type="button" variant="secondary" onClick={() => window.location.reload()}>
              {ta('reload')}
            </Button>
          </span>
        </span>
      </Alert>
    );
  else if (error) errorBox = <Alert>{t(error)}</Alert>;

  return (
    <section
      aria-labelledby={`${id}-h`}
      className="flex flex-col gap-4 rounded-lg border border-accent p-4"
      data-testid="accept-and-sign"
    >
      <div className="flex flex-col gap-1">
        <h3 id={`${id}-h`} className="text-lg font-semibold">
          {ta('heading', { version: signing.version })}
        </h3>
        <p className="text-sm text-muted">{ta('explain', { org: org.name })}</p>
        <p className="text-sm">
          <span className="font-semibold">{ta('hashLabel')}</span>{' '}
          <code className="font-mono text-xs break-all" data-testid="content-sha256">
            {signing.contentSha256}
          </code>
        </p>
      </div>
      {langs.length > 1 ? (
        <div role="group" aria-label={ta('languages')} className="flex flex-wrap gap-2">
          {langs.map((l) => (
            <button
              key={l}
              type="button"
              aria-pressed={l === lang}
              onClick={() => setLang(l)}
              className="min-h-9 rounded-full border border-line px-3 py-1 text-sm hover:bg-stone-100 aria-[pressed=true]:border-accent aria-[pressed=true]:bg-accent aria-[pressed=true]:text-white"
            >
              {languageName(l, locale)}
            </button>
          ))}
        </div>
      ) : null}
      <article
        lang={lang}
        dir={directionOf(lang)}
        className="max-h-[60vh] overflow-y-auto rounded-md border border-line bg-stone-50 p-3"
        tabIndex={0}
        aria-label={ta('textLabel', { version: signing.version })}
      >
        <h4 className="mb-2 text-lg font-bold break-words">{text.title}</h4>
        <div className="statement-text" data-testid="frozen-text" dangerouslySetInnerHTML={{ __html: html }} />
      </article>
      <Field
        id={`${id}-title`}
        label={ta('titleLabel')}
        value={title}
        onChange={(e) => setTitle(e.target.value)}
        maxLength={200}
      />
      {signerName ? (
        <label className="flex min-h-11 items-center gap-3">
          <input
            type="checkbox"
            className="h-5 w-5"
            checked={showName}
            onChange={(e) => setShowName(e.target.checked)}
          />
          <span>{ta('showName', { name: signerName })}</span>
        </label>
      ) : (
        <p className="text-sm text-muted">{ta('noName')}</p>
      )}
      {errorBox}
      <div>
        <Button type="button" onClick={submit} disabled={disabled || pending} aria-busy={pending}>
          {ta('button', { org: org.name, version: signing.version })}
        </Button>
      </div>
    </section>
  );
}
