import { feedResponse } from '@/lib/data-routes';

// Cached (ISR) on first request and refreshed within 30 s on every instance.
export const revalidate = 30;
export function generateStaticParams() {
  return [];
}

/** Statements whose published version includes the language, in that language. */
export async function GET(_req: Request, { params }: { params: Promise<{ lang: string }> }) {
  const { lang } = await params;
  return feedResponse({ kind: 'lang', lang }, 'rss');
}
