import { statementPdfResponse } from '@/lib/data-routes';

// Cached (ISR) on first request and refreshed within 30 s on every instance; the PDF itself is rendered once per
// record revision and language and stored in PostgreSQL (lib/pdf.ts), so a regeneration reads stored bytes.
export const revalidate = 30;
export function generateStaticParams() {
  return [];
}

/** The PDF of the final text and its signatories (R4). */
export async function GET(_req: Request, { params }: { params: Promise<{ slug: string; lang: string }> }) {
  const { slug, lang } = await params;
  return statementPdfResponse(slug, lang);
}
