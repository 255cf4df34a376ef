// Concurrent changes on one audit chain from this process (the test runs two of these at once).
// mode 'locale': n sequential setInterfaceLocale calls on one user, alternating between two locales of
// this process's own (so each call is a real change whatever the other process wrote last).
// mode 'append': n appendAudit transactions on one chain, `concurrency` in flight at a time.
import { getDb } from '@/db';
import { appendAudit, type ChainRef } from '../../audit';
import type { Locale } from '../../i18n';
import { setInterfaceLocale } from '../../users';
import { passBarrier } from '../barrier';
import { childMain } from './_main';

type Params =
  | { mode: 'locale'; userId: string; email: string; n: number; locales: [Locale | null, Locale | null]; barrierKey: number }
  | { mode: 'append'; chain: ChainRef; n: number; concurrency: number; barrierKey: number };

childMain(async (p: Params) => {
  const db = getDb();
  await passBarrier(p.barrierKey);
  if (p.mode === 'locale') {
    const ctx = { db, actor: { userId: p.userId, email: p.email } };
    let changed = 0;
    for (let i = 0; i < p.n; i++) {
      const r = await setInterfaceLocale(ctx, { locale: p.locales[i % 2]! });
      if (r.changed) changed++;
    }
    return { changed, calls: p.n };
  }
  let next = 0;
  let appended = 0;
  const worker = async () => {
    while (next < p.n) {
      const i = next++;
      await db.transaction((tx) => appendAudit(tx, { chain: p.chain, type: 'user.signed_in', actorUserId: null, data: { pid: process.pid, i } }));
      appended++;
    }
  };
  await Promise.all(Array.from({ length: p.concurrency }, worker));
  return { appended, calls: p.n };
});
