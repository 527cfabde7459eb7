/**
 * Applied migrations are checksummed (issue 10, item 10): each applied file's SHA-256 is recorded, start-up
 * refuses a database whose applied migration files have changed, naming the file, and a database migrated
 * before checksums were recorded gets them on its first start.
 */
import {
  appendFileSync,
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildApp } from '../../server/app';
import { closeDatabase, openDatabase } from '../../server/db/database';
import { migrate, migrationChecksum, MigrationChangedError, MIGRATIONS_DIR } from '../../server/db/migrate';
import { TEST_NOW } from '../helpers/app';
import { openTestSql } from '../helpers/db';

let dir: string;
let migrations: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'dashboard-checksums-'));
  migrations = join(dir, 'migrations');
  mkdirSync(migrations);
  for (const f of readdirSync(MIGRATIONS_DIR).filter((name) => name.endsWith('.sql')))
    copyFileSync(join(MIGRATIONS_DIR, f), join(migrations, f));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const FILES = readdirSync(MIGRATIONS_DIR)
  .filter((f) => f.endsWith('.sql'))
  .sort();
const sha256Of = (file: string) => migrationChecksum(readFileSync(join(MIGRATIONS_DIR, file), 'utf8'));

function recorded(file: string): { name: string; checksum: string | null }[] {
  const sqlite = openTestSql(file);
  try {
    return sqlite.prepare('SELECT name, checksum FROM schema_migrations ORDER BY name').all() as {
      name: string;
      checksum: string | null;
    }[];
  } finally {
    sqlite.close();
  }
}

describe('migration checksums', () => {
  it('records the SHA-256 of every migration it applies', async () => {
    const db = join(dir, 'new.sqlite');
    const handle = openDatabase(db);
    expect(migrate(handle, migrations).applied).toEqual(FILES);
    await closeDatabase(handle);
    expect(recorded(db)).toEqual(FILES.map((name) => ({ name, checksum: sha256Of(name) })));
    expect(recorded(db)[0]!.checksum).toMatch(/^[0-9a-f]{64}$/);
  });

  it('refuses a database whose applied migration file has changed, naming the file, and changes nothing', async () => {
    const db = join(dir, 'edited.sqlite');
    const handle = openDatabase(db);
    migrate(handle, migrations);
    const before = recorded(db);
    appendFileSync(join(migrations, '0003_audit_lookups.sql'), '\n-- a later edit\n');
    writeFileSync(join(migrations, '0099_new.sql'), 'CREATE TABLE later (id INTEGER);\n');
    expect(() => migrate(handle, migrations)).toThrow(MigrationChangedError);
    expect(() => migrate(handle, migrations)).toThrow(
      /migrations\/0003_audit_lookups\.sql has changed since it was applied/,
    );
    await closeDatabase(handle);
    // The new migration was not applied either.
    expect(recorded(db)).toEqual(before);
  });

  it('treats a file whose line endings became CRLF as unchanged', async () => {
    const db = join(dir, 'crlf.sqlite');
    const handle = openDatabase(db);
    migrate(handle, migrations);
    const file = join(migrations, '0001_initial.sql');
    writeFileSync(file, readFileSync(file, 'utf8').replace(/\n/g, '\r\n'));
    expect(migrate(handle, migrations).applied).toEqual([]);
    await closeDatabase(handle);
  });

  it('records the checksums of a database migrated before they were kept, on its first start', async () => {
    const db = join(dir, 'old.sqlite');
    // As the earlier migrator left it: a table of names and dates only.
    const sqlite = openTestSql(db);
    sqlite.exec('CREATE TABLE schema_migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL) WITHOUT ROWID');
    for (const f of FILES.filter((f) => f < '0004')) {
      sqlite.exec(readFileSync(join(migrations, f), 'utf8'));
      sqlite
        .prepare('INSERT INTO schema_migrations (name, applied_at) VALUES (?, ?)')
        .run(f, '2026-01-01T00:00:00.000Z');
    }
    sqlite.close();
    const handle = openDatabase(db);
    expect(migrate(handle, migrations).applied).toEqual(FILES.filter((f) => f >= '0004'));
    await closeDatabase(handle);
    expect(recorded(db)).toEqual(FILES.map((name) => ({ name, checksum: sha256Of(name) })));
  });

  it('start-up refuses the changed database with a message naming the file', async () => {
    const db = join(dir, 'served.sqlite');
    const app = await buildApp({ dbFile: db, webDir: 'dist/web', now: () => TEST_NOW });
    await app.close();
    const sqlite = openTestSql(db);
    sqlite.prepare("UPDATE schema_migrations SET checksum = ? WHERE name = '0002_sign_off.sql'").run('0'.repeat(64));
    sqlite.close();
    await expect(buildApp({ dbFile: db, webDir: 'dist/web', now: () => TEST_NOW })).rejects.toThrow(
      /migrations\/0002_sign_off\.sql has changed/,
    );
  });
});
