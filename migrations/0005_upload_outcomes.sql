-- 0005: how an upload ended, and how much of its file is kept.
-- A submission may now also be 'interrupted' (the file never fully arrived, so none of it is kept) or
-- 'failed' (the server could not finish processing it, so nothing of it was saved). stored_bytes is how much
-- of the file submission_chunks holds: all of an accepted file, at most REJECTED_BYTES_MAX_MB of a rejected
-- one; size_bytes and sha256 stay those of the whole file.
-- SQLite cannot change a CHECK constraint in place, so the table is rebuilt the way SQLite documents for
-- such changes (new table, copy, drop, rename); every id stays the same, so the rows that refer to a
-- submission still do.
-- migrate: foreign-keys-off

CREATE TABLE submissions_new (
  id            INTEGER PRIMARY KEY,
  uploaded_at   TEXT NOT NULL,
  user_id       INTEGER REFERENCES users (id),
  uploader      TEXT NOT NULL,
  kind          TEXT NOT NULL DEFAULT 'observations' CHECK (kind IN ('observations', 'reference')),
  filename      TEXT NOT NULL,
  size_bytes    INTEGER NOT NULL DEFAULT 0,
  stored_bytes  INTEGER NOT NULL DEFAULT 0,
  sha256        TEXT,
  format        TEXT,
  period_given  TEXT,
  status        TEXT NOT NULL CHECK (status IN ('processing', 'accepted', 'rejected', 'interrupted', 'failed')),
  summary_json  TEXT,
  error_count   INTEGER NOT NULL DEFAULT 0,
  errors_json   TEXT,
  finished_at   TEXT
);

INSERT INTO submissions_new (id, uploaded_at, user_id, uploader, kind, filename, size_bytes, stored_bytes, sha256, format,
                             period_given, status, summary_json, error_count, errors_json, finished_at)
SELECT s.id, s.uploaded_at, s.user_id, s.uploader, s.kind, s.filename, s.size_bytes,
       (SELECT coalesce(sum(length(c.bytes)), 0) FROM submission_chunks c WHERE c.submission_id = s.id),
       s.sha256, s.format, s.period_given,
       -- Uploads that stopped before the whole file arrived were recorded as rejected with this message.
       CASE WHEN s.status = 'rejected' AND s.errors_json LIKE '%the upload stopped before the whole file arrived%' THEN 'interrupted' ELSE s.status END,
       s.summary_json, s.error_count, s.errors_json, s.finished_at
FROM submissions s;

DROP TABLE submissions;
ALTER TABLE submissions_new RENAME TO submissions;
CREATE INDEX submissions_sha ON submissions (sha256);
