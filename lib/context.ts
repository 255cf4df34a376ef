import type { Db } from '@/db';

export type Actor = { userId: string; email: string };
/** What every domain function receives: the database, who is acting (null = signed out), and the clock. */
export type Ctx = { db: Db; actor: Actor | null; now?: Date; ip?: string };

export const nowOf = (ctx: Ctx): Date => ctx.now ?? new Date();
