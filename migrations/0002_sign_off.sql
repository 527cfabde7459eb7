-- 0002: sign-off of a contract year's payment statements. A sign-off freezes the statements it approved
-- (rules, inputs, amounts) with the hash of their inputs; reopening records who and why, and keeps the row.

CREATE TABLE sign_offs (
  id                INTEGER PRIMARY KEY,
  contract_year_id  INTEGER NOT NULL REFERENCES contract_years (id),
  period            TEXT NOT NULL,
  signed_at         TEXT NOT NULL,
  signed_by         TEXT NOT NULL,
  override_reason   TEXT,
  input_hash        TEXT NOT NULL,
  statement_json    TEXT NOT NULL,
  total_earned_pence INTEGER NOT NULL,
  reopened_at       TEXT,
  reopened_by       TEXT,
  reopen_reason     TEXT
);
CREATE INDEX sign_offs_year ON sign_offs (contract_year_id, signed_at);
