// Composable seeders for outbox tests: a test notification written the way every change writes one,
// in a transaction with its audit event.
import crypto from 'node:crypto';
import { getDb, type Db } from '@/db';
import type { TokenRef } from '@/db/schema';
import type { TokenPurpose } from '@/db/schema';
import { appendAudit } from '../audit';
import { enqueue } from '../outbox';

export async function enqueueTestNotice(opts: {
  to: string;
  n?: number;
  chainId?: string;
  dedupeKey?: string;
  tokenRef?: TokenRef & { purpose: TokenPurpose };
  unsubscribeScope?: string;
  notBefore?: Date;
  /** Another database than this test file's (e.g. a separate PostgreSQL server). */
  db?: Db;
}): Promise<{ auditEventId: string; dedupeKey: string }> {
  const dedupeKey = opts.dedupeKey ?? `test.notice:${crypto.randomUUID()}`;
  return (opts.db ?? getDb()).transaction(async (tx) => {
    const ev = await appendAudit(tx, {
      chain: { type: 'user', id: opts.chainId ?? crypto.randomUUID() },
      type: 'user.signed_in',
      actorUserId: null,
      data: { test: 'notice', n: opts.n ?? 0 },
    });
    await enqueue(tx, {
      auditEventId: ev.id,
      kind: 'test.notice',
      to: opts.to,
      locale: 'en',
      data: { n: opts.n ?? 0 },
      dedupeKey,
      tokenRef: opts.tokenRef,
      unsubscribeScope: opts.unsubscribeScope,
      notBefore: opts.notBefore,
    });
    return { auditEventId: ev.id, dedupeKey };
  });
}
