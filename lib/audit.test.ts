import { describe, expect, it } from 'vitest';
import { getDb } from '@/db';
import { appendAudit, verifyChain } from './audit';
import { createUser } from './testing/db';

describe('audit chains', () => {
  it('appends linked events that verify, and detects tampering', async () => {
    const u = await createUser();
    const db = getDb();
    for (let i = 0; i < 3; i++) {
      await db.transaction((tx) => appendAudit(tx, { chain: { type: 'user', id: u.userId }, type: 'user.locale_changed', actorUserId: u.userId, data: { i } }));
    }
    expect(await verifyChain(db, { type: 'user', id: u.userId })).toEqual([]);
    await db.execute(`UPDATE audit_events SET data = '{"i": 99}' WHERE seq = 2 AND chain_id = '${u.userId}'` as never);
    const problems = await verifyChain(db, { type: 'user', id: u.userId });
    expect(problems.map((p) => p.problem)).toContain('hash does not match the event');
  });
});
