import { getDb } from '@/db';
import { AppError } from '@/lib/errors';
import { jsonError } from '@/lib/http';
import { unsubscribe } from '@/lib/users';

/**
 * One-click unsubscribe (RFC 8058). Mail providers POST here without an Origin header, so instead of the
 * origin check the signed `u` parameter (an HMAC capability bound to the address and scope) is the proof.
 * GET changes nothing: the /unsubscribe page asks for a click first.
 */
export async function POST(req: Request) {
  try {
    const u = new URL(req.url).searchParams.get('u');
    if (!u) throw new AppError('NOT_FOUND', 'errors.linkInvalid');
    const result = await unsubscribe({ db: getDb(), actor: null }, { u });
    return Response.json(result, { headers: { 'Cache-Control': 'no-store', 'Referrer-Policy': 'no-referrer' } });
  } catch (e) {
    return jsonError(e, { 'Referrer-Policy': 'no-referrer' });
  }
}
