-- 0005 (PostgreSQL): how an upload ended, and how much of its file is kept, as migrations/0005_upload_outcomes.sql.
-- A submission may now also be 'interrupted' (the file never fully arrived, so none of it is kept) or 'failed'
-- (the server could not finish processing it, so nothing of it was saved). stored_bytes is how much of the
-- file submission_chunks holds. SQLite rebuilds the table to change its CHECK; PostgreSQL changes it in place,
-- so every row, id and reference stays where it is. The one visible difference: stored_bytes is the last
-- column here, not the one after size_bytes (nothing reads columns by position).

ALTER TABLE submissions ADD COLUMN stored_bytes bigint NOT NULL DEFAULT 0;
UPDATE submissions s
SET stored_bytes = (SELECT coalesce(sum(length(c.bytes)), 0) FROM submission_chunks c WHERE c.submission_id = s.id);

ALTER TABLE submissions DROP CONSTRAINT submissions_status_check;
-- Uploads that stopped before the whole file arrived were recorded as rejected with this message.
UPDATE submissions SET status = 'interrupted'
WHERE status = 'rejected' AND errors_json LIKE '%the upload stopped before the whole file arrived%';
ALTER TABLE submissions ADD CONSTRAINT submissions_status_check
  CHECK (status IN ('processing', 'accepted', 'rejected', 'interrupted', 'failed'));
