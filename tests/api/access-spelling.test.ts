/**
 * Regression tests for issue 9, finding 1: access used to depend on how the URL was spelt. The access hook
 * and the cross-site check looked at the raw URL starting with "/api/", while the router matches the decoded
 * path, so "/%61pi/users" reached the user list without signing in. Each case here was reproduced against the
 * old code before the fix (anonymous 200, a manager's cross-site 201, a GP's self-promotion 200).
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeApp, signIn, upload } from '../helpers/app';
import { testOne } from '../helpers/db';

describe('access does not depend on the spelling of the URL', () => {
  let app: FastifyInstance;
  const cookies: Record<string, string> = {};
  beforeAll(async () => {
    app = await makeApp();
    for (const who of ['admin', 'commissioner', 'manager', 'gp']) cookies[who] = await signIn(app, who);
  });
  afterAll(() => app.close());

  const userCount = async () => ((await testOne(app, 'SELECT COUNT(*) AS n FROM users')) as { n: number }).n;
  const roleOf = async (username: string) =>
    ((await testOne(app, 'SELECT role FROM users WHERE username = ?', [username])) as { role: string }).role;

  it('anonymous GET /%61pi/users and /%61pi/audit are refused (401), not answered with the data', async () => {
    for (const url of [
      '/%61pi/users',
      '/%61pi/audit',
      '/%61pi/practices',
      '/api/%75sers',
      '/%61%70%69/%75%73%65%72%73',
    ]) {
      const res = await app.inject({ url });
      expect(res.statusCode, url).toBe(401);
      expect(res.json(), url).toEqual({ error: { code: 'not-signed-in', message: expect.any(String), details: [] } });
      expect(res.body).not.toContain('passwordHash');
      expect(res.body).not.toContain('"username"');
    }
  });

  it('a network manager cannot create an admin with POST /%61pi/users, with or without a foreign Origin', async () => {
    const before = await userCount();
    const body = { username: 'sneaky', password: 'a long enough password', role: 'admin' };
    const foreign = await app.inject({
      method: 'POST',
      url: '/%61pi/users',
      headers: { cookie: cookies.manager, origin: 'https://evil.example' },
      payload: body,
    });
    expect(foreign.statusCode).toBe(403);
    expect(foreign.json().error.code).toBe('cross-site');
    const direct = await app.inject({
      method: 'POST',
      url: '/%61pi/users',
      headers: { cookie: cookies.manager },
      payload: body,
    });
    expect(direct.statusCode).toBe(403);
    expect(direct.json().error.code).toBe('forbidden');
    expect(await userCount()).toBe(before);
  });

  it('the cross-site check covers every state-changing request, whatever its path', async () => {
    for (const url of [
      '/%61pi/payments/2025-26/sign-off',
      '/api//payments/2025-26/sign-off',
      '/API/payments/2025-26/sign-off',
      '/anything',
    ]) {
      const res = await app.inject({
        method: 'POST',
        url,
        headers: { cookie: cookies.commissioner, origin: 'https://evil.example' },
        payload: {},
      });
      expect(res.statusCode, url).toBe(403);
      expect(res.json().error.code, url).toBe('cross-site');
    }
    expect(await testOne(app, "SELECT locked_at FROM contract_years WHERE code = '2025-26'")).toEqual({
      locked_at: null,
    });
  });

  it('a GP cannot promote themselves with PATCH /%61pi/users/:id', async () => {
    const id = ((await testOne(app, "SELECT id FROM users WHERE username = 'gp'")) as { id: number }).id;
    const res = await app.inject({
      method: 'PATCH',
      url: `/%61pi/users/${id}`,
      headers: { cookie: cookies.gp },
      payload: { role: 'admin' },
    });
    expect(res.statusCode).toBe(403);
    expect(await roleOf('gp')).toBe('gp');
  });

  it("a GP cannot read payment statements or upload another network's figures through an encoded path", async () => {
    for (const url of ['/%61pi/payments?year=2025-26', '/%61pi/payments.csv?year=2025-26']) {
      const res = await app.inject({ url, headers: { cookie: cookies.gp } });
      expect(res.statusCode, url).toBe(403);
      expect(res.body).not.toContain('contractValuePence');
    }
    const before = await testOne(app, 'SELECT COUNT(*) AS n FROM observations');
    const res = await upload(
      app,
      cookies.gp!,
      {
        name: 'x.csv',
        content: 'period,practice_code,indicator_code,numerator,denominator\n2026-10,Z00010,DM-BP,1,760\n',
      },
      {},
      '/%61pi/submissions',
    );
    expect(res.statusCode).toBe(403);
    expect(await testOne(app, 'SELECT COUNT(*) AS n FROM observations')).toEqual(before);
  });

  it('a network manager cannot read another network through an encoded path', async () => {
    for (const url of ['/%61pi/attainment?network=N2', '/%61pi/series?network=N2', '/%61pi/payments?year=2025-26']) {
      const res = await app.inject({ url, headers: { cookie: cookies.manager } });
      if (url.includes('payments')) {
        expect(res.statusCode).toBe(200);
        expect(res.json().networks.map((n: { code: string }) => n.code)).toEqual(['N1']);
      } else {
        expect(res.statusCode, url).toBe(403);
      }
    }
  });
});
