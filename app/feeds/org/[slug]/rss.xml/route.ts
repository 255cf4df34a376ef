import { feedResponse } from '@/lib/data-routes';

// Cached (ISR) on first request and refreshed within 30 s on every instance.
export const revalidate = 30;
export function generateStaticParams() {
  return [];
}

/** Statements the organization initiated or signed. */
export async function GET(_req: Request, { params }: { params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  return feedResponse({ kind: 'org', slug }, 'rss');
}
