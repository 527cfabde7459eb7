/**
 * Databases for the API tests' PostgreSQL run (the `postgres` vitest project, vite.config.ts): each app gets
 * a database of its own, made with CREATE DATABASE … TEMPLATE from a template made once per test file (the
 * demo data seeded through the upload worker, or only migrated), and dropped when the app closes. The role of
 * TEST_DATABASE_URL needs CREATEDB (.ci/run gives it; the throwaway server of postgres-setup.ts is its own).
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';

/** True in the PostgreSQL run of the API tests. */
export const TEST_ON_POSTGRES = process.env.TEST_DIALECT === 'postgres';

function baseUrl(): string {
  const url = process.env.TEST_DATABASE_URL?.trim();
  if (!url)
    throw new Error(
      'TEST_DIALECT=postgres needs TEST_DATABASE_URL (set by .ci/run or tests/helpers/postgres-setup.ts)',
    );
  return url;
}

/** The URL of another database on the same server, as the same role. */
export function databaseUrl(name: string): string {
  // Not with URL: postgres://role@/name?host=/socket/dir (no host before the path) is not a WHATWG URL.
  const url = baseUrl();
  const match = /^(postgres(?:ql)?:\/\/[^/?]*)(\/[^?]*)?(\?.*)?$/i.exec(url);
  if (!match) throw new Error(`TEST_DATABASE_URL is not a postgres:// URL: ${url}`);
  return `${match[1]}/${name}${match[3] ?? ''}`;
}

let admin: pg.Pool | null = null;
const adminPool = () => (admin ??= new pg.Pool({ connectionString: baseUrl(), max: 2 }));

/** A new database, a copy of `template` (template0 with UTF-8 and C collation when none is given). */
export async function createTestDatabase(template?: string): Promise<string> {
  const name = `dash_t_${randomBytes(6).toString('hex')}`;
  await adminPool().query(
    template
      ? `CREATE DATABASE ${name} TEMPLATE ${template}`
      : `CREATE DATABASE ${name} TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C' LC_CTYPE 'C.UTF-8'`,
  );
  return name;
}

/**
 * Drops a database whose app has closed. Not WITH (FORCE): that would need the right to end autovacuum's
 * connections too; a plain DROP waits a few seconds for sessions that are ending and lets autovacuum go.
 */
export async function dropTestDatabase(name: string): Promise<void> {
  await adminPool().query(`DROP DATABASE IF EXISTS ${name}`);
}

/** Ends the admin connections (after the file's databases are dropped). */
export async function closeTestDatabases(): Promise<void> {
  const pool = admin;
  admin = null;
  await pool?.end();
}
