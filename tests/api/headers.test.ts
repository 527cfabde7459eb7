/**
 * Headers and what the server hands out (OWASP ASVS level 2): API answers are never stored by a browser or
 * proxy, source maps are never served, and a general per-client limit on API requests.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readConfig } from '../../server/config';
import { makeApp, signIn } from '../helpers/app';

describe('Cache-Control: no-store on every API answer', () => {
  let app: FastifyInstance;
  let commissioner: string;
  beforeAll(async () => {
    app = await makeApp();
    commissioner = await signIn(app, 'commissioner');
  });
  afterAll(() => app.close());

  it.each([
    ['a public answer', 'GET', '/api/status', false, 200],
    ['money', 'GET', '/api/payments?year=2025-26', true, 200],
    ['personal data', 'GET', '/api/audit', true, 200],
    ['a CSV export', 'GET', '/api/payments.csv?year=2025-26', true, 200],
    ['the signed-in user', 'GET', '/api/auth/me', true, 200],
    ['a refusal', 'GET', '/api/users', true, 403],
    ['not signed in', 'GET', '/api/payments?year=2025-26', false, 401],
    ['a failed sign-in', 'POST', '/api/auth/login', false, 401],
    ['no such route', 'GET', '/api/no-such-thing', true, 404],
  ] as const)('%s (%s %s)', async (_what, method, url, signedIn, status) => {
    const res = await app.inject({
      method,
      url,
      headers: signedIn ? { cookie: commissioner } : {},
      ...(method === 'POST' ? { payload: { username: 'gp', password: 'wrong' } } : {}),
    });
    expect(res.statusCode).toBe(status);
    expect(res.headers['cache-control']).toBe('no-store');
  });

  it('but not on the web app’s page, which holds no data and is revalidated on every load', async () => {
    const res = await app.inject({ url: '/payments' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/html');
    expect(res.headers['cache-control']).toMatch(/max-age=0|no-cache/);
  });
});

describe('source maps', () => {
  it('are not in the production build', () => {
    const assets = join(import.meta.dirname, '../../dist/web/assets');
    expect(existsSync(assets), 'run npm run build first (npm test does)').toBe(true);
    const files = readdirSync(assets);
    expect(files.some((f) => f.endsWith('.js'))).toBe(true);
    expect(files.filter((f) => f.endsWith('.map'))).toEqual([]);
    for (const f of files.filter((f) => f.endsWith('.js') || f.endsWith('.css')))
      expect(readFileSync(join(assets, f), 'utf8')).not.toContain('sourceMappingURL');
  });

  it('are never served, even when a build left one in the web folder; a missing asset is a 404, not the app', async () => {
    const webDir = mkdtempSync(join(tmpdir(), 'dashboard-web-'));
    mkdirSync(join(webDir, 'assets'));
    writeFileSync(join(webDir, 'index.html'), '<!doctype html><title>app</title>');
    writeFileSync(join(webDir, 'assets', 'index-abc.js'), 'console.log(1);\n//# sourceMappingURL=index-abc.js.map');
    writeFileSync(join(webDir, 'assets', 'index-abc.js.map'), '{"version":3,"sources":["../../web/src/secret.ts"]}');
    const app = await makeApp({ webDir, demo: false });
    try {
      expect((await app.inject({ url: '/assets/index-abc.js' })).statusCode).toBe(200);
      for (const url of [
        '/assets/index-abc.js.map',
        '/assets/INDEX-ABC.JS.MAP',
        '/assets/index-abc.js.map?x=1',
        '/assets/missing.js',
      ]) {
        const res = await app.inject({ url });
        expect(res.statusCode, url).toBe(404);
        expect(res.body).not.toContain('secret.ts');
        expect(res.json().error.code).toBe('not-found');
      }
      expect((await app.inject({ url: '/uploads' })).body).toContain('<title>app</title>');
    } finally {
      await app.close();
      rmSync(webDir, { recursive: true, force: true });
    }
  });
});

describe('the general API rate limit (@fastify/rate-limit)', () => {
  it('defaults to 600 requests a minute per client, configurable', () => {
    expect(readConfig({})).toMatchObject({ apiRateLimit: 600, apiRateLimitWindowSeconds: 60 });
    expect(readConfig({ API_RATE_LIMIT: '0', API_RATE_LIMIT_WINDOW_SECONDS: '300' })).toMatchObject({
      apiRateLimit: 0,
      apiRateLimitWindowSeconds: 300,
    });
    expect(() => readConfig({ API_RATE_LIMIT: 'lots' })).toThrow(/API_RATE_LIMIT must be a whole number/);
  });

  it('counts each signed-in user on their own, and each address for requests without a session', async () => {
    // An hour-long window: the test cannot pass or fail by how fast it runs.
    const app = await makeApp({ apiRateLimit: 5, apiRateLimitWindowSeconds: 3600 });
    try {
      const gp = await signIn(app, 'gp'); // two sign-ins from 127.0.0.1 count for that address
      const manager = await signIn(app, 'manager');
      const me = (cookie: string) => app.inject({ url: '/api/auth/me', headers: { cookie } });
      for (let i = 0; i < 5; i++) expect((await me(gp)).statusCode).toBe(200);
      const refused = await me(gp);
      expect(refused.statusCode).toBe(429);
      expect(refused.json().error).toMatchObject({
        code: 'too-many-requests',
        message: expect.stringContaining('from your account'),
      });
      expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
      expect(refused.headers['cache-control']).toBe('no-store');
      // The same address, another user: their own allowance (a meeting room behind one address).
      for (let i = 0; i < 5; i++) expect((await me(manager)).statusCode).toBe(200);
      // Without a session, by address: 127.0.0.1 has used 2 of its 5.
      for (let i = 0; i < 3; i++) expect((await app.inject({ url: '/api/status' })).statusCode).toBe(200);
      const anonymous = await app.inject({ url: '/api/status' });
      expect(anonymous.statusCode).toBe(429);
      expect(anonymous.json().error.message).toContain('from this address');
      expect((await app.inject({ url: '/api/status', remoteAddress: '10.4.4.4' })).statusCode).toBe(200);
      // The web app's pages are not counted.
      const page = await app.inject({ url: '/overview' });
      expect(page.statusCode).toBe(200);
      expect(page.headers['x-ratelimit-limit']).toBeUndefined();
    } finally {
      await app.close();
    }
  });

  it('is off with a limit of 0', async () => {
    const app = await makeApp({ apiRateLimit: 0, demo: false });
    try {
      for (let i = 0; i < 20; i++) expect((await app.inject({ url: '/api/status' })).statusCode).toBe(200);
      expect((await app.inject({ url: '/api/status' })).headers['x-ratelimit-limit']).toBeUndefined();
    } finally {
      await app.close();
    }
  });
});
