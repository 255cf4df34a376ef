import { z } from 'zod';
import { LOCALES } from '@/lib/i18n';
import { email, safeText } from './strings';

export const MESSAGE_MAX = 2000;
export const DECLINE_REASON_MAX = 1000;

const emailSchema = email();

/**
 * Bulk invite: one address per line (commas and semicolons also separate). Shared by the form, which shows the
 * invalid lines before anything is sent, and the server, which refuses the whole batch if any line is invalid.
 */
export function parseEmailLines(text: string): { valid: string[]; invalid: { line: number; value: string }[] } {
  const valid: string[] = [];
  const invalid: { line: number; value: string }[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    for (const part of raw.split(/[,;]/)) {
      // "Name <a@b.org>" as mail clients copy it.
      const value = part.trim().replace(/^.*<([^<>]+)>$/, '$1').trim();
      if (!value) continue;
      const r = emailSchema.safeParse(value);
      if (r.success) {
        if (!valid.includes(r.data)) valid.push(r.data);
      } else invalid.push({ line: i + 1, value: part.trim().slice(0, 120) });
    }
  });
  return { valid, invalid };
}

/** A wall-clock "YYYY-MM-DDTHH:mm" in an IANA time zone → the instant (the form shows deadlines in the statement's zone). */
export function zonedTimeToUtc(local: string, timeZone: string): Date | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/.exec(local);
  if (!m) return null;
  const [y, mo, d, h, mi] = m.slice(1).map(Number) as [number, number, number, number, number];
  const guess = Date.UTC(y, mo - 1, d, h, mi);
  if (Number.isNaN(guess)) return null;
  const offsetAt = (t: number) => {
    const parts = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' }).formatToParts(new Date(t));
    const get = (type: string) => Number(parts.find((p) => p.type === type)?.value);
    return Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second')) - t;
  };
  let t = guess - offsetAt(guess);
  t = guess - offsetAt(t);
  return new Date(t);
}

const uuid = () => z.string().uuid();
const optionalText = (max: number) =>
  safeText(max)
    .optional()
    .transform((v) => (v ? v : null));

export const inviteSchema = z
  .object({
    statementId: uuid(),
    kind: z.enum(['participant', 'co_initiator']).default('participant'),
    orgIds: z.array(uuid()).max(200).default([]),
    emails: safeText(50_000).default(''),
    message: optionalText(MESSAGE_MAX),
    // The sign-by instant as a wall-clock time in the statement's time zone (datetime-local), or empty.
    signBy: z
      .string()
      .max(40)
      .regex(/^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2})?$/, { message: 'errors.invalidDate' })
      .default(''),
    locale: z.enum(LOCALES),
  })
  .strict()
  .superRefine((v, ctx) => {
    const { invalid } = parseEmailLines(v.emails);
    if (invalid.length > 0) {
      ctx.addIssue({ code: 'custom', path: ['emails'], message: 'errors.invalidEmailLines' });
    }
    if (v.orgIds.length === 0 && parseEmailLines(v.emails).valid.length === 0) {
      ctx.addIssue({ code: 'custom', path: ['targets'], message: 'errors.noInvitees' });
    }
  });

export const invitationRefSchema = z.object({ statementId: uuid(), invitationId: uuid() }).strict();
export const linkTokenSchema = z.object({ token: safeText(200).pipe(z.string().min(1)) }).strict();

/** How the person answering proves who they are: the link's token, the handoff cookie (`via: 'handoff'`), or an id from the dashboard. */
const proof = z.union([
  z.object({ token: safeText(200).pipe(z.string().min(1)) }).strict(),
  z.object({ via: z.literal('handoff') }).strict(),
  z.object({ invitationId: uuid() }).strict(),
]);
export const acceptSchema = z
  .object({ token: safeText(200).optional(), via: z.literal('handoff').optional(), invitationId: uuid().optional(), orgId: uuid() })
  .strict()
  .superRefine((v, ctx) => {
    const { orgId: _o, ...rest } = v;
    void _o;
    if (!proof.safeParse(Object.fromEntries(Object.entries(rest).filter(([, x]) => x !== undefined))).success)
      ctx.addIssue({ code: 'custom', path: ['token'], message: 'errors.invalidInput' });
  });
export const declineSchema = z
  .object({ token: safeText(200).optional(), via: z.literal('handoff').optional(), invitationId: uuid().optional(), reason: optionalText(DECLINE_REASON_MAX) })
  .strict()
  .superRefine((v, ctx) => {
    const { reason: _r, ...rest } = v;
    void _r;
    if (!proof.safeParse(Object.fromEntries(Object.entries(rest).filter(([, x]) => x !== undefined))).success)
      ctx.addIssue({ code: 'custom', path: ['token'], message: 'errors.invalidInput' });
  });
export const searchOrgsSchema = z.object({ statementId: uuid(), q: safeText(100) }).strict();
export const emptySchema = z.object({}).strict();
