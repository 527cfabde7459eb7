/** A database for real use: no demo data or accounts; the first admin comes from `npm run create-admin`. */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildApp } from '../../server/app';
import { signIn } from '../helpers/app';
import { closeTestSql, testOne, testQuery } from '../helpers/db';

const ROOT = join(import.meta.dirname, '../..');

function createAdmin(dbFile: string, username: string, password: string) {
  return spawnSync(process.execPath, ['--import', 'tsx', join(ROOT, 'server/bin/create-admin.ts'), username], {
    cwd: ROOT,
    env: { ...process.env, DB_FILE: dbFile, ADMIN_PASSWORD: password },
    encoding: 'utf8',
  });
}

describe('npm run create-admin', () => {
  it('creates the first admin of a database without demo data, who can then sign in', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dashboard-real-'));
    const dbFile = join(dir, 'real.sqlite');
    try {
      // The same rule as the API's (server/domain/password-policy.ts), stated with the refusal.
      for (const [password, why] of [
        ['short', 'at least 12 characters; this one has 5'],
        ['1234567890', 'at least 12 characters; this one has 10'],
        [' '.repeat(14), 'cannot be only spaces'],
        ['Password1234', 'commonly used passwords'],
      ]) {
        const refused = createAdmin(dbFile, 'alice', password!);
        expect(refused.status, password).toBe(1);
        expect(refused.stderr).toContain(why);
        expect(refused.stderr).toContain('The rule: At least 12 characters');
      }

      const made = createAdmin(dbFile, 'alice', 'correct-horse-battery');
      expect(made.status, made.stderr).toBe(0);
      expect(createAdmin(dbFile, 'alice', 'correct-horse-battery').stderr).toContain('already a user "alice"');

      const app = await buildApp({ dbFile, webDir: 'dist/web' });
      try {
        expect(await testQuery(app, 'SELECT username, role, is_demo FROM users')).toEqual([
          { username: 'alice', role: 'admin', is_demo: 0 },
        ]);
        expect(await testOne(app, 'SELECT count(*) AS n FROM networks')).toEqual({ n: 0 });
        const cookie = await signIn(app, 'alice', 'correct-horse-battery');
        const me = await app.inject({ url: '/api/auth/me', headers: { cookie } });
        expect(me.json()).toMatchObject({
          username: 'alice',
          role: 'admin',
          networkCode: null,
          capabilities: { administer: true },
        });
        expect((await app.inject({ url: '/api/status' })).json()).toMatchObject({ demo: false, latestPeriod: null });
        const hash = ((await testOne(app, 'SELECT password_hash FROM users')) as { password_hash: string })
          .password_hash;
        expect(hash).toMatch(/^scrypt\$16384\$8\$1\$/);
        expect(hash).not.toContain('correct-horse-battery');
      } finally {
        closeTestSql(app);
        await app.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
