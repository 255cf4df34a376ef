import { z } from 'zod';
import { ORG_ROLES, SIGNING_POLICIES } from '@/db/schema';
import { email, httpsUrl, safeText } from './strings';

const optional = (max: number) => safeText(max).optional().transform((v) => (v ? v : null));
const checkbox = z.union([z.literal('on'), z.literal('true'), z.literal('1'), z.literal(''), z.boolean()]).optional().transform((v) => v === true || v === 'on' || v === 'true' || v === '1');

// Names beginning with = + - @ are refused (they become formulas in spreadsheets); no URLs in names.
const orgName = safeText(200)
  .refine((s) => s.length >= 2, { message: 'errors.nameRequired' })
  .refine((s) => !/^[=+\-@]/.test(s), { message: 'errors.nameFormula' })
  .refine((s) => !/https?:\/\/|www\./i.test(s), { message: 'errors.nameUrl' });
const optionalName = safeText(200)
  .optional()
  .refine((s) => !s || !/^[=+\-@]/.test(s), { message: 'errors.nameFormula' })
  .refine((s) => !s || !/https?:\/\/|www\./i.test(s), { message: 'errors.nameUrl' })
  .transform((v) => (v ? v : undefined));

export const orgProfileFields = {
  name: orgName,
  name_en: optionalName,
  name_hy: optionalName,
  name_ru: optionalName,
  city: optional(120),
  country: optional(120),
  // Not a union: a union hides the specific problem (NUL, lone surrogate, http:) behind a generic "invalid".
  website: safeText(2000)
    .optional()
    .transform((v) => v || null)
    .pipe(httpsUrl().nullable()),
  description: optional(2000),
};

// `next`: created on the spot from a statement-invitation landing (PRODUCT.md S1, "create one on the spot"),
// go back there with the new organization chosen instead of to its page. Only that landing, nothing else.
export const CREATE_ORG_NEXT = /^\/invite\/statement(\?invitation=[0-9a-f-]{36})?$/;
export const createOrgSchema = z
  .object({ ...orgProfileFields, confirmDistinct: checkbox, next: z.string().max(100).regex(CREATE_ORG_NEXT).optional() })
  .strict();
export const updateOrgSchema = z.object({ orgId: z.string().uuid(), ...orgProfileFields }).strict();
export const orgIdSchema = z.object({ orgId: z.string().uuid() }).strict();
export const signingPolicySchema = z.object({ orgId: z.string().uuid(), policy: z.enum(SIGNING_POLICIES) }).strict();
export const inviteMemberSchema = z.object({ orgId: z.string().uuid(), email: email(), role: z.enum(ORG_ROLES).default('member'), title: optional(120) }).strict();
export const invitationIdSchema = z.object({ invitationId: z.string().uuid() }).strict();
export const tokenSchema = z.object({ token: safeText(200).pipe(z.string().min(1)) }).strict();
export const membershipSchema = z.object({ orgId: z.string().uuid(), membershipId: z.string().uuid() }).strict();
export const changeRoleSchema = z.object({ orgId: z.string().uuid(), membershipId: z.string().uuid(), role: z.enum(ORG_ROLES) }).strict();
export const setTitleSchema = z.object({ orgId: z.string().uuid(), membershipId: z.string().uuid(), title: optional(120) }).strict();
export const similarNameSchema = z.object({ name: safeText(200) }).strict();

export function profileFromForm(v: z.output<typeof createOrgSchema> | z.output<typeof updateOrgSchema>) {
  return {
    name: v.name,
    names: { en: v.name_en, hy: v.name_hy, ru: v.name_ru },
    city: v.city,
    country: v.country,
    website: v.website,
    description: v.description,
  };
}
