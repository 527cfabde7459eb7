-- 0001: reference data, contract years and their rules, users and sessions, submissions and observations.
-- Periods are calendar months written 'YYYY-MM'; thresholds and shares are integer basis points
-- (9500 = 95.00%); money is integer pence. Nothing here is ever deleted by the application: a later
-- observation supersedes an earlier one and both stay.

CREATE TABLE networks (
  id          INTEGER PRIMARY KEY,
  code        TEXT NOT NULL UNIQUE,
  name        TEXT NOT NULL,
  created_at  TEXT NOT NULL
);

CREATE TABLE practices (
  id          INTEGER PRIMARY KEY,
  code        TEXT NOT NULL UNIQUE CHECK (length(code) BETWEEN 3 AND 10),
  name        TEXT NOT NULL,
  postcode    TEXT,
  created_at  TEXT NOT NULL
);

-- A practice belongs to one network over a span of periods; to_period is the last period of membership,
-- NULL while it lasts. The application never lets two spans of one practice overlap.
CREATE TABLE memberships (
  id           INTEGER PRIMARY KEY,
  practice_id  INTEGER NOT NULL REFERENCES practices (id),
  network_id   INTEGER NOT NULL REFERENCES networks (id),
  from_period  TEXT NOT NULL CHECK (from_period GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]'),
  to_period    TEXT CHECK (to_period IS NULL OR to_period GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]'),
  created_at   TEXT NOT NULL,
  CHECK (to_period IS NULL OR to_period >= from_period)
);
CREATE INDEX memberships_practice ON memberships (practice_id, from_period);
CREATE INDEX memberships_network ON memberships (network_id, from_period);

-- Registered list size of a practice, as at a period.
CREATE TABLE list_sizes (
  practice_id  INTEGER NOT NULL REFERENCES practices (id),
  period       TEXT NOT NULL,
  list_size    INTEGER NOT NULL CHECK (list_size >= 0),
  PRIMARY KEY (practice_id, period)
) WITHOUT ROWID;

CREATE TABLE domains (
  code        TEXT PRIMARY KEY,
  name        TEXT NOT NULL,
  sort_order  INTEGER NOT NULL
);
INSERT INTO domains (code, name, sort_order) VALUES
  ('DM', 'Diabetes', 1),
  ('CVD', 'Cardiovascular disease', 2),
  ('COPD', 'COPD', 3),
  ('IMM', 'Immunisation', 4),
  ('EOL', 'End-of-life care', 5),
  ('DA', 'Drug and alcohol', 6);

CREATE TABLE contract_years (
  id                      INTEGER PRIMARY KEY,
  code                    TEXT NOT NULL UNIQUE CHECK (code GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]'),
  first_period            TEXT NOT NULL,
  last_period             TEXT NOT NULL,
  retrospective_share_bp  INTEGER NOT NULL DEFAULT 3000 CHECK (retrospective_share_bp BETWEEN 0 AND 10000),
  domain_rule             TEXT NOT NULL DEFAULT 'all-indicators'
                            CHECK (domain_rule IN ('all-indicators', 'per-indicator')),
  locked_at               TEXT,
  locked_by               TEXT,
  created_at              TEXT NOT NULL,
  CHECK (last_period >= first_period)
);

CREATE TABLE contract_year_domains (
  contract_year_id  INTEGER NOT NULL REFERENCES contract_years (id),
  domain_code       TEXT NOT NULL REFERENCES domains (code),
  share_bp          INTEGER NOT NULL CHECK (share_bp BETWEEN 0 AND 10000),
  PRIMARY KEY (contract_year_id, domain_code)
) WITHOUT ROWID;

CREATE TABLE indicators (
  id                 INTEGER PRIMARY KEY,
  contract_year_id   INTEGER NOT NULL REFERENCES contract_years (id),
  code               TEXT NOT NULL,
  domain_code        TEXT NOT NULL REFERENCES domains (code),
  title              TEXT NOT NULL,
  numerator_label    TEXT NOT NULL,
  denominator_label  TEXT NOT NULL,
  target_bp          INTEGER NOT NULL CHECK (target_bp BETWEEN 0 AND 10000),
  lower_bp           INTEGER CHECK (lower_bp IS NULL OR lower_bp BETWEEN 0 AND 10000),
  mode               TEXT NOT NULL DEFAULT 'threshold' CHECK (mode IN ('threshold', 'sliding')),
  weight             INTEGER NOT NULL DEFAULT 1 CHECK (weight > 0),
  sort_order         INTEGER NOT NULL,
  UNIQUE (contract_year_id, code),
  CHECK (lower_bp IS NULL OR lower_bp <= target_bp)
);

-- QOF (or other national) indicator codes that stand for a catalogue indicator in a contract year.
CREATE TABLE indicator_aliases (
  contract_year_id  INTEGER NOT NULL REFERENCES contract_years (id),
  alias             TEXT NOT NULL,
  indicator_code    TEXT NOT NULL,
  PRIMARY KEY (contract_year_id, alias)
) WITHOUT ROWID;

CREATE TABLE contract_values (
  contract_year_id  INTEGER NOT NULL REFERENCES contract_years (id),
  network_id        INTEGER NOT NULL REFERENCES networks (id),
  value_pence       INTEGER NOT NULL CHECK (value_pence >= 0),
  PRIMARY KEY (contract_year_id, network_id)
) WITHOUT ROWID;

CREATE TABLE users (
  id             INTEGER PRIMARY KEY,
  username       TEXT NOT NULL UNIQUE COLLATE NOCASE,
  password_hash  TEXT NOT NULL,
  role           TEXT NOT NULL CHECK (role IN ('admin', 'commissioner', 'manager', 'gp')),
  network_id     INTEGER REFERENCES networks (id),
  is_demo        INTEGER NOT NULL DEFAULT 0,
  disabled_at    TEXT,
  created_at     TEXT NOT NULL,
  CHECK (role IN ('admin', 'commissioner') OR network_id IS NOT NULL)
);

-- A session is stored by the SHA-256 of its cookie value, so a copy of the database opens no session.
CREATE TABLE sessions (
  id_hash       TEXT PRIMARY KEY,
  user_id       INTEGER NOT NULL REFERENCES users (id),
  created_at    TEXT NOT NULL,
  last_seen_at  TEXT NOT NULL,
  ended_at      TEXT,
  ip            TEXT,
  user_agent    TEXT
) WITHOUT ROWID;
CREATE INDEX sessions_user ON sessions (user_id);

-- One uploaded file. Its bytes are kept in submission_chunks, whatever the outcome.
CREATE TABLE submissions (
  id            INTEGER PRIMARY KEY,
  uploaded_at   TEXT NOT NULL,
  user_id       INTEGER REFERENCES users (id),
  uploader      TEXT NOT NULL,
  kind          TEXT NOT NULL DEFAULT 'observations' CHECK (kind IN ('observations', 'reference')),
  filename      TEXT NOT NULL,
  size_bytes    INTEGER NOT NULL DEFAULT 0,
  sha256        TEXT,
  format        TEXT,
  period_given  TEXT,
  status        TEXT NOT NULL CHECK (status IN ('processing', 'accepted', 'rejected')),
  summary_json  TEXT,
  error_count   INTEGER NOT NULL DEFAULT 0,
  errors_json   TEXT,
  finished_at   TEXT
);
CREATE INDEX submissions_sha ON submissions (sha256);

CREATE TABLE submission_chunks (
  submission_id  INTEGER NOT NULL REFERENCES submissions (id),
  seq            INTEGER NOT NULL,
  bytes          BLOB NOT NULL,
  PRIMARY KEY (submission_id, seq)
) WITHOUT ROWID;

-- One (practice, indicator, period) value from an accepted submission. superseded_by names the later
-- submission that replaced it; the current value of a key is the one with superseded_by NULL.
CREATE TABLE observations (
  id              INTEGER PRIMARY KEY,
  submission_id   INTEGER NOT NULL REFERENCES submissions (id),
  practice_id     INTEGER NOT NULL REFERENCES practices (id),
  indicator_code  TEXT NOT NULL,
  period          TEXT NOT NULL,
  numerator       INTEGER NOT NULL CHECK (numerator >= 0),
  denominator     INTEGER NOT NULL CHECK (denominator >= numerator),
  exceptions      INTEGER CHECK (exceptions IS NULL OR exceptions >= 0),
  superseded_by   INTEGER REFERENCES submissions (id)
);
CREATE UNIQUE INDEX observations_current
  ON observations (practice_id, period, indicator_code) WHERE superseded_by IS NULL;

-- The periods each accepted submission gave values for: answers "which periods have data" without an
-- index on the large observations table (each extra index there slows a national upload by a fifth).
CREATE TABLE submission_periods (
  period         TEXT NOT NULL,
  submission_id  INTEGER NOT NULL REFERENCES submissions (id),
  PRIMARY KEY (period, submission_id)
) WITHOUT ROWID;

-- Append-only: the application has no update or delete path for this table.
CREATE TABLE audit_log (
  id         INTEGER PRIMARY KEY,
  at         TEXT NOT NULL,
  user_id    INTEGER,
  username   TEXT,
  action     TEXT NOT NULL,
  ip         TEXT,
  detail     TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX audit_log_at ON audit_log (at);
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
  BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
  BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;

CREATE TABLE settings (
  key    TEXT PRIMARY KEY,
  value  TEXT NOT NULL
) WITHOUT ROWID;
