/**
 * Migration 0005 rebuilds the submissions table (SQLite cannot change a CHECK constraint in place): on a
 * database with rows from before it, every submission keeps its id and its children, uploads that stopped
 * short become 'interrupted', and how much of each file is kept is counted. A migration that would leave a
 * foreign key pointing nowhere is rolled back.
 */
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import type SQLite from 'better-sqlite3';
import { closeDatabase, openDatabase, type Db } from '../../server/db/database';
import { migrate, MIGRATIONS_DIR } from '../../server/db/migrate';
import { openTestSql } from '../helpers/db';

let dir: string;
let db: Db;
/** The test's own connection to the same file, for the rows it sets up and reads back. */
let sqlite: SQLite.Database;

/** A folder with the migrations before `before` only. */
function migrationsBefore(before: string): string {
  const to = join(dir, `migrations-before-${before}`);
  mkdirSync(to);
  for (const f of readdirSync(MIGRATIONS_DIR).filter((f) => f < before))
    copyFileSync(join(MIGRATIONS_DIR, f), join(to, f));
  return to;
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'dashboard-migration-'));
  db = openDatabase(join(dir, 'db.sqlite'));
  sqlite = openTestSql(join(dir, 'db.sqlite'));
});
afterEach(async () => {
  sqlite.close();
  await closeDatabase(db);
  rmSync(dir, { recursive: true, force: true });
});

/** Whether the migrating connection enforces foreign keys again after a migration that switched them off. */
async function foreignKeysOfMigrator(): Promise<number | undefined> {
  const { rows } = await sql<{ foreign_keys: number }>`PRAGMA foreign_keys`.execute(db);
  return rows[0]?.foreign_keys;
}

describe('migration 0005: upload outcomes', () => {
  it('keeps every submission and what refers to it, marks uploads that stopped short as interrupted, and counts the bytes kept', async () => {
    migrate(db, migrationsBefore('0005'));
    const add = sqlite.prepare(
      "INSERT INTO submissions (id, uploaded_at, uploader, filename, size_bytes, status, errors_json, error_count) VALUES (?, '2026-01-01T00:00:00Z', 'm', ?, ?, ?, ?, ?)",
    );
    add.run(1, 'good.csv', 5, 'accepted', '[]', 0);
    add.run(
      2,
      'cut.csv',
      0,
      'rejected',
      JSON.stringify([
        {
          row: null,
          column: null,
          value: null,
          message: 'the upload stopped before the whole file arrived; upload it again',
        },
      ]),
      1,
    );
    add.run(
      3,
      'bad.csv',
      3,
      'rejected',
      JSON.stringify([
        { row: 2, column: 'numerator', value: '9', message: 'row 2: numerator 9 is greater than denominator 3' },
      ]),
      1,
    );
    add.run(4, 'busy.csv', 0, 'processing', null, 0);
    const chunk = sqlite.prepare('INSERT INTO submission_chunks (submission_id, seq, bytes) VALUES (?, ?, ?)');
    chunk.run(1, 0, Buffer.from('abc'));
    chunk.run(1, 1, Buffer.from('de'));
    chunk.run(3, 0, Buffer.from('x,y'));
    sqlite.prepare("INSERT INTO submission_periods (period, submission_id) VALUES ('2026-01', 1)").run();

    expect(migrate(db).applied).toContain('0005_upload_outcomes.sql');

    expect(sqlite.prepare('SELECT id, status, size_bytes, stored_bytes FROM submissions ORDER BY id').all()).toEqual([
      { id: 1, status: 'accepted', size_bytes: 5, stored_bytes: 5 },
      { id: 2, status: 'interrupted', size_bytes: 0, stored_bytes: 0 },
      { id: 3, status: 'rejected', size_bytes: 3, stored_bytes: 3 },
      { id: 4, status: 'processing', size_bytes: 0, stored_bytes: 0 },
    ]);
    expect(
      sqlite.prepare('SELECT submission_id, seq FROM submission_chunks ORDER BY submission_id, seq').all(),
    ).toEqual([
      { submission_id: 1, seq: 0 },
      { submission_id: 1, seq: 1 },
      { submission_id: 3, seq: 0 },
    ]);
    expect(sqlite.pragma('foreign_key_check')).toEqual([]);
    expect(await foreignKeysOfMigrator()).toBe(1);
    // The new outcomes are allowed; anything else still is not; the children's references still hold.
    sqlite.prepare("UPDATE submissions SET status = 'failed' WHERE id = 4").run();
    expect(() => sqlite.prepare("UPDATE submissions SET status = 'lost' WHERE id = 4").run()).toThrow(/CHECK/);
    expect(() => sqlite.prepare('DELETE FROM submissions WHERE id = 1').run()).toThrow(/FOREIGN KEY/);
  });

  it('a migration that would leave a foreign key pointing nowhere is rolled back and not recorded', async () => {
    migrate(db);
    sqlite
      .prepare(
        "INSERT INTO submissions (id, uploaded_at, uploader, filename, status) VALUES (1, '2026-01-01T00:00:00Z', 'm', 'a.csv', 'accepted')",
      )
      .run();
    sqlite.prepare("INSERT INTO submission_periods (period, submission_id) VALUES ('2026-01', 1)").run();
    const extra = migrationsBefore('9999');
    writeFileSync(
      join(extra, '9999_break.sql'),
      '-- migrate: foreign-keys-off\nDELETE FROM submissions WHERE id = 1;\n',
    );

    expect(() => migrate(db, extra)).toThrow(/9999_break\.sql would leave 1 row/);
    expect(sqlite.prepare('SELECT id FROM submissions').all()).toEqual([{ id: 1 }]);
    expect(sqlite.prepare("SELECT name FROM schema_migrations WHERE name = '9999_break.sql'").get()).toBeUndefined();
    expect(await foreignKeysOfMigrator()).toBe(1);
  });
});
