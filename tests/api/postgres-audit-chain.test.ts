/**
 * The audit log on PostgreSQL (migrations/postgres/0004_*, server/db/postgres/audit.ts): append-only, its hash
 * the same as server/domain/audit-chain.ts computes, and one valid chain however many connections append at
 * once.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type pg from 'pg';
import { expect, it } from 'vitest';
import { auditEntryHash, verifyAuditChain, type ChainedAuditRow } from '../../server/domain/audit-chain';
import { closeDatabase, openConfiguredDatabase } from '../../server/db/database';
import { migrateDatabase } from '../../server/db/migrate-database';
import { appendAuditPostgres } from '../../server/db/postgres/audit';
import { appendAudit } from '../../server/db/repositories/audit';
import { migratePostgres, POSTGRES_MIGRATIONS_DIR } from '../../server/db/postgres/migrate';
import { createTestSchema, describePostgres, usePostgresSchema } from '../helpers/postgres';
import { closeTestDatabases, createTestDatabase, databaseUrl, dropTestDatabase } from '../helpers/postgres-app';

/** How long to wait for the server to reach a state (machines running several suites at once can be slow). */
const POLL = { timeout: 30_000, interval: 20 };

const AT = '2026-11-21T10:00:00.000Z';

async function chain(pool: pg.Pool): Promise<ChainedAuditRow[]> {
  return (
    await pool.query<ChainedAuditRow>(
      'SELECT id, at, user_id, username, action, ip, detail, prev_hash, hash FROM audit_log ORDER BY id',
    )
  ).rows;
}

describePostgres('PostgreSQL audit log', () => {
  const pg = usePostgresSchema();

  it('computes the same hash in SQL as the application does, for awkward text too', async () => {
    const controls = Array.from({ length: 31 }, (_, i) => String.fromCharCode(i + 1)).join('');
    const entries = [
      { prev: null, id: 1, at: AT, user_id: null, username: null, action: 'sign-in-failed', ip: null, detail: '{}' },
      {
        prev: 'a'.repeat(64),
        id: 2 ** 40,
        at: AT,
        user_id: 2 ** 35,
        username: 'alice',
        action: 'upload',
        ip: '::1',
        detail: '{"file":"a.csv"}',
      },
      {
        prev: null,
        id: 3,
        at: AT,
        user_id: 7,
        username: 'quote"back\\slash/solidus',
        action: controls,
        ip: '\u007f',
        detail: '{"note":"\\u00e9\\n"}',
      },
      {
        prev: null,
        id: 4,
        at: AT,
        user_id: 7,
        username: 'Zoë Ñúñez 😀',
        action: 'line\u2028para\u2029',
        ip: '192.0.2.1',
        detail: JSON.stringify({ text: 'tab\there </script>', n: 1.5 }),
      },
    ];
    for (const e of entries) {
      const row = await pg.pool.query<{ hash: string }>(
        'SELECT audit_entry_hash($1, $2, $3, $4, $5, $6, $7, $8) AS hash',
        [e.prev, e.id, e.at, e.user_id, e.username, e.action, e.ip, e.detail],
      );
      expect(row.rows[0]!.hash, `entry ${e.id}`).toBe(auditEntryHash(e.prev, e));
    }
  });

  it('appends entries the trigger accepts, each linked to the one before', async () => {
    await appendAuditPostgres(pg.handle.db, {
      at: AT,
      userId: null,
      username: 'create-admin (command line)',
      action: 'user-created',
      ip: null,
      detail: { username: 'alice' },
    });
    await appendAuditPostgres(pg.handle.db, {
      at: AT,
      userId: 1,
      username: 'Zoë 😀',
      action: 'sign-in',
      ip: '::1',
      detail: { note: 'line\nbreak "quoted"' },
    });
    const rows = await chain(pg.pool);
    expect(rows.map((r) => [r.id, r.action])).toEqual([
      [1, 'user-created'],
      [2, 'sign-in'],
    ]);
    expect(rows[1]!.prev_hash).toBe(rows[0]!.hash);
    expect(verifyAuditChain(rows)).toEqual({ ok: true, entries: 2, lastId: 2, lastHash: rows[1]!.hash });
  });

  it('refuses updates, deletes, TRUNCATE, an insert naming an existing id, an upsert and forged entries', async () => {
    const [first, last] = [(await chain(pg.pool))[0]!, (await chain(pg.pool)).at(-1)!];
    const next = {
      id: last.id + 1,
      at: AT,
      user_id: null,
      username: 'mallory',
      action: 'sign-in',
      ip: null,
      detail: '{}',
    };
    const insert = (e: typeof next & { prev_hash: string | null; hash: string | null }) =>
      pg.pool.query(
        'INSERT INTO audit_log (id, at, user_id, username, action, ip, detail, prev_hash, hash) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)',
        [e.id, e.at, e.user_id, e.username, e.action, e.ip, e.detail, e.prev_hash, e.hash],
      );
    // Tried one after another: each must be refused on its own account.
    const attempts: Record<string, () => Promise<unknown>> = {
      update: () => pg.pool.query("UPDATE audit_log SET action = 'nothing' WHERE id = $1", [first.id]),
      delete: () => pg.pool.query('DELETE FROM audit_log WHERE id = $1', [first.id]),
      truncate: () => pg.pool.query('TRUNCATE audit_log'),
      'existing id': () =>
        insert({ ...next, id: first.id, prev_hash: null, hash: auditEntryHash(null, { ...next, id: first.id }) }),
      upsert: () =>
        pg.pool.query(
          "INSERT INTO audit_log (id, at, action) VALUES ($1, $2, 'x') ON CONFLICT (id) DO UPDATE SET action = 'x'",
          [first.id, AT],
        ),
      'skipped id': () =>
        insert({
          ...next,
          id: next.id + 1,
          prev_hash: last.hash,
          hash: auditEntryHash(last.hash, { ...next, id: next.id + 1 }),
        }),
      'wrong link': () => insert({ ...next, prev_hash: first.hash, hash: auditEntryHash(first.hash, next) }),
      'wrong hash': () =>
        insert({ ...next, prev_hash: last.hash, hash: auditEntryHash(last.hash, { ...next, action: 'sign-out' }) }),
      'no hash': () => insert({ ...next, prev_hash: last.hash, hash: null }),
      'lock row deleted': () => pg.pool.query('DELETE FROM audit_chain_lock'),
    };
    const outcomes: Record<string, string> = {};
    for (const [what, attempt] of Object.entries(attempts))
      outcomes[what] = await attempt().then(
        () => 'accepted',
        (e: Error) => e.message,
      );
    expect(outcomes).toEqual({
      update: 'the audit log is append-only',
      delete: 'the audit log is append-only',
      truncate: 'the audit log is append-only',
      'existing id': 'the audit log is append-only: an entry with this id already exists',
      upsert: 'the audit log is append-only: an entry with this id already exists',
      'skipped id': 'the audit log is append-only: a new entry must take the next id and extend the hash chain',
      'wrong link': 'the audit log is append-only: a new entry must take the next id and extend the hash chain',
      'wrong hash': 'the audit log is append-only: a new entry must take the next id and extend the hash chain',
      'no hash': 'the audit log is append-only: a new entry must take the next id and extend the hash chain',
      'lock row deleted': 'audit_chain_lock serialises audit appends: its one row must stay as it is',
    });
    expect(await chain(pg.pool)).toHaveLength(last.id);
    // The right next entry, written by hand, is accepted.
    await insert({ ...next, prev_hash: last.hash, hash: auditEntryHash(last.hash, next) });
    expect(verifyAuditChain(await chain(pg.pool))).toMatchObject({ ok: true, lastId: next.id });
  });

  it('keeps one valid chain while eight connections append forty entries at once', async () => {
    const before = (await chain(pg.pool)).length;
    const ids = await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        appendAuditPostgres(pg.handle.db, {
          at: AT,
          userId: i,
          username: `writer-${i % 8}`,
          action: 'sign-in',
          ip: `192.0.2.${i}`,
          detail: { n: i },
        }),
      ),
    );
    expect([...ids].sort((a, b) => a - b)).toEqual(Array.from({ length: 40 }, (_, i) => before + 1 + i));
    const rows = await chain(pg.pool);
    expect(verifyAuditChain(rows)).toMatchObject({ ok: true, entries: before + 40 });
    // Every entry written is there once.
    expect(
      rows
        .slice(before)
        .map((r) => r.user_id)
        .sort((a, b) => a! - b!),
    ).toEqual(Array.from({ length: 40 }, (_, i) => i));
  });

  it('makes a writer that read the chain before another committed wait, then refuses its stale entry instead of forking the chain', async () => {
    const first = await pg.pool.connect();
    const second = await pg.pool.connect();
    try {
      const last = (await chain(pg.pool)).at(-1)!;
      const stale = {
        id: last.id + 1,
        at: AT,
        user_id: null,
        username: 'second',
        action: 'sign-in',
        ip: null,
        detail: '{}',
      };
      const sql =
        'INSERT INTO audit_log (id, at, user_id, username, action, ip, detail, prev_hash, hash) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)';
      await first.query('BEGIN');
      const mine = { ...stale, username: 'first' };
      await first.query(sql, [
        mine.id,
        mine.at,
        mine.user_id,
        mine.username,
        mine.action,
        mine.ip,
        mine.detail,
        last.hash,
        auditEntryHash(last.hash, mine),
      ]);
      const secondPid = (await second.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]!.pid;
      // The second writer computed its entry from the same last entry, without taking the lock first.
      const secondInsert = second
        .query(sql, [
          stale.id,
          stale.at,
          stale.user_id,
          stale.username,
          stale.action,
          stale.ip,
          stale.detail,
          last.hash,
          auditEntryHash(last.hash, stale),
        ])
        .then(
          () => 'accepted',
          (e: Error) => e.message,
        );
      await expect
        .poll(
          async () =>
            (
              await pg.pool.query<{ waiting: boolean }>(
                "SELECT wait_event_type = 'Lock' AS waiting FROM pg_stat_activity WHERE pid = $1",
                [secondPid],
              )
            ).rows[0]?.waiting,
          POLL,
        )
        .toBe(true);
      await first.query('COMMIT');
      expect(await secondInsert).toBe('the audit log is append-only: an entry with this id already exists');
      const rows = await chain(pg.pool);
      expect(rows.at(-1)).toMatchObject({ id: mine.id, username: 'first' });
      expect(verifyAuditChain(rows)).toMatchObject({ ok: true });
    } finally {
      first.release();
      second.release();
    }
  });

  it("chains the entries written before 0004, as SQLite's 0004 does, and appends after them", async () => {
    const early = mkdtempSync(join(tmpdir(), 'pg-migrations-'));
    try {
      for (const f of readdirSync(POSTGRES_MIGRATIONS_DIR).filter((f) => f < '0004'))
        cpSync(join(POSTGRES_MIGRATIONS_DIR, f), join(early, f));
      const schema = await createTestSchema({ migrationsDir: early });
      try {
        await schema.pool.query(
          `INSERT INTO audit_log (at, user_id, username, action, ip, detail) VALUES
             ($1, NULL, 'seed', 'user-created', NULL, '{"username":"admin"}'), ($1, 1, 'admin', 'sign-in', '::1', '{}'), ($1, 1, 'admin', 'upload', '::1', '{"file":"é.csv"}')`,
          [AT],
        );
        expect((await migratePostgres(schema.pool)).applied).toEqual([
          '0004_audit_chain_sign_in_attempts.sql',
          '0005_upload_outcomes.sql',
          '0006_learning_loop.sql',
          '0007_speed.sql',
          '0008_rate_limit.sql',
        ]);
        const rows = await chain(schema.pool);
        expect(rows.map((r) => r.id)).toEqual([1, 2, 3]);
        expect(verifyAuditChain(rows)).toEqual({ ok: true, entries: 3, lastId: 3, lastHash: rows[2]!.hash });
        expect(
          await appendAuditPostgres(schema.handle.db, {
            at: AT,
            userId: 1,
            username: 'admin',
            action: 'sign-out',
            ip: '::1',
            detail: {},
          }),
        ).toBe(4);
        expect(verifyAuditChain(await chain(schema.pool))).toMatchObject({ ok: true, entries: 4, lastId: 4 });
      } finally {
        await schema.drop();
      }
    } finally {
      rmSync(early, { recursive: true, force: true });
    }
  });
});

describePostgres('npm run audit:verify on PostgreSQL', () => {
  function verify(args: string[], env: Record<string, string> = {}) {
    const root = join(import.meta.dirname, '../..');
    const r = spawnSync(process.execPath, ['--import', 'tsx', join(root, 'server/bin/audit-verify.ts'), ...args], {
      cwd: root,
      env: { ...process.env, ...env },
      encoding: 'utf8',
    });
    return { status: r.status, out: `${r.stdout}${r.stderr}` };
  }

  it('checks the chain of the database named by a postgres:// URL, or by DATABASE_URL', async () => {
    const name = await createTestDatabase();
    const url = databaseUrl(name);
    try {
      const db = openConfiguredDatabase({ dbFile: '', databaseUrl: url }, { max: 1 });
      try {
        await migrateDatabase(db);
        for (const action of ['sign-in', 'sign-out', 'sign-in'] as const)
          await appendAudit(db, { at: AT, userId: null, username: 'gp', action, ip: '10.0.0.1', detail: {} });
      } finally {
        await closeDatabase(db);
      }
      const byArgument = verify([url]);
      expect(byArgument.status).toBe(0);
      expect(byArgument.out).toMatch(/^Audit log of the PostgreSQL database postgres/);
      expect(byArgument.out).toContain('all 3 entries fit the chain');
      const lastLine = /keep this as --anchor (\d+:[0-9a-f]{64})/.exec(byArgument.out);
      expect(lastLine).not.toBeNull();
      const byEnvironment = verify(['--anchor', lastLine?.[1] ?? ''], { DATABASE_URL: url });
      expect(byEnvironment.status).toBe(0);
      expect(byEnvironment.out).toContain('all 3 entries fit the chain, including the anchor at entry 3');
      // An anchor the database does not have: the log was cut short.
      const missing = verify([url, '--anchor', `99:${'0'.repeat(64)}`]);
      expect(missing.status).toBe(1);
      expect(missing.out).toContain('entry 99, the anchor given, is missing');
    } finally {
      await dropTestDatabase(name);
      await closeTestDatabases();
    }
  });
});
