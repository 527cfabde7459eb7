/**
 * The year-end forecast's backtest (SPEC section 11.3): replays every past contract year of a database as of
 * each of its periods and reports how the forecast did: the mean absolute error of the forecast rate against
 * the naive forecast "the year ends where it is now", and how often the 80% interval held the outcome, beside
 * the targets; and, where the year has contract values, the same for the payment. `npm run backtest`
 * (server/bin/backtest.ts) prints it.
 */
import type { Db } from '../db/database';
import { listContractYears } from '../db/repositories/contract-years';
import { listNetworksAt } from '../db/repositories/networks';
import {
  listPeriodsWithData,
  loadAllIndicatorRules,
  loadMemberObservations,
  loadNetworkHistory,
  loadYearRules,
} from '../db/repositories/statements';
import type { IndicatorRule } from '../domain/attainment';
import {
  backtestForecasts,
  pastYears,
  summariseBacktest,
  summarisePaymentBacktest,
  type BacktestCase,
  type BacktestSeries,
  type BacktestSummary,
  type PaymentBacktestCase,
  type PaymentBacktestSummary,
} from '../domain/backtest';
import { forecastNetwork, type RatePoint } from '../domain/forecast';
import { networkSeries } from '../domain/series';
import { computeStatement } from '../domain/statement';
import { must } from '../domain/must';

export interface BacktestReport {
  label: string;
  years: string[];
  networks: number;
  indicators: number;
  rates: BacktestSummary;
  byMonthsAhead: { monthsAhead: number; summary: BacktestSummary }[];
  /** Null when no past year has contract values (nothing is paid, so there is nothing to forecast). */
  payments: PaymentBacktestSummary | null;
  cases: BacktestCase[];
  paymentCases: PaymentBacktestCase[];
}

/** Reads a database through the repositories and replays its past contract years. */
export async function backtestDatabase(
  db: Db,
  label: string,
  options: { draws?: number; correlation?: number } = {},
): Promise<BacktestReport> {
  const periods = await listPeriodsWithData(db);
  const latest = periods.at(-1);
  const years = latest ? pastYears(await listContractYears(db), latest) : [];
  const allRules = await loadAllIndicatorRules(db);
  const codes = [...new Set(allRules.map((r) => r.code))];
  const ruleAt = (code: string, period: string): IndicatorRule | null =>
    allRules.find((r) => r.code === code && r.firstPeriod <= period && period <= r.lastPeriod) ?? null;
  const networks = latest ? await listNetworksAt(db, latest) : [];

  const series: BacktestSeries[] = [];
  const histories = new Map<string, Map<string, RatePoint[]>>();
  for (const network of networks) {
    const history = await loadNetworkHistory(db, network.code, codes);
    const byIndicator = new Map<string, RatePoint[]>();
    for (const code of codes) {
      const s = networkSeries(code, periods, history.spans, history.values, (p) => ruleAt(code, p));
      const points = s.periods.map((p) => ({ period: p.period, numerator: p.numerator, denominator: p.denominator }));
      byIndicator.set(code, points);
      series.push({ network: network.code, indicator: code, points });
    }
    histories.set(network.code, byIndicator);
  }

  const cases = backtestForecasts(series, years, periods);
  const months = [...new Set(cases.map((c) => c.monthsAhead))].sort((a, b) => a - b);

  const paymentCases: PaymentBacktestCase[] = [];
  for (const year of years) {
    const rules = await loadYearRules(db, year.code);
    if (!rules || rules.contractValues.size === 0) continue;
    for (const network of networks) {
      const value = rules.contractValues.get(network.code);
      if (value === undefined) continue;
      const statementAt = async (period: string) => {
        const [atPeriod] = await listNetworksAt(db, period, network.code);
        const practices = atPeriod?.practices ?? [];
        const computed = computeStatement(
          rules,
          { code: network.code, name: network.name, contractValuePence: value, practices },
          await loadMemberObservations(db, period, network.code),
        );
        return { practices, statement: computed.statement };
      };
      const final = await statementAt(year.lastPeriod);
      for (const asOf of periods.filter((p) => p >= year.firstPeriod && p < year.lastPeriod)) {
        const now = await statementAt(asOf);
        const f = forecastNetwork({
          rules,
          network: { code: network.code, name: network.name, contractValuePence: value, practices: now.practices },
          asOf,
          histories: must(histories.get(network.code), 'a history for every network (loaded above)'),
          draws: options.draws,
          correlation: options.correlation,
        });
        paymentCases.push({
          network: network.code,
          year: year.code,
          asOf,
          actualPence: final.statement.earnedPence,
          naivePence: now.statement.earnedPence,
          expectedPence: f.expectedEarnedPence,
          p10Pence: f.p10EarnedPence,
          p90Pence: f.p90EarnedPence,
        });
      }
    }
  }

  return {
    label,
    years: years.map((y) => y.code),
    networks: networks.length,
    indicators: codes.length,
    rates: summariseBacktest(cases),
    byMonthsAhead: months.map((m) => ({
      monthsAhead: m,
      summary: summariseBacktest(cases.filter((c) => c.monthsAhead === m)),
    })),
    payments: paymentCases.length > 0 ? summarisePaymentBacktest(paymentCases) : null,
    cases,
    paymentCases,
  };
}

/** Whether the report meets the targets: error below the naive forecast's, 80% coverage between 70% and 90%. */
export function meetsTargets(r: BacktestReport): boolean {
  return (
    r.rates.forecasts > 0 &&
    r.rates.maeForecast < r.rates.maeNaive &&
    r.rates.coverage80 >= 0.7 &&
    r.rates.coverage80 <= 0.9
  );
}

const points = (x: number) => `${(x * 100).toFixed(2)} points`;
const percent = (x: number) => `${(x * 100).toFixed(1)}%`;
const pounds = (pence: number) => `£${Math.round(pence / 100).toLocaleString('en-GB')}`;
const mark = (ok: boolean) => (ok ? 'met' : 'MISSED');

export function formatReport(r: BacktestReport): string {
  const lines: string[] = [];
  lines.push(`${r.label}`);
  if (r.rates.forecasts === 0) {
    lines.push('  no past contract year with figures at its last period: nothing to replay');
    return lines.join('\n');
  }
  const s = r.rates;
  lines.push(`  past contract years: ${r.years.join(', ')}; ${r.networks} networks; ${r.indicators} indicators`);
  lines.push(`  forecasts of a year-end rate:     ${s.forecasts.toLocaleString('en-GB')}`);
  lines.push(
    `  mean absolute error, forecast:    ${points(s.maeForecast)}   (${(s.maeForecast / s.maeNaive).toFixed(3)} × naive)   target: below naive   ${mark(s.maeForecast < s.maeNaive)}`,
  );
  lines.push(`  mean absolute error, naive:       ${points(s.maeNaive)}   ("the year ends where it is now")`);
  lines.push(
    `  80% interval held the outcome:    ${percent(s.coverage80)}   target: 70%–90%   ${mark(s.coverage80 >= 0.7 && s.coverage80 <= 0.9)}`,
  );
  lines.push('  by months to the year-end:  months  forecasts  MAE forecast  MAE naive  coverage');
  for (const m of r.byMonthsAhead) {
    lines.push(
      `                              ${String(m.monthsAhead).padStart(6)}  ${String(m.summary.forecasts).padStart(9)}  ${points(m.summary.maeForecast).padStart(12)}  ${points(m.summary.maeNaive).padStart(9)}  ${percent(m.summary.coverage80).padStart(8)}`,
    );
  }
  if (r.payments) {
    const p = r.payments;
    lines.push(`  payment forecasts (network × as-of period): ${p.forecasts}`);
    lines.push(
      `    error of the expected payment:        mean absolute ${pounds(p.maeExpectedPence)}, root mean square ${pounds(p.rmseExpectedPence)}`,
    );
    lines.push(
      `    error of the provisional statement:   mean absolute ${pounds(p.maeNaivePence)}, root mean square ${pounds(p.rmseNaivePence)}   ("if the year ended now")`,
    );
    lines.push(
      `    actual payment between 10th and 90th percentiles: ${percent(p.coverage1090)}   (80% if well calibrated)`,
    );
  } else {
    lines.push('  payments: the past years have no contract values, so there is no payment to forecast');
  }
  return lines.join('\n');
}
