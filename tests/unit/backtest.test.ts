/** The backtest's replay and its summary figures, on constructed series whose answers are known. */
import { describe, expect, it } from 'vitest';
import {
  backtestForecasts,
  pastYears,
  summariseBacktest,
  summarisePaymentBacktest,
  type BacktestCase,
  type BacktestYear,
} from '../../server/domain/backtest';
import { addMonths, periodRange } from '../../server/domain/periods';

const YEARS: BacktestYear[] = ['2022-23', '2023-24', '2024-25', '2025-26'].map((code) => {
  const start = Number(code.slice(0, 4));
  return { code, firstPeriod: `${start}-04`, lastPeriod: `${start + 1}-03` };
});

describe('which years are replayed', () => {
  it('only years whose last period has passed in the data', () => {
    expect(pastYears(YEARS, '2025-10').map((y) => y.code)).toEqual(['2022-23', '2023-24', '2024-25']);
    expect(pastYears(YEARS, '2025-03').map((y) => y.code)).toEqual(['2022-23', '2023-24', '2024-25']);
    expect(pastYears(YEARS, '2025-02').map((y) => y.code)).toEqual(['2022-23', '2023-24']);
  });
});

describe('replaying a year as of each of its periods', () => {
  const periods = periodRange('2024-04', '2025-03');
  it('a flat series: eleven forecasts (April to February), each exactly right, as is the naive one', () => {
    const series = [
      {
        network: 'N1',
        indicator: 'DM-BP',
        points: periods.map((period) => ({ period, numerator: 800, denominator: 1000 })),
      },
    ];
    const cases = backtestForecasts(series, pastYears(YEARS, '2025-03'), periods);
    expect(cases.map((c) => c.asOf)).toEqual(periodRange('2024-04', '2025-02'));
    expect(cases.map((c) => c.monthsAhead)).toEqual([11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1]);
    expect(summariseBacktest(cases)).toEqual({ forecasts: 11, maeForecast: 0, maeNaive: 0, coverage80: 1 });
  });
  it('a steady rise over three years: the forecast learns the rise and beats "the year ends where it is now"', () => {
    const all = periodRange('2022-04', '2025-03');
    const series = [
      {
        network: 'N1',
        indicator: 'DM-BP',
        points: all.map((period, t) => ({ period, numerator: 500 + 5 * t, denominator: 1000 })),
      },
    ];
    const cases = backtestForecasts(series, pastYears(YEARS, '2025-03'), all);
    expect(cases).toHaveLength(33);
    const last = summariseBacktest(cases.filter((c) => c.year === '2024-25'));
    expect(last.maeForecast).toBeLessThan(last.maeNaive / 2);
    // the naive forecast misses by the rise still to come: ½ point a month
    expect(cases.find((c) => c.year === '2024-25' && c.asOf === '2024-09')!.naive).toBeCloseTo(0.5 + 0.005 * 29, 12);
    expect(cases.find((c) => c.year === '2024-25' && c.asOf === '2024-09')!.actual).toBeCloseTo(0.5 + 0.005 * 35, 12);
  });
  it('no figure at the year-end (or a denominator of 0 there): no cases for that series and year', () => {
    const points = periods.slice(0, -1).map((period) => ({ period, numerator: 800, denominator: 1000 }));
    expect(
      backtestForecasts([{ network: 'N1', indicator: 'X', points }], pastYears(YEARS, '2025-03'), periods),
    ).toEqual([]);
    const zero = [...points, { period: '2025-03', numerator: 0, denominator: 0 }];
    expect(
      backtestForecasts([{ network: 'N1', indicator: 'X', points: zero }], pastYears(YEARS, '2025-03'), periods),
    ).toEqual([]);
  });
  it('a forecast never sees figures after its as-of period', () => {
    const points = periods.map((period, t) => ({ period, numerator: t === 11 ? 100 : 800, denominator: 1000 }));
    const cases = backtestForecasts([{ network: 'N1', indicator: 'X', points }], pastYears(YEARS, '2025-03'), periods);
    expect(cases.every((c) => Math.abs(c.forecast - 0.8) < 1e-12 && c.actual === 0.1)).toBe(true);
    expect(summariseBacktest(cases).coverage80).toBe(0);
  });
  it('quarterly data: as of June, September and December', () => {
    const quarters = ['2024-06', '2024-09', '2024-12', '2025-03'];
    const series = [
      {
        network: 'U1',
        indicator: 'IMM',
        points: quarters.map((period) => ({ period, numerator: 90, denominator: 100 })),
      },
    ];
    expect(
      backtestForecasts(series, pastYears(YEARS, '2025-03'), quarters).map((c) => [c.asOf, c.monthsAhead]),
    ).toEqual([
      ['2024-06', 9],
      ['2024-09', 6],
      ['2024-12', 3],
    ]);
    expect(addMonths('2024-12', 3)).toBe('2025-03');
  });
});

describe('summary figures', () => {
  const c = (forecast: number, naive: number, actual: number, covered: boolean): BacktestCase => ({
    network: 'N1',
    indicator: 'X',
    year: '2024-25',
    asOf: '2024-10',
    monthsAhead: 5,
    actual,
    naive,
    forecast,
    lower80: 0,
    upper80: 1,
    covered,
  });
  it('mean absolute errors and coverage: |0.79 − 0.8| and |0.82 − 0.8| → 0.015; naive 0.05 and 0 → 0.025; one of two covered', () => {
    const s = summariseBacktest([c(0.79, 0.75, 0.8, true), c(0.82, 0.8, 0.8, false)]);
    expect(s.forecasts).toBe(2);
    expect(s.maeForecast).toBeCloseTo(0.015, 12);
    expect(s.maeNaive).toBeCloseTo(0.025, 12);
    expect(s.coverage80).toBe(0.5);
  });
  it('payments: errors in pence and how often the actual payment lay between the 10th and 90th percentiles', () => {
    const s = summarisePaymentBacktest([
      {
        network: 'N1',
        year: '2024-25',
        asOf: '2024-10',
        actualPence: 100,
        naivePence: 0,
        expectedPence: 70,
        p10Pence: 0,
        p90Pence: 100,
      },
      {
        network: 'N2',
        year: '2024-25',
        asOf: '2024-10',
        actualPence: 0,
        naivePence: 0,
        expectedPence: 40,
        p10Pence: 10,
        p90Pence: 100,
      },
    ]);
    expect(s).toEqual({
      forecasts: 2,
      maeExpectedPence: 35,
      maeNaivePence: 50,
      rmseExpectedPence: Math.sqrt((900 + 1600) / 2),
      rmseNaivePence: Math.sqrt(10000 / 2),
      coverage1090: 0.5,
    });
  });
  it('nothing to replay: no figures, not zeros', () => {
    expect(summariseBacktest([]).forecasts).toBe(0);
    expect(summariseBacktest([]).maeForecast).toBeNaN();
  });
});
