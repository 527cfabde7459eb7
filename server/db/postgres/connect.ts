/**
 * PostgreSQL connections (issue 15): a `pg` pool, and Kysely's PostgresDialect over it. Groundwork, not yet
 * wired into the app: server/db/database.ts still opens SQLite, and DATABASE_URL is not read yet.
 *
 * What comes back from a query: int8 (bigint: ids, pence, counts) and numeric (what PostgreSQL's sum() of a
 * bigint and avg() return) are JavaScript numbers, as SQLite's integers are, so repositories and services
 * read the same types from either database. A value a number cannot hold exactly (beyond
 * ±Number.MAX_SAFE_INTEGER, or not finite) fails the query with an error that names it, rather than being
 * rounded silently. A numeric with a fraction becomes the nearest double, as a SQLite REAL is. The parsers
 * belong to each pool (pg's `types` option); pg's process-wide parsers are left alone.
 */
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import type { Database } from '../schema';

/** PostgreSQL's type ids (pg_type.oid) of the results parsed here. */
export const PG_TYPE = {
  int8: 20,
  numeric: 1700,
  text: 25,
  textArray: 1009,
  int8Array: 1016,
  numericArray: 1231,
} as const;

export class UnsafeNumberError extends Error {
  constructor(type: 'bigint' | 'numeric', text: string) {
    super(
      `PostgreSQL returned the ${type} ${text}, which a JavaScript number cannot hold exactly (the largest is ±${Number.MAX_SAFE_INTEGER}); ` +
        'no figure the product keeps should be this large: check the data, or the query that computed it',
    );
    this.name = 'UnsafeNumberError';
  }
}

/** An int8 result as a number, or an error if a number cannot hold it exactly. */
export function parseInt8(text: string): number {
  const value = Number(text);
  if (!/^-?\d+$/.test(text) || !Number.isSafeInteger(value)) throw new UnsafeNumberError('bigint', text);
  return value;
}

/** A numeric result as a number; refuses NaN, infinities and magnitudes beyond Number.MAX_SAFE_INTEGER. */
export function parseNumeric(text: string): number {
  const value = Number(text);
  if (!/^-?\d+(\.\d+)?$/.test(text) || Math.abs(value) > Number.MAX_SAFE_INTEGER)
    throw new UnsafeNumberError('numeric', text);
  return value;
}

type Parser = (text: string) => unknown;

/** pg's own parsers (its typings list only the scalar types' ids, hence the wider signature). */
const pgParser = pg.types.getTypeParser as (oid: number, format?: 'text' | 'binary') => Parser;

function eachElement(parse: (text: string) => number): Parser {
  // Read the array as text first, so that every element goes through the same checks.
  const textArray = pgParser(PG_TYPE.textArray, 'text');
  const map = (value: unknown): unknown =>
    value === null ? null : Array.isArray(value) ? value.map(map) : parse(value as string);
  return (text) => map(textArray(text));
}

const parsers = new Map<number, Parser>([
  [PG_TYPE.int8, parseInt8],
  [PG_TYPE.numeric, parseNumeric],
  [PG_TYPE.int8Array, eachElement(parseInt8)],
  [PG_TYPE.numericArray, eachElement(parseNumeric)],
]);

/** pg's `types` option: the parsers above for text results, pg's own for everything else. */
export const POSTGRES_TYPES: pg.CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    ((format ?? 'text') === 'text' ? parsers.get(oid) : undefined) ??
    pgParser(oid, format)) as pg.CustomTypesConfig['getTypeParser'],
};

export interface PostgresOptions {
  /** postgres://user[:password]@host[:port]/database[?host=/socket/dir], as DATABASE_URL will give it. */
  connectionString: string;
  /**
   * The schema unqualified names resolve to, set on every connection as it opens (the tests give each test
   * file a schema of its own). Without it, the role's default search_path.
   */
  searchPath?: string;
  /** Most connections the pool opens (pg's default: 10). */
  max?: number;
  applicationName?: string;
}

const PLAIN_IDENTIFIER = /^[a-z_][a-z0-9_]{0,62}$/;

export function createPostgresPool(options: PostgresOptions): pg.Pool {
  const config: pg.PoolConfig = {
    connectionString: options.connectionString,
    types: POSTGRES_TYPES,
    application_name: options.applicationName ?? 'federation-dashboard',
  };
  if (options.max !== undefined) config.max = options.max;
  if (options.searchPath !== undefined) {
    if (!PLAIN_IDENTIFIER.test(options.searchPath)) {
      throw new Error(
        `"${options.searchPath}" is not a plain schema name: use lower-case letters, digits and underscores`,
      );
    }
    if (/[?&]options=/.test(options.connectionString)) {
      throw new Error(
        'the database URL sets its own `options`; give the schema there (-c search_path=…) or leave searchPath out',
      );
    }
    config.options = `-c search_path=${options.searchPath}`;
  }
  const pool = new pg.Pool(config);
  // An idle connection that the server ends (a restart, a failover, an administrator) is dropped from the
  // pool and the next query opens a new one; without a listener the error would end the process.
  pool.on('error', () => undefined);
  return pool;
}

export type PgDb = Kysely<Database>;

export interface PostgresHandle {
  db: PgDb;
  pool: pg.Pool;
  close(): Promise<void>;
}

export function openPostgres(options: PostgresOptions): PostgresHandle {
  const pool = createPostgresPool(options);
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return {
    db,
    pool,
    async close() {
      await db.destroy(); // ends the pool too
    },
  };
}
