/**
 * Applies the numbered SQL files of migrations/ in order, each inside its own transaction, and records
 * them in schema_migrations with the SHA-256 of the file. The same migrator runs at start-up and in every
 * test.
 *
 * An applied migration is never edited: before applying anything, every applied migration's file is hashed
 * again and compared with the hash recorded when it was applied, and a database whose applied migration
 * files have changed is refused (MigrationChangedError, naming the file). A database migrated before hashes
 * were recorded gets them recorded on its first start. Line endings are made \n before hashing, so a
 * checkout that turns them into \r\n does not count as a change.
 *
 * A migration that rebuilds a table other tables refer to (SQLite cannot change a constraint in place) says
 * `-- migrate: foreign-keys-off` on a line of its own: it then runs with foreign-key enforcement off, as
 * SQLite's own procedure for such changes requires, and is refused (rolled back) unless every foreign key
 * still holds when it has finished.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { registerSqlFunctions, sqliteOf, type Db } from './database';

export const MIGRATIONS_DIR = fileURLToPath(new URL('../../migrations/', import.meta.url));

export interface MigrationResult {
  applied: string[];
  /** True when the database had no migrations before this run. */
  created: boolean;
}

/** An applied migration's file is not what it was when it was applied. */
export class MigrationChangedError extends Error {
  constructor(readonly file: string) {
    super(
      `The migration file migrations/${file} has changed since it was applied to this database, ` +
        'so the database was not opened. ' +
        'A migration is never edited once applied: restore the file as it was (for example with git checkout), ' +
        'and put the change in a new numbered migration.',
    );
    this.name = 'MigrationChangedError';
  }
}

/** The SHA-256 of a migration's SQL, in lower-case hex, with line endings made \n. */
export function migrationChecksum(sql: string): string {
  return createHash('sha256').update(sql.replace(/\r\n/g, '\n'), 'utf8').digest('hex');
}

export function migrate(db: Db, dir: string = MIGRATIONS_DIR): MigrationResult {
  // SQLite-specific: the whole of each file runs through better-sqlite3's exec() in one transaction.
  const sqlite = sqliteOf(db);
  registerSqlFunctions(sqlite); // 0004 chains the audit entries already written with audit_entry_hash
  sqlite.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    name TEXT PRIMARY KEY, applied_at TEXT NOT NULL, checksum TEXT) WITHOUT ROWID`);
  const columns = sqlite.prepare<[], { name: string }>("SELECT name FROM pragma_table_info('schema_migrations')").all();
  if (!columns.some((c) => c.name === 'checksum'))
    sqlite.exec('ALTER TABLE schema_migrations ADD COLUMN checksum TEXT');
  const recorded = sqlite
    .prepare<[], { name: string; checksum: string | null }>('SELECT name, checksum FROM schema_migrations')
    .all();
  const done = new Set(recorded.map((r) => r.name));
  // Every applied migration whose file is here must be as it was; then any hash not yet recorded is.
  const unrecorded: { name: string; checksum: string }[] = [];
  for (const r of recorded) {
    const path = join(dir, r.name);
    if (!existsSync(path)) continue;
    const checksum = migrationChecksum(readFileSync(path, 'utf8'));
    if (r.checksum === null) unrecorded.push({ name: r.name, checksum });
    else if (r.checksum !== checksum) throw new MigrationChangedError(r.name);
  }
  if (unrecorded.length > 0) {
    const record = sqlite.prepare('UPDATE schema_migrations SET checksum = ? WHERE name = ?');
    sqlite.transaction(() => unrecorded.forEach((u) => record.run(u.checksum, u.name)))();
  }
  const files = readdirSync(dir)
    .filter((f) => /^\d{4}_[a-z0-9_]+\.sql$/.test(f))
    .sort();
  const applied: string[] = [];
  for (const file of files) {
    if (done.has(file)) continue;
    const sql = readFileSync(join(dir, file), 'utf8');
    const foreignKeysOff = /^-- migrate: foreign-keys-off$/m.test(sql);
    const enforced = sqlite.pragma('foreign_keys', { simple: true }) === 1;
    const run = sqlite.transaction(() => {
      sqlite.exec(sql);
      if (foreignKeysOff) {
        const broken = sqlite.pragma('foreign_key_check') as { table: string; parent: string }[];
        const first = broken[0];
        if (first) {
          throw new Error(
            `${file} would leave ${broken.length} row(s) whose foreign key points nowhere (first in ${first.table}, to ${first.parent}); it was rolled back.`,
          );
        }
      }
      sqlite
        .prepare('INSERT INTO schema_migrations (name, applied_at, checksum) VALUES (?, ?, ?)')
        .run(file, new Date().toISOString(), migrationChecksum(sql));
    });
    // The pragma has no effect inside a transaction, so it is switched around it.
    if (foreignKeysOff) sqlite.pragma('foreign_keys = OFF');
    try {
      run();
    } finally {
      if (foreignKeysOff && enforced) sqlite.pragma('foreign_keys = ON');
    }
    applied.push(file);
  }
  return { applied, created: done.size === 0 && applied.length > 0 };
}
