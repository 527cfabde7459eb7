-- 0008 (PostgreSQL): the general API rate limit's counts, as migrations/0008_rate_limit.sql. Counted by one
-- upsert per request (server/db/repositories/rate-limits.ts), so every instance counts each client together.
CREATE TABLE rate_limit_hits (
  key                text PRIMARY KEY,
  window_started_ms  bigint NOT NULL,
  hits               bigint NOT NULL CHECK (hits >= 1)
);
