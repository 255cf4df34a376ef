import Link from 'next/link';
import { getLocale, getTranslations } from 'next-intl/server';
import { Card } from '@/components/ui/card';
import type { DocJSON } from '@/lib/editor/extensions';
import { renderDoc } from '@/lib/editor/render';
import { directionOf, languageName } from '@/lib/languages';

/** The hash, monospace and breakable anywhere so 64 hex digits never widen a phone screen. */
export function Hash({ value }: { value: string }) {
  return (
    <code className="font-mono text-xs break-all" data-testid="content-sha256">
      {value}
    </code>
  );
}

/** The exact frozen text of one version, one language at a time (`?lang=`), with its number and SHA-256. */
export async function VersionText({
  statementId,
  basePath,
  version,
  contentSha256,
  frozenAt,
  texts,
  primaryLang,
  lang,
}: {
  statementId: string;
  basePath: string;
  version: number;
  contentSha256: string;
  frozenAt: string;
  texts: Record<string, { title: string; body: DocJSON }>;
  primaryLang: string;
  lang: string | null;
}) {
  const [t, tn, locale] = await Promise.all([getTranslations('signPage'), getTranslations('render'), getLocale()]);
  const langs = Object.keys(texts).sort((a, b) => Number(b === primaryLang) - Number(a === primaryLang));
  const shown = lang && texts[lang] ? lang : texts[primaryLang] ? primaryLang : langs[0]!;
  const text = texts[shown]!;
  const html = renderDoc(text.body, { notesLabel: tn('notes'), backLabel: tn('backToText'), idPrefix: 'v' }).html;
  return (
    <Card>
      <div className="mb-3 flex flex-col gap-1">
        <h2 className="text-lg font-semibold">{t('frozenTextHeading', { version })}</h2>
        <p className="text-sm text-muted">{t('frozenOn', { date: frozenAt })}</p>
        <p className="text-sm">
          <span className="font-semibold">{t('sha256')}</span> <Hash value={contentSha256} />
        </p>
        <p className="text-sm">
          <a href={`/api/statements/${statementId}/versions/${version}`} className="text-accent underline">
            {t('canonicalJson')}
          </a>
        </p>
      </div>
      {langs.length > 1 ? (
        <nav aria-label={t('versionLanguages')} className="mb-3 flex flex-wrap gap-2">
          {langs.map((l) => (
            <Link
              key={l}
              href={`${basePath}?lang=${l}`}
              aria-current={l === shown ? 'page' : undefined}
              className="rounded-full border border-line px-3 py-1 text-sm hover:bg-stone-100 aria-[current=page]:border-accent aria-[current=page]:bg-accent aria-[current=page]:text-white"
              scroll={false}
            >
              {languageName(l, locale)}
            </Link>
          ))}
        </nav>
      ) : null}
      <article lang={shown} dir={directionOf(shown)} className="border-t border-line pt-3">
        <h3 className="mb-3 text-xl font-bold break-words">{text.title}</h3>
        <div className="statement-text" data-testid="frozen-text" dangerouslySetInnerHTML={{ __html: html }} />
      </article>
    </Card>
  );
}
