// Accept one statement invitation `n` times in parallel in this process (each its own transaction), released
// together with the other process by a barrier. Half by the link's token, half from the dashboard (invitation id)
// when `mixed` is set: the two paths must serialize on the same locks. Prints how many were accepted, refused,
// or failed otherwise.
import { getDb } from '@/db';
import { isAppError } from '../../errors';
import { acceptInvitation } from '../../invitations';
import { passBarrier } from '../barrier';
import { childMain } from './_main';

childMain(
  async (p: { token: string; invitationId: string; orgId: string; userId: string; email: string; n: number; barrierKey: number; mixed?: boolean }) => {
    const ctx = { db: getDb(), actor: { userId: p.userId, email: p.email } };
    const results = await Promise.allSettled(
      Array.from({ length: p.n }, async (_, i) => {
        await passBarrier(p.barrierKey);
        return acceptInvitation(
          ctx,
          p.mixed && i % 2 === 1 ? { invitationId: p.invitationId, orgId: p.orgId } : { token: p.token, orgId: p.orgId },
        );
      }),
    );
    const refused = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected' && isAppError(r.reason));
    return {
      ok: results.filter((r) => r.status === 'fulfilled').length,
      refused: refused.length,
      refusals: [...new Set(refused.map((r) => `${r.reason.code} ${r.reason.message}`))],
      errors: results
        .filter((r): r is PromiseRejectedResult => r.status === 'rejected' && !isAppError(r.reason))
        .map((r) => String(r.reason)),
    };
  },
);
