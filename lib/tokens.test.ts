import crypto from 'node:crypto';
import { eq } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { getDb } from '@/db';
import { tokens, type TokenPurpose } from '@/db/schema';
import { holdBarrier } from './testing/barrier';
import { parseResult } from './testing/children/_main';
import { digestDomain, runChild } from './testing/db';
import { dumpTables, tablesContaining } from './testing/dump';
import { recordFigure } from './testing/figures';
import { consumeToken, hashToken, mintToken, peekToken, type TokenCheck } from './tokens';

const db = () => getDb();
const HOUR = 3600_000;
const INVALID: TokenCheck = { ok: false, reason: 'invalid' };

async function mint(opts: { email?: string; subjectId?: string; expiresAt?: Date; purpose?: TokenPurpose } = {}) {
  const email = opts.email ?? `t${crypto.randomBytes(4).toString('hex')}@example.org`;
  const subjectId = opts.subjectId ?? crypto.randomUUID();
  const token = await mintToken(db(), {
    purpose: opts.purpose ?? 'test',
    subjectId,
    email,
    expiresAt: opts.expiresAt ?? new Date(Date.now() + HOUR),
  });
  return { token, email, subjectId };
}

const consume = (token: string, email: string, now?: Date, purpose: TokenPurpose = 'test') =>
  db().transaction((tx) => consumeToken(tx, { token, purpose, email, now }));

/** Run a refused attempt and prove it changed nothing. */
let refused = 0;
async function refusedWithoutChange(attempt: () => Promise<TokenCheck>): Promise<TokenCheck> {
  const before = await digestDomain();
  const result = await attempt();
  expect(result).toEqual(INVALID);
  expect(await digestDomain()).toBe(before);
  refused++;
  return result;
}

afterAll(() => {
  if (refused > 0) recordFigure('tokens-refusals', `Tokens: ${refused} guesses/replays/expired/forwarded/malformed, 0 accepted`);
});

describe('tokens: refusals are identical and change nothing, each beside an accepted twin', () => {
  it('unknown token: refused; a minted token of the same shape is accepted', async () => {
    const { token, email } = await mint();
    const unknown = crypto.randomBytes(32).toString('base64url');
    expect(unknown).toMatch(/^[A-Za-z0-9_-]{43}$/);
    await refusedWithoutChange(() => peekToken(db(), { token: unknown, purpose: 'test' }));
    await refusedWithoutChange(() => consume(unknown, email));
    expect(await consume(token, email)).toMatchObject({ ok: true, email });
  });

  it('expired token: refused (at and after expiry); an unexpired twin is accepted', async () => {
    const expired = await mint({ expiresAt: new Date(Date.now() - 1000) });
    await refusedWithoutChange(() => peekToken(db(), { token: expired.token, purpose: 'test' }));
    await refusedWithoutChange(() => consume(expired.token, expired.email));
    // Exactly at expiry is already too late; one millisecond before is still in time.
    const at = new Date(Date.now() + HOUR);
    const edge = await mint({ expiresAt: at });
    await refusedWithoutChange(() => consume(edge.token, edge.email, at));
    expect(await consume(edge.token, edge.email, new Date(at.getTime() - 1))).toMatchObject({ ok: true });
  });

  it('used token: the first consume is accepted, a replay is refused', async () => {
    const { token, email, subjectId } = await mint();
    expect(await consume(token, email)).toEqual({ ok: true, subjectId, email });
    await refusedWithoutChange(() => consume(token, email));
    await refusedWithoutChange(() => peekToken(db(), { token, purpose: 'test' }));
  });

  it('forwarded token (another e-mail): refused and left unconsumed; the addressee then succeeds', async () => {
    const { token } = await mint({ email: 'Addressee@Example.org' });
    await refusedWithoutChange(() => consume(token, 'someone-else@example.org'));
    await refusedWithoutChange(() => consume(token, 'addressee@example.org.evil.test'));
    // Same address, other case/whitespace: the same person.
    expect(await consume(token, ' ADDRESSEE@example.ORG ')).toMatchObject({ ok: true, email: 'addressee@example.org' });
  });

  it('wrong purpose: refused; the right purpose is accepted', async () => {
    const { token, email } = await mint({ purpose: 'join_confirmation' });
    await refusedWithoutChange(() => consume(token, email, undefined, 'test'));
    await refusedWithoutChange(() => peekToken(db(), { token, purpose: 'test' }));
    expect(await consume(token, email, undefined, 'join_confirmation')).toMatchObject({ ok: true });
  });

  it('all four refusals give one and the same answer', async () => {
    const a = await mint();
    const b = await mint({ expiresAt: new Date(Date.now() - 1) });
    const c = await mint();
    await consume(c.token, c.email);
    const d = await mint();
    const answers = [
      await consume(crypto.randomBytes(32).toString('base64url'), a.email),
      await consume(b.token, b.email),
      await consume(c.token, c.email),
      await consume(d.token, 'forwarded@example.org'),
    ];
    for (const r of answers) expect(r).toStrictEqual(INVALID);
    expect(new Set(answers.map((r) => JSON.stringify(r))).size).toBe(1);
  });

  it('malformed tokens are refused without a lookup change; the well-formed twin is accepted', async () => {
    const { token, email } = await mint();
    const malformed = [
      '',
      'short',
      token.slice(0, 42),
      token + 'A',
      ` ${token}`,
      `${token}\n`,
      token.slice(0, 42) + '=',
      token.slice(0, 42) + '+',
      token.slice(0, 42) + '/',
      token.slice(0, 42) + '\u0000',
      token.slice(0, 41) + 'Ա',
      hashToken(token), // the stored hash is not a token
      'x'.repeat(10_000),
    ];
    for (const m of malformed) {
      await refusedWithoutChange(() => peekToken(db(), { token: m, purpose: 'test' }));
      await refusedWithoutChange(() => consume(m, email));
    }
    expect(await consume(token, email)).toMatchObject({ ok: true });
  });

  it('peekToken never consumes', async () => {
    const { token, email, subjectId } = await mint();
    const before = await digestDomain();
    for (let i = 0; i < 5; i++) expect(await peekToken(db(), { token, purpose: 'test' })).toEqual({ ok: true, subjectId, email });
    expect(await digestDomain()).toBe(before);
    const [row] = await db().select().from(tokens).where(eq(tokens.tokenHash, hashToken(token)));
    expect(row!.consumedAt).toBeNull();
    expect(await consume(token, email)).toMatchObject({ ok: true });
    expect(await peekToken(db(), { token, purpose: 'test' })).toEqual(INVALID);
  });

  it('consuming one token of a subject consumes all its siblings, and only them', async () => {
    const subjectId = crypto.randomUUID();
    const email = 'siblings@example.org';
    const first = await mint({ subjectId, email });
    const second = await mint({ subjectId, email });
    const third = await mint({ subjectId, email });
    const otherSubject = await mint({ email });
    const otherPurpose = await mint({ subjectId, email, purpose: 'join_confirmation' });
    expect(await consume(second.token, email)).toMatchObject({ ok: true, subjectId });
    for (const t of [first, third]) {
      expect(await peekToken(db(), { token: t.token, purpose: 'test' })).toEqual(INVALID);
      await refusedWithoutChange(() => consume(t.token, email));
    }
    const rows = await db().select().from(tokens).where(eq(tokens.subjectId, subjectId));
    expect(rows.filter((r) => r.purpose === 'test').every((r) => r.consumedAt !== null)).toBe(true);
    // Neighbours are untouched.
    expect(await consume(otherSubject.token, email)).toMatchObject({ ok: true });
    expect(await consume(otherPurpose.token, email, undefined, 'join_confirmation')).toMatchObject({ ok: true });
  });

  it('only SHA-256 hashes are stored: the plaintext appears in no table', async () => {
    const minted = await Promise.all(Array.from({ length: 5 }, () => mint()));
    await consume(minted[0]!.token, minted[0]!.email);
    const dump = await dumpTables();
    const all = [...dump.values()].join('\n');
    for (const { token } of minted) {
      expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(Buffer.from(token, 'base64url')).toHaveLength(32); // 256 bits
      expect(all.includes(token)).toBe(false);
      // The dump does include the tokens table: the hash is there, as 64 hex digits.
      const h = hashToken(token);
      expect(h).toBe(crypto.createHash('sha256').update(token).digest('hex'));
      expect(await tablesContaining(h)).toEqual(['public.tokens']);
    }
    expect(dump.has('public.tokens')).toBe(true);
  });

  it('20 parallel consumes of one token from two OS processes: exactly one succeeds', async () => {
    const { token, email, subjectId } = await mint({ email: 'race@example.org' });
    const barrier = await holdBarrier();
    const params = { token, email, n: 10, barrierKey: barrier.key };
    const children = [runChild('lib/testing/children/consume-token.ts', [JSON.stringify(params)]), runChild('lib/testing/children/consume-token.ts', [JSON.stringify(params)])];
    try {
      await barrier.waitForWaiters(20, 45_000);
    } finally {
      await barrier.release();
    }
    const done = await Promise.all(children);
    for (const c of done) expect(c.code, c.stderr).toBe(0);
    const results = done.map((c) => parseResult<{ ok: number; invalid: number; errors: string[] }>(c.stdout));
    for (const r of results) expect(r.errors).toEqual([]);
    const ok = results.reduce((n, r) => n + r.ok, 0);
    const invalid = results.reduce((n, r) => n + r.invalid, 0);
    expect(ok).toBe(1);
    expect(invalid).toBe(19);
    const rows = await db().select().from(tokens).where(eq(tokens.subjectId, subjectId));
    expect(rows).toHaveLength(1);
    expect(rows[0]!.consumedAt).not.toBeNull();
    recordFigure('tokens-parallel', `Tokens: 20 parallel consumes of one token from 2 processes, ${ok} accepted`);
  });
});
