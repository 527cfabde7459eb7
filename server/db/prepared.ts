/**
 * A Kysely query compiled once and run as a better-sqlite3 prepared statement, for the few hot paths where
 * building and compiling a query per call would cost more than SQLite's own work: the members' observations
 * behind every statement, the bulk write of an upload, and reading the audit chain entry by entry. The query
 * is still written with Kysely, so its tables, columns and result type are checked like any other.
 *
 * Parameters are named: the query is built once with a placeholder for each name, and compiling it tells in
 * which order the placeholders are bound, so each call passes its values in that order. Statements are
 * prepared once per connection and kept with it.
 *
 * SQLite-specific (better-sqlite3's prepared statements); a PostgreSQL dialect would run the compiled query
 * through its driver instead.
 */
import type SQLite from 'better-sqlite3';
import type { Compilable } from 'kysely';
import { sqliteOf, type Db } from './database';

export interface PreparedQuery<P, R> {
  /** Every row. */
  all(params: P): R[];
  /** The first row, or undefined. */
  get(params: P): R | undefined;
  /** Every row as an array of its column values, in the order the query selects them (no object per row). */
  rows(params: P): unknown[][];
  /** The rows one at a time, for a result too long to hold. */
  iterate(params: P): IterableIterator<R>;
  /** Runs a statement that returns no rows; how many rows it changed. */
  run(params: P): number;
}

const PLACEHOLDER = '\u0000kysely-parameter:';

interface Compiled {
  sql: string;
  /** Each bound value in order: a constant of the query, or the index of a named parameter to fill. */
  argv: unknown[];
  named: { index: number; name: string }[];
  /** The statement returning rows as objects, and (made when first asked for) as arrays. */
  objects: SQLite.Statement;
  arrays: SQLite.Statement | null;
}

const prepared = new WeakMap<SQLite.Database, Map<object, Compiled>>();

/**
 * Prepares `build(db, placeholders)` on `db`'s connection the first time, and afterwards reuses it. `build`
 * must be the same function each time (a module-level constant): it is the key the statement is kept under.
 * The values of a call are bound synchronously, so a caller on a hot path may pass the same params object
 * each time with new values.
 */
export function preparedQuery<P extends Record<string, unknown>, R>(
  db: Db,
  names: readonly (keyof P & string)[],
  build: (db: Db, p: P) => Compilable<R>,
): PreparedQuery<P, R> {
  const sqlite = sqliteOf(db);
  let cache = prepared.get(sqlite);
  if (!cache) prepared.set(sqlite, (cache = new Map()));
  let compiled = cache.get(build);
  if (!compiled) {
    const placeholders = Object.fromEntries(names.map((n) => [n, `${PLACEHOLDER}${n}`])) as unknown as P;
    const query = build(db, placeholders).compile();
    const argv: unknown[] = [];
    const named: { index: number; name: string }[] = [];
    query.parameters.forEach((v, index) => {
      if (typeof v === 'string' && v.startsWith(PLACEHOLDER)) named.push({ index, name: v.slice(PLACEHOLDER.length) });
      argv.push(v);
    });
    compiled = { sql: query.sql, argv, named, objects: sqlite.prepare(query.sql), arrays: null };
    cache.set(build, compiled);
  }
  const c = compiled;
  const values = (params: P): unknown[] => {
    for (let i = 0; i < c.named.length; i++) {
      const { index, name } = c.named[i] as { index: number; name: string };
      c.argv[index] = params[name];
    }
    return c.argv;
  };
  const reading = (): SQLite.Statement => {
    if (!c.objects.reader) throw new Error('this statement returns no rows: use run()');
    return c.objects;
  };
  const arrays = (): SQLite.Statement => {
    c.arrays ??= sqlite.prepare(c.sql).raw(true);
    return c.arrays;
  };
  return {
    all: (params) => reading().all(...values(params)) as R[],
    get: (params) => reading().get(...values(params)) as R | undefined,
    rows: (params) => (reading(), arrays().all(...values(params)) as unknown[][]),
    iterate: (params) => reading().iterate(...values(params)) as IterableIterator<R>,
    run: (params) => {
      if (c.objects.reader) throw new Error('this statement returns rows: use all(), get(), rows() or iterate()');
      return c.objects.run(...values(params)).changes;
    },
  };
}
