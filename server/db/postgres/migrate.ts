/**
 * Applies the numbered SQL files of migrations/postgres/ in order, each inside its own transaction (PostgreSQL
 * runs DDL inside transactions, so a file that fails leaves nothing of itself), and records each in
 * schema_migrations with the same checksum as SQLite's
 * migrator (SHA-256 of the text with line endings made \n). Groundwork for issue 15: not yet called by the app.
 *
 * Before applying anything it refuses:
 * - a database whose applied files have changed, or that has a file applied which this version does not
 *   have (migrations are never edited once applied; a change is a new numbered file);
 * - a database that is not UTF-8 or does not sort text byte by byte (C collation), as SQLite does: the
 *   repositories' ORDER BY and comparisons of codes and ISO times must give the same answers on both.
 *
 * Several instances starting at once take turns: the first migrates, the others wait on a session advisory
 * lock (keyed by the schema) and then find nothing left to do.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type pg from 'pg';
import { must } from '../../domain/must';
import { migrationChecksum } from '../migrate';

export const POSTGRES_MIGRATIONS_DIR = fileURLToPath(new URL('../../../migrations/postgres/', import.meta.url));

const MIGRATION_FILE = /^\d{4}_[a-z0-9_]+\.sql$/;

export interface PostgresMigrationResult {
  applied: string[];
  /** True when the database had no migrations before this run. */
  created: boolean;
}

export interface MigrationFile {
  name: string;
  sql: string;
  /** SHA-256 of the file's text with line endings made \n, lower-case hex (as server/db/migrate.ts). */
  checksum: string;
}

export function readMigrationFiles(dir: string = POSTGRES_MIGRATIONS_DIR): MigrationFile[] {
  return readdirSync(dir)
    .filter((f) => MIGRATION_FILE.test(f))
    .sort()
    .map((name) => {
      const sql = readFileSync(join(dir, name), 'utf8');
      return { name, sql, checksum: migrationChecksum(sql) };
    });
}

export interface DatabaseText {
  encoding: string;
  /** pg_database.datlocprovider: 'c' (libc), 'i' (ICU) or 'b' (builtin, PostgreSQL 17). */
  provider: string;
  /** pg_database.datcollate: the libc collation, used when the provider is libc. */
  collate: string;
}

/** Null when the database keeps and sorts text as SQLite does; otherwise what is wrong and what to do. */
export function databaseTextProblem(t: DatabaseText): string | null {
  const create =
    "create the database with: CREATE DATABASE <name> TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C' LC_CTYPE 'C.UTF-8'";
  if (t.encoding !== 'UTF8') return `the database's encoding is ${t.encoding}, not UTF8; ${create}`;
  const byteOrder = (t.provider === 'c' && /^(C|POSIX|C\.UTF-?8)$/i.test(t.collate)) || t.provider === 'b';
  if (!byteOrder) {
    const what = t.provider === 'i' ? 'an ICU collation' : `the collation ${t.collate}`;
    return `the database sorts text by ${what}, not byte by byte as SQLite does (codes and times would sort differently); ${create}`;
  }
  return null;
}

export async function migratePostgres(
  pool: pg.Pool,
  dir: string = POSTGRES_MIGRATIONS_DIR,
): Promise<PostgresMigrationResult> {
  const files = readMigrationFiles(dir);
  const client = await pool.connect();
  let lockKey: string | null = null;
  try {
    const where = await client.query<{ schema: string | null; encoding: string; provider: string; collate: string }>(
      `SELECT current_schema() AS schema, pg_encoding_to_char(d.encoding) AS encoding, d.datlocprovider::text AS provider, d.datcollate AS collate
       FROM pg_database d WHERE d.datname = current_database()`,
    );
    const db = must(where.rows[0], 'one row for the current database');
    if (db.schema === null)
      throw new Error(
        "the connection's search_path names no schema that exists: create the schema first, or fix search_path",
      );
    const problem = databaseTextProblem(db);
    if (problem) throw new Error(`PostgreSQL database refused: ${problem}`);

    lockKey = `federation-dashboard migrations in ${db.schema}`;
    await client.query('SELECT pg_advisory_lock(hashtextextended($1, 0))', [lockKey]);

    await client.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
      name text PRIMARY KEY, checksum text NOT NULL, applied_at text NOT NULL)`);
    const done = new Map(
      (await client.query<{ name: string; checksum: string }>('SELECT name, checksum FROM schema_migrations')).rows.map(
        (r) => [r.name, r.checksum],
      ),
    );

    const byName = new Map(files.map((f) => [f.name, f]));
    for (const [name, checksum] of [...done].sort(([a], [b]) => (a < b ? -1 : 1))) {
      const file = byName.get(name);
      if (!file) {
        throw new Error(
          `the database has migration ${name} applied, which this version of the application does not have: run the version that applied it (or a later one)`,
        );
      }
      if (file.checksum !== checksum) {
        throw new Error(
          `migration ${name} has changed since it was applied to this database (SHA-256 then ${checksum}, now ${file.checksum}): ` +
            'an applied migration is never edited; put the file back as it was and make the change in a new numbered migration',
        );
      }
    }

    const applied: string[] = [];
    for (const file of files) {
      if (done.has(file.name)) continue;
      await client.query('BEGIN');
      try {
        await client.query(file.sql);
        await client.query('INSERT INTO schema_migrations (name, checksum, applied_at) VALUES ($1, $2, $3)', [
          file.name,
          file.checksum,
          new Date().toISOString(),
        ]);
        await client.query('COMMIT');
      } catch (e) {
        await client.query('ROLLBACK').catch(() => undefined); // a broken connection has rolled back already
        throw new Error(`migration ${file.name} failed and was rolled back: ${(e as Error).message}`, { cause: e });
      }
      applied.push(file.name);
    }
    return { applied, created: done.size === 0 && applied.length > 0 };
  } finally {
    let broken: Error | undefined;
    if (lockKey !== null) {
      // A connection that cannot unlock is closed instead, which ends its session lock too.
      await client
        .query('SELECT pg_advisory_unlock(hashtextextended($1, 0))', [lockKey])
        .catch((e: Error) => (broken = e));
    }
    client.release(broken);
  }
}
