// The demo seed's imports (db/seed.ts seedImportedStatements): every fixture statement is imported and published
// once, its organizations are the ones the demo seed created from the same files (matched by normalized name and
// location, no duplicates), and running it again changes nothing.
import fs from 'node:fs';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { getDb } from '@/db';
import { seedDemo, seedImportedStatements } from '@/db/seed';
import { checkInvariants } from './invariants';
import { getPublicStatement } from './publishing';
import { digestDomain } from './testing/db';

const n = async (q: ReturnType<typeof sql>) => Number(((await getDb().execute(q)) as unknown as { n: number }[])[0]!.n);
const FIXTURES = path.join(process.cwd(), 'db', 'fixtures', 'statements');

describe('seeding the fixture statements', () => {
  it('imports each fixture once, onto the demo organizations, and a second run changes nothing', async () => {
    await seedDemo(getDb());
    const orgsBefore = await n(sql`select count(*)::int as n from organizations`);
    const files = fs.readdirSync(FIXTURES).filter((f) => f.endsWith('.json')).sort();
    const first = await seedImportedStatements(getDb());
    expect(first.map((r) => [r.file, r.created])).toEqual(files.map((f) => [f, true]));
    // Every organization signatory is a demo organization: none was created.
    expect(await n(sql`select count(*)::int as n from organizations`)).toBe(orgsBefore);
    for (const r of first) {
      const f = JSON.parse(fs.readFileSync(path.join(FIXTURES, r.file), 'utf8')) as { language: string; signatories: { name: string }[] };
      expect(r.lang).toBe(f.language);
      const pub = (await getPublicStatement(getDb(), r.slug))!;
      expect(pub.record.signatories.map((s) => s.names.default)).toEqual(f.signatories.map((s) => s.name));
    }
    // The demo's own statements are untouched: still one in review and one open for signature.
    expect(await n(sql`select count(*)::int as n from statements where state in ('draft', 'open')`)).toBe(2);
    const before = await digestDomain();
    const again = await seedImportedStatements(getDb());
    expect(again.map((r) => r.created)).toEqual(files.map(() => false));
    expect(again.map((r) => r.slug)).toEqual(first.map((r) => r.slug));
    expect(await digestDomain()).toBe(before);
    // The invariant checker accepts imported statements (one statement.imported event, no initiator needed).
    expect((await checkInvariants(getDb())).filter((f) => f.count > 0)).toEqual([]);
  }, 180_000);
});
