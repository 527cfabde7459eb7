/**
 * "A GP or manager never receives the codes or names of another network's practices, in any field"
 * (SPEC section 8; issue 9, finding 5). The demo GP and manager work in N1; every GET route the app serves
 * (from its own route table, so a new route is covered too) is asked for every network, at the latest
 * period and at others, and no response may carry the code or name of a practice that was never in N1,
 * except a code the request itself named (a practice page asked for by code).
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeApp, signIn, upload } from '../helpers/app';
import { testOne, testQuery } from '../helpers/db';

interface Practice {
  code: string;
  name: string;
}

/** Practices that were never a member of the network: the ones a GP or manager of it must never be told of. */
async function outsiders(app: FastifyInstance, network: string): Promise<Practice[]> {
  return (await testQuery(
    app,
    `SELECT p.code, p.name FROM practices p WHERE NOT EXISTS (
         SELECT 1 FROM memberships m JOIN networks n ON n.id = m.network_id WHERE m.practice_id = p.id AND n.code = ?)
       ORDER BY p.code`,
    [network],
  )) as Practice[];
}

/** The outsiders a response body names, leaving out any code the request named itself. */
function named(body: string, foreign: Practice[], sent: string): string[] {
  return foreign.flatMap((p) => [
    ...(body.includes(p.code) && !sent.includes(p.code) ? [p.code] : []),
    ...(body.includes(p.name) ? [p.name] : []),
  ]);
}

describe("a GP or manager never receives another network's practice codes or names", () => {
  let app: FastifyInstance;
  let foreign: Practice[];
  const cookies: Record<string, string> = {};
  beforeAll(async () => {
    app = await makeApp();
    for (const who of ['gp', 'manager', 'admin']) cookies[who] = await signIn(app, who);
    foreign = await outsiders(app, 'N1');
  });
  afterAll(() => app.close());

  it('in any GET route, for any network, period or contract year', { timeout: 120_000 }, async () => {
    expect(foreign.map((p) => p.code)).toContain('Z00017'); // N4's practice with no figures for 2026-10
    expect(foreign).toHaveLength(33);
    // The manager's own upload, so that the submission routes have something of theirs to show.
    const mine = await upload(app, cookies.manager!, {
      name: 'n1.csv',
      content: 'period,practice_code,indicator_code,numerator,denominator\n2026-10,Z00001,DM-BP,500,760\n',
    });
    expect(mine.statusCode).toBe(201);
    const seeded = ((await testOne(app, 'SELECT id FROM submissions ORDER BY id LIMIT 1')) as { id: number }).id;

    const networks = ['N1', 'N2', 'N3', 'N4', 'N5', 'N6', 'N7', 'N8'];
    const queries = [
      '',
      ...networks.flatMap((n) => [
        `?network=${n}&year=2026-27`,
        `?network=${n}&period=2025-09&year=2025-26`,
        `?network=${n}&period=2026-10&year=2026-27`,
      ]),
      '?period=2026-10',
      '?period=2025-09',
      '?year=2025-26',
      '?year=2026-27&period=2026-10',
    ];
    const allCodes = ((await testQuery(app, 'SELECT code FROM practices ORDER BY code')) as { code: string }[]).map(
      (p) => p.code,
    );
    // Another network's meeting, action and annotation naming its practice: none of it may reach N1's GP or manager.
    const admin = { cookie: cookies.admin! };
    const n4Meeting = await app.inject({
      method: 'POST',
      url: '/api/meetings',
      headers: admin,
      payload: {
        network: 'N4',
        heldOn: '2026-10-20',
        period: '2026-09',
        attendees: 'N4 learning set',
        notes: 'Z00017 to send its figures',
      },
    });
    expect(n4Meeting.statusCode).toBe(201);
    const n4Action = await app.inject({
      method: 'POST',
      url: '/api/actions',
      headers: admin,
      payload: {
        network: 'N4',
        meetingId: n4Meeting.json().id,
        practice: 'Z00017',
        text: 'Send the missing month',
        owner: 'N4 manager',
        due: '2026-11-01',
      },
    });
    expect(n4Action.statusCode).toBe(201);
    const n4Note = await app.inject({
      method: 'POST',
      url: '/api/annotations',
      headers: admin,
      payload: { network: 'N4', indicator: 'DM-BP', practice: 'Z00017', period: '2026-09', text: 'Recall drive' },
    });
    expect(n4Note.statusCode).toBe(201);
    const meetingIds = ((await testQuery(app, 'SELECT id FROM meetings ORDER BY id')) as { id: number }[]).map((m) =>
      String(m.id),
    );
    const values: Record<string, string[]> = {
      '/api/practices/:code/series': allCodes,
      '/api/submissions/:id': [String(mine.json().id), String(seeded)],
      '/api/submissions/:id/file': [String(mine.json().id), String(seeded)],
      '/api/templates/:format': ['long', 'wide', 'qof'],
      '/api/contract-years/:code/indicators': ['2025-26', '2026-27'],
      '/api/contract-years/:code/rules': ['2025-26', '2026-27'],
      '/api/meetings/:id': meetingIds,
      '/api/meetings/:id/agenda': meetingIds,
    };
    // Routes whose required query parameters the generic queries above do not give.
    const routeQueries: Record<string, string[]> = {
      '/api/peer-comparison': networks.flatMap((n) => [
        `?network=${n}&indicator=DM-CP`,
        `?network=${n}&indicator=IMM-DTAP-12M&period=2025-09&limits=adjusted`,
      ]),
    };
    const routes = app.declaredRoutes().filter((r) => r.method === 'GET' && r.url.startsWith('/api/'));
    expect(routes.length).toBeGreaterThan(20);

    let answered = 0;
    const leaks: string[] = [];
    for (const route of routes) {
      const param = route.url.match(/:([A-Za-z]+)/)?.[1];
      const paths = param ? (values[route.url] ?? []).map((v) => route.url.replace(`:${param}`, v)) : [route.url];
      expect(paths.length, `no parameter values for ${route.url}: add them to this test`).toBeGreaterThan(0);
      for (const path of paths) {
        for (const query of param ? [''] : (routeQueries[route.url] ?? queries)) {
          for (const who of ['gp', 'manager']) {
            const url = `${path}${query}`;
            const res = await app.inject({ url, headers: { cookie: cookies[who]! } });
            if (res.statusCode === 200) answered++;
            const found = named(res.body, foreign, url);
            if (found.length) leaks.push(`${who} ${url} → ${res.statusCode}: ${found.slice(0, 5).join(', ')}`);
          }
        }
      }
    }
    expect(leaks).toEqual([]);
    expect(answered).toBeGreaterThan(300); // most of these were answered, not refused
  });

  it('the same data does name them to an admin (so the check above can see them)', async () => {
    for (const url of [
      '/api/attainment?network=N4&period=2026-10',
      '/api/overview?period=2026-10',
      '/api/networks',
      '/api/submissions/missing?period=2026-10',
    ]) {
      const res = await app.inject({ url, headers: { cookie: cookies.admin! } });
      expect(named(res.body, foreign, url).length, url).toBeGreaterThan(0);
    }
  });

  it("a GP sees another network's incomplete figure as a count of missing practices", async () => {
    const res = await app.inject({
      url: '/api/attainment?network=N4&period=2026-10',
      headers: { cookie: cookies.gp! },
    });
    const incomplete = res.json().indicators.filter((i: { complete: boolean }) => !i.complete);
    expect(incomplete.length).toBeGreaterThan(0);
    for (const i of incomplete)
      expect(i).toMatchObject({ missingPractices: [], missingCount: 1, practices: [], funnel: null });
    const own = (
      await app.inject({ url: '/api/attainment?network=N4&period=2026-10', headers: { cookie: cookies.admin! } })
    ).json();
    expect(own.indicators.find((i: { complete: boolean }) => !i.complete)).toMatchObject({
      missingPractices: ['Z00017'],
      missingCount: 1,
    });
  });
});

describe('uploads tell a manager only about their own network', () => {
  it("an upload reaching back before a practice joined does not list the old network's missing practices", async () => {
    const app = await makeApp();
    try {
      const admin = await signIn(app, 'admin');
      // Z00016 moves from N4 to N1 from October 2026; N4's Z00017 has sent nothing for that month.
      const moved = await app.inject({
        method: 'POST',
        url: '/api/memberships',
        headers: { cookie: admin },
        payload: { practiceCode: 'Z00016', networkCode: 'N1', fromPeriod: '2026-10' },
      });
      expect(moved.statusCode, moved.body).toBe(200);
      const manager = await signIn(app, 'manager');
      const file =
        'period,practice_code,indicator_code,numerator,denominator\n2026-09,Z00001,DM-BP,500,760\n2026-10,Z00016,DM-BP,400,700\n';
      const res = await upload(app, manager, { name: 'n1.csv', content: file });
      expect(res.statusCode, res.body).toBe(201);
      const foreign = await outsiders(app, 'N1');
      expect(named(res.body, foreign, file)).toEqual([]);
      const stored = await app.inject({ url: `/api/submissions/${res.json().id}`, headers: { cookie: manager } });
      expect(named(stored.body, foreign, file)).toEqual([]);
      // An admin uploading the same file is told about Z00017.
      const byAdmin = await upload(app, admin, { name: 'n1.csv', content: file });
      expect(byAdmin.json().missing.map((m: { practiceCode: string }) => m.practiceCode)).toContain('Z00017');
      // A summary stored before this rule held (simulated: the admin's summary copied onto the manager's
      // upload) is cut to what the manager may see when it is read back.
      await testQuery(
        app,
        'UPDATE submissions SET summary_json = (SELECT summary_json FROM submissions WHERE id = ?) WHERE id = ?',
        [byAdmin.json().id, res.json().id],
      );
      expect(await testOne(app, 'SELECT summary_json FROM submissions WHERE id = ?', [res.json().id])).toEqual({
        summary_json: expect.stringContaining('Z00017'),
      });
      for (const url of [`/api/submissions/${res.json().id}`, '/api/submissions']) {
        const read = await app.inject({ url, headers: { cookie: manager } });
        expect(read.statusCode).toBe(200);
        expect(named(read.body, foreign, file), url).toEqual([]);
      }
    } finally {
      await app.close();
    }
  });

  it("a rejected row for another network's practice does not say which network it is in", async () => {
    const app = await makeApp();
    try {
      const manager = await signIn(app, 'manager');
      const res = await upload(app, manager, {
        name: 'n2.csv',
        content: 'period,practice_code,indicator_code,numerator,denominator\n2026-10,Z00005,DM-BP,1,2\n',
      });
      expect(res.statusCode).toBe(422);
      expect(res.json().errors[0].message).toContain('practice Z00005 is not a member of your network N1');
      expect(res.body).not.toMatch(/N2|Canal/);
      expect(named(res.body, await outsiders(app, 'N1'), 'Z00005')).toEqual([]);
    } finally {
      await app.close();
    }
  });
});
