import crypto from 'node:crypto';
import net from 'node:net';
import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { getDb } from '@/db';
import { auditEvents, devMailbox, notificationOptOuts, outbox, tokens } from '@/db/schema';
import { appendAudit } from './audit';
import { AppError } from './errors';
import { checkInvariants, totalFindings } from './invariants';
import { DEV_MAILBOX_PAGE, listDevMailbox } from './dev-mailbox';
import { enqueue, relayOnce, signUnsubscribe } from './outbox';
import { holdBarrier } from './testing/barrier';
import { parseResult } from './testing/children/_main';
import { count, createUser, ctxFor, digestDomain, runChild } from './testing/db';
import { tablesContaining } from './testing/dump';
import { recordFigure } from './testing/figures';
import { enqueueTestNotice } from './testing/seed';
import { startSmtpCapture, type SmtpCapture } from './testing/smtp-capture';
import { consumeToken, hashToken } from './tokens';
import { unsubscribe } from './users';

type Stats = { sent: number; retried: number; failed: number; cancelled: number; passes: number };
const RELAY = 'lib/testing/children/relay.ts';
const APP_URL = 'http://localhost:3000';
const db = () => getDb();

let capture: SmtpCapture;

async function relayChild(mode: 'once' | 'drain', env: Record<string, string>, extra: Record<string, unknown> = {}) {
  const r = await runChild(RELAY, [JSON.stringify({ mode, ...extra })], { APP_URL, ...env });
  expect(r.code, r.stderr).toBe(0);
  return { ...r, stats: parseResult<Stats>(r.stdout) };
}

/** One relay pass in this process, through the real transport selection (env read at call time). */
async function relayHere(env: Record<string, string>) {
  const saved = Object.fromEntries(Object.keys(env).map((k) => [k, process.env[k]]));
  Object.assign(process.env, env);
  try {
    return await relayOnce(db());
  } finally {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
}

const rowByKey = async (dedupeKey: string) => (await db().select().from(outbox).where(eq(outbox.dedupeKey, dedupeKey)))[0]!;

const expectNoFindings = async () => {
  const results = await checkInvariants(db());
  expect(results.filter((r) => r.count > 0)).toEqual([]);
  expect(totalFindings(results)).toBe(0);
};

beforeAll(async () => {
  capture = await startSmtpCapture();
});
afterAll(async () => {
  await capture.close();
});
beforeEach(async () => {
  // Each test starts with an empty queue, so a relay sends only this test's rows.
  await db().delete(outbox).where(sql`true`);
  await db().delete(devMailbox).where(sql`true`);
  capture.reset();
});

describe('outbox relay', () => {
  it('500 due messages, two relay processes: each message delivered exactly once, every row sent', async () => {
    const N = 500;
    // Each message in its own transaction with its own audit event, 8 at a time (one chain per writer).
    let next = 0;
    const writer = async () => {
      const chainId = crypto.randomUUID();
      while (next < N) {
        const i = next++;
        await enqueueTestNotice({ to: `r${i}@example.org`, n: i, chainId });
      }
    };
    await Promise.all(Array.from({ length: 8 }, writer));
    expect(await count('outbox')).toBe(N);

    const barrier = await holdBarrier();
    const params = { batch: 10, barrierKey: barrier.key, deadlineMs: 200_000 };
    // A pooled SMTP transport (nodemailer's `pool=true` URL option): one connection per relay instead of one per
    // message (smtp-server waits 100 ms before greeting each new connection).
    const smtp = { SMTP_URL: `${capture.url}&pool=true` };
    const relays = [relayChild('drain', smtp, params), relayChild('drain', smtp, params)];
    try {
      await barrier.waitForWaiters(2, 45_000);
    } finally {
      await barrier.release();
    }
    const [a, b] = await Promise.all(relays);
    // Both processes did part of the work, and together exactly all of it.
    expect(a!.stats.sent).toBeGreaterThan(0);
    expect(b!.stats.sent).toBeGreaterThan(0);
    expect(a!.stats.sent + b!.stats.sent).toBe(N);
    expect(a!.stats.retried + b!.stats.retried + a!.stats.failed + b!.stats.failed).toBe(0);

    expect(capture.messages).toHaveLength(N);
    const per = capture.perRecipient();
    expect(per.size).toBe(N);
    for (let i = 0; i < N; i++) expect(per.get(`r${i}@example.org`), `r${i}`).toBe(1);
    for (const m of capture.messages) {
      const i = Number(/^r(\d+)@/.exec(m.to[0]!)![1]);
      expect(m.text).toContain(`number ${i}.`);
    }

    const byStatus = (await db().execute(sql`SELECT status, attempts, count(*)::int AS n FROM outbox GROUP BY 1, 2`)) as unknown as {
      status: string;
      attempts: number;
      n: number;
    }[];
    expect(byStatus).toEqual([{ status: 'sent', attempts: 1, n: N }]);
    expect(await count('outbox')).toBe(N);
    await expectNoFindings();
    recordFigure('outbox-exactly-once', `Outbox: ${N} messages, 2 relay processes, ${capture.messages.length} delivered, 0 lost, 0 duplicated`);
  }, 240_000); // ~15 s on an idle 2-core machine; each SMTP message costs ~45 ms of loopback latency (nodemailer leaves Nagle on)

  it('a rejecting SMTP server: retried with growing backoff, then failed with last_error after OUTBOX_MAX_ATTEMPTS', async () => {
    const reject = await startSmtpCapture({ mode: 'reject', rejectCode: 550 });
    try {
      const BASE = 60_000;
      const MAX = 3;
      const env = { SMTP_URL: reject.url, OUTBOX_MAX_ATTEMPTS: String(MAX), OUTBOX_RETRY_BASE_MS: String(BASE) };
      const { dedupeKey } = await enqueueTestNotice({ to: 'bounce@example.org' });
      let prev = await rowByKey(dedupeKey);
      expect(prev).toMatchObject({ status: 'pending', attempts: 0, lastError: null });

      for (let k = 1; k < MAX; k++) {
        const t0 = Date.now();
        const stats = await relayHere(env);
        const t1 = Date.now();
        expect(stats).toMatchObject({ sent: 0, retried: 1, failed: 0 });
        const row = await rowByKey(dedupeKey);
        expect(row.status).toBe('pending');
        expect(row.attempts).toBe(k);
        expect(row.lastError).toMatch(/550/);
        expect(row.lockedUntil).toBeNull();
        const delay = BASE * 2 ** (k - 1);
        expect(row.notBefore.getTime()).toBeGreaterThanOrEqual(t0 + delay - 5);
        expect(row.notBefore.getTime()).toBeLessThanOrEqual(t1 + delay + 5);
        expect(row.notBefore.getTime()).toBeGreaterThan(prev.notBefore.getTime());
        // Not due yet: a relay pass leaves it alone.
        const idle = await relayOnce(db(), { transport: { send: async () => expect.fail('sent a row that is not due') } });
        expect(idle).toEqual({ sent: 0, retried: 0, failed: 0, cancelled: 0 });
        expect((await rowByKey(dedupeKey)).attempts).toBe(k);
        prev = row;
        // Travel to the retry time instead of waiting for it.
        await db().update(outbox).set({ notBefore: sql`now() - interval '1 second'` }).where(eq(outbox.id, row.id));
      }

      const stats = await relayHere(env);
      expect(stats).toMatchObject({ sent: 0, retried: 0, failed: 1 });
      const failed = await rowByKey(dedupeKey);
      expect(failed).toMatchObject({ status: 'failed', attempts: MAX, lockedUntil: null, sentAt: null });
      expect(failed.lastError).toMatch(/550/);
      expect(reject.rejected).toBe(MAX);

      // 'failed' is final: nothing claims it again.
      const after = await relayOnce(db(), { transport: { send: async () => expect.fail('resent a failed row') } });
      expect(after).toEqual({ sent: 0, retried: 0, failed: 0, cancelled: 0 });
      expect(await rowByKey(dedupeKey)).toEqual(failed);
      await expectNoFindings();
    } finally {
      await reject.close();
    }
  });

  it('a closed SMTP port: the row is retried later with the connection error recorded', async () => {
    const port = await new Promise<number>((resolve) => {
      const s = net.createServer().listen(0, '127.0.0.1', () => {
        const p = (s.address() as net.AddressInfo).port;
        s.close(() => resolve(p));
      });
    });
    const { dedupeKey } = await enqueueTestNotice({ to: 'nobody@example.org' });
    const stats = await relayHere({ SMTP_URL: `smtp://127.0.0.1:${port}?ignoreTLS=true`, OUTBOX_MAX_ATTEMPTS: '5' });
    expect(stats).toMatchObject({ sent: 0, retried: 1 });
    const row = await rowByKey(dedupeKey);
    expect(row).toMatchObject({ status: 'pending', attempts: 1 });
    expect(row.lastError).toMatch(/ECONNREFUSED/);
    expect(row.notBefore.getTime()).toBeGreaterThan(Date.now() - 1000);
  });

  it('a change that throws after writing its audit event and outbox row leaves neither; its twin commits both', async () => {
    const chain = { type: 'user' as const, id: crypto.randomUUID() };
    const write = (fail: boolean) =>
      db().transaction(async (tx) => {
        const ev = await appendAudit(tx, { chain, type: 'user.signed_in', actorUserId: null });
        await enqueue(tx, { auditEventId: ev.id, kind: 'test.notice', to: 'atomic@example.org', locale: 'en', dedupeKey: `atomic:${ev.id}` });
        if (fail) throw new Error('boom after the writes');
        return ev.id;
      });
    const before = await digestDomain();
    const [events, rows] = [await count('audit_events'), await count('outbox')];
    await expect(write(true)).rejects.toThrow('boom after the writes');
    expect(await digestDomain()).toBe(before);
    expect(await count('audit_events')).toBe(events);
    expect(await count('outbox')).toBe(rows);

    const id = await write(false);
    expect(await count('audit_events')).toBe(events + 1);
    expect(await count('outbox')).toBe(rows + 1);
    expect((await db().select().from(outbox).where(eq(outbox.auditEventId, id))).length).toBe(1);
    await expectNoFindings();
  });

  it('dedupe: the same key enqueued twice gives one row and one message; another key gives another', async () => {
    const key = `dedupe:${crypto.randomUUID()}`;
    await enqueueTestNotice({ to: 'dedupe@example.org', dedupeKey: key, n: 1 });
    await enqueueTestNotice({ to: 'dedupe@example.org', dedupeKey: key, n: 2 });
    // Twice within one transaction, too.
    await db().transaction(async (tx) => {
      const ev = await appendAudit(tx, { chain: { type: 'user', id: crypto.randomUUID() }, type: 'user.signed_in', actorUserId: null });
      for (let i = 0; i < 2; i++) await enqueue(tx, { auditEventId: ev.id, kind: 'test.notice', to: 'dedupe@example.org', locale: 'en', dedupeKey: key });
    });
    expect(await db().select().from(outbox).where(eq(outbox.dedupeKey, key))).toHaveLength(1);
    expect((await rowByKey(key)).data).toEqual({ n: 1 }); // the first one wins
    await enqueueTestNotice({ to: 'dedupe@example.org', dedupeKey: `${key}:other`, n: 3 });
    expect(await count('outbox')).toBe(2);

    const stats = await relayHere({ SMTP_URL: capture.url });
    expect(stats.sent).toBe(2);
    expect(capture.perRecipient().get('dedupe@example.org')).toBe(2);
    expect(capture.messages.map((m) => m.text).filter((t) => t.includes('number 1.'))).toHaveLength(1);
  });
});

describe('tokens minted at send time', () => {
  const LINK = /http:\/\/localhost:3000\/invite\/accept#t=([A-Za-z0-9_-]+)/;

  async function seedTokenRow(to: string) {
    const subjectId = crypto.randomUUID();
    const { dedupeKey } = await enqueueTestNotice({
      to,
      tokenRef: { purpose: 'test', subjectId, expiresAt: new Date(Date.now() + 3600_000).toISOString(), path: '/invite/accept' },
    });
    // Nothing is minted at enqueue time.
    expect(await db().select().from(tokens).where(eq(tokens.subjectId, subjectId))).toHaveLength(0);
    return { subjectId, dedupeKey };
  }

  async function expectTokenWorksOnce(token: string, email: string, subjectId: string) {
    const consume = () => db().transaction((tx) => consumeToken(tx, { token, purpose: 'test', email }));
    expect(await consume()).toEqual({ ok: true, subjectId, email });
    expect(await consume()).toEqual({ ok: false, reason: 'invalid' });
  }

  it('over SMTP: the message carries APP_URL + path + #t=<token>; the token is in no table and no relay output', async () => {
    const to = 'invitee@example.org';
    const { subjectId, dedupeKey } = await seedTokenRow(to);
    const r = await relayChild('once', { SMTP_URL: capture.url });
    expect(r.stats.sent).toBe(1);
    expect(capture.messages).toHaveLength(1);
    const msg = capture.messages[0]!;
    expect(msg.to).toEqual([to]);
    const m = LINK.exec(msg.text);
    expect(m, msg.text).not.toBeNull();
    const token = m![1]!;
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(msg.html).toContain(`${APP_URL}/invite/accept#t=${token}`);

    expect(await tablesContaining(token)).toEqual([]);
    expect(await tablesContaining(hashToken(token))).toEqual(['public.tokens']);
    expect(r.stdout + r.stderr).not.toContain(token);
    expect(await rowByKey(dedupeKey)).toMatchObject({ status: 'sent', attempts: 1 });
    const [t] = await db().select().from(tokens).where(eq(tokens.subjectId, subjectId));
    expect(t).toMatchObject({ email: to, purpose: 'test', consumedAt: null });
    await expectTokenWorksOnce(token, to, subjectId);
  });

  it('without SMTP: the message goes to dev_mailbox, the only table holding the live link', async () => {
    const to = 'dev-invitee@example.org';
    const { subjectId, dedupeKey } = await seedTokenRow(to);
    const r = await relayChild('once', { SMTP_URL: '' });
    expect(r.stats.sent).toBe(1);
    expect(capture.messages).toHaveLength(0);
    const rows = await db().select().from(devMailbox).where(eq(devMailbox.toEmail, to));
    expect(rows).toHaveLength(1);
    const token = LINK.exec(rows[0]!.text)![1]!;
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(await tablesContaining(token)).toEqual(['public.dev_mailbox']);
    expect(r.stdout + r.stderr).not.toContain(token);
    expect(await rowByKey(dedupeKey)).toMatchObject({ status: 'sent' });
    await expectTokenWorksOnce(token, to, subjectId);
  });

  it('the development mailbox lists the newest 50 with the total, and narrows to one recipient case-insensitively', async () => {
    const mail = (toEmail: string, i: number) => ({
      toEmail,
      subject: `m${i}`,
      text: `t${i}`,
      html: `<p>${i}</p>`,
      createdAt: new Date(Date.UTC(2026, 0, 1, 0, 0, i)),
    });
    await db()
      .insert(devMailbox)
      .values([
        ...Array.from({ length: 55 }, (_, i) => mail('busy@example.org', i)),
        ...Array.from({ length: 3 }, (_, i) => mail('quiet@example.org', i)),
      ]);
    const all = await listDevMailbox(db());
    expect(all!.total).toBe(58);
    expect(all!.messages).toHaveLength(DEV_MAILBOX_PAGE);
    expect(all!.messages.filter((m) => m.toEmail === 'quiet@example.org')).toHaveLength(0);
    expect(all!.to).toBeNull();

    const quiet = await listDevMailbox(db(), { to: '  Quiet@EXAMPLE.org ' });
    expect(quiet!.to).toBe('quiet@example.org');
    expect(quiet!.total).toBe(3);
    expect(quiet!.messages.map((m) => m.subject)).toEqual(['m2', 'm1', 'm0']);

    const nobody = await listDevMailbox(db(), { to: 'nobody@example.org' });
    expect(nobody).toMatchObject({ total: 0, messages: [] });
  });
});

describe('one-click unsubscribe', () => {
  it('a valid signed value records the opt-out once, audits once, and the relay cancels that scope for that address', async () => {
    const user = await createUser('optout@example.org');
    const scope = `statement:${crypto.randomUUID()}`;
    const otherScope = `statement:${crypto.randomUUID()}`;
    const u = signUnsubscribe(user.email, scope);

    const events = () =>
      db()
        .select()
        .from(auditEvents)
        .where(and(eq(auditEvents.chainId, user.userId), eq(auditEvents.type, 'user.unsubscribed')));
    expect(await unsubscribe(ctxFor(null), { u })).toEqual({ scope, changed: true });
    expect(await db().select().from(notificationOptOuts).where(eq(notificationOptOuts.email, user.email))).toHaveLength(1);
    expect(await events()).toHaveLength(1);
    expect((await events())[0]!.data).toEqual({ scope });

    // Idempotent: again changes nothing.
    const before = await digestDomain();
    expect(await unsubscribe(ctxFor(null), { u })).toEqual({ scope, changed: false });
    expect(await digestDomain()).toBe(before);

    const cancelled = await enqueueTestNotice({ to: 'OptOut@example.org', unsubscribeScope: scope, n: 1 });
    const otherScopeRow = await enqueueTestNotice({ to: user.email, unsubscribeScope: otherScope, n: 2 });
    const otherAddress = await enqueueTestNotice({ to: 'still-subscribed@example.org', unsubscribeScope: scope, n: 3 });
    const stats = await relayHere({ SMTP_URL: capture.url });
    expect(stats).toMatchObject({ sent: 2, cancelled: 1 });
    expect((await rowByKey(cancelled.dedupeKey)).status).toBe('cancelled');
    expect((await rowByKey(otherScopeRow.dedupeKey)).status).toBe('sent');
    expect((await rowByKey(otherAddress.dedupeKey)).status).toBe('sent');
    expect(capture.messages.map((m) => [m.to[0], m.text.match(/number (\d)\./)?.[1]]).sort()).toEqual([
      [user.email, '2'],
      ['still-subscribed@example.org', '3'],
    ]);
    // The messages carry their own one-click link (RFC 8058).
    const sentToUser = capture.messages.find((m) => m.to[0] === user.email)!;
    expect(sentToUser.headers['list-unsubscribe-post']).toBe('List-Unsubscribe=One-Click');
    expect(sentToUser.headers['list-unsubscribe']).toContain(`${APP_URL}/unsubscribe?u=`);
    await expectNoFindings();
  });

  it('tampered values are refused and change nothing; an untampered twin for the same address works', async () => {
    const scope = `statement:${crypto.randomUUID()}`;
    const good = signUnsubscribe('victim@example.org', scope);
    const [payload, mac] = good.split('.') as [string, string];
    const forge = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
    const flip = (s: string) => (s[0] === 'A' ? 'B' : 'A') + s.slice(1);
    const foreignMac = crypto.createHmac('sha256', 'another-secret-another-secret').update(payload).digest('base64url');
    const tampered = [
      `${forge({ e: 'victim@example.org', s: `statement:${crypto.randomUUID()}` })}.${mac}`,
      `${forge({ e: 'someone@example.org', s: scope })}.${mac}`,
      `${payload}.${flip(mac)}`,
      `${flip(payload)}.${mac}`,
      `${payload}.${foreignMac}`,
      `${payload}.`,
      `.${mac}`,
      payload,
      '',
      'not-a-value',
    ];
    const optOuts = await count('notification_opt_outs');
    for (const t of tampered) {
      const before = await digestDomain();
      const err = await unsubscribe(ctxFor(null), { u: t }).then(
        () => null,
        (e: unknown) => e,
      );
      expect(err, t).toBeInstanceOf(AppError);
      expect((err as AppError).code).toBe('NOT_FOUND');
      expect(await digestDomain()).toBe(before);
    }
    expect(await count('notification_opt_outs')).toBe(optOuts);

    const before = await digestDomain();
    expect(await unsubscribe(ctxFor(null), { u: good })).toEqual({ scope, changed: true });
    expect(await digestDomain()).not.toBe(before);
    // No account for this address: audited on the statement's chain.
    const ev = await db().select().from(auditEvents).where(eq(auditEvents.type, 'user.unsubscribed'));
    expect(ev.filter((e) => e.chainType === 'statement' && e.chainId === scope.split(':')[1])).toHaveLength(1);
    await expectNoFindings();
  });
});
