// Consume one token `n` times in parallel (one transaction each), released together by a barrier.
import { getDb } from '@/db';
import { passBarrierInTx } from '../barrier';
import { consumeToken } from '../../tokens';
import { childMain } from './_main';

childMain(async (p: { token: string; email: string; n: number; barrierKey: number }) => {
  const db = getDb();
  const results = await Promise.allSettled(
    Array.from({ length: p.n }, () =>
      db.transaction(async (tx) => {
        await passBarrierInTx(tx, p.barrierKey);
        return consumeToken(tx, { token: p.token, purpose: 'test', email: p.email });
      }),
    ),
  );
  return {
    ok: results.filter((r) => r.status === 'fulfilled' && r.value.ok).length,
    invalid: results.filter((r) => r.status === 'fulfilled' && !r.value.ok).length,
    errors: results.filter((r) => r.status === 'rejected').map((r) => String((r as PromiseRejectedResult).reason)),
  };
});
