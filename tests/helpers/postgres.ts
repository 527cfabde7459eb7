/**
 * PostgreSQL for the tests (issue 15). `TEST_DATABASE_URL` names a database the tests may use: .ci/run makes
 * one and sets it; without it, tests/helpers/postgres-setup.ts starts a throwaway server for the run.
 *
 * usePostgresSchema() gives a test file a schema of its own, named t_<random>, with the PostgreSQL migrations
 * applied, and a pool whose connections resolve unqualified names there; the schema is dropped when the file's
 * tests are done. Test files running at once therefore never see each other's tables.
 */
import { randomBytes } from 'node:crypto';
import type pg from 'pg';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { createPostgresPool, openPostgres, type PostgresHandle } from '../../server/db/postgres/connect';
import { migratePostgres, POSTGRES_MIGRATIONS_DIR } from '../../server/db/postgres/migrate';

export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL?.trim() || null;

/**
 * describe() for tests that need PostgreSQL: runs them on the database of TEST_DATABASE_URL (set by .ci/run,
 * or by tests/helpers/postgres-setup.ts, which starts a throwaway PostgreSQL from the machine's binaries).
 * Without one, a test that fails saying what to install: these tests are never skipped.
 */
export function describePostgres(name: string, body: () => void): void {
  if (TEST_DATABASE_URL) {
    describe(name, body);
  } else {
    describe(name, () => {
      it('needs PostgreSQL', () => {
        throw new Error(
          'No PostgreSQL for the tests: install it (Debian: apt-get install -y postgresql; the tests start a throwaway server from its binaries), or set TEST_DATABASE_URL=postgres://… to a database they may use.',
        );
      });
    });
  }
}

export interface TestSchema {
  /** The schema's name, t_<random>. */
  readonly name: string;
  /** Kysely and pool over connections whose search_path is the schema. */
  readonly handle: PostgresHandle;
  readonly pool: pg.Pool;
  /** The connection string, for a test that opens connections of its own. */
  readonly url: string;
}

/** A new, empty schema, and a pool that works in it; `migrate: false` leaves it without tables. */
export async function createTestSchema(
  options: { migrate?: boolean; migrationsDir?: string } = {},
): Promise<TestSchema & { drop(): Promise<void> }> {
  const url = TEST_DATABASE_URL;
  if (!url) throw new Error('TEST_DATABASE_URL is not set');
  const name = `t_${randomBytes(8).toString('hex')}`;
  const admin = createPostgresPool({ connectionString: url, max: 1 });
  try {
    await admin.query(`CREATE SCHEMA ${name}`);
  } catch (e) {
    await admin.end();
    throw e;
  }
  const handle = openPostgres({ connectionString: url, searchPath: name, max: 8 });
  const drop = async () => {
    try {
      await handle.close();
    } finally {
      try {
        await admin.query(`DROP SCHEMA ${name} CASCADE`);
      } finally {
        await admin.end();
      }
    }
  };
  if (options.migrate ?? true) {
    try {
      await migratePostgres(handle.pool, options.migrationsDir ?? POSTGRES_MIGRATIONS_DIR);
    } catch (e) {
      await drop();
      throw e;
    }
  }
  return { name, handle, pool: handle.pool, url, drop };
}

/**
 * The test file's migrated schema: made before its tests, dropped after them. Call inside describePostgres.
 * The returned object's fields are there once beforeAll has run.
 */
export function usePostgresSchema(options: { migrate?: boolean } = {}): TestSchema {
  let schema: (TestSchema & { drop(): Promise<void> }) | null = null;
  beforeAll(async () => {
    schema = await createTestSchema(options);
  });
  afterAll(async () => {
    await schema?.drop();
    schema = null;
  });
  const current = () => {
    if (!schema) throw new Error('the test schema is made in beforeAll: use it inside a test or hook');
    return schema;
  };
  return {
    get name() {
      return current().name;
    },
    get handle() {
      return current().handle;
    },
    get pool() {
      return current().pool;
    },
    get url() {
      return current().url;
    },
  };
}
