// Accept one member invitation `n` times in parallel in this process (each its own transaction), released
// together with the other process by a barrier. Half by token, half by invitation id when `mixed` is set
// (the two paths must serialize on the same locks). Prints how many were accepted, refused, or failed.
import { getDb } from '@/db';
import { isAppError } from '../../errors';
import { acceptMemberInvitation } from '../../members';
import { passBarrier } from '../barrier';
import { childMain } from './_main';

childMain(async (p: { token: string; invitationId: string; userId: string; email: string; n: number; barrierKey: number; mixed?: boolean }) => {
  const ctx = { db: getDb(), actor: { userId: p.userId, email: p.email } };
  const results = await Promise.allSettled(
    Array.from({ length: p.n }, async (_, i) => {
      await passBarrier(p.barrierKey);
      return acceptMemberInvitation(ctx, p.mixed && i % 2 === 1 ? { invitationId: p.invitationId } : { token: p.token });
    }),
  );
  const refused = results.filter((r) => r.status === 'rejected' && isAppError(r.reason));
  return {
    ok: results.filter((r) => r.status === 'fulfilled').length,
    refused: refused.length,
    refusals: [...new Set(refused.map((r) => `${(r as PromiseRejectedResult).reason.code} ${(r as PromiseRejectedResult).reason.message}`))],
    errors: results.filter((r) => r.status === 'rejected' && !isAppError(r.reason)).map((r) => String((r as PromiseRejectedResult).reason)),
  };
});
