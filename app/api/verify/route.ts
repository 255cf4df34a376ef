import { getDb } from '@/db';
import { AppError } from '@/lib/errors';
import { jsonError, readJson } from '@/lib/http';
import { hitVerify, VERIFY_BODY_MAX_BYTES, verifyBodySchema, verifySubmission } from '@/lib/verify';

const NO_STORE = { 'Cache-Control': 'no-store' };

/**
 * Verify a signed public record (R6). Body `{ record: "<the signed record's text>" }` (≤ 5 MB) or
 * `{ url: "<this instance's record or statement URL>" }`. A URL is resolved from the database, never fetched;
 * any other URL is refused with 400 `{ error: { code: 'INVALID_INPUT', message: 'verify.urlNotThisSite' |
 * 'verify.urlNotARecord' | 'verify.urlInvalid' } }`, and an unknown record of ours is 404 `verify.notFound`.
 * A verification always answers 200 with the report, also when it fails: `ok: false`, and text that is not JSON
 * gives `{ ok: false, error: 'unparseable' }` (the request was fine; the record is what does not check out).
 * Public and read-only (no session, changes nothing but the rate-limit counter), so no origin check.
 */
export async function POST(req: Request) {
  try {
    await hitVerify(req.headers.get('x-client-ip') ?? 'unknown');
    const parsed = verifyBodySchema.safeParse(await readJson(req, VERIFY_BODY_MAX_BYTES));
    if (!parsed.success) throw new AppError('INVALID_INPUT', 'verify.badRequest');
    const report = await verifySubmission({ db: getDb() }, parsed.data);
    return Response.json(report, { headers: NO_STORE });
  } catch (e) {
    return jsonError(e, NO_STORE);
  }
}
