/**
 * The general API rate limit's counts in the database (migrations 0008), for several instances counting
 * together on PostgreSQL (plugins/rate-limit.ts). Each request is one statement: an upsert that starts a new
 * window for the client when the last one has ended, or adds one to it, and returns the count, so two
 * instances counting the same client at once cannot lose a request between a read and a write.
 */
import { sql } from 'kysely';
import type { Db } from '../database';

export interface RateLimitCount {
  /** Requests in the current window, this one included. */
  current: number;
  /** Milliseconds until the window ends. */
  ttl: number;
}

export async function countRateLimitHit(db: Db, key: string, windowMs: number, nowMs: number): Promise<RateLimitCount> {
  const { rows } = await sql<{ hits: number; window_started_ms: number }>`
    INSERT INTO rate_limit_hits (key, window_started_ms, hits) VALUES (${key}, ${nowMs}, 1)
    ON CONFLICT (key) DO UPDATE SET
      hits = CASE WHEN rate_limit_hits.window_started_ms + ${windowMs} <= ${nowMs} THEN 1 ELSE rate_limit_hits.hits + 1 END,
      window_started_ms = CASE WHEN rate_limit_hits.window_started_ms + ${windowMs} <= ${nowMs} THEN ${nowMs}
                               ELSE rate_limit_hits.window_started_ms END
    RETURNING hits, window_started_ms`.execute(db);
  const row = rows[0];
  if (!row) throw new Error('the rate limit upsert returned no row');
  return { current: Number(row.hits), ttl: Number(row.window_started_ms) + windowMs - nowMs };
}

/** Removes the counts of windows that ended before `beforeMs` (clients no longer sending anything). */
export async function pruneRateLimitHits(db: Db, beforeMs: number): Promise<void> {
  await db.deleteFrom('rate_limit_hits').where('window_started_ms', '<', beforeMs).execute();
}
