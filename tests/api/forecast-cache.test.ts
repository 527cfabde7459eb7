/**
 * Forecasts kept by data version (services/forecast.ts): GET /api/forecast and GET /api/payments/outlook are
 * worked out once per data version and network/year/as-of (the outlook: per year and set of networks seen), then
 * served from the cache; an accepted upload moves the version and the next request works them out again, with
 * the new figure in them. The cache's own counters show which requests were computed, without timing anything.
 * A GP's answer from the cache still has no money.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { currentDataVersion } from '../../server/db/repositories/maintenance';
import { VersionedCache } from '../../server/services/figures-cache';
import { FORECASTS_KEPT, OUTLOOKS_KEPT, forecastCacheStats } from '../../server/services/forecast';
import { currentObservation, makeApp, signIn, upload } from '../helpers/app';

interface ForecastBody {
  network: string;
  asOf: string;
  indicators: { code: string; latestRate: number | null; forecastRate: number | null; probabilityMet: number | null }[];
  retrospectivePotPence: number | null;
  expectedEarnedPence: number | null;
  p10EarnedPence: number | null;
  p90EarnedPence: number | null;
}
const MONEY = ['retrospectivePotPence', 'expectedEarnedPence', 'p10EarnedPence', 'p90EarnedPence'] as const;

describe('forecasts kept by data version', () => {
  let app: FastifyInstance;
  const cookies: Record<string, string> = {};
  beforeAll(async () => {
    app = await makeApp();
    for (const who of ['commissioner', 'manager', 'gp']) cookies[who] = await signIn(app, who);
  });
  afterAll(() => app.close());

  const forecast = async (who: string, query = 'network=N1&year=2026-27') => {
    const res = await app.inject({ url: `/api/forecast?${query}`, headers: { cookie: cookies[who]! } });
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as ForecastBody;
  };
  const outlook = async (who: string) => {
    const res = await app.inject({ url: '/api/payments/outlook?year=2026-27', headers: { cookie: cookies[who]! } });
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as { period: string; networks: { code: string; earnedPence: number; atRiskPence: number }[] };
  };
  const stats = () => forecastCacheStats(app.db);

  it('a second request is served from the cache, and every role gets its own cut of it', async () => {
    const start = stats();
    const first = await forecast('commissioner');
    expect(stats().forecastsComputed).toBe(start.forecastsComputed + 1);
    expect(first.expectedEarnedPence).toEqual(expect.any(Number));

    const again = await forecast('commissioner');
    expect(stats().forecastsComputed).toBe(start.forecastsComputed + 1);
    expect(again).toEqual(first);

    // The network's manager gets the same answer, money and all, from the same entry.
    expect(await forecast('manager')).toEqual(first);
    // A GP's answer comes from the same entry (nothing computed) with the money cut.
    const gp = await forecast('gp');
    expect(stats().forecastsComputed).toBe(start.forecastsComputed + 1);
    for (const field of MONEY) expect(gp[field], field).toBeNull();
    expect(gp.indicators).toEqual(first.indicators);
    // ...and the cut never reaches the kept entry: the commissioner still gets the money afterwards.
    expect(await forecast('commissioner')).toEqual(first);

    // Another as-of month is another entry; asking for the default month by name is the same one.
    await forecast('commissioner', `network=N1&year=2026-27&asOf=${first.asOf}`);
    expect(stats().forecastsComputed).toBe(start.forecastsComputed + 1);
    await forecast('commissioner', 'network=N1&year=2026-27&asOf=2026-06');
    expect(stats().forecastsComputed).toBe(start.forecastsComputed + 2);
    // A GP of N1 asking for N2's forecast (network-level) gets no money for it either.
    const other = await forecast('gp', 'network=N2&year=2026-27');
    for (const field of MONEY) expect(other[field], field).toBeNull();
    expect(stats().forecastsKept).toBeLessThanOrEqual(FORECASTS_KEPT);
  });

  it('the outlook is kept per year and per set of networks seen', async () => {
    const start = stats();
    const all = await outlook('commissioner');
    expect(await outlook('commissioner')).toEqual(all);
    expect(stats().outlooksComputed).toBe(start.outlooksComputed + 1);
    // The manager sees only their own network: a different entry, never the commissioner's rows.
    const own = await outlook('manager');
    expect(own.networks.map((n) => n.code)).toEqual(['N1']);
    expect(own.networks[0]).toEqual(all.networks.find((n) => n.code === 'N1'));
    expect(stats().outlooksComputed).toBe(start.outlooksComputed + 2);
    await outlook('manager');
    expect(stats().outlooksComputed).toBe(start.outlooksComputed + 2);
    expect(stats().outlooksKept).toBeLessThanOrEqual(OUTLOOKS_KEPT);
  });

  it('an accepted upload moves the version: the next forecast is worked out again and shows the new figure', async () => {
    const before = await forecast('commissioner');
    const outlookBefore = await outlook('commissioner');
    const version = await currentDataVersion(app.db);
    const start = stats();

    // DM-CP at Z00001 in the as-of month, all its patients counted: N1's pooled DM-CP rate rises.
    const o = await currentObservation(app, 'Z00001', 'DM-CP', before.asOf);
    expect(o).toBeDefined();
    expect(o!.numerator).toBeLessThan(o!.denominator);
    const res = await upload(app, cookies.manager!, {
      name: 'recount.csv',
      content: `period,practice_code,indicator_code,numerator,denominator\n${before.asOf},Z00001,DM-CP,${o!.denominator},${o!.denominator}\n`,
    });
    expect(res.statusCode, res.body).toBe(201);
    expect(await currentDataVersion(app.db)).toBeGreaterThan(version);

    const after = await forecast('commissioner');
    expect(stats().forecastsComputed).toBe(start.forecastsComputed + 1);
    const line = (f: ForecastBody, code: string) => f.indicators.find((i) => i.code === code)!;
    expect(line(after, 'DM-CP').latestRate!).toBeGreaterThan(line(before, 'DM-CP').latestRate!);
    expect(line(after, 'DM-CP').forecastRate).not.toBe(line(before, 'DM-CP').forecastRate);
    // Where nothing changed, nothing moved.
    for (const i of before.indicators.filter((x) => x.code !== 'DM-CP')) expect(line(after, i.code)).toEqual(i);
    // Served from the cache again until the next change; a GP's cut of the new entry still has no money.
    await forecast('commissioner');
    const gp = await forecast('gp');
    expect(stats().forecastsComputed).toBe(start.forecastsComputed + 1);
    for (const field of MONEY) expect(gp[field], field).toBeNull();
    expect(line(gp, 'DM-CP')).toEqual(line(after, 'DM-CP'));

    // The outlook is worked out again too; only N1's row can have changed.
    await outlook('commissioner');
    expect(stats().outlooksComputed).toBe(start.outlooksComputed + 1);
    const outlookAfter = await outlook('commissioner');
    for (const n of outlookBefore.networks.filter((x) => x.code !== 'N1'))
      expect(outlookAfter.networks.find((x) => x.code === n.code)).toEqual(n);
  });

  it('a bounded cache keeps at most its bound, dropping the least recently used (as the forecast caches do)', async () => {
    const cache = new VersionedCache(3);
    let computed = 0;
    const get = (key: string) =>
      cache.get(app.db, key, async () => {
        computed++;
        return key;
      });
    for (const key of ['a', 'b', 'c']) await get(key);
    await get('a'); // used again: now the most recent
    await get('d'); // one too many: 'b', the least recently used, goes
    expect([cache.size, computed]).toEqual([3, 4]);
    await get('a');
    await get('c');
    await get('d');
    expect(computed).toBe(4);
    await get('b');
    expect([cache.size, computed]).toEqual([3, 5]);
  });
});
