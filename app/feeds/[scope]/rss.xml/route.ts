import { feedResponse } from '@/lib/data-routes';

// Every published statement, newest first. Served at /feeds/rss.xml (a rewrite in next.config.ts) and
// /feeds/all/rss.xml. The scope is a dynamic segment so the feed is rendered on its first request and cached (ISR),
// never at build time (the build has no database); refreshed within 30 s on every instance, at once on this one
// when something is published or signed.
export const revalidate = 30;
export function generateStaticParams() {
  return [];
}

export async function GET(_req: Request, { params }: { params: Promise<{ scope: string }> }) {
  const { scope } = await params;
  if (scope !== 'all') return new Response('Not found', { status: 404, headers: { 'content-type': 'text/plain; charset=utf-8' } });
  return feedResponse({ kind: 'all' }, 'rss');
}
