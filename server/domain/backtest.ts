/**
 * Backtest of the year-end forecast (SPEC section 11.3): every past contract year of a database is replayed as
 * of each of its periods before the last, with only the figures known then, and each forecast of the year's
 * last period is compared with what the network actually reached, beside the naive forecast "the year ends
 * where it is now". Pure: the caller hands in the pooled series.
 */
import { forecastRate, type ForecastParameters, type RatePoint } from './forecast';
import { periodIndex } from './periods';
import { must } from './must';

export interface BacktestSeries {
  network: string;
  indicator: string;
  /** The network's pooled figures, every period with data (membership in force at each). */
  points: readonly RatePoint[];
}

export interface BacktestYear {
  code: string;
  firstPeriod: string;
  lastPeriod: string;
}

export interface BacktestCase {
  network: string;
  indicator: string;
  year: string;
  asOf: string;
  /** Months from the as-of period to the year's last period. */
  monthsAhead: number;
  actual: number;
  naive: number;
  forecast: number;
  lower80: number;
  upper80: number;
  covered: boolean;
}

export interface BacktestSummary {
  forecasts: number;
  maeForecast: number;
  maeNaive: number;
  /** Share of outcomes inside the 80% interval (an outcome on an end counts as inside). */
  coverage80: number;
}

/**
 * The contract years that are over in the data: their last period is no later than the latest period with
 * data. (A year whose last period has no figure for a series gives that series no cases.)
 */
export function pastYears(years: readonly BacktestYear[], latestPeriodWithData: string): BacktestYear[] {
  return years.filter((y) => y.lastPeriod <= latestPeriodWithData);
}

/**
 * Replays the forecast for every series, past year and as-of period: `asOfPeriods` are the periods of the
 * database with data; those inside a year and before its last period are the as-of periods of that year. A
 * case needs a figure (denominator above 0) at the year's last period and at least one figure by the as-of
 * period.
 */
export function backtestForecasts(
  series: readonly BacktestSeries[],
  years: readonly BacktestYear[],
  asOfPeriods: readonly string[],
  params?: ForecastParameters,
): BacktestCase[] {
  const cases: BacktestCase[] = [];
  for (const year of years) {
    const asOfs = asOfPeriods.filter((p) => p >= year.firstPeriod && p < year.lastPeriod);
    for (const s of series) {
      const outcome = s.points.find((p) => p.period === year.lastPeriod && p.denominator > 0);
      if (!outcome) continue;
      const actual = outcome.numerator / outcome.denominator;
      for (const asOf of asOfs) {
        const known = s.points.filter((p) => p.period <= asOf);
        const f = forecastRate(known, year.lastPeriod, params);
        if (f.forecastRate === null || f.latestRate === null) continue;
        const lower80 = must(f.lower80, 'an 80% interval beside a forecast');
        const upper80 = must(f.upper80, 'an 80% interval beside a forecast');
        cases.push({
          network: s.network,
          indicator: s.indicator,
          year: year.code,
          asOf,
          monthsAhead: periodIndex(year.lastPeriod) - periodIndex(asOf),
          actual,
          naive: f.latestRate,
          forecast: f.forecastRate,
          lower80,
          upper80,
          covered: lower80 <= actual && actual <= upper80,
        });
      }
    }
  }
  return cases;
}

export function summariseBacktest(cases: readonly BacktestCase[]): BacktestSummary {
  const n = cases.length;
  if (n === 0) return { forecasts: 0, maeForecast: NaN, maeNaive: NaN, coverage80: NaN };
  let forecast = 0;
  let naive = 0;
  let covered = 0;
  for (const c of cases) {
    forecast += Math.abs(c.forecast - c.actual);
    naive += Math.abs(c.naive - c.actual);
    if (c.covered) covered++;
  }
  return { forecasts: n, maeForecast: forecast / n, maeNaive: naive / n, coverage80: covered / n };
}

export interface PaymentBacktestCase {
  network: string;
  year: string;
  asOf: string;
  actualPence: number;
  /** The provisional statement at the as-of period: "if the year ended now". */
  naivePence: number;
  expectedPence: number;
  p10Pence: number;
  p90Pence: number;
}

export interface PaymentBacktestSummary {
  forecasts: number;
  maeExpectedPence: number;
  maeNaivePence: number;
  /** Root mean squared errors: the expected payment is a mean, which squared error judges fairly. */
  rmseExpectedPence: number;
  rmseNaivePence: number;
  /** Share of actual payments between the 10th and 90th percentiles (inclusive): 80% when well calibrated. */
  coverage1090: number;
}

export function summarisePaymentBacktest(cases: readonly PaymentBacktestCase[]): PaymentBacktestSummary {
  const n = cases.length;
  if (n === 0)
    return {
      forecasts: 0,
      maeExpectedPence: NaN,
      maeNaivePence: NaN,
      rmseExpectedPence: NaN,
      rmseNaivePence: NaN,
      coverage1090: NaN,
    };
  const mae = (f: (c: PaymentBacktestCase) => number) =>
    cases.reduce((s, c) => s + Math.abs(f(c) - c.actualPence), 0) / n;
  const rmse = (f: (c: PaymentBacktestCase) => number) =>
    Math.sqrt(cases.reduce((s, c) => s + (f(c) - c.actualPence) ** 2, 0) / n);
  return {
    forecasts: n,
    maeExpectedPence: mae((c) => c.expectedPence),
    maeNaivePence: mae((c) => c.naivePence),
    rmseExpectedPence: rmse((c) => c.expectedPence),
    rmseNaivePence: rmse((c) => c.naivePence),
    coverage1090: cases.filter((c) => c.p10Pence <= c.actualPence && c.actualPence <= c.p90Pence).length / n,
  };
}
