import { z } from 'zod';
import { CONTEXT_MAX, QUOTE_MAX } from '../anchors';
import { langCode } from './statements';
import { textProblem } from './strings';

export const COMMENT_BODY_MAX = 4000;

const noBadChars = (s: string, ctx: z.RefinementCtx) => {
  const p = textProblem(s);
  if (p) ctx.addIssue({ code: 'custom', message: p });
};

/** A comment's text: plain, trimmed, 1..4000 characters, no NUL or lone surrogates. */
export const commentBody = () =>
  z
    .string()
    // A generous cap before trimming, so megabytes of spaces are refused without being scanned twice.
    .max(COMMENT_BODY_MAX * 4, { message: 'errors.tooLong' })
    .superRefine(noBadChars)
    .transform((s) => s.trim())
    .pipe(
      z
        .string()
        .min(1, { message: 'errors.commentRequired' })
        .max(COMMENT_BODY_MAX, { message: 'errors.tooLong' }),
    );

/** Quote and context are kept exactly as selected (whitespace matters for re-finding them). */
const quotePart = (min: number, max: number) =>
  z
    .string()
    .min(min, { message: min ? 'errors.invalidInput' : undefined })
    .max(max, { message: 'errors.tooLong' })
    .superRefine(noBadChars);
// '' is not version 0 (z.coerce alone would read it so).
const version = () =>
  z.preprocess((v) => (v === '' ? undefined : v), z.coerce.number().int().min(0).max(2_147_483_647));

/** A text-quote anchor (db/schema/invitations.ts CommentAnchor): language, text version, quote and context. */
export const commentAnchorSchema = z
  .object({
    lang: langCode(),
    version: version(),
    exact: quotePart(1, QUOTE_MAX),
    prefix: quotePart(0, CONTEXT_MAX),
    suffix: quotePart(0, CONTEXT_MAX),
  })
  .strict();

const uuid = () => z.string().uuid();

/** What lib/comments.ts#addComment accepts (called directly or from the action). */
export const addCommentInputSchema = z
  .object({
    statementId: uuid(),
    body: commentBody(),
    anchor: commentAnchorSchema.nullish(),
    parentId: uuid().nullish(),
  })
  .strict()
  .superRefine((v, ctx) => {
    // A reply belongs to its thread, which carries the anchor.
    if (v.parentId && v.anchor)
      ctx.addIssue({ code: 'custom', path: ['anchor'], message: 'errors.replyWithAnchor' });
  });

/** Empty form fields (hidden inputs left blank) count as absent. */
const optional = <T extends z.ZodType>(s: T) =>
  z.preprocess((v) => (v === '' || v === null ? undefined : v), s.optional());

/**
 * The form the review page posts: flat fields (a form cannot nest), turned into addComment's input. The anchor
 * is all five anchor fields or none (prefix and suffix may be empty at the edges of the text).
 */
export const addCommentSchema = z
  .object({
    statementId: uuid(),
    body: z.string(),
    parentId: optional(uuid()),
    anchorLang: optional(z.string()),
    anchorVersion: optional(z.string()),
    anchorExact: optional(z.string()),
    anchorPrefix: z.string().optional(),
    anchorSuffix: z.string().optional(),
  })
  .strict()
  .transform((v, ctx) => {
    const anchored =
      v.anchorExact !== undefined || v.anchorLang !== undefined || v.anchorVersion !== undefined;
    const parsed = addCommentInputSchema.safeParse({
      statementId: v.statementId,
      body: v.body,
      parentId: v.parentId ?? null,
      anchor: anchored
        ? {
            lang: v.anchorLang ?? '',
            version: v.anchorVersion ?? '',
            exact: v.anchorExact ?? '',
            prefix: v.anchorPrefix ?? '',
            suffix: v.anchorSuffix ?? '',
          }
        : null,
    });
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        // anchor.exact → anchorExact, so the form shows the error beside its field.
        const [head, sub] = issue.path.map(String);
        const field =
          head === 'anchor' && sub ? `anchor${sub[0]!.toUpperCase()}${sub.slice(1)}` : (head ?? '_');
        ctx.addIssue({ code: 'custom', path: [field], message: issue.message });
      }
      return z.NEVER;
    }
    return parsed.data;
  });

export const commentRefSchema = z.object({ statementId: uuid(), commentId: uuid() }).strict();
