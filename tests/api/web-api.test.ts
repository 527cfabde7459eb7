/**
 * What the web app reads instead of working it out itself (issue 10, item 4): each person's capabilities,
 * contract years with their months and what may be done with them now, payment totals over the networks
 * returned, the audit action list, the roles, domain names beside domain codes, and typed upload summaries.
 * Each is checked against the rule the server enforces: what a capability or `canSignOff` says is what the
 * request then gets.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DOMAIN_NAMES } from '../../server/domain/catalogue';
import { makeApp, signIn, upload } from '../helpers/app';

const MONTHS_2025_26 = [
  '2025-04',
  '2025-05',
  '2025-06',
  '2025-07',
  '2025-08',
  '2025-09',
  '2025-10',
  '2025-11',
  '2025-12',
  '2026-01',
  '2026-02',
  '2026-03',
];

describe('what the web app reads from the server', () => {
  let app: FastifyInstance;
  const cookies: Record<string, string> = {};
  const get = async (who: string, url: string) => {
    const res = await app.inject({ url, headers: { cookie: cookies[who]! } });
    return { status: res.statusCode, body: res.json() };
  };
  beforeAll(async () => {
    app = await makeApp();
    for (const who of ['admin', 'commissioner', 'manager', 'gp']) cookies[who] = await signIn(app, who);
  });
  afterAll(() => app.close());

  it('sign-in and /api/auth/me give the capabilities the navigation is built from', async () => {
    const login = await app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username: 'manager', password: 'demo-manager' },
    });
    expect(login.json()).toEqual({
      username: 'manager',
      role: 'manager',
      networkCode: 'N1',
      capabilities: {
        screens: ['overview', 'learning-set', 'practice', 'payments', 'uploads'],
        upload: true,
        viewUploads: true,
        viewPayments: true,
        signOff: false,
        reopen: false,
        administer: false,
        readAudit: false,
        writeLearningLoop: true,
      },
    });
    const screens: Record<string, string[]> = {
      admin: ['overview', 'learning-set', 'practice', 'payments', 'uploads', 'audit', 'admin'],
      commissioner: ['overview', 'learning-set', 'practice', 'payments', 'uploads', 'audit'],
      manager: ['overview', 'learning-set', 'practice', 'payments', 'uploads'],
      gp: ['overview', 'learning-set', 'practice'],
    };
    for (const [who, expected] of Object.entries(screens)) {
      expect((await get(who, '/api/auth/me')).body.capabilities.screens).toEqual(expected);
    }
  });

  it('each capability matches what the matching route answers that person', async () => {
    const probes: [string, (status: number) => boolean, string][] = [
      ['viewPayments', (s) => s === 200, '/api/payments?year=2025-26'],
      ['viewUploads', (s) => s === 200, '/api/submissions'],
      ['readAudit', (s) => s === 200, '/api/audit'],
      ['administer', (s) => s === 200, '/api/users'],
      ['upload', (s) => s === 200, '/api/templates/long'],
    ];
    for (const who of ['admin', 'commissioner', 'manager', 'gp']) {
      const caps = (await get(who, '/api/auth/me')).body.capabilities;
      for (const [capability, allowed, url] of probes) {
        const res = await app.inject({ url, headers: { cookie: cookies[who]! } });
        expect([who, capability, allowed(res.statusCode)]).toEqual([who, capability, caps[capability]]);
      }
      const note = await app.inject({
        method: 'POST',
        url: '/api/annotations',
        headers: { cookie: cookies[who]! },
        payload: { network: 'N1', indicator: 'DM-BP', period: '2026-09', text: `note by ${who}` },
      });
      expect([who, 'writeLearningLoop', note.statusCode === 201]).toEqual([
        who,
        'writeLearningLoop',
        caps.writeLearningLoop,
      ]);
    }
  });

  it('contract years carry their months, whether they ended, which one the screens open on, and canSignOff/canReopen', async () => {
    const years = (await get('commissioner', '/api/contract-years')).body;
    expect(years.map((y: { code: string }) => y.code)).toEqual(['2025-26', '2026-27']);
    expect(years[0]).toMatchObject({
      code: '2025-26',
      periods: MONTHS_2025_26,
      ended: true,
      canSignOff: true,
      canReopen: false,
      isDefault: false,
    });
    // The tests' clock is November 2026 and the latest figures are for October 2026.
    expect(years[1]).toMatchObject({
      code: '2026-27',
      ended: false,
      canSignOff: false,
      canReopen: false,
      isDefault: true,
    });
    expect(years[1].periods).toHaveLength(12);
    expect(years[1].periods.at(-1)).toBe('2027-03');
    for (const who of ['manager', 'gp']) {
      const theirs = (await get(who, '/api/contract-years')).body;
      expect(theirs.map((y: { canSignOff: boolean; canReopen: boolean }) => [y.canSignOff, y.canReopen])).toEqual([
        [false, false],
        [false, false],
      ]);
    }
  });

  it('canSignOff, canReopen and reasonMinLength say exactly what the sign-off and reopen requests then do', async () => {
    const fresh = await makeApp();
    try {
      const who: Record<string, string> = {
        commissioner: await signIn(fresh, 'commissioner'),
        manager: await signIn(fresh, 'manager'),
      };
      const flags = async (person: string) =>
        Object.fromEntries(
          (
            (await fresh.inject({ url: '/api/contract-years', headers: { cookie: who[person]! } })).json() as {
              code: string;
              canSignOff: boolean;
              canReopen: boolean;
            }[]
          ).map((y) => [y.code, [y.canSignOff, y.canReopen]]),
        );
      const signOff = (person: string, year: string) =>
        fresh.inject({
          method: 'POST',
          url: `/api/payments/${year}/sign-off`,
          headers: { cookie: who[person]! },
          payload: { overrideReason: 'agreed at the year-end meeting' },
        });
      const reopen = (person: string, year: string) =>
        fresh.inject({
          method: 'POST',
          url: `/api/payments/${year}/reopen`,
          headers: { cookie: who[person]! },
          payload: { reason: 'a correction to March arrived' },
        });

      expect(await flags('commissioner')).toEqual({ '2025-26': [true, false], '2026-27': [false, false] });
      expect((await signOff('commissioner', '2026-27')).json().error.code).toBe('year-not-ended');
      expect((await reopen('commissioner', '2025-26')).json().error.code).toBe('not-signed-off');
      expect((await signOff('manager', '2025-26')).statusCode).toBe(403);
      expect((await signOff('commissioner', '2025-26')).statusCode).toBe(200);

      expect(await flags('commissioner')).toEqual({ '2025-26': [false, true], '2026-27': [false, false] });
      expect(await flags('manager')).toEqual({ '2025-26': [false, false], '2026-27': [false, false] });
      expect((await signOff('commissioner', '2025-26')).json().error.code).toBe('already-signed-off');
      expect((await reopen('manager', '2025-26')).statusCode).toBe(403);
      // The shortest reason the screens accept is the shortest the server accepts.
      const years = (await fresh.inject({ url: '/api/contract-years', headers: { cookie: who.commissioner! } })).json();
      const shortest = years[0].reasonMinLength as number;
      expect(shortest).toBe(10);
      const reopenWith = (reason: string) =>
        fresh.inject({
          method: 'POST',
          url: '/api/payments/2025-26/reopen',
          headers: { cookie: who.commissioner! },
          payload: { reason },
        });
      expect((await reopenWith('x'.repeat(shortest - 1))).statusCode).toBe(400);
      expect((await reopenWith('y'.repeat(shortest))).statusCode).toBe(200);
      expect(await flags('commissioner')).toEqual({ '2025-26': [true, false], '2026-27': [false, false] });
    } finally {
      await fresh.close();
    }
  });

  it('payment totals, the prospective part included, are sums over the networks returned', async () => {
    type Network = {
      code: string;
      contractValuePence: number;
      prospectivePence: number;
      retrospectivePotPence: number;
      earnedPence: number;
      heldPence: number;
      releasablePence: number;
    };
    const sums = (networks: Network[]) => ({
      contractValuePence: networks.reduce((s, n) => s + n.contractValuePence, 0),
      prospectivePence: networks.reduce((s, n) => s + n.prospectivePence, 0),
      retrospectivePotPence: networks.reduce((s, n) => s + n.retrospectivePotPence, 0),
      earnedPence: networks.reduce((s, n) => s + n.earnedPence, 0),
      heldPence: networks.reduce((s, n) => s + n.heldPence, 0),
      releasablePence: networks.reduce((s, n) => s + n.releasablePence, 0),
    });
    const all = (await get('commissioner', '/api/payments?year=2025-26')).body;
    expect(all.networks).toHaveLength(8);
    expect(all.totals).toEqual(sums(all.networks));
    expect(all.totals.prospectivePence).toBe(all.totals.contractValuePence - all.totals.retrospectivePotPence);
    // A network manager's response holds their own network, and so do its totals.
    const mine = (await get('manager', '/api/payments?year=2025-26')).body;
    expect(mine.networks.map((n: Network) => n.code)).toEqual(['N1']);
    const n1 = all.networks.find((n: Network) => n.code === 'N1');
    expect(mine.totals).toEqual(sums([n1]));
  });

  it('the audit action list is what the log records, with labels, for those who may read the log', async () => {
    const list = (await get('commissioner', '/api/audit/actions')).body as {
      action: string;
      label: string;
      problem: boolean;
    }[];
    expect(list.length).toBeGreaterThan(30);
    expect(list).toContainEqual({ action: 'sign-in', label: 'Signed in', problem: false });
    // The actions the audit screen flags: every refusal, failure and upload cut short, and nothing else.
    expect(list.filter((a) => a.problem).map((a) => a.action)).toEqual([
      'sign-in-failed',
      'sign-in-throttled',
      'password-change-failed',
      'password-change-throttled',
      'upload-rejected',
      'upload-interrupted',
      'upload-failed',
      'reference-rejected',
      'reference-interrupted',
      'reference-failed',
    ]);
    expect(list.every((a) => a.label.length > 0)).toBe(true);
    // Every action written so far in this database is in the list.
    const written = (await app.db.selectFrom('audit_log').select('action').distinct().execute()).map((r) => r.action);
    expect(written).toContain('sign-in');
    for (const action of written) expect(list.map((a) => a.action)).toContain(action);
    expect((await get('gp', '/api/audit/actions')).status).toBe(403);
    expect((await get('manager', '/api/audit/actions')).status).toBe(403);
  });

  it("each user carries the admin-access lock the server would refuse a change by (the admin's own account)", async () => {
    const users = (await get('admin', '/api/users')).body as {
      id: number;
      username: string;
      adminLock: string | null;
    }[];
    const own = users.find((u) => u.username === 'admin');
    expect(own?.adminLock).toBe('You cannot remove your own admin access or disable yourself; ask another admin.');
    expect(users.filter((u) => u.adminLock !== null).map((u) => u.username)).toEqual(['admin']);
    const refused = await app.inject({
      method: 'PATCH',
      url: `/api/users/${own?.id}`,
      headers: { cookie: cookies.admin! },
      payload: { disabled: true },
    });
    expect(refused.statusCode).toBe(409);
    expect(refused.json().error.message).toBe(own?.adminLock);
  });

  it('the roles list says which roles belong to a network, for admins', async () => {
    expect((await get('admin', '/api/roles')).body).toEqual([
      { role: 'admin', label: 'Admin', needsNetwork: false },
      { role: 'commissioner', label: 'Commissioner', needsNetwork: false },
      { role: 'manager', label: 'Network manager', needsNetwork: true },
      { role: 'gp', label: 'GP / clinician', needsNetwork: true },
    ]);
    expect((await get('commissioner', '/api/roles')).status).toBe(403);
  });

  it('domain names come beside domain codes wherever a screen shows them', async () => {
    const attainment = (await get('gp', '/api/attainment?network=N1')).body;
    expect(attainment.domains.map((d: { code: string; name: string }) => [d.code, d.name])).toEqual(
      ['DM', 'CVD', 'COPD', 'IMM', 'EOL', 'DA'].map((c) => [c, DOMAIN_NAMES[c as keyof typeof DOMAIN_NAMES]]),
    );
    expect(attainment.domains.find((d: { code: string }) => d.code === 'EOL').name).toBe('End-of-life care');
    for (const d of attainment.domains) {
      const own = attainment.indicators.filter((i: { domain: string }) => i.domain === d.code);
      expect(d.total).toBe(own.length);
      expect(d.met).toBe(own.filter((i: { met: boolean }) => i.met).length);
      expect(['met', 'not-met', 'incomplete', 'not-applicable']).toContain(d.status);
    }
    expect(attainment.indicators.find((i: { code: string }) => i.code === 'EOL-REG').domainName).toBe(
      'End-of-life care',
    );
    const series = (await get('gp', '/api/series?network=N1&indicator=EOL-REG')).body;
    expect(series.indicators[0]).toMatchObject({ code: 'EOL-REG', domain: 'EOL', domainName: 'End-of-life care' });
    const practice = (await get('gp', '/api/practices/Z00001/series')).body;
    expect(practice.indicators.find((i: { code: string }) => i.code === 'DA-BI')).toMatchObject({
      domain: 'DA',
      domainName: 'Drug and alcohol',
    });
  });

  it('an upload summary says which kind of upload it was, typed field by field', async () => {
    const res = await upload(app, cookies.manager!, {
      name: 'n1.csv',
      content: 'period,practice_code,indicator_code,numerator,denominator\n2026-10,Z00001,DM-BP,500,760\n',
    });
    expect(res.statusCode).toBe(201);
    const detail = (await get('manager', `/api/submissions/${res.json().id}`)).body;
    expect(detail.summary).toMatchObject({
      kind: 'observations',
      id: res.json().id,
      status: 'accepted',
      format: 'long',
      rows: 1,
      periods: ['2026-10'],
    });
    const listed = (await get('admin', '/api/submissions?limit=500')).body as {
      kind: string;
      status: string;
      summary: { kind: string } | null;
    }[];
    const reference = listed.find((s) => s.kind === 'reference' && s.status === 'accepted');
    expect(reference?.summary).toMatchObject({ kind: 'reference', status: 'accepted', format: 'template' });
    expect(listed.filter((s) => s.status !== 'accepted').every((s) => s.summary === null)).toBe(true);
  });
});
