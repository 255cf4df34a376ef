// The demo data (db/seed.ts) goes through the domain functions: it must run on a fresh database, leave the
// statement in review that the dashboards show, keep every audit chain valid, and be idempotent.
import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { getDb } from '@/db';
import { seedDemo } from '@/db/seed';
import { checkInvariants, totalFindings } from './invariants';

const n = async (q: ReturnType<typeof sql>) => Number(((await getDb().execute(q)) as unknown as { n: number }[])[0]!.n);

describe('demo seed', () => {
  it('creates a draft in review (an accepted and a pending invitation, two comments) and a statement open for signature with two signatures, once', async () => {
    await seedDemo(getDb());
    const counts = async () => ({
      statements: await n(sql`select count(*)::int as n from statements`),
      participants: await n(sql`select count(*)::int as n from statement_participants`),
      pending: await n(sql`select count(*)::int as n from statement_invitations where status = 'pending'`),
      comments: await n(sql`select count(*)::int as n from statement_comments`),
      open: await n(sql`select count(*)::int as n from statements where state = 'open' and current_version = 1`),
      bindings: await n(sql`select count(*)::int as n from signature_bindings`),
    });
    const first = await counts();
    expect(first).toEqual({ statements: 2, participants: 2, pending: 1, comments: 2, open: 1, bindings: 2 });
    await seedDemo(getDb());
    expect(await counts()).toEqual(first);
    const findings = await checkInvariants(getDb());
    expect(totalFindings(findings), JSON.stringify(findings.filter((f) => f.count > 0))).toBe(0);
  }, 120_000);
});
