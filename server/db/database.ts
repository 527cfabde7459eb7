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
import { auditEntryHash } from '../domain/audit-chain';
import type { Database } from './schema';

export type Db = Kysely<Database>;

export interface DbHandle {
  db: Db;
  sqlite: SQLite.Database;
  close(): Promise<void>;
}

/**
 * SQL functions the schema relies on. `audit_entry_hash(prev_hash, id, at, user_id, username, action, ip,
 * detail)` is the audit chain's hash (server/domain/audit-chain.ts): the audit log's insert trigger checks
 * every new entry with it, and appendAudit computes it, so an entry can only be added by a connection that
 * has it (the application's), and only as the next link of the chain.
 */
export function registerSqlFunctions(sqlite: SQLite.Database): void {
  sqlite.function(
    'audit_entry_hash',
    { deterministic: true },
    (prevHash: unknown, id: unknown, at: unknown, userId: unknown, username: unknown, action: unknown, ip: unknown, detail: unknown) =>
      auditEntryHash(prevHash as string | null, {
        id: id as number,
        at: at as string,
        user_id: userId as number | null,
        username: username as string | null,
        action: action as string,
        ip: ip as string | null,
        detail: detail as string,
      }),
  );
}

export function openDatabase(file: string): DbHandle {
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
  const sqlite = new SQLite(file);
  if (file !== ':memory:') sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = FULL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  sqlite.pragma('cache_size = -16384'); // 16 MiB page cache: larger ones made national uploads no faster, only bigger
  registerSqlFunctions(sqlite);
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) });
  return {
    db,
    sqlite,
    async close() {
      await db.destroy(); // closes the better-sqlite3 handle too
    },
  };
}
