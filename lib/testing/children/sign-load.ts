// Concurrent signing from this process (the test runs two of these at once, released together by a barrier):
// each job is one signForOrganization call as the given member for the given organization, `concurrency` calls in
// flight at a time (set DATABASE_POOL_MAX to at least that). Prints, per job, the binding it got or the refusal.
import { sql } from 'drizzle-orm';
import { getDb } from '@/db';
import type { Actor } from '../../context';
import { isAppError } from '../../errors';
import { signForOrganization } from '../../signing';
import { passBarrier } from '../barrier';
import { childMain } from './_main';

type Job = { orgId: string; actor: Actor };
export type SignOutcome =
  | { orgId: string; ok: true; bindingId: string; kind: string; created: boolean; version: number }
  | { orgId: string; ok: false; code: string; message: string }
  | { orgId: string; ok: false; error: string };

childMain(async (p: { statementId: string; version: number; jobs: Job[]; concurrency: number; barrierKey: number }) => {
  const db = getDb();
  // Open the pool's connections before the barrier, so the release is not spent connecting.
  await Promise.all(Array.from({ length: p.concurrency }, () => db.execute(sql`SELECT 1`)));
  await passBarrier(p.barrierKey);
  const started = Date.now();
  const out: SignOutcome[] = new Array(p.jobs.length);
  let next = 0;
  const worker = async () => {
    while (next < p.jobs.length) {
      const i = next++;
      const job = p.jobs[i]!;
      try {
        const r = await signForOrganization({ db, actor: job.actor }, { statementId: p.statementId, orgId: job.orgId, version: p.version });
        out[i] = { orgId: job.orgId, ok: true, bindingId: r.bindingId, kind: r.kind, created: r.created, version: r.version };
      } catch (e) {
        out[i] = isAppError(e) ? { orgId: job.orgId, ok: false, code: e.code, message: e.message } : { orgId: job.orgId, ok: false, error: String(e) };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(p.concurrency, p.jobs.length) }, worker));
  return { pid: process.pid, ms: Date.now() - started, outcomes: out };
});
