import { integer, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

// The table rate-limiter-flexible's Drizzle store reads and writes (key, points, expire).
export const rateLimits = pgTable('rate_limits', {
  key: text('key').primaryKey(),
  points: integer('points').notNull(),
  expire: timestamp('expire', { withTimezone: true, mode: 'date' }),
});
