/**
 * A connection of the test's own to an app's database file, for reading the stored state a test asserts and
 * for setting up a case with SQL, as someone with the file could. It has the application's SQL function
 * (server/db/database.ts registerSqlFunctions), so the audit log's triggers judge its writes as they would
 * the application's. makeApp closes it with the app; an app built otherwise closes it with closeTestSql.
 */
import SQLite from 'better-sqlite3';
import type { FastifyInstance } from 'fastify';
import type pg from 'pg';
import { registerSqlFunctions } from '../../server/db/database';
import { createPostgresPool } from '../../server/db/postgres/connect';

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

const pools = new WeakMap<FastifyInstance, pg.Pool>();

/**
 * Runs one statement on the app's database as the test's own connection, on SQLite or PostgreSQL alike:
 * `?` placeholders (made $1, $2, … for PostgreSQL) and the rows it returns, if any. For tests that run in both
 * passes of the API tests (vite.config.ts).
 */
export async function testQuery<R = Record<string, unknown>>(
  app: FastifyInstance,
  query: string,
  params: unknown[] = [],
): Promise<R[]> {
  const url = app.config.databaseUrl;
  if (!url) {
    const statement = testSql(app).prepare(query);
    if (statement.reader) return statement.all(...params) as R[];
    statement.run(...params);
    return [];
  }
  let pool = pools.get(app);
  if (!pool) pools.set(app, (pool = createPostgresPool({ connectionString: url, max: 2 })));
  let n = 0;
  const result = await pool.query(
    query.replace(/\?/g, () => `$${++n}`),
    params,
  );
  return result.rows as R[];
}

/** The first row a query returns, or undefined (either database). */
export async function testOne<R = Record<string, unknown>>(
  app: FastifyInstance,
  query: string,
  params: unknown[] = [],
): Promise<R | undefined> {
  return (await testQuery<R>(app, query, params))[0];
}

/** Ends the test's PostgreSQL connections to an app's database (makeApp does, before dropping it). */
export async function closeTestPool(app: FastifyInstance): Promise<void> {
  const pool = pools.get(app);
  pools.delete(app);
  await pool?.end();
}
