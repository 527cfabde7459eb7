-- 0006: the learning-set loop (SPEC section 12). What a network's monthly learning set notices (annotations
-- on an indicator at a period), when it met and what it reviewed (meetings), and what it decided to do
-- (actions), so that all three are there at the next meeting. Dates are calendar dates 'YYYY-MM-DD', periods
-- months 'YYYY-MM', times UTC ISO strings. Every change is also written to the audit log by the application.

CREATE TABLE annotations (
  id              INTEGER PRIMARY KEY,
  network_id      INTEGER NOT NULL REFERENCES networks (id),
  indicator_code  TEXT NOT NULL,
  practice_id     INTEGER REFERENCES practices (id),
  period          TEXT NOT NULL CHECK (period GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]'),
  text            TEXT NOT NULL CHECK (length(text) > 0),
  author          TEXT NOT NULL,
  author_id       INTEGER REFERENCES users (id),
  created_at      TEXT NOT NULL,
  updated_at      TEXT NOT NULL
);
CREATE INDEX annotations_network ON annotations (network_id, period);

CREATE TABLE meetings (
  id          INTEGER PRIMARY KEY,
  network_id  INTEGER NOT NULL REFERENCES networks (id),
  held_on     TEXT NOT NULL CHECK (held_on GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]'),
  period      TEXT NOT NULL CHECK (period GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]'),
  attendees   TEXT NOT NULL DEFAULT '',
  notes       TEXT NOT NULL DEFAULT '',
  created_by  TEXT NOT NULL,
  created_at  TEXT NOT NULL,
  updated_at  TEXT NOT NULL
);
CREATE INDEX meetings_network ON meetings (network_id, held_on);

CREATE TABLE actions (
  id              INTEGER PRIMARY KEY,
  network_id      INTEGER NOT NULL REFERENCES networks (id),
  meeting_id      INTEGER REFERENCES meetings (id),
  indicator_code  TEXT,
  practice_id     INTEGER REFERENCES practices (id),
  text            TEXT NOT NULL CHECK (length(text) > 0),
  owner           TEXT NOT NULL CHECK (length(owner) > 0),
  due             TEXT NOT NULL CHECK (due GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]'),
  status          TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'done', 'dropped')),
  created_by      TEXT NOT NULL,
  created_at      TEXT NOT NULL,
  updated_at      TEXT NOT NULL
);
CREATE INDEX actions_network ON actions (network_id, status, due);
CREATE INDEX actions_meeting ON actions (meeting_id);
