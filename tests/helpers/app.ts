/**
 * A fresh app on a new database file with the real migrations, optionally filled with the demo data. The file
 * lives in a temporary folder of its own, removed when the app closes: uploads are checked and written by the
 * app's worker thread over its own connection, exactly as in production (a worker cannot share an in-memory
 * database).
 *
 * The demo data is loaded once per test file, through the same upload worker as every upload (seedDemo), into
 * a template database that each app then starts from as a copy: loading it again for every app would only
 * repeat the same 22 uploads.
 *
 * In the PostgreSQL run of the API tests (TEST_DIALECT=postgres, the `postgres` project of vite.config.ts)
 * the same, on PostgreSQL: each app gets a database of its own, copied with CREATE DATABASE … TEMPLATE from
 * the file's seeded template (tests/helpers/postgres-app.ts) and dropped when the app closes.
 */
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll } from 'vitest';
import { buildApp, type BuildOptions } from '../../server/app';
import { seedDemo } from '../../server/services/demo';
import { closeTestPool, closeTestSql, testQuery } from './db';
import {
  closeTestDatabases,
  createTestDatabase,
  databaseUrl,
  dropTestDatabase,
  TEST_ON_POSTGRES,
} from './postgres-app';

/** The tests' clock: the demo's data runs to October 2026, so November 2026 is "now". */
export const TEST_NOW = new Date('2026-11-21T10:00:00Z');

/**
 * The general API rate limit in tests: far above anything a test sends (a route matrix sends thousands of
 * requests as one user from one address), so no test is throttled by accident; the rate-limit test sets
 * its own small limit.
 */
export const TEST_API_RATE_LIMIT = 1_000_000;

let demoTemplate: Promise<string> | null = null;
let demoTemplateDir: string | null = null;

let postgresTemplate: Promise<string> | null = null;
/** PostgreSQL databases of closed apps being dropped. */
const drops = new Set<Promise<void>>();

// Each test file gets its own template; it goes when the file's tests are done.
afterAll(async () => {
  if (demoTemplateDir) rmSync(demoTemplateDir, { recursive: true, force: true });
  demoTemplate = demoTemplateDir = null;
  if (TEST_ON_POSTGRES) {
    await Promise.all(drops);
    const template = await postgresTemplate?.catch(() => null);
    postgresTemplate = null;
    if (template) await dropTestDatabase(template);
    await closeTestDatabases();
  }
});

/** PostgreSQL: the demo database as seeded at TEST_NOW, made once for this test file. */
function seededPostgresTemplate(): Promise<string> {
  postgresTemplate ??= (async () => {
    const name = await createTestDatabase();
    const app = await buildApp({ databaseUrl: databaseUrl(name), webDir: 'dist/web', now: () => TEST_NOW });
    try {
      await seedDemo(app.db, app.submissions, app.now());
    } finally {
      await app.close(); // a template must have no connections when it is copied
    }
    return name;
  })();
  return postgresTemplate;
}

/** The demo database as seeded at TEST_NOW, made once for this test file. */
function seededDemoTemplate(): Promise<string> {
  demoTemplate ??= (async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dashboard-demo-'));
    demoTemplateDir = dir;
    const file = join(dir, 'demo.sqlite');
    const app = await buildApp({ dbFile: file, webDir: 'dist/web', now: () => TEST_NOW });
    try {
      await seedDemo(app.db, app.submissions, app.now());
    } finally {
      await app.close(); // the last connection to close folds the write-ahead log into the file
    }
    return file;
  })();
  return demoTemplate;
}

export async function makeApp(options: BuildOptions & { demo?: boolean } = {}): Promise<FastifyInstance> {
  const { demo = true, ...rest } = options;
  const dir = mkdtempSync(join(tmpdir(), 'dashboard-test-'));
  const removeDir = () => {
    if (app) closeTestSql(app);
    rmSync(dir, { recursive: true, force: true });
  };
  const dbFile = join(dir, 'dashboard.sqlite');
  // The template holds what seedDemo writes at TEST_NOW; an app whose clock starts elsewhere seeds its own.
  const fromTemplate = demo && (rest.now?.() ?? TEST_NOW).getTime() === TEST_NOW.getTime();
  let app: FastifyInstance | undefined;
  let database: string | null = null;
  const dropDatabase = () => {
    if (database === null) return;
    const name = database;
    const drop = (app ? closeTestPool(app) : Promise.resolve()).then(() => dropTestDatabase(name));
    database = null;
    drops.add(drop);
    void drop.finally(() => drops.delete(drop));
  };
  try {
    if (TEST_ON_POSTGRES && rest.databaseUrl === undefined) {
      database = await createTestDatabase(fromTemplate ? await seededPostgresTemplate() : undefined);
      rest.databaseUrl = databaseUrl(database);
    } else if (fromTemplate) copyFileSync(await seededDemoTemplate(), dbFile);
    app = await buildApp({
      dbFile,
      webDir: 'dist/web',
      now: () => TEST_NOW,
      apiRateLimit: TEST_API_RATE_LIMIT,
      onClosed: () => {
        removeDir();
        dropDatabase();
      },
      ...rest,
    });
  } catch (e) {
    removeDir();
    dropDatabase();
    throw e;
  }
  if (demo && !fromTemplate) {
    try {
      await seedDemo(app.db, app.submissions, app.now());
    } catch (e) {
      await app.close();
      throw e;
    }
  }
  return app;
}

export const DEMO_PASSWORDS: Record<string, string> = {
  admin: 'demo-admin',
  commissioner: 'demo-commissioner',
  manager: 'demo-manager',
  gp: 'demo-gp',
};

/** Signs in a demo account and returns the Cookie header value for later requests. */
export async function signIn(
  app: FastifyInstance,
  username: string,
  password = DEMO_PASSWORDS[username]!,
): Promise<string> {
  const res = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password } });
  if (res.statusCode !== 200) throw new Error(`sign-in as ${username} failed: ${res.statusCode} ${res.body}`);
  const cookie = res.cookies.find((c) => c.name === 'fd_session');
  if (!cookie) throw new Error('no session cookie');
  return `fd_session=${cookie.value}`;
}

/** A multipart/form-data body with optional fields before one file. */
export function multipart(
  file: { name: string; content: Buffer | string; type?: string },
  fields: Record<string, string> = {},
): { payload: Buffer; headers: Record<string, string> } {
  const boundary = `----test${Math.random().toString(16).slice(2)}`;
  const parts: Buffer[] = [];
  for (const [name, value] of Object.entries(fields)) {
    parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`));
  }
  parts.push(
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${file.name}"\r\nContent-Type: ${file.type ?? 'text/csv'}\r\n\r\n`,
    ),
  );
  parts.push(Buffer.isBuffer(file.content) ? file.content : Buffer.from(file.content));
  parts.push(Buffer.from(`\r\n--${boundary}--\r\n`));
  return { payload: Buffer.concat(parts), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

export async function upload(
  app: FastifyInstance,
  cookie: string,
  file: { name: string; content: Buffer | string },
  fields: Record<string, string> = {},
  url = '/api/submissions',
) {
  const body = multipart(file, fields);
  return app.inject({ method: 'POST', url, payload: body.payload, headers: { ...body.headers, cookie } });
}

export interface StoredObservation {
  id: number;
  submission_id: number;
  practice: string;
  indicator_code: string;
  period: string;
  numerator: number;
  denominator: number;
  exceptions: number | null;
  superseded_by: number | null;
}

/** Every observation row, current and superseded, in a stable order: the whole stored state. */
export function allObservations(app: FastifyInstance): Promise<StoredObservation[]> {
  return testQuery<StoredObservation>(
    app,
    `SELECT o.id, o.submission_id, p.code AS practice, o.indicator_code, o.period, o.numerator, o.denominator, o.exceptions, o.superseded_by
     FROM observations o JOIN practices p ON p.id = o.practice_id ORDER BY o.id`,
  );
}

export async function currentObservation(app: FastifyInstance, practice: string, indicator: string, period: string) {
  const rows = await testQuery<{
    numerator: number;
    denominator: number;
    exceptions: number | null;
    submission_id: number;
  }>(
    app,
    `SELECT o.numerator, o.denominator, o.exceptions, o.submission_id FROM observations o JOIN practices p ON p.id = o.practice_id
     WHERE p.code = ? AND o.indicator_code = ? AND o.period = ? AND o.superseded_by IS NULL`,
    [practice, indicator, period],
  );
  return rows[0];
}

/** Adds a user straight into the database (for databases without the demo accounts). */
export async function addUser(
  app: FastifyInstance,
  username: string,
  password: string,
  role: 'admin' | 'commissioner' | 'manager' | 'gp',
  networkCode: string | null = null,
): Promise<void> {
  const { insertUser } = await import('../../server/db/repositories/users');
  const { hashPassword } = await import('../../server/security/passwords');
  await insertUser(
    app.db,
    { username, passwordHash: await hashPassword(password), role, networkCode },
    TEST_NOW.toISOString(),
  );
}
