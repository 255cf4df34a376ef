import { revisionResponse } from '@/lib/data-routes';

// A revision never changes; cached like the other data routes (a 404 for a future seq must not stick for long).
export const revalidate = 30;
export function generateStaticParams() {
  return [];
}

/** One revision of the signed record, at its stable address. */
export async function GET(_req: Request, { params }: { params: Promise<{ slug: string; seq: string }> }) {
  const { slug, seq } = await params;
  return revisionResponse(slug, seq);
}
