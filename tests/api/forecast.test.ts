/**
 * GET /api/forecast and GET /api/payments/outlook on constructed series whose answer is known. N1's four
 * practices are given, for every month from April 2025 to October 2026 and every indicator of 2026-27:
 *   - 100 / 100 at each practice (flat at 100%: forecast 100%, interval 100–100%, probability 1);
 *   - except DM-CP: flat at 60 / 100 (60% against 85%: forecast 60% with no spread, probability 0);
 *   - and DM-BP: a steady rise of one point a month, (50 + t) / 100 at each practice in month t = 0 (April 2025)
 *     to 18 (October 2026): 50%, 51%, …, 68%.
 * Under the all-indicators rule, DM can never be earned (DM-CP is certain to miss) and every other domain is
 * certain to be earned, so the expected payment, its 10th and its 90th percentile all equal the retrospective pot
 * less DM's pot, to the penny.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { forecastRate } from '../../server/domain/forecast';
import { addMonths } from '../../server/domain/periods';
import { makeApp, signIn, upload } from '../helpers/app';

const N1 = ['Z00001', 'Z00002', 'Z00003', 'Z00004'];
const MONTHS = Array.from({ length: 19 }, (_, t) => addMonths('2025-04', t));

interface IndicatorForecast {
  code: string;
  state: string;
  latestPeriod: string | null;
  latestRate: number | null;
  forecastRate: number | null;
  lower80: number | null;
  upper80: number | null;
  probabilityMet: number | null;
  path: { period: string; forecastRate: number; lower80: number; upper80: number }[];
}

describe('the year-end forecast on constructed series', () => {
  let app: FastifyInstance;
  let cookies: Record<string, string>;
  let codes: string[];
  beforeAll(async () => {
    app = await makeApp();
    cookies = {};
    for (const who of ['admin', 'commissioner', 'manager', 'gp']) cookies[who] = await signIn(app, who);
    const indicators = (
      await app.inject({ url: '/api/contract-years/2026-27/indicators', headers: { cookie: cookies.admin! } })
    ).json() as { code: string }[];
    codes = indicators.map((i) => i.code);
    const lines = ['period,practice_code,indicator_code,numerator,denominator'];
    MONTHS.forEach((period, t) => {
      for (const practice of N1)
        for (const code of codes) {
          const n = code === 'DM-CP' ? 60 : code === 'DM-BP' ? 50 + t : 100;
          lines.push(`${period},${practice},${code},${n},100`);
        }
    });
    const res = await upload(app, cookies.manager!, { name: 'constructed.csv', content: lines.join('\n') + '\n' });
    expect(res.statusCode, res.body).toBe(201);
  });
  afterAll(() => app.close());

  const forecast = async (who: string, query: string) => {
    const res = await app.inject({ url: `/api/forecast?${query}`, headers: { cookie: cookies[who]! } });
    return res;
  };
  const line = (body: { indicators: IndicatorForecast[] }, code: string) => {
    const found = body.indicators.find((i) => i.code === code);
    if (!found) throw new Error(`no ${code}`);
    return found;
  };

  it('a flat series is forecast where it is, with no spread, and its probability of meeting the target is 1 or 0', async () => {
    const res = await forecast('commissioner', 'network=N1&year=2026-27');
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    expect(body).toMatchObject({ network: 'N1', year: '2026-27', asOf: '2026-10', lastPeriod: '2027-03' });
    expect(body.method).toMatch(/Holt/);
    const flatMet = line(body, 'IMM-MMR1-24M');
    expect(flatMet).toMatchObject({
      state: 'forecast',
      latestPeriod: '2026-10',
      latestRate: 1,
      forecastRate: 1,
      lower80: 1,
      upper80: 1,
      probabilityMet: 1,
    });
    const flatMissed = line(body, 'DM-CP');
    expect(flatMissed).toMatchObject({
      latestRate: 0.6,
      forecastRate: 0.6,
      lower80: 0.6,
      upper80: 0.6,
      probabilityMet: 0,
    });
    // The band: from October's figure, every month to March 2027.
    expect(flatMissed.path.map((p) => p.period)).toEqual([
      '2026-10',
      '2026-11',
      '2026-12',
      '2027-01',
      '2027-02',
      '2027-03',
    ]);
    expect(flatMissed.path.every((p) => p.forecastRate === 0.6 && p.lower80 === 0.6 && p.upper80 === 0.6)).toBe(true);
  });

  it('a steady rise of a point a month is carried on upwards, and the interval surrounds the forecast', async () => {
    const body = (await forecast('commissioner', 'network=N1&year=2026-27')).json();
    const rise = line(body, 'DM-BP');
    expect(rise.latestRate).toBeCloseTo(0.68, 12);
    // The same method on the same figures, by hand: 400 patients a month, (200 + 4t) / 400 = 50% + t%.
    const points = MONTHS.map((period, t) => ({ period, numerator: 200 + 4 * t, denominator: 400 }));
    const expected = forecastRate(points, '2027-03');
    expect(rise.forecastRate).toBeCloseTo(expected.forecastRate!, 12);
    // Above "ends where it is now" (68%), and no further than the rise carried on for five months (73%).
    expect(rise.forecastRate!).toBeGreaterThan(0.68);
    expect(rise.forecastRate!).toBeLessThanOrEqual(0.73 + 1e-9);
    expect(rise.lower80!).toBeLessThan(rise.forecastRate!);
    expect(rise.upper80!).toBeGreaterThan(rise.forecastRate!);
    expect(rise.probabilityMet!).toBeGreaterThan(0.5); // 70% target, forecast above it
    expect(rise.probabilityMet!).toBeLessThan(1);
    const end = rise.path.at(-1)!;
    expect([end.period, end.forecastRate, end.lower80, end.upper80]).toEqual([
      '2027-03',
      rise.forecastRate,
      rise.lower80,
      rise.upper80,
    ]);
    // The band widens as it goes.
    const widths = rise.path.map((p) => p.upper80 - p.lower80);
    for (let i = 1; i < widths.length; i++) expect(widths[i]!).toBeGreaterThan(widths[i - 1]!);
  });

  it('the expected payment is the pot less DM, to the penny, and so are its 10th and 90th percentiles', async () => {
    const body = (await forecast('manager', 'network=N1&year=2026-27')).json();
    const pay = (await app.inject({ url: '/api/payments?year=2026-27', headers: { cookie: cookies.manager! } })).json();
    const n1 = pay.networks[0];
    const dm = n1.domains.find((d: { code: string }) => d.code === 'DM');
    const expected = n1.retrospectivePotPence - dm.potPence;
    expect(body.retrospectivePotPence).toBe(n1.retrospectivePotPence);
    expect([body.expectedEarnedPence, body.p10EarnedPence, body.p90EarnedPence]).toEqual([
      expected,
      expected,
      expected,
    ]);
    // Provisional now: the same (DM not earned, the rest earned); nothing at risk, DM releasable.
    expect(n1.earnedPence).toBe(expected);
    const outlook = (
      await app.inject({ url: '/api/payments/outlook?year=2026-27', headers: { cookie: cookies.manager! } })
    ).json();
    expect(outlook).toMatchObject({ year: '2026-27', period: '2026-10', final: false });
    expect(outlook.networks).toEqual([
      {
        code: 'N1',
        name: n1.name,
        retrospectivePotPence: n1.retrospectivePotPence,
        earnedPence: expected,
        releasablePence: dm.potPence,
        atRiskPence: 0,
        expectedEarnedPence: expected,
        heldPence: 0,
      },
    ]);
  });

  it('as of an earlier month it uses only what was known then', async () => {
    const body = (await forecast('commissioner', 'network=N1&year=2026-27&asOf=2026-06')).json();
    const rise = line(body, 'DM-BP');
    expect([body.asOf, rise.latestPeriod]).toEqual(['2026-06', '2026-06']);
    expect(rise.latestRate).toBeCloseTo(0.64, 12);
    expect(rise.forecastRate).toBeCloseTo(
      forecastRate(
        MONTHS.slice(0, 15).map((period, t) => ({ period, numerator: 200 + 4 * t, denominator: 400 })),
        '2027-03',
      ).forecastRate!,
      12,
    );
  });

  it('a GP gets the indicator part without the money; a manager gets no money for another network and cannot see it', async () => {
    const gp = (await forecast('gp', 'network=N2&year=2026-27')).json();
    expect(gp.indicators.length).toBe(codes.length);
    expect([gp.retrospectivePotPence, gp.expectedEarnedPence, gp.p10EarnedPence, gp.p90EarnedPence]).toEqual([
      null,
      null,
      null,
      null,
    ]);
    const own = (await forecast('gp', 'network=N1&year=2026-27')).json();
    expect(own.expectedEarnedPence).toBeNull();
    expect((await forecast('manager', 'network=N2&year=2026-27')).statusCode).toBe(403);
    expect(
      (await app.inject({ url: '/api/payments/outlook?year=2026-27', headers: { cookie: cookies.gp! } })).statusCode,
    ).toBe(403);
    const all = (
      await app.inject({ url: '/api/payments/outlook?year=2026-27', headers: { cookie: cookies.commissioner! } })
    ).json();
    expect(all.networks.length).toBe(8);
  });

  it('refuses a month outside the year, an unknown year and an unknown network', async () => {
    const outside = await forecast('commissioner', 'network=N1&year=2026-27&asOf=2025-10');
    expect(outside.statusCode).toBe(400);
    expect(outside.json().error.message).toMatch(/not in contract year 2026-27/);
    expect((await forecast('commissioner', 'network=N1&year=2030-31')).statusCode).toBe(404);
    expect((await forecast('commissioner', 'network=N99&year=2026-27')).statusCode).toBe(404);
  });
});
