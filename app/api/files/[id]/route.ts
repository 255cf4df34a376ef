import { getDb } from '@/db';
import { getPublicFile } from '@/lib/orgs';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Public images (organization logos), re-encoded at upload; immutable, so cached for a year. */
export async function GET(_req: Request, { params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const file = UUID.test(id) ? await getPublicFile(getDb(), id) : null;
  if (!file) return Response.json({ error: { code: 'NOT_FOUND', message: 'errors.notFound' } }, { status: 404 });
  return new Response(new Uint8Array(file.bytes), {
    headers: {
      'Content-Type': file.mime,
      'Content-Length': String(file.size),
      'Cache-Control': 'public, max-age=31536000, immutable',
      'Content-Security-Policy': "default-src 'none'; sandbox",
      'X-Content-Type-Options': 'nosniff',
      ETag: `"${file.sha256}"`,
    },
  });
}
