/**
 * A connection of the test's own to an app's database file, for reading the stored state a test asserts and
 * for setting up a case with SQL, as someone with the file could. It has the application's SQL function
 * (server/db/database.ts registerSqlFunctions), so the audit log's triggers judge its writes as they would
 * the application's. makeApp closes it with the app; an app built otherwise closes it with closeTestSql.
 */
import SQLite from 'better-sqlite3';
import type { FastifyInstance } from 'fastify';
import { registerSqlFunctions } from '../../server/db/database';

const connections = new WeakMap<FastifyInstance, SQLite.Database>();

/** Opens a connection to a database file with the pragmas and SQL function the application's connections have. */
export function openTestSql(file: string): SQLite.Database {
  const sqlite = new SQLite(file);
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  registerSqlFunctions(sqlite);
  return sqlite;
}

/** The test's connection to the app's database file (opened on first use). */
export function testSql(app: FastifyInstance): SQLite.Database {
  let sqlite = connections.get(app);
  if (!sqlite) connections.set(app, (sqlite = openTestSql(app.config.dbFile)));
  return sqlite;
}

export function closeTestSql(app: FastifyInstance): void {
  connections.get(app)?.close();
  connections.delete(app);
}
