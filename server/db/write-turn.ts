/**
 * One write transaction of an upload, taken in turn. The upload worker checks a whole file without writing
 * anything, then asks for its turn (see write-gate.ts), writes everything the file changes in one IMMEDIATE
 * transaction, and commits. A failure anywhere rolls the whole transaction back. `write` must use the handle
 * it is given: on PostgreSQL that is the transaction, on one connection of the pool (db/postgres/pinned.ts).
 */
import { isPostgres, poolOf, sqliteOf, type Db } from './database';
import { pinnedTransaction } from './postgres/pinned';

export interface WriteTurn {
  /** Resolves when this connection may write; no other writer starts until `release`. */
  acquire(): Promise<void>;
  /** Everything is written and the transaction is still open: the last moment before it commits. */
  beforeCommit(): Promise<void>;
  release(): void;
}

export async function writeInTurn<T>(
  db: Db,
  turn: WriteTurn,
  write: (trx: Db) => T | Promise<T>,
  options: { foreignKeyChecks?: boolean } = {},
): Promise<T> {
  if (isPostgres(db)) {
    // PostgreSQL: every instance may write at once; what must not interleave takes a row lock inside `write`
    // (the contract years' locks). Foreign keys stay checked: turning them off needs a superuser there.
    await turn.acquire();
    try {
      return await pinnedTransaction(poolOf(db), async (trx) => {
        const result = await write(trx);
        await turn.beforeCommit();
        return result;
      });
    } finally {
      turn.release();
    }
  }
  // SQLite-specific: BEGIN IMMEDIATE takes the write lock now, and the pragmas below are SQLite's.
  const sqlite = sqliteOf(db);
  await turn.acquire();
  try {
    // The pragma has no effect inside a transaction, so it is set around it.
    if (options.foreignKeyChecks === false) sqlite.pragma('foreign_keys = OFF');
    try {
      sqlite.exec('BEGIN IMMEDIATE');
      try {
        const result = await write(db);
        await turn.beforeCommit();
        sqlite.exec('COMMIT');
        // Fold the write-ahead log back into the database now, on this connection and in this turn: left
        // for later, the next small write on the main thread would copy a national upload's hundreds of
        // megabytes there, stalling every request. TRUNCATE also gives the log's disk space back.
        sqlite.pragma('wal_checkpoint(TRUNCATE)');
        return result;
      } catch (e) {
        if (sqlite.inTransaction) sqlite.exec('ROLLBACK');
        throw e;
      }
    } finally {
      if (options.foreignKeyChecks === false) sqlite.pragma('foreign_keys = ON');
    }
  } finally {
    turn.release();
  }
}
