/**
 * Failed sign-in limits hold however the guesses arrive (SPEC section 8): many guesses sent at once for one
 * username get at most the limit's number of password checks. The number of checks is read from the audit
 * log: every password check that fails writes one `sign-in-failed` entry, and every guess refused before its
 * check writes one `sign-in-throttled` entry, so the test depends on what was stored, never on timing.
 */
import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeApp, signIn, TEST_NOW } from '../helpers/app';
import { testOne } from '../helpers/db';

const auditCount = async (app: FastifyInstance, action: string) =>
  ((await testOne(app, 'SELECT count(*) AS n FROM audit_log WHERE action = ?', [action])) as { n: number }).n;

describe('failed sign-in limits under parallel guesses', () => {
  let app: FastifyInstance;
  let clock: Date;
  beforeEach(async () => {
    clock = new Date(TEST_NOW);
    app = await makeApp({ now: () => clock });
  });
  afterEach(() => app.close());
  const login = (username: string, password: string, ip = '10.0.0.1') =>
    app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password }, remoteAddress: ip });

  it('40 wrong passwords for one username sent at once get at most 5 password checks; the other 35 are refused unchecked', async () => {
    const answers = await Promise.all(
      Array.from({ length: 40 }, (_, i) => login('manager', `wrong guess ${i}`, `10.0.${i}.1`)),
    );
    const statuses = answers.map((a) => a.statusCode);
    expect(statuses.filter((s) => s === 401)).toHaveLength(5);
    expect(statuses.filter((s) => s === 429)).toHaveLength(35);
    expect(await auditCount(app, 'sign-in-failed')).toBe(5);
    expect(await auditCount(app, 'sign-in-throttled')).toBe(35);
    // Even the right password is refused now, and nothing is left waiting.
    expect((await login('manager', 'demo-manager', '10.200.0.1')).statusCode).toBe(429);
    expect(await testOne(app, "SELECT count(*) AS n FROM sign_in_attempts WHERE outcome = 'pending'")).toEqual({
      n: 0,
    });
    // Another user is unaffected.
    expect((await login('gp', 'demo-gp', '10.200.0.2')).statusCode).toBe(200);
  });

  it('40 wrong passwords for different usernames from one address sent at once get at most 20 checks', async () => {
    const answers = await Promise.all(Array.from({ length: 40 }, (_, i) => login(`nobody${i}`, 'wrong', '10.9.9.9')));
    expect(answers.filter((a) => a.statusCode === 401)).toHaveLength(20);
    expect(answers.filter((a) => a.statusCode === 429)).toHaveLength(20);
    expect(await auditCount(app, 'sign-in-failed')).toBe(20);
  });

  it('a right password sent with wrong ones signs in when it is among the first 5, and successes do not count as failures', async () => {
    const answers = await Promise.all([
      login('gp', 'demo-gp'),
      ...Array.from({ length: 3 }, (_, i) => login('gp', `wrong ${i}`)),
    ]);
    expect(answers.map((a) => a.statusCode)).toEqual([200, 401, 401, 401]);
    // 3 failures so far: one more wrong guess is still checked, the fifth failure closes the door.
    expect((await login('gp', 'wrong again')).statusCode).toBe(401);
    expect((await login('gp', 'demo-gp')).statusCode).toBe(200);
    expect((await login('gp', 'wrong a fifth time')).statusCode).toBe(401);
    expect((await login('gp', 'demo-gp')).statusCode).toBe(429);
    clock = new Date(clock.getTime() + 16 * 60_000);
    await signIn(app, 'gp');
  });
});
