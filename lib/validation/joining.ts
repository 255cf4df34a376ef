import { z } from 'zod';
import { safeText } from './strings';

// Shapes only: the field rules (required name, length, links, formula starters, e-mail) are lib/joining.ts's
// validateJoinRequest, which answers every problem at once with its own messages.
const field = () => safeText(2000).optional();

export const requestToJoinSchema = z
  .object({
    slug: safeText(100),
    kind: z.string().max(20).optional().default(''),
    name: field(),
    city: field(),
    country: field(),
    title: field(),
    email: safeText(400).optional().default(''),
    locale: z.string().max(8).optional(),
  })
  .strict();

export const confirmJoinSchema = z.object({ token: z.string().max(200) }).strict();

export const joinDecisionSchema = z.object({ statementId: z.string().uuid(), requestId: z.string().uuid() }).strict();
