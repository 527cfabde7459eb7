/**
 * The practice page's spine: each indicator's range, average and "at or above the network's rate" come from
 * the same pooled figures as the learning set's attainment, compared as exact fractions.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeApp, signIn } from '../helpers/app';

interface Figures {
  code: string;
  numerator: number | null;
  denominator: number | null;
  rate: number | null;
}

describe('practice page spine', () => {
  let app: FastifyInstance;
  let cookie: string;
  beforeAll(async () => {
    app = await makeApp();
    cookie = await signIn(app, 'manager');
  });
  afterAll(async () => {
    await app.close();
  });

  it("agrees with the network's attainment, indicator by indicator", async () => {
    const page = (await app.inject({ url: '/api/practices/Z00001/series', headers: { cookie } })).json();
    const spine = page.spine;
    expect(spine).toMatchObject({ network: 'N1', period: '2026-10' });
    const attainment = (
      await app.inject({ url: `/api/attainment?network=N1&period=${spine.period}`, headers: { cookie } })
    ).json();
    expect(spine.indicators.map((i: { code: string }) => i.code)).toEqual(
      attainment.indicators.map((i: { code: string }) => i.code),
    );
    let above = 0;
    let below = 0;
    for (const row of spine.indicators) {
      const network = attainment.indicators.find((i: { code: string }) => i.code === row.code);
      const own: Figures = network.practices.find((p: Figures) => p.code === 'Z00001');
      const rates = network.practices.flatMap((p: Figures) => (p.rate === null ? [] : [p.rate]));
      expect(row.rate).toBe(own.rate);
      expect(row.lowest).toBe(rates.length ? Math.min(...rates) : null);
      expect(row.highest).toBe(rates.length ? Math.max(...rates) : null);
      if (own.numerator === null || !own.denominator) {
        expect(row.atOrAboveNetwork).toBeNull();
        continue;
      }
      // n / d ≥ N / D exactly, in integers.
      const expected =
        BigInt(own.numerator) * BigInt(network.denominator) >= BigInt(network.numerator) * BigInt(own.denominator);
      expect(row.atOrAboveNetwork).toBe(expected);
      if (expected) above++;
      else below++;
    }
    // The demo has indicators on both sides, so both answers are exercised.
    expect(above).toBeGreaterThan(0);
    expect(below).toBeGreaterThan(0);
  });

  it("says of every monthly point whether the practice is at or above its network's pooled rate, exactly", async () => {
    const page = (await app.inject({ url: '/api/practices/Z00001/series', headers: { cookie } })).json();
    const series = (await app.inject({ url: '/api/series?network=N1', headers: { cookie } })).json();
    let checked = 0;
    const answers = new Set<boolean | null>();
    for (const indicator of page.indicators) {
      const pooled = series.indicators.find((i: { code: string }) => i.code === indicator.code);
      for (const point of indicator.points) {
        expect(point.network).toBe('N1');
        const network = pooled.periods.find((p: { period: string }) => p.period === point.period);
        const expected =
          point.denominator > 0 && network.denominator > 0
            ? BigInt(point.numerator) * BigInt(network.denominator) >=
              BigInt(network.numerator) * BigInt(point.denominator)
            : null;
        expect(point.atOrAboveNetwork).toBe(expected);
        answers.add(expected);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(300);
    expect(answers).toContain(true);
    expect(answers).toContain(false);
  });
});
