import { desc } from 'drizzle-orm';
import type { Db } from '@/db';
import { devMailbox } from '@/db/schema';
import { env } from './env';

/** The dev mailbox exists only without SMTP, and never in production without the explicit unsafe flag. */
export function devMailboxEnabled(): boolean {
  const e = env();
  if (e.SMTP_URL) return false;
  return e.NODE_ENV !== 'production' || e.DEV_MAILBOX_UNSAFE_IN_PRODUCTION;
}

/** Permission: anyone, but only while the dev mailbox is enabled (development instances). */
export async function listDevMailbox(db: Db, limit = 50) {
  if (!devMailboxEnabled()) return null;
  return db.select().from(devMailbox).orderBy(desc(devMailbox.createdAt)).limit(limit);
}

export function linksIn(text: string): string[] {
  return [...new Set(text.match(/https?:\/\/[^\s<>"]+/g) ?? [])];
}
