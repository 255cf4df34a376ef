import { signatoriesCsvResponse } from '@/lib/data-routes';

// Cached (ISR) on first request and refreshed within 30 s on every instance.
export const revalidate = 30;
export function generateStaticParams() {
  return [];
}

/** The signatories as CSV, in the list order of the language (R3; formula-safe). */
export async function GET(_req: Request, { params }: { params: Promise<{ slug: string; lang: string }> }) {
  const { slug, lang } = await params;
  return signatoriesCsvResponse(slug, lang);
}
