/**
 * The PostgreSQL migrator (server/db/postgres/migrate.ts): applies the files in order, records each with the
 * SHA-256 of its bytes, refuses a database whose applied files changed or are missing, rolls back a file that
 * fails, and lets several instances start at once.
 */
import { createHash } from 'node:crypto';
import { appendFileSync, cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { migratePostgres, POSTGRES_MIGRATIONS_DIR } from '../../server/db/postgres/migrate';
import { createTestSchema, describePostgres } from '../helpers/postgres';
import type pg from 'pg';

const FILES = readdirSync(POSTGRES_MIGRATIONS_DIR)
  .filter((f) => /^\d{4}_.*\.sql$/.test(f))
  .sort();

describePostgres('PostgreSQL migrator', () => {
  const cleanups: (() => Promise<void> | void)[] = [];
  afterEach(async () => {
    while (cleanups.length) await cleanups.pop()!();
  });
  const schema = async (options: { migrate?: boolean } = {}) => {
    const s = await createTestSchema(options);
    cleanups.push(() => s.drop());
    return s;
  };
  /** A copy of the migrations folder to change. */
  const copyOfMigrations = () => {
    const dir = mkdtempSync(join(tmpdir(), 'pg-migrations-'));
    cpSync(POSTGRES_MIGRATIONS_DIR, dir, { recursive: true });
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    return dir;
  };
  const recorded = async (pool: pg.Pool) =>
    (await pool.query<{ name: string; checksum: string }>('SELECT name, checksum FROM schema_migrations ORDER BY name'))
      .rows;

  it('numbers its files in step with the SQLite migrations, name for name', () => {
    const sqlite = readdirSync(join(POSTGRES_MIGRATIONS_DIR, '..'))
      .filter((f) => /^\d{4}_.*\.sql$/.test(f))
      .sort();
    expect(FILES).toEqual(sqlite);
  });

  it('applies every file once, in order, recording the SHA-256 of each; a second run applies nothing', async () => {
    const s = await schema({ migrate: false });
    expect(await migratePostgres(s.pool)).toEqual({ applied: FILES, created: true });
    expect(await recorded(s.pool)).toEqual(
      FILES.map((name) => ({
        name,
        checksum: createHash('sha256')
          .update(readFileSync(join(POSTGRES_MIGRATIONS_DIR, name)))
          .digest('hex'),
      })),
    );
    expect(await migratePostgres(s.pool)).toEqual({ applied: [], created: false });
  });

  it('refuses a database whose applied file has changed, and applies nothing', async () => {
    const s = await schema();
    const dir = copyOfMigrations();
    appendFileSync(join(dir, '0003_audit_lookups.sql'), '\nCREATE INDEX audit_log_user ON audit_log (user_id);\n');
    writeFileSync(join(dir, '0007_later.sql'), 'CREATE TABLE later (id bigint);\n');
    await expect(migratePostgres(s.pool, dir)).rejects.toThrow(
      /^migration 0003_audit_lookups\.sql has changed since it was applied to this database \(SHA-256 then [0-9a-f]{64}, now [0-9a-f]{64}\): an applied migration is never edited/,
    );
    expect(
      (await s.pool.query("SELECT to_regclass('later') AS later, to_regclass('audit_log_user') AS index")).rows,
    ).toEqual([{ later: null, index: null }]);
    expect((await recorded(s.pool)).map((r) => r.name)).toEqual(FILES);
  });

  it('refuses a database with a migration this version does not have', async () => {
    const s = await schema();
    const dir = copyOfMigrations();
    rmSync(join(dir, FILES.at(-1)!));
    await expect(migratePostgres(s.pool, dir)).rejects.toThrow(
      `the database has migration ${FILES.at(-1)} applied, which this version of the application does not have`,
    );
  });

  it('applies a new file, and rolls back one that fails, leaving nothing of it', async () => {
    const s = await schema();
    const dir = copyOfMigrations();
    writeFileSync(join(dir, '0007_later.sql'), 'CREATE TABLE later (id bigint PRIMARY KEY);\n');
    expect(await migratePostgres(s.pool, dir)).toEqual({ applied: ['0007_later.sql'], created: false });
    writeFileSync(
      join(dir, '0008_broken.sql'),
      'CREATE TABLE half_done (id bigint);\nINSERT INTO later (id) VALUES (1);\nSELECT 1 / 0;\n',
    );
    await expect(migratePostgres(s.pool, dir)).rejects.toThrow(
      'migration 0008_broken.sql failed and was rolled back: division by zero',
    );
    expect(
      (await s.pool.query("SELECT to_regclass('half_done') AS half_done, (SELECT count(*) FROM later) AS later_rows"))
        .rows,
    ).toEqual([{ half_done: null, later_rows: 0 }]);
    expect((await recorded(s.pool)).map((r) => r.name)).toEqual([...FILES, '0007_later.sql']);
  });

  it('lets two instances start at once: one migrates, the other waits and finds nothing to do', async () => {
    const s = await schema({ migrate: false });
    const results = await Promise.all([migratePostgres(s.pool), migratePostgres(s.pool)]);
    expect(results.map((r) => r.applied.length).sort()).toEqual([0, FILES.length]);
    expect((await recorded(s.pool)).map((r) => r.name)).toEqual(FILES);
  });
});
