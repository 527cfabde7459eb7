-- 0008: the general API rate limit's counts, kept in the database (issue 15).
--
-- One row per client (a signed-in user, or an address): when its current window started, in milliseconds
-- since 1970, and how many requests it has made in it. A single-statement upsert counts a request, so
-- several instances of the app sharing a PostgreSQL database count every client together. A lone SQLite
-- server counts in memory and leaves this table empty; it is here so that both dialects have one schema.
CREATE TABLE rate_limit_hits (
  key                TEXT PRIMARY KEY,
  window_started_ms  INTEGER NOT NULL,
  hits               INTEGER NOT NULL CHECK (hits >= 1)
) WITHOUT ROWID;
