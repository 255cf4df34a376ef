import { z } from 'zod';
import { safeText } from './strings';

export const SIGN_TITLE_MAX = 200;
export const SIGN_REASON_MAX = 2000;

const uuid = () => z.string().uuid();
const optionalText = (max: number) =>
  safeText(max)
    .optional()
    .nullable()
    .transform((v) => (v ? v : null));
const sha256 = () => z.string().regex(/^[0-9a-f]{64}$/, { message: 'errors.invalidInput' });

export const freezeSchema = z.object({ statementId: uuid(), langs: z.array(z.string().regex(/^[a-z]{2,3}$/)).max(20).optional() }).strict();
export const statementRefSchema = z.object({ statementId: uuid() }).strict();

const signFields = {
  orgId: uuid(),
  version: z.coerce.number().int().min(1).max(1_000_000),
  contentSha256: sha256().optional(),
  title: optionalText(SIGN_TITLE_MAX),
  showName: z.boolean().default(false),
};
/** Sign, re-confirm or reinstate for one organization: the version (and hash) the signer was shown. */
export const signSchema = z.object({ statementId: uuid(), ...signFields }).strict();
/** The route handler's body (the statement comes from the URL). */
export const signBodySchema = z.object(signFields).strict();
/** Accept an invitation and sign on one page: the invitation proof as for accepting, plus the signing fields. */
export const acceptAndSignSchema = z
  .object({ token: safeText(200).optional(), via: z.literal('handoff').optional(), invitationId: uuid().optional(), ...signFields })
  .strict()
  .superRefine((v, ctx) => {
    const n = [v.token, v.via, v.invitationId].filter((x) => x !== undefined && x !== '').length;
    if (n !== 1) ctx.addIssue({ code: 'custom', path: ['token'], message: 'errors.invalidInput' });
  });
export const orgReasonSchema = z.object({ statementId: uuid(), orgId: uuid(), reason: optionalText(SIGN_REASON_MAX) }).strict();
