-- 0004 (PostgreSQL): a tamper-evident audit log, and sign-in attempts reserved before the password is checked,
-- as migrations/0004_audit_chain_sign_in_attempts.sql.
--
-- The hash chain is the same: each entry carries prev_hash (the hash of the entry before it, NULL for the
-- first) and hash, the SHA-256 of its canonical bytes (server/domain/audit-chain.ts). What differs from SQLite:
-- * audit_entry_hash is a SQL function in the database (SQLite's is registered by the application on each of
--   its connections). It writes the same canonical JSON array: to_json() escapes a string exactly as
--   JSON.stringify does, and ids print as JSON numbers. The application computes each new entry's hash with
--   server/domain/audit-chain.ts; the insert trigger recomputes it here and refuses an entry whose hash, id or
--   link does not fit (tests/api/postgres-audit-chain.test.ts checks the two agree, on awkward text too). In
--   PostgreSQL who may append is decided by roles and grants, not by who has a function.
-- * Appends are serialised by a row lock: an appender takes `SELECT … FROM audit_chain_lock FOR UPDATE` before
--   it reads the last entry (server/db/postgres/audit.ts), and the insert trigger takes the same lock, so
--   several instances writing at once still make one chain, in commit order. The lock is held to the end of
--   the appending transaction. Appends run at READ COMMITTED (PostgreSQL's default), where a statement after
--   the lock sees the entry the previous holder committed; under REPEATABLE READ a concurrent append makes
--   the later one fail (both would take the same next id, which the primary key refuses), never fork the chain.
-- * The audit log's id stops being an identity: each entry names the next id itself.

ALTER TABLE audit_log ADD COLUMN prev_hash text;
ALTER TABLE audit_log ADD COLUMN hash text;

CREATE FUNCTION audit_entry_hash(prev_hash text, id bigint, at text, user_id bigint, username text, action text, ip text, detail text)
RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT encode(sha256(convert_to(
    '["audit-v1",'
    || coalesce(to_json($1)::text, 'null') || ','
    || coalesce($2::text, 'null') || ','
    || coalesce(to_json($3)::text, 'null') || ','
    || coalesce($4::text, 'null') || ','
    || coalesce(to_json($5)::text, 'null') || ','
    || coalesce(to_json($6)::text, 'null') || ','
    || coalesce(to_json($7)::text, 'null') || ','
    || coalesce(to_json($8)::text, 'null')
    || ']', 'UTF8')), 'hex')
$$;

-- Chain the entries written before this migration, oldest first. The update trigger is set aside for this,
-- inside the migration's transaction, and put back at once.
ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_update;
DO $$
DECLARE
  entry record;
  previous text := NULL;
  this_hash text;
BEGIN
  FOR entry IN SELECT * FROM audit_log ORDER BY id LOOP
    this_hash := audit_entry_hash(previous, entry.id, entry.at, entry.user_id, entry.username, entry.action, entry.ip, entry.detail);
    UPDATE audit_log SET prev_hash = previous, hash = this_hash WHERE id = entry.id;
    previous := this_hash;
  END LOOP;
END;
$$;
ALTER TABLE audit_log ENABLE TRIGGER audit_log_no_update;

ALTER TABLE audit_log ALTER COLUMN id DROP IDENTITY;

-- The one row appenders lock. It holds nothing else, so there is nothing in it to fall out of step.
CREATE TABLE audit_chain_lock (
  only_row  boolean PRIMARY KEY DEFAULT true CHECK (only_row)
);
INSERT INTO audit_chain_lock DEFAULT VALUES;
CREATE FUNCTION audit_chain_lock_keep() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit_chain_lock serialises audit appends: its one row must stay as it is' USING ERRCODE = 'restrict_violation';
END;
$$;
CREATE TRIGGER audit_chain_lock_keep BEFORE INSERT OR UPDATE OR DELETE ON audit_chain_lock
  FOR EACH ROW EXECUTE FUNCTION audit_chain_lock_keep();
CREATE TRIGGER audit_chain_lock_keep_all BEFORE TRUNCATE ON audit_chain_lock
  FOR EACH STATEMENT EXECUTE FUNCTION audit_chain_lock_keep();

-- Only appending is possible: an insert naming an existing id is refused with a clear message (an upsert's
-- update is refused by audit_log_no_update), and a new entry must take the next id and extend the chain.
CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  last_id bigint;
  last_hash text;
BEGIN
  PERFORM 1 FROM audit_chain_lock FOR UPDATE;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'the audit log cannot be appended to: audit_chain_lock has lost its row' USING ERRCODE = 'restrict_violation';
  END IF;
  IF EXISTS (SELECT 1 FROM audit_log WHERE id = NEW.id) THEN
    RAISE EXCEPTION 'the audit log is append-only: an entry with this id already exists' USING ERRCODE = 'restrict_violation';
  END IF;
  SELECT a.id, a.hash INTO last_id, last_hash FROM audit_log a ORDER BY a.id DESC LIMIT 1;
  IF NEW.id IS DISTINCT FROM coalesce(last_id, 0) + 1
     OR NEW.prev_hash IS DISTINCT FROM last_hash
     OR NEW.hash IS DISTINCT FROM audit_entry_hash(NEW.prev_hash, NEW.id, NEW.at, NEW.user_id, NEW.username, NEW.action, NEW.ip, NEW.detail) THEN
    RAISE EXCEPTION 'the audit log is append-only: a new entry must take the next id and extend the hash chain' USING ERRCODE = 'restrict_violation';
  END IF;
  RETURN NEW;
END;
$$;
CREATE TRIGGER audit_log_append_only BEFORE INSERT ON audit_log
  FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
-- The trigger names its tables without a schema: pin them to this schema, whatever search_path the inserting
-- connection has.
DO $$
BEGIN
  EXECUTE format('ALTER FUNCTION audit_log_append_only() SET search_path = %I, pg_catalog', current_schema());
END;
$$;

-- One row per sign-in (or password-change) attempt, written in the same transaction that counts the earlier
-- ones and before the password is checked. 'pending' while the password is being checked; pending and failed
-- attempts count towards the limits. (Across instances the counting transactions must also be serialised per
-- username and per address: README, "Run on PostgreSQL (design)".)
CREATE TABLE sign_in_attempts (
  id        bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  username  text NOT NULL,
  ip        text NOT NULL,
  at        text NOT NULL,
  outcome   text NOT NULL CHECK (outcome IN ('pending', 'failed', 'succeeded'))
);
CREATE INDEX sign_in_attempts_username ON sign_in_attempts (username, at);
CREATE INDEX sign_in_attempts_ip ON sign_in_attempts (ip, at);
CREATE INDEX sign_in_attempts_at ON sign_in_attempts (at);
