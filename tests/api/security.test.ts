/** Sign-in, sessions, roles, cross-site protection, security headers, audit and export hardening (SPEC section 8). */
import Papa from 'papaparse';
import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeApp, signIn, upload, TEST_NOW } from '../helpers/app';
import { testOne, testQuery } from '../helpers/db';

const ORIGIN = 'http://localhost:80';

describe('what each role may do', () => {
  let app: FastifyInstance;
  const cookies: Record<string, string> = {};
  beforeEach(async () => {
    app = await makeApp();
    for (const who of ['admin', 'commissioner', 'manager', 'gp']) cookies[who] = await signIn(app, who);
    cookies.anonymous = '';
  });
  afterEach(() => app.close());

  const csv = {
    name: 'x.csv',
    content: 'period,practice_code,indicator_code,numerator,denominator\n2026-10,Z00001,DM-BP,500,760\n',
  };
  // [family, request, expected status per role: admin, commissioner, manager, gp, anonymous]
  const MATRIX: [string, (c: string) => Promise<{ statusCode: number }>, number[]][] = [
    [
      'read own network attainment',
      (c) => app.inject({ url: '/api/attainment?network=N1', headers: { cookie: c } }),
      [200, 200, 200, 200, 401],
    ],
    [
      'read another network attainment',
      (c) => app.inject({ url: '/api/attainment?network=N2', headers: { cookie: c } }),
      [200, 200, 403, 200, 401],
    ],
    ['list networks', (c) => app.inject({ url: '/api/networks', headers: { cookie: c } }), [200, 200, 200, 200, 401]],
    [
      'contract years',
      (c) => app.inject({ url: '/api/contract-years', headers: { cookie: c } }),
      [200, 200, 200, 200, 401],
    ],
    ['upload figures', (c) => upload(app, c, csv), [201, 403, 201, 403, 401]],
    [
      'list submissions',
      (c) => app.inject({ url: '/api/submissions', headers: { cookie: c } }),
      [200, 200, 200, 403, 401],
    ],
    ['templates', (c) => app.inject({ url: '/api/templates/long', headers: { cookie: c } }), [200, 403, 200, 403, 401]],
    [
      'payments',
      (c) => app.inject({ url: '/api/payments?year=2025-26', headers: { cookie: c } }),
      [200, 200, 200, 403, 401],
    ],
    [
      'payments CSV',
      (c) => app.inject({ url: '/api/payments.csv?year=2025-26', headers: { cookie: c } }),
      [200, 200, 200, 403, 401],
    ],
    [
      'reopen a year (not signed off: 409 once allowed)',
      (c) =>
        app.inject({
          method: 'POST',
          url: '/api/payments/2025-26/reopen',
          headers: { cookie: c },
          payload: { reason: 'checking who may do this' },
        }),
      [409, 409, 403, 403, 401],
    ],
    [
      'sign off a year that has not ended (409 once allowed)',
      (c) => app.inject({ method: 'POST', url: '/api/payments/2026-27/sign-off', headers: { cookie: c }, payload: {} }),
      [409, 409, 403, 403, 401],
    ],
    [
      'load a practice listing',
      (c) =>
        upload(
          app,
          c,
          { name: 'p.csv', content: 'network_code,network_name,practice_code,practice_name\n' },
          {},
          '/api/reference/practices',
        ),
      [422, 403, 403, 403, 401],
    ],
    ['list users', (c) => app.inject({ url: '/api/users', headers: { cookie: c } }), [200, 403, 403, 403, 401]],
    [
      'create a user',
      (c) =>
        app.inject({
          method: 'POST',
          url: '/api/users',
          headers: { cookie: c },
          payload: {
            username: `u${Math.random().toString(36).slice(2, 8)}`,
            password: 'a long password',
            role: 'gp',
            networkCode: 'N2',
          },
        }),
      [201, 403, 403, 403, 401],
    ],
    [
      'contract year rules',
      (c) => app.inject({ url: '/api/contract-years/2025-26/rules', headers: { cookie: c } }),
      [200, 200, 403, 403, 401],
    ],
    [
      'practices and memberships',
      (c) => app.inject({ url: '/api/practices', headers: { cookie: c } }),
      [200, 403, 403, 403, 401],
    ],
    ['audit log', (c) => app.inject({ url: '/api/audit', headers: { cookie: c } }), [200, 200, 403, 403, 401]],
  ];

  it.each(MATRIX)('%s', async (_family, call, expected) => {
    const got: number[] = [];
    for (const who of ['admin', 'commissioner', 'manager', 'gp', 'anonymous'])
      got.push((await call(cookies[who]!)).statusCode);
    expect(got).toEqual(expected);
  });

  it('refusals use the error shape: 401 not-signed-in, 403 forbidden', async () => {
    expect((await app.inject({ url: '/api/users' })).json()).toEqual({
      error: { code: 'not-signed-in', message: 'Sign in to use this.', details: [] },
    });
    expect((await app.inject({ url: '/api/users', headers: { cookie: cookies.gp } })).json()).toEqual({
      error: { code: 'forbidden', message: expect.stringContaining('Your role (gp) cannot do this'), details: [] },
    });
  });

  it("a network manager's payments show only their network", async () => {
    const p = (await app.inject({ url: '/api/payments?year=2025-26', headers: { cookie: cookies.manager } })).json();
    expect(p.networks.map((n: { code: string }) => n.code)).toEqual(['N1']);
  });
});

describe('sessions', () => {
  let app: FastifyInstance;
  let clock: Date;
  beforeEach(async () => {
    clock = new Date(TEST_NOW);
    app = await makeApp({ now: () => clock });
  });
  afterEach(() => app.close());
  const me = (cookie: string) => app.inject({ url: '/api/auth/me', headers: { cookie } });
  const later = (minutes: number) => (clock = new Date(clock.getTime() + minutes * 60_000));

  it('sets an HttpOnly, SameSite=Strict cookie holding an opaque id; the database keeps only its hash', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username: 'gp', password: 'demo-gp' },
    });
    const cookie = res.cookies[0]!;
    expect(cookie).toMatchObject({ name: 'fd_session', httpOnly: true, sameSite: 'Strict', path: '/' });
    expect(cookie.value).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const stored = (await testQuery(app, 'SELECT id_hash FROM sessions')) as { id_hash: string }[];
    expect(stored.map((s) => s.id_hash)).not.toContain(cookie.value);
  });

  it('ends after 30 idle minutes', async () => {
    const cookie = await signIn(app, 'gp');
    later(29);
    expect((await me(cookie)).statusCode).toBe(200);
    later(29);
    expect((await me(cookie)).statusCode).toBe(200); // activity 29 minutes ago
    later(31);
    expect((await me(cookie)).statusCode).toBe(401);
    later(1);
    expect((await me(cookie)).statusCode).toBe(401);
  });

  it('ends 12 hours after sign-in however active', async () => {
    const cookie = await signIn(app, 'gp');
    for (let i = 0; i < 35; i++) {
      later(20);
      expect((await me(cookie)).statusCode).toBe(200);
    }
    later(20); // 12 h 0 min
    later(1);
    expect((await me(cookie)).statusCode).toBe(401);
  });

  it('sign-out ends the session on the server, not only in the browser', async () => {
    const cookie = await signIn(app, 'gp');
    const out = await app.inject({ method: 'POST', url: '/api/auth/logout', headers: { cookie } });
    expect(out.statusCode).toBe(204);
    expect(out.cookies[0]).toMatchObject({ name: 'fd_session', value: '' });
    expect((await me(cookie)).statusCode).toBe(401);
  });

  it('a disabled user is signed out everywhere and cannot sign in; enabling them again lets them', async () => {
    const gp = await signIn(app, 'gp');
    const admin = await signIn(app, 'admin');
    const id = ((await testOne(app, "SELECT id FROM users WHERE username = 'gp'")) as { id: number }).id;
    const res = await app.inject({
      method: 'PATCH',
      url: `/api/users/${id}`,
      headers: { cookie: admin },
      payload: { disabled: true },
    });
    expect(res.json()).toMatchObject({ username: 'gp', disabled: true });
    expect((await me(gp)).statusCode).toBe(401);
    expect(
      (await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'gp', password: 'demo-gp' } }))
        .statusCode,
    ).toBe(401);
    await app.inject({
      method: 'PATCH',
      url: `/api/users/${id}`,
      headers: { cookie: admin },
      payload: { disabled: false },
    });
    expect(
      (await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'gp', password: 'demo-gp' } }))
        .statusCode,
    ).toBe(200);
  });

  it('a password reset ends the user’s sessions and the new password works', async () => {
    const gp = await signIn(app, 'gp');
    const admin = await signIn(app, 'admin');
    const id = ((await testOne(app, "SELECT id FROM users WHERE username = 'gp'")) as { id: number }).id;
    expect(
      (
        await app.inject({
          method: 'POST',
          url: `/api/users/${id}/password`,
          headers: { cookie: admin },
          payload: { password: 'a brand new password' },
        })
      ).statusCode,
    ).toBe(204);
    expect((await me(gp)).statusCode).toBe(401);
    await signIn(app, 'gp', 'a brand new password');
  });
});

describe('failed sign-ins are rate-limited', () => {
  let app: FastifyInstance;
  let clock: Date;
  beforeEach(async () => {
    clock = new Date(TEST_NOW);
    app = await makeApp({ now: () => clock });
  });
  afterEach(() => app.close());
  const login = (username: string, password: string, ip = '10.0.0.1') =>
    app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password }, remoteAddress: ip });

  it('per username: after 5 failures even the right password is refused for 15 minutes', async () => {
    for (let i = 0; i < 5; i++) expect((await login('manager', 'wrong')).statusCode).toBe(401);
    const blocked = await login('manager', 'demo-manager');
    expect(blocked.statusCode).toBe(429);
    expect(blocked.headers['retry-after']).toBe('900');
    expect(blocked.json().error.message).toMatch(/Wait up to 15 minutes/);
    expect((await login('MANAGER', 'demo-manager', '10.0.0.2')).statusCode).toBe(429); // usernames are not case-sensitive
    expect((await login('gp', 'demo-gp')).statusCode).toBe(200); // other users are unaffected
    clock = new Date(clock.getTime() + 16 * 60_000);
    expect((await login('manager', 'demo-manager')).statusCode).toBe(200);
  });

  it('per address: after 20 failures from one address, sign-in from it is refused', async () => {
    for (let i = 0; i < 20; i++) expect((await login(`nobody${i}`, 'wrong', '10.9.9.9')).statusCode).toBe(401);
    expect((await login('gp', 'demo-gp', '10.9.9.9')).statusCode).toBe(429);
    expect((await login('gp', 'demo-gp', '10.9.9.10')).statusCode).toBe(200);
  });
});

describe('cross-site requests and security headers', () => {
  let app: FastifyInstance;
  beforeEach(async () => {
    app = await makeApp();
  });
  afterEach(() => app.close());

  it('refuses a state-changing request from a foreign origin with 403, and changes nothing', async () => {
    const cookie = await signIn(app, 'commissioner');
    for (const headers of [
      { origin: 'https://evil.example' },
      { 'sec-fetch-site': 'cross-site' },
      { 'sec-fetch-site': 'same-site' },
      { origin: 'null' },
    ]) {
      const res = await app.inject({
        method: 'POST',
        url: '/api/payments/2025-26/sign-off',
        headers: { cookie, ...headers },
        payload: {},
      });
      expect(res.statusCode).toBe(403);
      expect(res.json().error.code).toBe('cross-site');
    }
    const login = await app.inject({
      method: 'POST',
      url: '/api/auth/login',
      headers: { origin: 'https://evil.example' },
      payload: { username: 'gp', password: 'demo-gp' },
    });
    expect(login.statusCode).toBe(403);
    expect(await testOne(app, "SELECT locked_at FROM contract_years WHERE code = '2025-26'")).toEqual({
      locked_at: null,
    });
    // The product's own pages (same origin) and non-browser clients pass.
    const ok = await app.inject({
      method: 'POST',
      url: '/api/payments/2025-26/sign-off',
      headers: { cookie, origin: ORIGIN, host: 'localhost:80', 'sec-fetch-site': 'same-origin' },
      payload: {},
    });
    expect(ok.statusCode).toBe(200);
  });

  it('sends a content security policy, nosniff and a referrer policy, on pages and API answers', async () => {
    for (const url of ['/', '/api/status']) {
      const res = await app.inject({ url });
      const csp = String(res.headers['content-security-policy']);
      expect(csp).toContain("default-src 'self'");
      expect(csp).toContain("script-src 'self'");
      expect(csp).toContain("object-src 'none'");
      expect(csp).toContain("base-uri 'none'");
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).not.toContain('unsafe-inline');
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['referrer-policy']).toBe('same-origin');
    }
  });

  it('a server error says nothing about internals', async () => {
    const cookie = await signIn(app, 'admin');
    await app.db.destroy(); // the database vanishes under the running server
    const res = await app.inject({ url: '/api/users', headers: { cookie } });
    expect(res.statusCode).toBe(500);
    expect(res.json().error.code).toBe('internal');
    expect(res.body).not.toMatch(/sqlite|database|connection|stack|\.ts/i);
    expect(res.json().error.message).toMatch(/quote reference/);
  });
});

describe('the audit log', () => {
  it('records every kind of action with who, what, when and from where, and never a password', async () => {
    const app = await makeApp();
    try {
      const passwords = [
        'demo-admin',
        'demo-manager',
        'demo-commissioner',
        'wrong-password-123',
        'a new long password',
        'brand new user password',
      ];
      await app.inject({
        method: 'POST',
        url: '/api/auth/login',
        payload: { username: 'manager', password: 'wrong-password-123' },
        remoteAddress: '10.1.2.3',
      });
      const admin = await signIn(app, 'admin');
      const manager = await signIn(app, 'manager');
      const commissioner = await signIn(app, 'commissioner');
      await upload(app, manager, {
        name: 'ok.csv',
        content: 'period,practice_code,indicator_code,numerator,denominator\n2026-10,Z00001,DM-BP,500,760\n',
      });
      await upload(app, manager, {
        name: 'bad.csv',
        content: 'period,practice_code,indicator_code,numerator,denominator\n2026-10,Z00001,DM-BP,900,760\n',
      });
      const created = await app.inject({
        method: 'POST',
        url: '/api/users',
        headers: { cookie: admin },
        payload: { username: 'newgp', password: 'brand new user password', role: 'gp', networkCode: 'N3' },
      });
      await app.inject({
        method: 'POST',
        url: `/api/users/${created.json().id}/password`,
        headers: { cookie: admin },
        payload: { password: 'a new long password' },
      });
      await app.inject({
        method: 'PATCH',
        url: `/api/users/${created.json().id}`,
        headers: { cookie: admin },
        payload: { disabled: true },
      });
      await app.inject({
        method: 'PUT',
        url: '/api/contract-years/2026-27/rules',
        headers: { cookie: admin },
        payload: {
          retrospectiveShareBp: 3000,
          domainRule: 'per-indicator',
          domains: [],
          indicators: [{ code: 'DM-BP', targetBp: 7200, lowerBp: 5000, mode: 'sliding', weight: 2 }],
          contractValues: [],
        },
      });
      await app.inject({
        method: 'POST',
        url: '/api/memberships',
        headers: { cookie: admin },
        payload: { practiceCode: 'Z00008', networkCode: 'N1', fromPeriod: '2026-11' },
      });
      await app.inject({
        method: 'POST',
        url: '/api/payments/2025-26/sign-off',
        headers: { cookie: commissioner },
        payload: {},
      });
      await app.inject({
        method: 'POST',
        url: '/api/payments/2025-26/reopen',
        headers: { cookie: commissioner },
        payload: { reason: 'a correction is coming' },
      });
      await app.inject({ method: 'POST', url: '/api/auth/logout', headers: { cookie: manager } });

      const entries = (await app.inject({ url: '/api/audit?limit=100', headers: { cookie: admin } })).json() as {
        at: string;
        username: string;
        action: string;
        ip: string;
        detail: Record<string, unknown>;
      }[];
      const actions = entries.map((e) => e.action).reverse();
      expect(actions).toEqual([
        'sign-in-failed',
        'sign-in',
        'sign-in',
        'sign-in',
        'upload-accepted',
        'upload-rejected',
        'user-created',
        'password-reset',
        'user-disabled',
        'contract-year-updated',
        'membership-changed',
        'sign-off',
        'reopen',
        'sign-out',
      ]);
      const failed = entries.find((e) => e.action === 'sign-in-failed')!;
      expect(failed).toMatchObject({ username: 'manager', ip: '10.1.2.3', detail: { reason: 'wrong password' } });
      expect(entries.every((e) => e.at === TEST_NOW.toISOString())).toBe(true);
      const change = entries.find((e) => e.action === 'contract-year-updated')!;
      expect(change.detail).toMatchObject({
        code: '2026-27',
        changes: {
          domainRule: { from: 'all-indicators', to: 'per-indicator' },
          'indicator DM-BP': {
            from: { targetBp: 7000, mode: 'threshold', weight: 1 },
            to: { targetBp: 7200, mode: 'sliding', weight: 2 },
          },
        },
      });
      expect(entries.find((e) => e.action === 'upload-rejected')!.detail).toMatchObject({
        filename: 'bad.csv',
        errorCount: 1,
      });

      const everything = JSON.stringify(await testQuery(app, 'SELECT * FROM audit_log'));
      for (const p of passwords) expect(everything).not.toContain(p);
      // Filters: by action and by user.
      const signOffs = (
        await app.inject({ url: '/api/audit?action=sign-off', headers: { cookie: commissioner } })
      ).json();
      expect(signOffs.map((e: { username: string }) => e.username)).toEqual(['commissioner']);
      const fromDay = (await app.inject({ url: '/api/audit?from=2026-11-22', headers: { cookie: admin } })).json();
      expect(fromDay).toEqual([]);
      // Append-only in the database too.
      await expect(testQuery(app, 'DELETE FROM audit_log')).rejects.toThrow(/append-only/);
      await expect(testQuery(app, "UPDATE audit_log SET action = 'x'")).rejects.toThrow(/append-only/);
    } finally {
      await app.close();
    }
  });
});

describe('admin validation', () => {
  let app: FastifyInstance;
  let admin: string;
  beforeEach(async () => {
    app = await makeApp();
    admin = await signIn(app, 'admin');
  });
  afterEach(() => app.close());
  const put = (code: string, body: Record<string, unknown>) =>
    app.inject({ method: 'PUT', url: `/api/contract-years/${code}/rules`, headers: { cookie: admin }, payload: body });
  const base = { retrospectiveShareBp: 3000, domainRule: 'all-indicators', indicators: [], contractValues: [] };

  it('refuses shares that do not add up to 100% and a lower threshold above the target, changing nothing', async () => {
    const before = (await app.inject({ url: '/api/contract-years/2026-27/rules', headers: { cookie: admin } })).json();
    // The rules say what the shares must add up to, so the form judges its running total by the server's rule.
    expect(before.domainSharesTotalBp).toBe(10000);
    const shares = await put('2026-27', { ...base, domains: [{ code: 'DM', shareBp: 2500 }] });
    expect(shares.statusCode).toBe(422);
    expect(shares.json().error.message).toContain('add up to 105.00%');
    const lower = await put('2026-27', {
      ...base,
      domains: [],
      indicators: [{ code: 'DM-BP', targetBp: 7000, lowerBp: 7500, mode: 'threshold', weight: 1 }],
    });
    expect(lower.statusCode).toBe(422);
    expect(lower.json().error.message).toContain('DM-BP: the lower threshold (75%) is above the target (70%)');
    const sliding = await put('2026-27', {
      ...base,
      domains: [],
      indicators: [{ code: 'DM-BP', targetBp: 7000, lowerBp: null, mode: 'sliding', weight: 1 }],
    });
    expect(sliding.json().error.message).toContain('sliding mode needs a lower threshold');
    expect((await app.inject({ url: '/api/contract-years/2026-27/rules', headers: { cookie: admin } })).json()).toEqual(
      before,
    );
  });

  it('saves valid changes, including contract values, and refuses any change to a signed-off year', async () => {
    const ok = await put('2026-27', {
      ...base,
      domains: [
        { code: 'DM', shareBp: 1500 },
        { code: 'EOL', shareBp: 1500 },
      ],
      contractValues: [{ network: 'N1', valuePence: 26_000_000 }],
    });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json().domains.find((d: { code: string }) => d.code === 'EOL').shareBp).toBe(1500);
    expect(ok.json().contractValues.find((v: { network: string }) => v.network === 'N1').valuePence).toBe(26_000_000);
    await app.inject({
      method: 'POST',
      url: '/api/payments/2025-26/sign-off',
      headers: { cookie: await signIn(app, 'commissioner') },
      payload: {},
    });
    const locked = await put('2025-26', { ...base, domains: [] });
    expect(locked.statusCode).toBe(409);
    expect(locked.json().error.code).toBe('year-locked');
  });

  it('creates a contract year by copying another, and refuses a user without the network their role needs', async () => {
    const created = await app.inject({
      method: 'POST',
      url: '/api/contract-years',
      headers: { cookie: admin },
      payload: { code: '2027-28', copyFrom: '2026-27' },
    });
    expect(created.statusCode).toBe(201);
    expect(created.json()).toMatchObject({
      code: '2027-28',
      firstPeriod: '2027-04',
      lastPeriod: '2028-03',
      locked: false,
    });
    expect(created.json().indicators).toHaveLength(22);
    expect(created.json().contractValues).toHaveLength(8);
    const noNetwork = await app.inject({
      method: 'POST',
      url: '/api/users',
      headers: { cookie: admin },
      payload: { username: 'x1', password: 'a long password', role: 'manager' },
    });
    expect(noNetwork.statusCode).toBe(400);
    expect(noNetwork.json().error.message).toContain('belongs to one network');
    const me = ((await testOne(app, "SELECT id FROM users WHERE username = 'admin'")) as { id: number }).id;
    expect(
      (
        await app.inject({
          method: 'PATCH',
          url: `/api/users/${me}`,
          headers: { cookie: admin },
          payload: { disabled: true },
        })
      ).statusCode,
    ).toBe(409);
  });
});

describe('exports that leave the network', () => {
  it('suppress small numbers on request and neutralise cells a spreadsheet would run as formulas', async () => {
    const app = await makeApp();
    try {
      const admin = await signIn(app, 'admin');
      const listing =
        'network_code,network_name,practice_code,practice_name,list_size\nN3,Market Square Network,Z00014,"=HYPERLINK(""http://evil.example"",""x"")",640\n';
      const ref = await upload(
        app,
        admin,
        { name: 'rename.csv', content: listing },
        { fromPeriod: '2026-11' },
        '/api/reference/practices',
      );
      expect(ref.statusCode, ref.body).toBe(201);
      await upload(app, admin, {
        name: 'small.csv',
        content:
          'period,practice_code,indicator_code,numerator,denominator\n2026-10,Z00014,COPD-CP,3,9\n2026-10,Z00010,COPD-CP,12,23\n',
      });
      const get = async (suppress: boolean) => {
        const res = await app.inject({
          url: `/api/attainment.csv?network=N3&period=2026-10${suppress ? '&suppress=true' : ''}`,
          headers: { cookie: admin },
        });
        return {
          raw: res.body,
          rows: Papa.parse<Record<string, string>>(res.body, { header: true, skipEmptyLines: true }).data.filter(
            (r) => r.indicator === 'COPD-CP',
          ),
        };
      };
      const exact = await get(false);
      expect(exact.rows.find((r) => r.practice === 'Z00014')).toMatchObject({
        numerator: '3',
        denominator: '9',
        rate: '0.3333',
      });
      const suppressed = await get(true);
      expect(suppressed.rows.find((r) => r.practice === 'Z00014')).toMatchObject({
        numerator: '*',
        denominator: '10',
        rate: '',
        patients_needed: '',
      });
      expect(suppressed.rows.find((r) => r.practice === 'Z00010')).toMatchObject({
        numerator: '10',
        denominator: '25',
        rate: '0.4',
      }); // from the published counts, not 12 / 23
      // The practice name starting with "=" is written as text, not a formula.
      expect(exact.rows.find((r) => r.practice === 'Z00014')!.name).toBe('\'=HYPERLINK("http://evil.example","x")');
      expect(exact.raw).not.toMatch(/(^|,)=HYPERLINK/m);
    } finally {
      await app.close();
    }
  });
});

describe('the session cookie behind TLS', () => {
  it('is Secure when COOKIE_SECURE is set, or when a trusted proxy says the request came over https', async () => {
    for (const [options, headers] of [
      [{ cookieSecure: true }, {}],
      [{ trustProxy: true }, { 'x-forwarded-proto': 'https' }],
    ] as const) {
      const app = await makeApp({ ...options });
      try {
        const res = await app.inject({
          method: 'POST',
          url: '/api/auth/login',
          headers,
          payload: { username: 'gp', password: 'demo-gp' },
        });
        expect(res.cookies[0]).toMatchObject({ name: 'fd_session', secure: true, httpOnly: true, sameSite: 'Strict' });
      } finally {
        await app.close();
      }
    }
    const plain = await makeApp();
    try {
      const res = await plain.inject({
        method: 'POST',
        url: '/api/auth/login',
        headers: { 'x-forwarded-proto': 'https' },
        payload: { username: 'gp', password: 'demo-gp' },
      });
      expect(res.cookies[0]!.secure).toBeUndefined(); // an untrusted X-Forwarded-Proto is ignored
    } finally {
      await plain.close();
    }
  });
});
