/**
 * Opens the SQLite database with the pragmas the product relies on and wraps it in Kysely. Everything outside
 * server/db/ sees only the Kysely instance (`Db`); the better-sqlite3 handle under it stays in this folder,
 * for the migrator, the few statements SQLite runs faster prepared once (db/prepared.ts) and the write
 * transaction of an upload (db/write-turn.ts).
 *
 * Or, given a PostgreSQL URL (DATABASE_URL), a `pg` pool under Kysely's PostgresDialect (db/postgres/connect.ts).
 * Code that must differ between the two asks dialectOf(db) and stays in this folder.
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, PostgresAdapter, sql, SqliteDialect } from 'kysely';
import type pg from 'pg';
import { auditEntryHash } from '../domain/audit-chain';
import { openPostgres } from './postgres/connect';
import { closeUploadLeases } from './postgres/upload-leases';
import type { Database } from './schema';

export type Db = Kysely<Database>;

export type Dialect = 'sqlite' | 'postgres';

/** Which database a Kysely instance (or a transaction of one) talks to. */
export function dialectOf(db: Db): Dialect {
  return db.getExecutor().adapter instanceof PostgresAdapter ? 'postgres' : 'sqlite';
}

export function isPostgres(db: Db): boolean {
  return dialectOf(db) === 'postgres';
}

/** The pg pool under each PostgreSQL Kysely instance this module opened. */
const pools = new WeakMap<Db, pg.Pool>();

/** The pool of a PostgreSQL database opened here (for the migrator and the upload's pinned connection). */
export function poolOf(db: Db): pg.Pool {
  const pool = pools.get(db);
  if (!pool) throw new Error('this Kysely instance is not a PostgreSQL database opened by openDatabase');
  return pool;
}

/** The better-sqlite3 handle under each Kysely instance this module opened. */
const handles = new WeakMap<Db, SQLite.Database>();

/**
 * The raw handle of a database opened here. For server/db/ only: a query built anywhere else goes through
 * Kysely and the repositories.
 */
export function sqliteOf(db: Db): SQLite.Database {
  const sqlite = handles.get(db);
  if (!sqlite)
    throw new Error('this Kysely instance was not opened by openDatabase (a transaction has no raw handle of its own)');
  return sqlite;
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
    (
      prevHash: unknown,
      id: unknown,
      at: unknown,
      userId: unknown,
      username: unknown,
      action: unknown,
      ip: unknown,
      detail: unknown,
    ) =>
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

export interface OpenOptions {
  /** Open an existing file read-only (a checker such as audit:verify); nothing is created or changed. */
  readonly?: boolean;
}

/** Where the data lives: a PostgreSQL URL when one is given, else the SQLite file. */
export interface DatabaseLocation {
  dbFile: string;
  databaseUrl?: string | null;
}

/** True for a postgres:// or postgresql:// URL. */
export function isPostgresUrl(url: string | null | undefined): url is string {
  return typeof url === 'string' && /^postgres(ql)?:\/\//i.test(url);
}

/**
 * Opens the configured database: PostgreSQL when `databaseUrl` is a postgres:// URL, otherwise the SQLite
 * file. `max` bounds the PostgreSQL pool (the upload worker keeps its own small one).
 */
export function openConfiguredDatabase(
  where: DatabaseLocation,
  options: { max?: number; applicationName?: string } = {},
): Db {
  if (isPostgresUrl(where.databaseUrl)) {
    const handle = openPostgres({ connectionString: where.databaseUrl, ...options });
    pools.set(handle.db, handle.pool);
    return handle.db;
  }
  return openDatabase(where.dbFile);
}

/** Opens (creating if needed) a database file; close it with closeDatabase. */
export function openDatabase(file: string, options: OpenOptions = {}): Db {
  let sqlite: SQLite.Database;
  if (options.readonly) {
    sqlite = new SQLite(file, { readonly: true, fileMustExist: true });
  } else {
    if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
    sqlite = new SQLite(file);
    if (file !== ':memory:') sqlite.pragma('journal_mode = WAL');
    sqlite.pragma('synchronous = FULL');
  }
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  sqlite.pragma('cache_size = -16384'); // 16 MiB page cache: larger ones made national uploads no faster, only bigger
  registerSqlFunctions(sqlite);
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) });
  handles.set(db, sqlite);
  return db;
}

/**
 * Closes a database opened here (SQLite: the last connection to close folds the write-ahead log back in;
 * PostgreSQL: the pool ends).
 */
export async function closeDatabase(db: Db): Promise<void> {
  if (pools.has(db)) await closeUploadLeases(db); // its held connection first, or the pool would wait for it
  await db.destroy(); // closes the better-sqlite3 handle, or ends the pg pool, too
}

/**
 * Runs `work` in a transaction that takes the write lock at once (SQLite's BEGIN IMMEDIATE), so no other
 * connection can write between what it reads and what it writes; this connection's other queries wait for
 * it meanwhile. `work` must use the handle it is given. On PostgreSQL, the same through an advisory lock.
 */
export async function immediateTransaction<T>(db: Db, work: (trx: Db) => Promise<T>): Promise<T> {
  if (isPostgres(db)) {
    // PostgreSQL: a transaction that first takes one advisory lock every such transaction takes, held until
    // it ends, so these read-then-write transactions run one at a time across every instance.
    return db.transaction().execute(async (trx) => {
      await sql`SELECT pg_advisory_xact_lock(hashtextextended('federation-dashboard immediate writes', 0))`.execute(
        trx,
      );
      return work(trx);
    });
  }
  return db.connection().execute(async (conn) => {
    await sql`BEGIN IMMEDIATE`.execute(conn);
    let result: T;
    try {
      result = await work(conn);
    } catch (e) {
      await sql`ROLLBACK`.execute(conn);
      throw e;
    }
    await sql`COMMIT`.execute(conn);
    return result;
  });
}
