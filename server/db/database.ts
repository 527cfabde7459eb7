/**
 * Opens the SQLite database with the pragmas the product relies on and wraps it in Kysely.
 *
 * The raw better-sqlite3 handle is kept beside Kysely for the one place that needs it: the bulk write of
 * an accepted submission (up to millions of rows through one prepared statement inside one transaction),
 * where a query builder per row would cost more than the insert itself.
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import type { Database } from './schema';

export type Db = Kysely<Database>;

export interface DbHandle {
  db: Db;
  sqlite: SQLite.Database;
  close(): Promise<void>;
}

export function openDatabase(file: string): DbHandle {
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
  const sqlite = new SQLite(file);
  if (file !== ':memory:') sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = FULL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  sqlite.pragma('cache_size = -16384'); // 16 MiB page cache: larger ones made national uploads no faster, only bigger
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) });
  return {
    db,
    sqlite,
    async close() {
      await db.destroy(); // closes the better-sqlite3 handle too
    },
  };
}
