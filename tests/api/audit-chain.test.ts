/**
 * The tamper-evident audit log (SPEC section 8): every entry is chained to the one before it, the database
 * refuses anything but appending, and `npm run audit:verify` names the first entry that does not fit. The
 * tampering is done as an attacker with the file would do it: with the sqlite3 shell, on a copy.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../server/app';
import { iterateAuditChain } from '../../server/db/repositories/audit';
import { MIGRATIONS_DIR, migrate } from '../../server/db/migrate';
import { closeDatabase, openDatabase } from '../../server/db/database';
import { seedDemo } from '../../server/services/demo';
import { auditEntryHash, verifyAuditChain } from '../../server/domain/audit-chain';
import { makeApp, signIn, TEST_NOW } from '../helpers/app';
import { openTestSql, testSql } from '../helpers/db';

const ROOT = join(import.meta.dirname, '../..');
const SQLITE3 = '/usr/bin/sqlite3';

function verify(args: string[], env: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(ROOT, 'server/bin/audit-verify.ts'), ...args], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    encoding: 'utf8',
  });
  return { status: r.status, out: `${r.stdout}${r.stderr}` };
}

function shell(file: string, sql: string) {
  const r = spawnSync(SQLITE3, [file, sql], { encoding: 'utf8' });
  if (r.error)
    throw new Error(`the sqlite3 shell could not run (${r.error.message}): install it with apt-get install -y sqlite3`);
  return { status: r.status, out: `${r.stdout}${r.stderr}` };
}

const chainOf = (app: FastifyInstance) => [...iterateAuditChain(app.db)];

describe('appending to the chained audit log', () => {
  let app: FastifyInstance;
  beforeAll(async () => {
    app = await makeApp();
    await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'gp', password: 'wrong' } });
    const admin = await signIn(app, 'admin');
    await app.inject({
      method: 'POST',
      url: '/api/networks',
      headers: { cookie: admin },
      payload: { code: 'N9', name: 'Ninth Network' },
    });
    await app.inject({ method: 'POST', url: '/api/auth/logout', headers: { cookie: admin } });
  });
  afterAll(() => app.close());

  it('links every entry to the one before it, by the documented hash', () => {
    const rows = chainOf(app);
    expect(rows.map((r) => r.action)).toEqual(['sign-in-failed', 'sign-in', 'network-created', 'sign-out']);
    expect(rows.map((r) => r.id)).toEqual([1, 2, 3, 4]);
    expect(rows[0]!.prev_hash).toBeNull();
    for (let i = 0; i < rows.length; i++) {
      expect(rows[i]!.prev_hash).toBe(i === 0 ? null : rows[i - 1]!.hash);
      expect(rows[i]!.hash).toBe(auditEntryHash(rows[i]!.prev_hash, rows[i]!));
    }
    expect(verifyAuditChain(rows)).toMatchObject({ ok: true, entries: 4, lastId: 4 });
  });

  it('keeps the chain whole when many entries are appended at once', async () => {
    await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        app.inject({
          method: 'POST',
          url: '/api/auth/login',
          payload: { username: `someone${i}`, password: 'wrong' },
          remoteAddress: `10.3.${i}.1`,
        }),
      ),
    );
    expect(verifyAuditChain(chainOf(app))).toMatchObject({ ok: true, entries: 34 });
  });

  it('refuses INSERT OR REPLACE, upserts, updates, deletes and entries that do not extend the chain, changing nothing', () => {
    const before = chainOf(app);
    const last = before.at(-1)!;
    const forged = {
      id: 2,
      at: TEST_NOW.toISOString(),
      user_id: null,
      username: 'nobody',
      action: 'sign-in',
      ip: null,
      detail: '{}',
    };
    const insert = (verb: string, row: typeof forged, prev: string | null, hash: string | null, tail = '') =>
      testSql(app)
        .prepare(
          `${verb} INTO audit_log (id, at, user_id, username, action, ip, detail, prev_hash, hash) VALUES (@id, @at, @user_id, @username, @action, @ip, @detail, @prev, @hash) ${tail}`,
        )
        .run({ ...row, prev, hash });

    // Replacing entry 2, even with a correctly chained forgery, is refused before REPLACE can delete it.
    expect(() => insert('INSERT OR REPLACE', forged, before[0]!.hash, auditEntryHash(before[0]!.hash, forged))).toThrow(
      /append-only: an entry with this id already exists/,
    );
    expect(() => insert('REPLACE', forged, before[0]!.hash, null)).toThrow(/already exists/);
    expect(() => insert('INSERT', forged, null, null, 'ON CONFLICT (id) DO UPDATE SET detail = \'{"x":1}\'')).toThrow(
      /already exists/,
    );
    expect(() => testSql(app).prepare("UPDATE audit_log SET detail = '{}' WHERE id = 2").run()).toThrow(/append-only/);
    expect(() => testSql(app).prepare('DELETE FROM audit_log WHERE id = 2').run()).toThrow(/append-only/);
    // A new entry must take the next id, link to the last entry and carry its own hash.
    const next = { ...forged, id: last.id + 1 };
    expect(() => insert('INSERT', next, last.hash, 'f'.repeat(64))).toThrow(/extend the hash chain/);
    expect(() => insert('INSERT', next, before[0]!.hash, auditEntryHash(before[0]!.hash, next))).toThrow(
      /extend the hash chain/,
    );
    expect(() =>
      insert(
        'INSERT',
        { ...next, id: last.id + 5 },
        last.hash,
        auditEntryHash(last.hash, { ...next, id: last.id + 5 }),
      ),
    ).toThrow(/extend the hash chain/);
    expect(() =>
      testSql(app).prepare("INSERT INTO audit_log (at, action) VALUES ('2026-11-21', 'unchained')").run(),
    ).toThrow(/extend the hash chain/);
    expect(chainOf(app)).toEqual(before);
  });
});

describe('0004 chains the entries written before it', () => {
  it('gives existing entries hashes that verify, and new entries continue the chain', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dashboard-audit-'));
    try {
      const old = join(dir, 'old-migrations');
      mkdirSync(old);
      for (const f of readdirSync(MIGRATIONS_DIR).filter((f) => f < '0004'))
        copyFileSync(join(MIGRATIONS_DIR, f), join(old, f));
      const db = openDatabase(join(dir, 'legacy.sqlite'));
      migrate(db, old);
      const sqlite = openTestSql(join(dir, 'legacy.sqlite'));
      const add = sqlite.prepare(
        'INSERT INTO audit_log (at, user_id, username, action, ip, detail) VALUES (?, ?, ?, ?, ?, ?)',
      );
      add.run(
        '2026-01-05T09:00:00.000Z',
        null,
        'create-admin (command line)',
        'user-created',
        null,
        '{"userId":1,"username":"alice","role":"admin"}',
      );
      add.run('2026-01-05T09:01:00.000Z', 1, 'alice', 'sign-in', '10.0.0.7', '{}');
      add.run('2026-01-05T09:02:00.000Z', null, 'bob', 'sign-in-failed', '10.0.0.8', '{"reason":"unknown username"}');
      sqlite.close();
      expect(migrate(db).applied.map((f) => f.slice(0, 4))).toContain('0004');
      const rows = [...iterateAuditChain(db)];
      expect(rows.every((r) => r.hash !== null)).toBe(true);
      expect(verifyAuditChain(rows)).toMatchObject({ ok: true, entries: 3, lastId: 3 });
      expect(rows[1]!.hash).toBe(auditEntryHash(rows[0]!.hash, rows[1]!));
      await closeDatabase(db);

      const app = await buildApp({ dbFile: join(dir, 'legacy.sqlite'), webDir: 'dist/web', now: () => TEST_NOW });
      try {
        await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'alice', password: 'wrong' } });
        expect(verifyAuditChain(chainOf(app))).toMatchObject({ ok: true, entries: 4, lastId: 4 });
      } finally {
        await app.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('npm run audit:verify', () => {
  let dir: string;
  let original: string;
  let entries: number;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'dashboard-audit-'));
    original = join(dir, 'dashboard.sqlite');
    const app = await buildApp({ dbFile: original, webDir: 'dist/web', now: () => TEST_NOW });
    await seedDemo(app.db, app.submissions, app.now());
    await app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username: 'manager', password: 'wrong-password' },
      remoteAddress: '10.1.2.3',
    });
    for (const who of ['admin', 'commissioner', 'gp']) await signIn(app, who);
    entries = chainOf(app).length;
    await app.close();
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const copyOf = (name: string) => {
    const file = join(dir, name);
    copyFileSync(original, file);
    return file;
  };

  it('passes an untouched database, named as an argument or by DB_FILE, and prints the last entry as an anchor', () => {
    const byArgument = verify([original]);
    expect(byArgument.status, byArgument.out).toBe(0);
    expect(byArgument.out).toContain(`all ${entries} entries fit the chain`);
    expect(byArgument.out).toMatch(new RegExp(`--anchor ${entries}:[0-9a-f]{64}`));
    const byEnvironment = verify([], { DB_FILE: original });
    expect(byEnvironment.status, byEnvironment.out).toBe(0);
    const anchor = /--anchor (\d+:[0-9a-f]{64})/.exec(byArgument.out)![1]!;
    expect(verify([original, '--anchor', anchor]).status).toBe(0);
  });

  it('names an entry changed with the sqlite3 shell in a copy, and fails', () => {
    const file = copyOf('changed.sqlite');
    // The shell cannot simply edit the log: the trigger refuses. An attacker with the file drops it first.
    expect(shell(file, `UPDATE audit_log SET detail = '{"reason":"nothing happened"}' WHERE id = 2`).out).toContain(
      'append-only',
    );
    const edit = shell(
      file,
      `DROP TRIGGER audit_log_no_update; UPDATE audit_log SET detail = '{"reason":"nothing happened"}' WHERE id = 2;`,
    );
    expect(edit.status, edit.out).toBe(0);
    const result = verify([file]);
    expect(result.status).toBe(1);
    expect(result.out).toContain('entry 2 does not fit the chain: its contents do not match its hash');
    expect(result.out).toContain('The entry before it is intact');
    expect(verify([original]).status).toBe(0); // the original is untouched
  });

  it('names the entry after one deleted from the middle, and an entry whose hash was recomputed', async () => {
    const deleted = copyOf('deleted.sqlite');
    expect(shell(deleted, 'DROP TRIGGER audit_log_no_delete; DELETE FROM audit_log WHERE id = 2;').status).toBe(0);
    const afterDelete = verify([deleted]);
    expect(afterDelete.status).toBe(1);
    expect(afterDelete.out).toContain('entry 3 does not fit the chain');
    expect(afterDelete.out).toContain('does not match entry 1');

    // Entry 3 rewritten with its hash recomputed by the documented rule: entry 4 no longer links to it.
    const rehashed = copyOf('rehashed.sqlite');
    const db = openDatabase(rehashed, { readonly: true });
    const third = [...iterateAuditChain(db)][2]!;
    await closeDatabase(db);
    const hash = auditEntryHash(third.prev_hash, { ...third, username: 'someone else' });
    expect(
      shell(
        rehashed,
        `DROP TRIGGER audit_log_no_update; UPDATE audit_log SET username = 'someone else', hash = '${hash}' WHERE id = 3;`,
      ).status,
    ).toBe(0);
    const afterRehash = verify([rehashed]);
    expect(afterRehash.status).toBe(1);
    expect(afterRehash.out).toContain('entry 4 does not fit the chain');
    expect(afterRehash.out).toContain('does not match entry 3');
  });

  it('notices a log cut short only against an anchor noted earlier', () => {
    const anchor = /--anchor (\d+:[0-9a-f]{64})/.exec(verify([original]).out)![1]!;
    const cut = copyOf('cut.sqlite');
    expect(shell(cut, `DROP TRIGGER audit_log_no_delete; DELETE FROM audit_log WHERE id = ${entries};`).status).toBe(0);
    expect(verify([cut]).status).toBe(0); // the chain that is left is whole
    const withAnchor = verify([cut, '--anchor', anchor]);
    expect(withAnchor.status).toBe(1);
    expect(withAnchor.out).toContain(`entry ${entries}, the anchor given, is missing`);
  });

  it('cannot be fooled by an entry appended with the shell, which cannot compute the chain', () => {
    const file = copyOf('appended.sqlite');
    const appended = shell(
      file,
      "INSERT INTO audit_log (id, at, action, detail) VALUES (1000, '2026-11-21T10:00:00Z', 'sign-off', '{}');",
    );
    expect(appended.status).not.toBe(0);
    expect(appended.out).toContain('audit_entry_hash');
    const db = openTestSql(file);
    expect(db.prepare('SELECT count(*) AS n FROM audit_log').get()).toEqual({ n: entries });
    db.close();
  });

  it('exits 2 for a file it cannot check', () => {
    const missing = verify([join(dir, 'no-such.sqlite')]);
    expect(missing.status).toBe(2);
    expect(missing.out).toContain('Cannot open');
    expect(verify([original, '--anchor', 'nonsense']).status).toBe(2);
  });
});
