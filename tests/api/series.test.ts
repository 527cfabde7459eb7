/** GET /api/series, /api/overview and /api/practices/:code/series on the demo data and crafted months. */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addUser, makeApp, signIn, upload } from '../helpers/app';

describe('series for the learning set', () => {
  let app: FastifyInstance;
  let gp: string;
  let admin: string;
  beforeAll(async () => {
    app = await makeApp();
    gp = await signIn(app, 'gp');
    admin = await signIn(app, 'admin');
  });
  afterAll(() => app.close());

  it("gives 19 months of N1's pooled attainment, each month checkable against /api/attainment", async () => {
    const s = (await app.inject({ url: '/api/series?network=N1&indicator=DM-BP', headers: { cookie: gp } })).json();
    expect(s).toMatchObject({ network: 'N1', networkName: 'Riverside Network' });
    const dm = s.indicators[0];
    expect(dm).toMatchObject({ code: 'DM-BP', domain: 'DM', targetBp: 7000, lowerBp: 5000, spcPoints: 19 });
    expect(dm.periods.map((p: { period: string }) => p.period)).toEqual([
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
      '2026-04',
      '2026-05',
      '2026-06',
      '2026-07',
      '2026-08',
      '2026-09',
      '2026-10',
    ]);
    for (const period of ['2025-06', '2026-03', '2026-10']) {
      const a = (await app.inject({ url: `/api/attainment?network=N1&period=${period}`, headers: { cookie: gp } }))
        .json()
        .indicators.find((i: { code: string }) => i.code === 'DM-BP');
      const p = dm.periods.find((x: { period: string }) => x.period === period);
      expect([p.numerator, p.denominator, p.complete, p.met]).toEqual([a.numerator, a.denominator, a.complete, a.met]);
    }
    // The SPC reading: one mean and one pair of limits over the 19 months, 2.66 × mean moving range apart.
    const rates = dm.periods.map((p: { rate: number }) => p.rate);
    const mean = rates.reduce((a: number, b: number) => a + b, 0) / rates.length;
    const mr =
      rates.slice(1).reduce((a: number, r: number, i: number) => a + Math.abs(r - rates[i]), 0) / (rates.length - 1);
    expect(dm.periods[0].spc.mean).toBeCloseTo(mean, 12);
    expect(dm.periods[0].spc.upperLimit).toBeCloseTo(mean + 2.66 * mr, 12);
    expect(['common-cause', 'improvement-high', 'improvement-low', 'concern-high', 'concern-low']).toContain(
      dm.variation,
    );
    expect(['pass', 'fail', 'hit-and-miss']).toContain(dm.assurance);
    expect(dm.practices.map((p: { code: string }) => p.code)).toEqual(['Z00001', 'Z00002', 'Z00003', 'Z00004']);
    expect(dm.practices[0].points).toHaveLength(19);
  });

  it('all indicators at once, in catalogue order', async () => {
    const s = (await app.inject({ url: '/api/series?network=N2', headers: { cookie: admin } })).json();
    expect(s.indicators).toHaveLength(22);
    expect(s.indicators[0].code).toBe('DM-CP');
  });

  it('marks the incomplete month, naming the missing practice, and keeps it in the SPC analysis', async () => {
    const dm = (await app.inject({ url: '/api/series?network=N4&indicator=DM-BP', headers: { cookie: admin } })).json()
      .indicators[0];
    const last = dm.periods.at(-1);
    expect(last).toMatchObject({ period: '2026-10', complete: false, met: false, missingPractices: ['Z00017'] });
    expect(last.spc.mean).toBeGreaterThan(0);
    expect(dm.spcPoints).toBe(19);
  });

  it('follows the practice that changed network: N5 loses it from October 2025, N6 gains it', async () => {
    const n5 = (await app.inject({ url: '/api/series?network=N5&indicator=DM-BP', headers: { cookie: admin } })).json()
      .indicators[0];
    expect(n5.periods.find((p: { period: string }) => p.period === '2025-09').members).toBe(5);
    expect(n5.periods.find((p: { period: string }) => p.period === '2025-10').members).toBe(4);
    const mover = n5.practices.find((p: { code: string }) => p.code === 'Z00022');
    expect(mover.points.map((p: { period: string }) => p.period)).toEqual([
      '2025-04',
      '2025-05',
      '2025-06',
      '2025-07',
      '2025-08',
      '2025-09',
    ]);
  });

  it('recalculates limits from a chosen month', async () => {
    const plain = (await app.inject({ url: '/api/series?network=N1&indicator=DM-BP', headers: { cookie: gp } })).json()
      .indicators[0];
    const recalculated = (
      await app.inject({
        url: '/api/series?network=N1&indicator=DM-BP&recalculateFrom=2026-04',
        headers: { cookie: gp },
      })
    ).json().indicators[0];
    const at = (s: { periods: { period: string; spc: { mean: number } }[] }, p: string) =>
      s.periods.find((x) => x.period === p)!.spc.mean;
    expect(at(recalculated, '2025-04')).not.toBeCloseTo(at(recalculated, '2026-04'), 6);
    expect(at(plain, '2025-04')).toBeCloseTo(at(plain, '2026-04'), 12);
  });

  it('recalculates one indicator’s limits only, and says so on that indicator', async () => {
    const get = async (q: string) =>
      (await app.inject({ url: `/api/series?network=N1${q}`, headers: { cookie: gp } })).json().indicators as {
        code: string;
        recalculatedFrom: string[];
        periods: { period: string; spc: { mean: number; upperLimit: number | null } | null }[];
      }[];
    const plain = await get('');
    const one = await get('&recalculate=DM-BP:2026-04');
    for (const before of plain) {
      const after = one.find((i) => i.code === before.code)!;
      if (before.code === 'DM-BP') {
        expect(after.recalculatedFrom).toEqual(['2026-04']);
        expect(after.periods.map((p) => p.spc)).not.toEqual(before.periods.map((p) => p.spc));
      } else {
        expect(after.recalculatedFrom, before.code).toEqual([]);
        expect(after.periods, before.code).toEqual(before.periods);
      }
    }
    // The same as recalculating DM-BP alone with recalculateFrom.
    const alone = (await get('&indicator=DM-BP&recalculateFrom=2026-04'))[0]!;
    expect(one.find((i) => i.code === 'DM-BP')!.periods).toEqual(alone.periods);
    // Two indicators, each from its own month.
    const two = await get('&recalculate=DM-BP:2026-04,CVD-HYP-BP:2026-05');
    expect(two.filter((i) => i.recalculatedFrom.length).map((i) => [i.code, i.recalculatedFrom])).toEqual([
      ['DM-BP', ['2026-04']],
      ['CVD-HYP-BP', ['2026-05']],
    ]);
    // Bad pairs and unknown indicators are refused, saying what to send.
    const bad = await app.inject({ url: '/api/series?network=N1&recalculate=DM-BP', headers: { cookie: gp } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.message).toMatch(/CODE:YYYY-MM/);
    const unknown = await app.inject({
      url: '/api/series?network=N1&recalculate=NOPE:2026-04',
      headers: { cookie: gp },
    });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().error.message).toMatch(/NOPE, not in the current catalogue/);
  });

  it('a GP sees another network without its practices; a manager may not see another network', async () => {
    const other = (await app.inject({ url: '/api/series?network=N2&indicator=DM-BP', headers: { cookie: gp } })).json();
    expect(other.indicators[0].practices).toEqual([]);
    expect(other.indicators[0].periods).toHaveLength(19);
    expect(
      (await app.inject({ url: '/api/series?network=N2', headers: { cookie: await signIn(app, 'manager') } }))
        .statusCode,
    ).toBe(403);
    expect(
      (await app.inject({ url: '/api/series?network=N1&indicator=NOPE', headers: { cookie: gp } })).statusCode,
    ).toBe(404);
    expect(
      (await app.inject({ url: '/api/series?network=N1&recalculateFrom=April', headers: { cookie: gp } })).statusCode,
    ).toBe(400);
  });

  it('fewer than 13 months gives a run chart: the mean, no limits and no icons', async () => {
    const fresh = await makeApp({ demo: false });
    try {
      await addUser(fresh, 'root', 'a long admin password', 'admin');
      const root = await signIn(fresh, 'root', 'a long admin password');
      expect(
        (
          await fresh.inject({
            method: 'POST',
            url: '/api/contract-years',
            headers: { cookie: root },
            payload: { code: '2025-26' },
          })
        ).statusCode,
      ).toBe(201);
      const listing =
        'network_code,network_name,practice_code,practice_name,list_size\nN1,One,F84001,First,5000\nN1,One,F84002,Second,3000\n';
      expect(
        (
          await upload(
            fresh,
            root,
            { name: 'l.csv', content: listing },
            { fromPeriod: '2025-04' },
            '/api/reference/practices',
          )
        ).statusCode,
      ).toBe(201);
      const months = ['2025-04', '2025-05', '2025-06', '2025-07', '2025-08'];
      const rows = months.flatMap((m, i) => [`${m},F84001,DM-BP,${60 + i},100`, `${m},F84002,DM-BP,${30 + i},50`]);
      expect(
        (
          await upload(fresh, root, {
            name: 'm.csv',
            content: `period,practice_code,indicator_code,numerator,denominator\n${rows.join('\n')}\n`,
          })
        ).statusCode,
      ).toBe(201);
      const dm = (
        await fresh.inject({ url: '/api/series?network=N1&indicator=DM-BP', headers: { cookie: root } })
      ).json().indicators[0];
      expect(dm).toMatchObject({ spcPoints: 5, minPointsForLimits: 13, variation: null, assurance: null });
      // Pooled rates 90/150, 92/150, … 98/150: mean 94/150.
      expect(dm.periods.map((p: { numerator: number; denominator: number }) => [p.numerator, p.denominator])).toEqual([
        [90, 150],
        [92, 150],
        [94, 150],
        [96, 150],
        [98, 150],
      ]);
      for (const p of dm.periods)
        expect(p.spc).toMatchObject({
          mean: expect.closeTo(94 / 150, 12),
          upperLimit: null,
          lowerLimit: null,
          special: null,
        });
    } finally {
      await fresh.close();
    }
  });
});

describe('overview and practice pages', () => {
  let app: FastifyInstance;
  beforeAll(async () => {
    app = await makeApp();
  });
  afterAll(() => app.close());

  it('the overview gives every network × domain with the change since the month before', async () => {
    const o = (
      await app.inject({ url: '/api/overview?period=2026-09', headers: { cookie: await signIn(app, 'commissioner') } })
    ).json();
    expect(o).toMatchObject({ period: '2026-09', previousPeriod: '2026-08', contractYear: '2026-27' });
    expect(o.networks.map((n: { code: string }) => n.code)).toEqual(['N1', 'N2', 'N3', 'N4', 'N5', 'N6', 'N7', 'N8']);
    const n2 = o.networks[1];
    expect(n2.domains.map((d: { code: string }) => d.code)).toEqual(['DM', 'CVD', 'COPD', 'IMM', 'EOL', 'DA']);
    for (const d of n2.domains) {
      expect(d.met).toBe(d.indicators.filter((i: { state: string }) => i.state === 'met').length);
      expect(d.status === 'met').toBe(d.met === d.applicable && d.applicable > 0);
    }
    const latest = (await app.inject({ url: '/api/overview', headers: { cookie: await signIn(app, 'admin') } })).json();
    expect(latest.period).toBe('2026-10');
    const n4 = latest.networks.find((n: { code: string }) => n.code === 'N4');
    expect(n4.domains.every((d: { status: string }) => d.status === 'incomplete')).toBe(true);
    const manager = (
      await app.inject({ url: '/api/overview', headers: { cookie: await signIn(app, 'manager') } })
    ).json();
    expect(manager.networks.map((n: { code: string }) => n.code)).toEqual(['N1']);
  });

  it("a practice page gives the practice's figures beside the network it was in each month", async () => {
    const p = (
      await app.inject({ url: '/api/practices/Z00022/series', headers: { cookie: await signIn(app, 'admin') } })
    ).json();
    expect(p.practice).toMatchObject({ code: 'Z00022', network: 'N6' });
    const points = p.indicators.find((i: { code: string }) => i.code === 'DM-BP').points;
    expect(points.find((x: { period: string }) => x.period === '2025-09').network).toBe('N5');
    expect(points.find((x: { period: string }) => x.period === '2025-10').network).toBe('N6');
    const gp = await signIn(app, 'gp');
    expect((await app.inject({ url: '/api/practices/Z00001/series', headers: { cookie: gp } })).statusCode).toBe(200);
    expect((await app.inject({ url: '/api/practices/Z00022/series', headers: { cookie: gp } })).statusCode).toBe(403);
    expect((await app.inject({ url: '/api/practices/Z99999/series', headers: { cookie: gp } })).statusCode).toBe(404);
  });
});
