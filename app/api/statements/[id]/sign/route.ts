import { getDb } from '@/db';
import { AppError, fieldErrorsOf } from '@/lib/errors';
import { assertSameOrigin, jsonError, readJson } from '@/lib/http';
import { getActor } from '@/lib/session';
import { signForOrganization } from '@/lib/signing';
import { signBodySchema } from '@/lib/validation/signing';

const NO_STORE = { 'Cache-Control': 'no-store' };

/**
 * Sign for an organization over HTTP: the same lib/ function as the server action (no second code path), for
 * clients and the signing benchmark. Body `{ orgId, version, contentSha256?, title?, showName? }`; 201 with the new
 * binding, 200 with the existing one on a repeat; the usual `{ error: { code, message } }` otherwise.
 */
export async function POST(req: Request, { params }: { params: Promise<{ id: string }> }) {
  try {
    assertSameOrigin(req);
    const actor = await getActor();
    if (!actor) throw new AppError('UNAUTHENTICATED', 'errors.signInRequired');
    const { id } = await params;
    const parsed = signBodySchema.safeParse(await readJson(req, 16 * 1024));
    if (!parsed.success) throw new AppError('INVALID_INPUT', 'errors.invalidInput', fieldErrorsOf(parsed.error.issues));
    const r = await signForOrganization({ db: getDb(), actor }, { statementId: id, ...parsed.data });
    return Response.json(r, { status: r.created ? 201 : 200, headers: NO_STORE });
  } catch (e) {
    return jsonError(e, NO_STORE);
  }
}
