-- 0004: a tamper-evident audit log, and sign-in attempts reserved before the password is checked.

-- The audit log becomes a hash chain: each entry carries the hash of the entry before it (prev_hash, NULL
-- for the first) and its own hash, audit_entry_hash(prev_hash, id, at, user_id, username, action, ip,
-- detail): the SHA-256 of the canonical bytes described in server/domain/audit-chain.ts. The application
-- registers that function on every connection it opens.
ALTER TABLE audit_log ADD COLUMN prev_hash TEXT;
ALTER TABLE audit_log ADD COLUMN hash TEXT;

-- Chain the entries written before this migration, oldest first. The update trigger is set aside for this
-- one statement, inside the migration's transaction, and put back at once.
DROP TRIGGER audit_log_no_update;
CREATE TEMP TABLE audit_chain_0004 AS
WITH RECURSIVE chain (id, prev_hash, hash) AS (
  SELECT a.id, NULL, audit_entry_hash(NULL, a.id, a.at, a.user_id, a.username, a.action, a.ip, a.detail)
  FROM audit_log a
  WHERE a.id = (SELECT min(id) FROM audit_log)
  UNION ALL
  SELECT a.id, c.hash, audit_entry_hash(c.hash, a.id, a.at, a.user_id, a.username, a.action, a.ip, a.detail)
  FROM chain c JOIN audit_log a ON a.id = (SELECT min(id) FROM audit_log WHERE id > c.id)
)
SELECT id, prev_hash, hash FROM chain;
UPDATE audit_log SET prev_hash = c.prev_hash, hash = c.hash FROM temp.audit_chain_0004 AS c WHERE c.id = audit_log.id;
DROP TABLE temp.audit_chain_0004;
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
  BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;

-- Only appending is possible: an insert naming an existing id is refused before INSERT OR REPLACE (or an
-- upsert) could remove or rewrite that entry (REPLACE deletes without firing delete triggers unless
-- recursive_triggers is on), and a new entry must take the next id and extend the chain.
CREATE TRIGGER audit_log_append_only BEFORE INSERT ON audit_log
BEGIN
  SELECT RAISE(ABORT, 'the audit log is append-only: an entry with this id already exists')
    WHERE EXISTS (SELECT 1 FROM audit_log WHERE id = NEW.id);
  SELECT RAISE(ABORT, 'the audit log is append-only: a new entry must take the next id and extend the hash chain')
    WHERE NEW.id IS NOT (SELECT coalesce(max(id), 0) + 1 FROM audit_log)
       OR NEW.prev_hash IS NOT (SELECT hash FROM audit_log ORDER BY id DESC LIMIT 1)
       OR NEW.hash IS NOT audit_entry_hash(NEW.prev_hash, NEW.id, NEW.at, NEW.user_id, NEW.username, NEW.action, NEW.ip, NEW.detail);
END;

-- One row per sign-in (or password-change) attempt, written in the same transaction that counts the
-- earlier ones and before the password is checked, so parallel guesses cannot all pass the count. 'pending'
-- while the password is being checked; pending and failed attempts count towards the limits.
CREATE TABLE sign_in_attempts (
  id        INTEGER PRIMARY KEY,
  username  TEXT NOT NULL,
  ip        TEXT NOT NULL,
  at        TEXT NOT NULL,
  outcome   TEXT NOT NULL CHECK (outcome IN ('pending', 'failed', 'succeeded'))
);
CREATE INDEX sign_in_attempts_username ON sign_in_attempts (username, at);
CREATE INDEX sign_in_attempts_ip ON sign_in_attempts (ip, at);
CREATE INDEX sign_in_attempts_at ON sign_in_attempts (at);
