import '@fontsource/noto-sans/400.css';
import '@fontsource/noto-sans/700.css';
import '@fontsource/noto-sans-armenian/400.css';
import '@fontsource/noto-sans-armenian/700.css';
import '../embed.css';
import type { ReactNode } from 'react';
import { isLocale } from '@/lib/i18n';

// The embed's own root layout: no site header, footer, session or client components; only its small stylesheet.
// It is under [lang] so that <html lang> is the page's language.
export default async function EmbedLayout({
  children,
  params,
}: {
  children: ReactNode;
  params: Promise<{ lang: string }>;
}) {
  const { lang } = await params;
  return (
    <html lang={isLocale(lang) ? lang : 'en'}>
      <body className="embed">{children}</body>
    </html>
  );
}
