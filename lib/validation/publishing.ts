import { z } from 'zod';
import { safeText } from './strings';

export const CORRECTION_MAX = 5000;
export const WITHDRAW_REASON_MAX = 2000;

const uuid = () => z.string().uuid();
/** An instant from a form (ISO 8601 with offset, as the client converts its local date-time), or empty for none. */
const instant = () =>
  z
    .union([z.string().max(40), z.null()])
    .optional()
    .transform((v, ctx) => {
      if (!v) return null;
      const d = new Date(v);
      if (Number.isNaN(d.getTime())) {
        ctx.addIssue({ code: 'custom', message: 'errors.invalidDate' });
        return z.NEVER;
      }
      return d;
    });

export const publishSchema = z
  .object({
    statementId: uuid(),
    slug: safeText(80),
    displayDate: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, { message: 'errors.invalidDate' }),
    listOrder: z.enum(['joined', 'alphabetical']),
    joinUntil: instant(),
  })
  .strict();
export const joiningSchema = z.object({ statementId: uuid(), joinUntil: instant() }).strict();
export const withdrawStatementSchema = z.object({ statementId: uuid(), reason: safeText(WITHDRAW_REASON_MAX) }).strict();
export const correctionSchema = z.object({ statementId: uuid(), lang: z.string().regex(/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/), body: safeText(CORRECTION_MAX) }).strict();
