import { count, desc, sql } from 'drizzle-orm';
import type { Db } from '@/db';
import { devMailbox } from '@/db/schema';
import { env } from './env';

/** The dev mailbox exists only without SMTP, and never in production without the explicit unsafe flag. */
export function devMailboxEnabled(): boolean {
  const e = env();
  if (e.SMTP_URL) return false;
  return e.NODE_ENV !== 'production' || e.DEV_MAILBOX_UNSAFE_IN_PRODUCTION;
}

/** The newest messages shown at once; a recipient filter (`?to=`) narrows the list rather than raising this. */
export const DEV_MAILBOX_PAGE = 50;

/**
 * Permission: anyone, but only while the dev mailbox is enabled (development instances). The newest `limit`
 * messages, optionally only those to one address (compared case-insensitively), and how many there are in all
 * — a busy instance (the end-to-end suite) has far more than one page, and a reader looking for one person's
 * mail must not lose it behind everyone else's.
 */
export async function listDevMailbox(db: Db, opts: { to?: string; limit?: number } = {}) {
  if (!devMailboxEnabled()) return null;
  const to = opts.to?.trim().toLowerCase();
  const where = to ? sql`lower(${devMailbox.toEmail}) = ${to}` : undefined;
  const [messages, counted] = await Promise.all([
    db
      .select()
      .from(devMailbox)
      .where(where)
      .orderBy(desc(devMailbox.createdAt))
      .limit(opts.limit ?? DEV_MAILBOX_PAGE),
    db.select({ total: count() }).from(devMailbox).where(where),
  ]);
  return { messages, total: counted[0]?.total ?? 0, to: to || null };
}

export function linksIn(text: string): string[] {
  return [...new Set(text.match(/https?:\/\/[^\s<>"]+/g) ?? [])];
}
