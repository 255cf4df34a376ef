// The outbox: notifications are rows written in the transaction of the change that caused them; a relay on
// every instance claims due rows with FOR UPDATE SKIP LOCKED, mints any token at send time, and retries.
import { and, eq, sql } from 'drizzle-orm';
import crypto from 'node:crypto';
import type { Db, DbOrTx, Tx } from '@/db';
import { notificationOptOuts, outbox, type TokenRef } from '@/db/schema';
import { env } from './env';
import { faultPoint } from './fault';
import { isLocale, type Locale } from './i18n';
import { renderOutboxMail } from './mail/render';
import { defaultTransport, type Transport } from './mail/transport';
import { mintToken, normalizeEmail } from './tokens';
import type { TokenPurpose } from '@/db/schema';

export type EnqueueInput = {
  auditEventId: string;
  kind: string;
  to: string;
  locale: Locale;
  data?: Record<string, unknown>;
  dedupeKey: string;
  notBefore?: Date;
  tokenRef?: TokenRef & { purpose: TokenPurpose };
  unsubscribeScope?: string;
};

/** Write a notification in the caller's transaction. A repeated dedupe key is ignored (sent once). */
export async function enqueue(tx: Tx, input: EnqueueInput): Promise<void> {
  await tx
    .insert(outbox)
    .values({
      auditEventId: input.auditEventId,
      kind: input.kind,
      toEmail: normalizeEmail(input.to),
      locale: input.locale,
      data: input.data ?? {},
      dedupeKey: input.dedupeKey,
      notBefore: input.notBefore ?? new Date(),
      tokenRef: input.tokenRef ?? null,
      unsubscribeScope: input.unsubscribeScope ?? null,
    })
    .onConflictDoNothing({ target: outbox.dedupeKey });
  faultPoint('outbox.after_enqueue');
}

// ---- one-click unsubscribe links (RFC 8058): an HMAC capability, nothing stored ----

function unsubscribeKey(): Buffer {
  const secret = env().AUTH_SECRET;
  if (!secret) throw new Error('AUTH_SECRET is required to sign unsubscribe links');
  return crypto.createHmac('sha256', secret).update('undersigned:unsubscribe:v1').digest();
}

export function signUnsubscribe(email: string, scope: string): string {
  const payload = Buffer.from(JSON.stringify({ e: normalizeEmail(email), s: scope })).toString('base64url');
  const mac = crypto.createHmac('sha256', unsubscribeKey()).update(payload).digest('base64url');
  return `${payload}.${mac}`;
}

export function verifyUnsubscribe(value: string): { email: string; scope: string } | null {
  const [payload, mac] = value.split('.');
  if (!payload || !mac) return null;
  const expected = crypto.createHmac('sha256', unsubscribeKey()).update(payload).digest();
  const given = Buffer.from(mac, 'base64url');
  if (given.length !== expected.length || !crypto.timingSafeEqual(given, expected)) return null;
  try {
    const { e, s } = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { e: unknown; s: unknown };
    return typeof e === 'string' && typeof s === 'string' ? { email: e, scope: s } : null;
  } catch {
    return null;
  }
}

export const unsubscribeUrl = (email: string, scope: string) =>
  `${env().APP_URL}/unsubscribe?u=${encodeURIComponent(signUnsubscribe(email, scope))}`;

// ---- the relay ----

type Claimed = typeof outbox.$inferSelect;

/**
 * Claim up to `limit` due rows (or rows whose sender died mid-send) for this relay. `now` moves the relay's clock
 * (tests of scheduled reminders); by default PostgreSQL's now().
 */
export async function claimDue(db: Db, limit: number, now?: Date): Promise<Claimed[]> {
  const t = now ? sql`${now.toISOString()}::timestamptz` : sql`now()`;
  const rows = await db.execute(sql`
    UPDATE outbox SET status = 'sending', attempts = attempts + 1, locked_until = ${t} + interval '2 minutes'
    WHERE id IN (
      SELECT id FROM outbox
      WHERE (status = 'pending' AND not_before <= ${t}) OR (status = 'sending' AND locked_until < ${t})
      ORDER BY not_before, created_at
      LIMIT ${limit}
      FOR UPDATE SKIP LOCKED
    )
    RETURNING id`);
  const ids = (rows as unknown as { id: string }[]).map((r) => r.id);
  if (ids.length === 0) return [];
  // In the order they were due (the claim's order), so a batch is sent oldest first.
  return db.select().from(outbox).where(sql`${outbox.id} IN ${ids}`).orderBy(outbox.notBefore, outbox.createdAt);
}

export type RelayStats = { sent: number; retried: number; failed: number; cancelled: number };

async function deliver(db: Db, row: Claimed, transport: Transport, now?: Date): Promise<keyof RelayStats> {
  if (row.unsubscribeScope) {
    const [opted] = await db
      .select()
      .from(notificationOptOuts)
      .where(and(eq(notificationOptOuts.email, row.toEmail), eq(notificationOptOuts.scope, row.unsubscribeScope)));
    if (opted) {
      await db.update(outbox).set({ status: 'cancelled', lockedUntil: null }).where(eq(outbox.id, row.id));
      return 'cancelled';
    }
  }
  // Mail about an invitation (the invitation itself, resends, reminders) goes out only while it is still pending:
  // an answer, a revocation or the expiry cancels it even when the row was claimed just before.
  const invitationId = typeof row.data?.invitationId === 'string' ? row.data.invitationId : null;
  const aboutInvitation = !!invitationId && row.kind.startsWith('statement.invitation');
  const e = env();
  try {
    const ref = row.tokenRef;
    // The token exists only from here on, in the message; the database keeps its hash.
    const mint = (d: DbOrTx, r: NonNullable<typeof ref>) =>
      mintToken(d, { purpose: r.purpose as TokenPurpose, subjectId: r.subjectId, email: row.toEmail, expiresAt: new Date(r.expiresAt) });
    let token: string | null = null;
    let signLink: string | null = null;
    if (aboutInvitation) {
      // The check and the link's minting in one transaction holding the invitation row (FOR SHARE): an answer, a
      // revocation or the expiry (each locks it FOR UPDATE, then ends its links) either waits and ends this link
      // too, or came first and is seen here — never a live link of an invitation that is over.
      const live = await db.transaction(async (tx) => {
        const [inv] = (await tx.execute(
          sql`select i.status, i.expires_at > ${now ? sql`${now.toISOString()}::timestamptz` : sql`now()`} as live, i.accepted_org_id, i.statement_id,
                     s.state, coalesce(s.current_version, 0) as current_version
                from statement_invitations i join statements s on s.id = i.statement_id
               where i.id = ${invitationId} for share of i`,
        )) as unknown as { status: string; live: boolean; accepted_org_id: string | null; statement_id: string; state: string; current_version: number }[];
        if (!inv) return null;
        if (inv.status === 'pending' && inv.live) return { token: ref ? await mint(tx, ref) : null, signLink: null };
        // After acceptance, a scheduled reminder still goes out while the statement is open for signature and the
        // organization has not answered the current version: not bound to it, not withdrawn, not declined to sign
        // (the dedupe key carries the version).
        if (row.kind !== 'statement.invitation_reminder' || inv.status !== 'accepted' || !inv.accepted_org_id) return null;
        // Only while signing is possible: not before the first freeze, not while reopened for editing.
        if (Number(row.data?.version ?? -1) !== Number(inv.current_version) || inv.state !== 'open') return null;
        const [answered] = (await tx.execute(sql`
          select 1 from sign_declines d where d.statement_id = ${inv.statement_id} and d.org_id = ${inv.accepted_org_id}
          union all
          select 1 from signatures g where g.statement_id = ${inv.statement_id} and g.org_id = ${inv.accepted_org_id}
             and (coalesce((select e.kind::text from signature_events e where e.signature_id = g.id order by e.seq desc limit 1), '') = 'withdrawn'
               or (select b.version_number from signature_bindings b where b.signature_id = g.id order by b.seq desc limit 1) = ${inv.current_version})
          limit 1`)) as unknown as unknown[];
        if (answered) return null;
        return { token: null, signLink: `${e.APP_URL}/statements/${inv.statement_id}/sign` };
      });
      if (!live) {
        await db.update(outbox).set({ status: 'cancelled', lockedUntil: null }).where(eq(outbox.id, row.id));
        return 'cancelled';
      }
      token = live.token;
      signLink = live.signLink;
    } else if (ref) token = await mint(db, ref);
    const link = signLink ?? (ref && token ? `${e.APP_URL}${ref.path}#t=${token}` : null);
    const locale: Locale = isLocale(row.locale) ? row.locale : 'en';
    const unsub = row.unsubscribeScope ? unsubscribeUrl(row.toEmail, row.unsubscribeScope) : undefined;
    const mail = renderOutboxMail(row.kind, locale, signLink ? { ...row.data, accepted: true } : row.data, link, unsub);
    await transport.send({
      ...mail,
      to: row.toEmail,
      headers: unsub ? { 'List-Unsubscribe': `<${unsub}>`, 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' } : {},
    });
    faultPoint('outbox.relay_after_send');
    await db.update(outbox).set({ status: 'sent', sentAt: new Date(), lockedUntil: null, lastError: null }).where(eq(outbox.id, row.id));
    return 'sent';
  } catch (err) {
    // Never log or store the message itself: it may carry a live link.
    const message = (err instanceof Error ? err.message : String(err)).replace(/#t=[A-Za-z0-9_-]+/g, '#t=…').slice(0, 500);
    if (row.attempts >= e.OUTBOX_MAX_ATTEMPTS) {
      await db.update(outbox).set({ status: 'failed', lockedUntil: null, lastError: message }).where(eq(outbox.id, row.id));
      return 'failed';
    }
    const delay = e.OUTBOX_RETRY_BASE_MS * 2 ** (row.attempts - 1);
    await db
      .update(outbox)
      .set({ status: 'pending', lockedUntil: null, lastError: message, notBefore: new Date(Date.now() + delay) })
      .where(eq(outbox.id, row.id));
    return 'retried';
  }
}

/** One pass of the relay: claim due rows and send them. `now`: the relay's clock (default PostgreSQL's now()). */
export async function relayOnce(db: Db, opts: { transport?: Transport; batch?: number; now?: Date } = {}): Promise<RelayStats> {
  const stats: RelayStats = { sent: 0, retried: 0, failed: 0, cancelled: 0 };
  const rows = await claimDue(db, opts.batch ?? 20, opts.now);
  const transport = opts.transport ?? defaultTransport();
  for (const row of rows) stats[await deliver(db, row, transport, opts.now)]++;
  return stats;
}

/** Loop until stopped; each instance runs one (started from instrumentation.ts). */
export function startRelay(
  db: () => Db,
  opts: { pollMs?: number; transport?: () => Transport; beforePass?: (db: Db) => Promise<unknown> } = {},
): () => void {
  let stopped = false;
  let timer: NodeJS.Timeout | null = null;
  const tick = async () => {
    if (stopped) return;
    let busy = false;
    try {
      // Housekeeping that records state changes on time (e.g. invitations past expires_at), on every instance.
      if (opts.beforePass) await opts.beforePass(db());
      const s = await relayOnce(db(), { transport: opts.transport?.() });
      busy = s.sent + s.retried + s.failed + s.cancelled > 0;
    } catch (err) {
      console.error('[outbox] relay pass failed:', err instanceof Error ? err.message : err);
    }
    if (!stopped) timer = setTimeout(tick, busy ? 0 : (opts.pollMs ?? env().OUTBOX_POLL_MS));
  };
  timer = setTimeout(tick, 0);
  return () => {
    stopped = true;
    if (timer) clearTimeout(timer);
  };
}
