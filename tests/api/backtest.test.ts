/**
 * `npm run backtest` on the two databases the product ships the means to build, read through the repositories
 * with the real migrations: the forecast must beat "the year ends where it is now" and its 80% intervals must
 * hold the outcome between 70% and 90% of the time (the targets of issue 12; the README quotes the figures).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backtestDatabase, formatReport, meetsTargets, type BacktestReport } from '../../server/services/backtest';
import type { FastifyInstance } from 'fastify';
import { buildTowerHamlets, TOWER_HAMLETS_DIR } from '../../server/services/tower-hamlets';
import { makeApp } from '../helpers/app';

describe('backtest of the year-end forecast on the demo database', () => {
  let app: FastifyInstance;
  let report: BacktestReport;
  beforeAll(async () => {
    app = await makeApp();
    report = await backtestDatabase(app.db, 'demo', { draws: 300 });
  });
  afterAll(() => app?.close());

  it('replays 2025-26 (the one complete year) for 8 networks × 22 indicators as of April to February', () => {
    expect(report.years).toEqual(['2025-26']);
    expect(report.rates.forecasts).toBe(8 * 22 * 11);
    expect(new Set(report.cases.map((c) => c.asOf)).size).toBe(11);
  });
  it('beats the naive forecast and its 80% interval covers between 70% and 90%', () => {
    expect(report.rates.maeForecast).toBeLessThan(report.rates.maeNaive);
    expect(report.rates.coverage80).toBeGreaterThanOrEqual(0.7);
    expect(report.rates.coverage80).toBeLessThanOrEqual(0.9);
    expect(meetsTargets(report)).toBe(true);
  });
  it('forecasts the payment of every network with contract values as of each period, against its final statement', () => {
    expect(report.payments?.forecasts).toBe(8 * 11);
    for (const c of report.paymentCases) {
      expect(c.p10Pence).toBeLessThanOrEqual(c.p90Pence);
      expect(c.expectedPence).toBeGreaterThanOrEqual(0);
    }
    // every network's final 2025-26 payment is the same in each of its cases
    for (const n of new Set(report.paymentCases.map((c) => c.network))) {
      expect(new Set(report.paymentCases.filter((c) => c.network === n).map((c) => c.actualPence)).size).toBe(1);
    }
  });
  it('prints the figures beside the targets', () => {
    const text = formatReport(report);
    expect(text).toContain('forecasts of a year-end rate:     1,936');
    expect(text).toMatch(/target: below naive {3}met/);
    expect(text).toMatch(/target: 70%–90% {3}met/);
  });
});

describe('backtest of the year-end forecast on the Tower Hamlets database', () => {
  let app: FastifyInstance;
  let report: BacktestReport;
  beforeAll(async () => {
    app = await makeApp({ demo: false });
    const built = await buildTowerHamlets(app.db, app.submissions, TOWER_HAMLETS_DIR, app.now());
    if (built.status !== 'accepted') throw new Error(JSON.stringify(built.errors.slice(0, 3)));
    report = await backtestDatabase(app.db, 'tower-hamlets', { draws: 100 });
  });
  afterAll(() => app?.close());

  it('replays the five complete years 2019-20 to 2023-24 as of June, September and December', () => {
    expect(report.years).toEqual(['2019-20', '2020-21', '2021-22', '2022-23', '2023-24']);
    expect([...new Set(report.cases.map((c) => c.monthsAhead))].sort((a, b) => a - b)).toEqual([3, 6, 9]);
    expect(report.rates.forecasts).toBeGreaterThan(400);
  });
  it('beats the naive forecast and its 80% interval covers between 70% and 90%', () => {
    expect(report.rates.maeForecast).toBeLessThan(report.rates.maeNaive);
    expect(report.rates.coverage80).toBeGreaterThanOrEqual(0.7);
    expect(report.rates.coverage80).toBeLessThanOrEqual(0.9);
  });
  it('has no payment to forecast: no contract values are published', () => {
    expect(report.payments).toBeNull();
  });
});
