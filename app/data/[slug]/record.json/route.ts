import { recordResponse } from '@/lib/data-routes';

// Cached (ISR) on first request and refreshed within 30 s on every instance.
export const revalidate = 30;
export function generateStaticParams() {
  return [];
}

/** The latest signed record envelope { record, sha256, key_id, signature }, exactly as stored (R6). */
export async function GET(_req: Request, { params }: { params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  return recordResponse(slug);
}
