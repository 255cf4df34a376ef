import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { ImageResponse } from 'next/og';
import { getDb } from '@/db';
import { formatCalendarDate } from '@/lib/archive';
import { translator, isLocale, type Locale } from '@/lib/i18n';
import { getPublicStatement } from '@/lib/publishing';

// The Open Graph / Twitter card image (R7): the title in the page's language (Armenian and Cyrillic included), the
// date and the number of signatories. Cached like the page; rendered on first request (no database at build time).
export const revalidate = 30;
export function generateStaticParams() {
  return [];
}
export const size = { width: 1200, height: 630 };
export const contentType = 'image/png';
export const alt = 'Undersigned';

type Font = { name: string; data: Buffer; weight: 400 | 700; style: 'normal' };

// Satori reads woff and ttf (not woff2): the same @fontsource files the site uses, one family name per subset (satori
// keeps one font per name and weight, and falls back along the family list glyph by glyph). Loaded once per process.
const SUBSETS: [family: string, pkg: string, prefix: string][] = [
  ['Noto Sans', 'noto-sans', 'noto-sans-latin'],
  ['Noto Sans Latin Ext', 'noto-sans', 'noto-sans-latin-ext'],
  ['Noto Sans Cyrillic', 'noto-sans', 'noto-sans-cyrillic'],
  ['Noto Sans Cyrillic Ext', 'noto-sans', 'noto-sans-cyrillic-ext'],
  ['Noto Sans Armenian', 'noto-sans-armenian', 'noto-sans-armenian-armenian'],
];
const FAMILY = SUBSETS.map(([f]) => f).join(', ');
let fonts: Promise<Font[]> | null = null;
function loadFonts(): Promise<Font[]> {
  const dir = (pkg: string) => path.join(process.cwd(), 'node_modules', '@fontsource', pkg, 'files');
  fonts ??= Promise.all(
    SUBSETS.flatMap(([name, pkg, prefix]) =>
      ([400, 700] as const).map(async (weight) => ({ name, data: await readFile(path.join(dir(pkg), `${prefix}-${weight}-normal.woff`)), weight, style: 'normal' as const })),
    ),
  ).catch((e: unknown) => {
    fonts = null;
    throw e;
  });
  return fonts;
}

// Characters outside the loaded fonts would make the image renderer fetch a font from the network: leave them out.
const UNCOVERED = /[^\u0020-\u007E\u00A0-\u024F\u0301\u0304\u0307\u0308\u0400-\u052F\u0530-\u058F\u2010-\u2027\u2030-\u205E\u20AC\u2116\u2122\uFB13-\uFB17]/gu;
const covered = (s: string) => s.replace(UNCOVERED, ' ').replace(/\s+/g, ' ').trim();

const clip = (s: string, n: number) => (s.length > n ? `${s.slice(0, n - 1).trimEnd()}…` : s);

export default async function OpenGraphImage({ params }: { params: Promise<{ lang: string; slug: string }> }) {
  const { lang: raw, slug } = await params;
  const lang: Locale = isLocale(raw) ? raw : 'en';
  const t = translator(lang, 'publicStatement');
  const brand = translator(lang, 'meta')('title');
  const [pub, fontList] = await Promise.all([getPublicStatement(getDb(), slug), loadFonts()]);
  if (!pub) return new Response(null, { status: 404 });
  const record = pub.record;
  const text = record.texts[lang] ?? record.texts[record.primary_lang];
  const title = clip(covered(text?.title ?? '') || brand, 180);
  const signed = record.signatories.filter((s) => s.status === 'signed').length;
  const fontSize = title.length > 120 ? 46 : title.length > 60 ? 58 : 72;
  return new ImageResponse(
    (
      <div
        style={{
          width: '100%',
          height: '100%',
          display: 'flex',
          flexDirection: 'column',
          justifyContent: 'space-between',
          padding: '64px 72px',
          background: '#fafaf9',
          color: '#1c1917',
          fontFamily: FAMILY,
          borderTop: '16px solid #1e3a5f',
        }}
      >
        <div style={{ display: 'flex', justifyContent: 'space-between', fontSize: 30, color: '#1e3a5f', fontWeight: 700 }}>
          <span>{brand}</span>
          <span style={{ color: '#57534e', fontWeight: 400 }}>{formatCalendarDate(record.display_date, lang)}</span>
        </div>
        <div style={{ display: 'flex', fontSize, fontWeight: 700, lineHeight: 1.2 }}>{title}</div>
        <div style={{ display: 'flex', justifyContent: 'space-between', fontSize: 30, color: '#57534e' }}>
          <span>{t('ogSignatories', { count: signed })}</span>
          {record.state !== 'published' ? (
            <span style={{ color: record.state === 'withdrawn' ? '#9f1239' : '#1c1917', fontWeight: 700 }}>
              {record.state === 'withdrawn' ? t('ogWithdrawn') : t('ogClosed')}
            </span>
          ) : null}
        </div>
      </div>
    ),
    { ...size, fonts: fontList },
  );
}
