/**
 * Applies the numbered SQL files of migrations/ in order, each inside its own transaction, and records
 * them in schema_migrations. The same migrator runs at start-up and in every test.
 *
 * A migration that rebuilds a table other tables refer to (SQLite cannot change a constraint in place) says
 * `-- migrate: foreign-keys-off` on a line of its own: it then runs with foreign-key enforcement off, as
 * SQLite's own procedure for such changes requires, and is refused (rolled back) unless every foreign key
 * still holds when it has finished.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type SQLite from 'better-sqlite3';
import { registerSqlFunctions } from './database';

export const MIGRATIONS_DIR = fileURLToPath(new URL('../../migrations/', import.meta.url));

export interface MigrationResult {
  applied: string[];
  /** True when the database had no migrations before this run. */
  created: boolean;
}

export function migrate(sqlite: SQLite.Database, dir: string = MIGRATIONS_DIR): MigrationResult {
  registerSqlFunctions(sqlite); // 0004 chains the audit entries already written with audit_entry_hash
  sqlite.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    name TEXT PRIMARY KEY, applied_at TEXT NOT NULL) WITHOUT ROWID`);
  const done = new Set(
    (sqlite.prepare('SELECT name FROM schema_migrations').all() as { name: string }[]).map((r) => r.name),
  );
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
        if (broken.length > 0) {
          throw new Error(`${file} would leave ${broken.length} row(s) whose foreign key points nowhere (first in ${broken[0]!.table}, to ${broken[0]!.parent}); it was rolled back.`);
        }
      }
      sqlite.prepare('INSERT INTO schema_migrations (name, applied_at) VALUES (?, ?)').run(
        file,
        new Date().toISOString(),
      );
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
