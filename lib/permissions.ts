// Pure authorization helpers: no I/O. Domain functions load the objects, then ask these.
import { AppError } from './errors';
import type { Actor, Ctx } from './context';

/** The acting user, or UNAUTHENTICATED. */
export function requireActor(ctx: Ctx): Actor {
  if (!ctx.actor) throw new AppError('UNAUTHENTICATED', 'errors.signInRequired');
  return ctx.actor;
}

/** A user may change only their own account settings. */
export const canManageOwnAccount = (actor: Actor, userId: string): boolean => actor.userId === userId;
