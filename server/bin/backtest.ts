/**
 * `npm run backtest [-- <database file> …]`: replays every past contract year of a database as of each of its
 * periods and reports how the year-end forecast did (SPEC section 11.3): the mean absolute error of the
 * forecast rate against the naive forecast "the year ends where it is now", and how often the 80% interval
 * held the outcome, beside the targets; and, where the year has contract values, the same for the payment.
 *
 * With no file named, it builds the demo database and the Tower Hamlets database in a temporary folder, runs
 * both and removes the folder. Exits with 1 when a target is missed, 2 on bad input.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { openDatabase, type DbHandle } from '../db/database';
import { migrate } from '../db/migrate';
import { listContractYears } from '../db/repositories/contract-years';
import { listNetworksAt } from '../db/repositories/reference';
import { listPeriodsWithData, loadAllIndicatorRules, loadMemberObservations, loadNetworkHistory, loadYearRules } from '../db/repositories/statements';
import { buildTowerHamlets, TOWER_HAMLETS_DIR } from '../datasets/tower-hamlets';
import { seedDemo } from '../demo';
import { standaloneSubmissions } from '../services/submission-worker';
import { readConfig } from '../config';
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
import { FORECAST_METHOD, forecastNetwork, type RatePoint } from '../domain/forecast';
import { networkSeries } from '../domain/series';
import { computeStatement } from '../domain/statement';

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
export async function backtestDatabase(handle: DbHandle, label: string, options: { draws?: number; correlation?: number } = {}): Promise<BacktestReport> {
  const periods = listPeriodsWithData(handle.sqlite);
  const latest = periods.at(-1);
  const years = latest ? pastYears(await listContractYears(handle.db), latest) : [];
  const allRules = loadAllIndicatorRules(handle.sqlite);
  const codes = [...new Set(allRules.map((r) => r.code))];
  const ruleAt = (code: string, period: string): IndicatorRule | null => allRules.find((r) => r.code === code && r.firstPeriod <= period && period <= r.lastPeriod) ?? null;
  const networks = latest ? await listNetworksAt(handle.db, latest) : [];

  const series: BacktestSeries[] = [];
  const histories = new Map<string, Map<string, RatePoint[]>>();
  for (const network of networks) {
    const history = loadNetworkHistory(handle.sqlite, network.code, codes);
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
    const rules = await loadYearRules(handle.db, year.code);
    if (!rules || rules.contractValues.size === 0) continue;
    for (const network of networks) {
      const value = rules.contractValues.get(network.code);
      if (value === undefined) continue;
      const statementAt = async (period: string) => {
        const [atPeriod] = await listNetworksAt(handle.db, period, network.code);
        const practices = atPeriod?.practices ?? [];
        const computed = computeStatement(rules, { code: network.code, name: network.name, contractValuePence: value, practices }, loadMemberObservations(handle.sqlite, period, network.code));
        return { practices, statement: computed.statement };
      };
      const final = await statementAt(year.lastPeriod);
      for (const asOf of periods.filter((p) => p >= year.firstPeriod && p < year.lastPeriod)) {
        const now = await statementAt(asOf);
        const f = forecastNetwork({
          rules,
          network: { code: network.code, name: network.name, contractValuePence: value, practices: now.practices },
          asOf,
          histories: histories.get(network.code)!,
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
    byMonthsAhead: months.map((m) => ({ monthsAhead: m, summary: summariseBacktest(cases.filter((c) => c.monthsAhead === m)) })),
    payments: paymentCases.length > 0 ? summarisePaymentBacktest(paymentCases) : null,
    cases,
    paymentCases,
  };
}

/** Whether the report meets the targets: error below the naive forecast's, 80% coverage between 70% and 90%. */
export function meetsTargets(r: BacktestReport): boolean {
  return r.rates.forecasts > 0 && r.rates.maeForecast < r.rates.maeNaive && r.rates.coverage80 >= 0.7 && r.rates.coverage80 <= 0.9;
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
  lines.push(`  mean absolute error, forecast:    ${points(s.maeForecast)}   (${(s.maeForecast / s.maeNaive).toFixed(3)} × naive)   target: below naive   ${mark(s.maeForecast < s.maeNaive)}`);
  lines.push(`  mean absolute error, naive:       ${points(s.maeNaive)}   ("the year ends where it is now")`);
  lines.push(`  80% interval held the outcome:    ${percent(s.coverage80)}   target: 70%–90%   ${mark(s.coverage80 >= 0.7 && s.coverage80 <= 0.9)}`);
  lines.push('  by months to the year-end:  months  forecasts  MAE forecast  MAE naive  coverage');
  for (const m of r.byMonthsAhead) {
    lines.push(
      `                              ${String(m.monthsAhead).padStart(6)}  ${String(m.summary.forecasts).padStart(9)}  ${points(m.summary.maeForecast).padStart(12)}  ${points(m.summary.maeNaive).padStart(9)}  ${percent(m.summary.coverage80).padStart(8)}`,
    );
  }
  if (r.payments) {
    const p = r.payments;
    lines.push(`  payment forecasts (network × as-of period): ${p.forecasts}`);
    lines.push(`    error of the expected payment:        mean absolute ${pounds(p.maeExpectedPence)}, root mean square ${pounds(p.rmseExpectedPence)}`);
    lines.push(`    error of the provisional statement:   mean absolute ${pounds(p.maeNaivePence)}, root mean square ${pounds(p.rmseNaivePence)}   ("if the year ended now")`);
    lines.push(`    actual payment between 10th and 90th percentiles: ${percent(p.coverage1090)}   (80% if well calibrated)`);
  } else {
    lines.push('  payments: the past years have no contract values, so there is no payment to forecast');
  }
  return lines.join('\n');
}

async function buildDatabase(file: string, kind: 'demo' | 'tower-hamlets', now: Date): Promise<void> {
  const handle = openDatabase(file);
  const submissions = standaloneSubmissions(handle, file, readConfig({}).rejectedBytesMax);
  try {
    migrate(handle.sqlite);
    if (kind === 'demo') await seedDemo(handle, submissions, now);
    else {
      const result = await buildTowerHamlets(handle, submissions, TOWER_HAMLETS_DIR, now);
      if (result.status !== 'accepted') throw new Error(`the Tower Hamlets COVER file was rejected: ${result.errors.slice(0, 3).map((e) => e.message).join('; ')}`);
    }
  } finally {
    await submissions.close();
    await handle.close();
  }
}

async function run(file: string, label: string): Promise<BacktestReport> {
  const handle = openDatabase(file);
  try {
    return await backtestDatabase(handle, label);
  } finally {
    await handle.close();
  }
}

async function main(args: string[]): Promise<number> {
  const reports: BacktestReport[] = [];
  console.log(`Year-end forecast backtest: ${FORECAST_METHOD}\n`);
  if (args.length === 0) {
    const dir = mkdtempSync(join(tmpdir(), 'backtest-'));
    try {
      const now = new Date();
      console.log('Building the demo and Tower Hamlets databases in a temporary folder…\n');
      await buildDatabase(join(dir, 'demo.sqlite'), 'demo', now);
      await buildDatabase(join(dir, 'tower-hamlets.sqlite'), 'tower-hamlets', now);
      for (const [file, label] of [
        ['demo.sqlite', 'Demo database (synthetic, fixtures/demo/)'],
        ['tower-hamlets.sqlite', 'Tower Hamlets database (published immunisation figures, fixtures/public/tower-hamlets/)'],
      ] as const) {
        const report = await run(join(dir, file), label);
        console.log(formatReport(report) + '\n');
        reports.push(report);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  } else {
    for (const arg of args) {
      const file = resolve(arg);
      if (!existsSync(file)) {
        console.error(`There is no database at ${file}; name an existing SQLite file (for example data/dashboard.sqlite after \`npm start\`), or run without arguments to build the demo and Tower Hamlets databases.`);
        return 2;
      }
      const report = await run(file, file);
      console.log(formatReport(report) + '\n');
      reports.push(report);
    }
  }
  return reports.some((r) => r.rates.forecasts > 0 && !meetsTargets(r)) ? 1 : 0;
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  process.exitCode = await main(process.argv.slice(2));
}
