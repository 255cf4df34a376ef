import { revalidatePath } from 'next/cache';
import { getDb } from '@/db';
import { AppError } from '@/lib/errors';
import { assertSameOrigin, jsonError } from '@/lib/http';
import { LOGO_MAX_BYTES, setOrganizationLogo } from '@/lib/orgs';
import { getActor } from '@/lib/session';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Owners and admins: upload a logo (multipart field `logo`); it is decoded, resized and re-encoded as PNG. */
export async function POST(req: Request, { params }: { params: Promise<{ id: string }> }) {
  try {
    assertSameOrigin(req);
    const actor = await getActor();
    if (!actor) throw new AppError('UNAUTHENTICATED', 'errors.signInRequired');
    const { id } = await params;
    if (!UUID.test(id)) throw new AppError('NOT_FOUND', 'errors.notFound');
    const len = Number(req.headers.get('content-length') ?? '0');
    if (len > LOGO_MAX_BYTES + 64 * 1024) throw new AppError('INVALID_INPUT', 'errors.logoTooLarge', { logo: ['errors.logoTooLarge'] });
    let form: FormData;
    try {
      form = await req.formData();
    } catch {
      throw new AppError('INVALID_INPUT', 'errors.logoNotImage', { logo: ['errors.logoNotImage'] });
    }
    const file = form.get('logo');
    if (!(file instanceof File)) throw new AppError('INVALID_INPUT', 'errors.logoEmpty', { logo: ['errors.logoEmpty'] });
    if (file.size > LOGO_MAX_BYTES) throw new AppError('INVALID_INPUT', 'errors.logoTooLarge', { logo: ['errors.logoTooLarge'] });
    const result = await setOrganizationLogo({ db: getDb(), actor }, { orgId: id, bytes: Buffer.from(await file.arrayBuffer()) });
    // The route group is part of the pattern (the page's cache tags come from its file path).
    revalidatePath('/(public)/[lang]/orgs/[slug]', 'page');
    return Response.json(result, { headers: { 'Cache-Control': 'no-store' } });
  } catch (e) {
    return jsonError(e);
  }
}
