import { getDb } from '@/db';
import { AppError, fieldErrorsOf } from '@/lib/errors';
import { assertSameOrigin, jsonError, readJson } from '@/lib/http';
import { getActor } from '@/lib/session';
import { ConflictError, InvalidDocumentError, saveText } from '@/lib/statements';
import { langCode, SAVE_BODY_MAX_BYTES, saveTextBodySchema } from '@/lib/validation/statements';

const NO_STORE = { 'Cache-Control': 'no-store' };

/**
 * Autosave one language's text (initiator members; draft or reopened). Body: `{ baseVersion, title, doc }`.
 * 200 `{ version, savedAt, changed }`; 409 CONFLICT with the current text when `baseVersion` is stale (I6);
 * 400 with the JSON path when the document is refused (I9). A route handler, not a server action, so the body
 * cap (4 MB) and strict UTF-8 decoding are ours and our validator answers, not a generic 413.
 */
export async function PUT(req: Request, { params }: { params: Promise<{ id: string; lang: string }> }) {
  try {
    assertSameOrigin(req);
    const actor = await getActor();
    if (!actor) throw new AppError('UNAUTHENTICATED', 'errors.signInRequired');
    const { id, lang: rawLang } = await params;
    // Next has decoded the segment already; language codes are plain ASCII.
    const lang = langCode().safeParse(rawLang);
    if (!lang.success) throw new AppError('NOT_FOUND', 'errors.notFound');
    const body = await readJson(req, SAVE_BODY_MAX_BYTES);
    const parsed = saveTextBodySchema.safeParse(body);
    if (!parsed.success)
      throw new AppError('INVALID_INPUT', 'errors.invalidInput', fieldErrorsOf(parsed.error.issues));
    const result = await saveText(
      { db: getDb(), actor },
      {
        statementId: id,
        lang: lang.data,
        baseVersion: parsed.data.baseVersion,
        title: parsed.data.title,
        doc: parsed.data.doc,
        resolution: parsed.data.resolution,
      },
    );
    return Response.json(result, { headers: NO_STORE });
  } catch (e) {
    if (e instanceof ConflictError) {
      return Response.json(
        { error: { code: 'CONFLICT', message: e.message, current: e.current } },
        { status: 409, headers: NO_STORE },
      );
    }
    if (e instanceof InvalidDocumentError) {
      return Response.json(
        {
          error: {
            code: 'INVALID_INPUT',
            message: e.message,
            fieldErrors: e.fieldErrors,
            problem: e.problem,
          },
        },
        { status: 400, headers: NO_STORE },
      );
    }
    return jsonError(e, NO_STORE);
  }
}
