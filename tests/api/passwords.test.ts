/**
 * Passwords to OWASP ASVS level 2: one rule for every password set through the API (an admin creating or
 * resetting a user, a user changing their own), and a signed-in user can change their own password.
 */
import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeApp, signIn } from '../helpers/app';
import { testOne, testQuery } from '../helpers/db';

const WEAK: [string, string][] = [
  [' '.repeat(10), 'at least 12 characters; this one has 10'],
  [' '.repeat(14), 'cannot be only spaces'],
  ['1234567890', 'at least 12 characters; this one has 10'],
  ['123456789012', 'commonly used passwords'],
  ['Password1234', 'commonly used passwords'],
  ['aaaaaaaaaaaaaaa', 'one short pattern repeated'],
];

describe('the password rule on every password set through the API', () => {
  let app: FastifyInstance;
  let admin: string;
  beforeEach(async () => {
    app = await makeApp();
    admin = await signIn(app, 'admin');
  });
  afterEach(() => app.close());

  it('is stated by GET /api/auth/password-policy to every signed-in user, and to no one else', async () => {
    const gp = await signIn(app, 'gp');
    const res = await app.inject({ url: '/api/auth/password-policy', headers: { cookie: gp } });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      minLength: 12,
      maxLength: 128,
      rule: expect.stringMatching(
        /^At least 12 characters \(at most 128\); not only spaces, not the username, not a commonly used password/,
      ),
    });
    expect((await app.inject({ url: '/api/auth/password-policy' })).statusCode).toBe(401);
  });

  it.each(WEAK)('an admin cannot create a user with %j (%s), and no user is created', async (password, why) => {
    const res = await app.inject({
      method: 'POST',
      url: '/api/users',
      headers: { cookie: admin },
      payload: { username: 'drweak', password, role: 'gp', networkCode: 'N2' },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().error).toMatchObject({
      code: 'weak-password',
      message: expect.stringContaining(why),
      details: [{ field: 'password' }],
    });
    expect(await testOne(app, "SELECT count(*) AS n FROM users WHERE username = 'drweak'")).toEqual({ n: 0 });
  });

  it('an admin cannot reset a password to a weak one, nor to the username', async () => {
    const id = ((await testOne(app, "SELECT id FROM users WHERE username = 'commissioner'")) as { id: number }).id;
    const before = await testOne(app, 'SELECT password_hash FROM users WHERE id = ?', [id]);
    for (const [password, why] of [
      ...WEAK,
      ['COMMISSIONER', 'cannot be the username'],
      [' Commissioner ', 'cannot be the username'],
    ] as [string, string][]) {
      const res = await app.inject({
        method: 'POST',
        url: `/api/users/${id}/password`,
        headers: { cookie: admin },
        payload: { password },
      });
      expect(res.statusCode, password).toBe(400);
      expect(res.json().error.message).toContain(why);
    }
    expect(await testOne(app, 'SELECT password_hash FROM users WHERE id = ?', [id])).toEqual(before);
    await signIn(app, 'commissioner'); // the demo password still works: nothing changed
  });

  it('accepts a long password that is not common, and the demo accounts keep their published passwords', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/api/users',
      headers: { cookie: admin },
      payload: { username: 'drsmith', password: 'kettle on at four', role: 'gp', networkCode: 'N2' },
    });
    expect(res.statusCode, res.body).toBe(201);
    await signIn(app, 'drsmith', 'kettle on at four');
    await signIn(app, 'gp', 'demo-gp'); // seeded, not set through the API (SPEC section 10)
  });
});

describe('a signed-in user changes their own password', () => {
  let app: FastifyInstance;
  beforeEach(async () => {
    app = await makeApp();
  });
  afterEach(() => app.close());
  const change = (cookie: string, currentPassword: string, newPassword: string, ip = '10.0.0.1') =>
    app.inject({
      method: 'POST',
      url: '/api/auth/password',
      headers: { cookie },
      payload: { currentPassword, newPassword },
      remoteAddress: ip,
    });
  const me = (cookie: string) => app.inject({ url: '/api/auth/me', headers: { cookie } });
  const liveSessions = async (username: string) =>
    (
      (await testOne(
        app,
        'SELECT count(*) AS n FROM sessions s JOIN users u ON u.id = s.user_id WHERE u.username = ? AND s.ended_at IS NULL',
        [username],
      )) as { n: number }
    ).n;

  it.each(['admin', 'commissioner', 'manager', 'gp'])(
    'as %s: with the current password; their other sessions end, this one goes on',
    async (who) => {
      const here = await signIn(app, who);
      const elsewhere = await signIn(app, who);
      const res = await change(here, `demo-${who}`, 'a walk by the river');
      expect(res.statusCode, res.body).toBe(204);
      expect((await me(here)).statusCode).toBe(200);
      expect((await me(elsewhere)).statusCode).toBe(401);
      expect(await liveSessions(who)).toBe(1);
      expect(
        (
          await app.inject({
            method: 'POST',
            url: '/api/auth/login',
            payload: { username: who, password: `demo-${who}` },
          })
        ).statusCode,
      ).toBe(401);
      await signIn(app, who, 'a walk by the river');
      const audit = await testQuery(app, "SELECT username, detail FROM audit_log WHERE action = 'password-changed'");
      expect(audit).toEqual([{ username: who, detail: '{"otherSessionsEnded":1}' }]);
      expect(JSON.stringify(await testQuery(app, 'SELECT * FROM audit_log'))).not.toContain('a walk by the river');
    },
  );

  it('refuses a wrong current password with 403 (the session stays), and audits it', async () => {
    const cookie = await signIn(app, 'gp');
    const hash = await testOne(app, "SELECT password_hash FROM users WHERE username = 'gp'");
    const res = await change(cookie, 'not my password', 'a walk by the river');
    expect(res.statusCode).toBe(403);
    expect(res.json().error).toMatchObject({ code: 'wrong-password', details: [{ field: 'currentPassword' }] });
    expect(res.json().error.message).toContain('ask an admin to reset it');
    expect((await me(cookie)).statusCode).toBe(200);
    expect(await testOne(app, "SELECT password_hash FROM users WHERE username = 'gp'")).toEqual(hash);
    expect(await testQuery(app, "SELECT action FROM audit_log WHERE action LIKE 'password-change%'")).toEqual([
      { action: 'password-change-failed' },
    ]);
  });

  it('refuses a weak new password before checking the current one, and the same password again', async () => {
    const cookie = await signIn(app, 'manager');
    for (const [password, why] of WEAK) {
      const res = await change(cookie, 'demo-manager', password);
      expect(res.statusCode).toBe(400);
      expect(res.json().error).toMatchObject({
        code: 'weak-password',
        message: expect.stringContaining(why),
        details: [{ field: 'newPassword' }],
      });
    }
    expect((await change(cookie, 'demo-manager', 'Manager')).json().error.message).toContain('at least 12');
    expect((await change(cookie, 'demo-manager', 'a walk by the river')).statusCode).toBe(204);
    const same = await change(cookie, 'a walk by the river', 'a walk by the river');
    expect(same.statusCode).toBe(400);
    expect(same.json().error.code).toBe('same-password');
    expect(await testOne(app, "SELECT count(*) AS n FROM sign_in_attempts WHERE outcome = 'failed'")).toEqual({
      n: 0,
    });
  });

  it('counts wrong current passwords with the sign-in limits, however they arrive: a stolen session cannot guess on', async () => {
    const cookie = await signIn(app, 'gp');
    const answers = await Promise.all(
      Array.from({ length: 12 }, (_, i) => change(cookie, `guess number ${i}`, 'a walk by the river')),
    );
    expect(answers.filter((a) => a.statusCode === 403)).toHaveLength(5);
    expect(answers.filter((a) => a.statusCode === 429)).toHaveLength(7);
    expect(answers.find((a) => a.statusCode === 429)!.headers['retry-after']).toBe('900');
    expect((await change(cookie, 'demo-gp', 'a walk by the river')).statusCode).toBe(429);
    expect(
      (
        await app.inject({
          method: 'POST',
          url: '/api/auth/login',
          payload: { username: 'gp', password: 'demo-gp' },
          remoteAddress: '10.7.7.7',
        })
      ).statusCode,
    ).toBe(429);
    expect(
      await testOne(app, "SELECT count(*) AS n FROM audit_log WHERE action = 'password-change-throttled'"),
    ).toEqual({ n: 8 });
  });

  it('needs a session, and a request from the dashboard’s own pages', async () => {
    expect(
      (
        await app.inject({
          method: 'POST',
          url: '/api/auth/password',
          payload: { currentPassword: 'demo-gp', newPassword: 'a walk by the river' },
        })
      ).statusCode,
    ).toBe(401);
    const cookie = await signIn(app, 'gp');
    const crossSite = await app.inject({
      method: 'POST',
      url: '/api/auth/password',
      headers: { cookie, origin: 'https://evil.example' },
      payload: { currentPassword: 'demo-gp', newPassword: 'a walk by the river' },
    });
    expect(crossSite.statusCode).toBe(403);
    expect(crossSite.json().error.code).toBe('cross-site');
    await signIn(app, 'gp', 'demo-gp');
  });
});
