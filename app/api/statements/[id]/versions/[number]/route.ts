import { getDb } from '@/db';
import { AppError } from '@/lib/errors';
import { jsonError } from '@/lib/http';
import { getActor } from '@/lib/session';
import { getVersion } from '@/lib/signing';

/**
 * The canonical bytes of a frozen version (PRODUCT.md, Version): exactly what `content_sha256` is computed over,
 * served as stored, for readers of the unpublished statement. `X-Content-SHA256` repeats the hash.
 */
export async function GET(_req: Request, { params }: { params: Promise<{ id: string; number: string }> }) {
  try {
    const actor = await getActor();
    if (!actor) throw new AppError('NOT_FOUND', 'errors.notFound');
    const { id, number } = await params;
    if (!/^[1-9][0-9]{0,6}$/.test(number)) throw new AppError('NOT_FOUND', 'errors.notFound');
    const { version } = await getVersion({ db: getDb(), actor }, id, Number(number));
    return new Response(version.canonical, {
      headers: {
        'Content-Type': 'application/json; charset=utf-8',
        'Content-Disposition': `inline; filename="statement-${id}-v${version.number}.json"`,
        'X-Content-SHA256': version.contentSha256,
        'Cache-Control': 'private, no-store',
      },
    });
  } catch (e) {
    return jsonError(e, { 'Cache-Control': 'no-store' });
  }
}
