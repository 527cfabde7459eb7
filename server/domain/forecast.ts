/**
 * The year-end forecast (SPEC section 11.3): where each indicator of a network will stand at the contract
 * year's last period, and what the network can expect to be paid.
 *
 * Method, in two sentences (the README says the same):
 *   The network's own pooled rate of an indicator, period by period (monthly or quarterly, earlier contract
 *   years included), is smoothed into a level and a trend (Holt's exponential smoothing): each new figure
 *   moves the level half-way towards itself and the trend a twentieth of the way towards the latest change
 *   in level, and the forecast carries the level on to the year's last period at that trend.
 *   The 80% interval is ±1.28 standard deviations of the method's own one-step-ahead errors on the network's
 *   history (never less than the sampling error of a rate with that denominator while fewer than three
 *   errors are known), widened for each period still to go as the same smoothing model implies, and the
 *   probability of meeting the target is the share of that normal distribution at or above the target.
 *
 * The payment, and dependence between indicators: the forecast errors of a network's indicators are taken
 * to share one common factor, with a correlation of 0.2 between any two (the backtests measured 0.15–0.18
 * between the demo networks' indicators and 0.37 between Tower Hamlets' four immunisation indicators, which
 * share their children and clinics). The expected payment is computed from the indicators' probabilities under
 * the year's domain rule: all-indicators, each domain pot × the probability that all its applicable
 * indicators are met (with ρ = 0 this would be the product of their probabilities; the shared factor makes it
 * larger when they are likely and smaller when not); per-indicator, each indicator pot × its expected fraction
 * (dependence does not change an expectation of a sum). The 10th and 90th percentiles come from a seeded
 * simulation of year-ends drawn the same way, each paid by the same statement function as the real statement.
 * Pure: no clock, no database; the caller hands in the history.
 */
import {
  indicatorAttainment,
  meetsTarget,
  type IndicatorAttainment,
  type IndicatorRule,
  type PeriodObservations,
} from './attainment';
import { networkStatement, type ContractYearRules } from './payment';
import { periodIndex } from './periods';
import { must } from './must';
import { normalCdf, normalDraws, normalPdf, percentile, seededUniform, seedFromText, Z80 } from './probability';

export interface ForecastParameters {
  /** Share of each new figure's surprise taken into the level. */
  alpha: number;
  /** Share of each change in level taken into the trend. */
  beta: number;
  /** How much of the trend carries on into the next period (1: all of it; below 1, a damped trend). */
  phi: number;
  /** One-step errors needed before the spread is taken from them alone. */
  minErrors: number;
}

export const FORECAST_PARAMETERS: ForecastParameters = { alpha: 0.5, beta: 0.05, phi: 1, minErrors: 3 };

export const FORECAST_METHOD =
  "Holt's exponential smoothing of the network's pooled rate (level 0.5, trend 0.05), 80% interval from its own one-step errors; indicators' errors correlated 0.2";

/** A network's pooled figure of an indicator at a period. */
export interface RatePoint {
  period: string;
  numerator: number;
  denominator: number;
}

export interface RateForecast {
  /** The latest figure used (the naive forecast "the year ends where it is now"). */
  latestPeriod: string | null;
  latestRate: number | null;
  /** Periods still to go from the latest figure to the year's last period (0 when that figure is known). */
  steps: number;
  forecastRate: number | null;
  lower80: number | null;
  upper80: number | null;
  /** Standard deviation of the forecast's error (rate units). */
  sd: number | null;
}

const clamp01 = (x: number) => Math.min(1, Math.max(0, x));

/**
 * The typical spacing of a history in months: the median gap between consecutive figures (1 for monthly
 * data, 3 for quarterly), 1 when there is a single figure.
 */
export function typicalStep(indices: readonly number[]): number {
  if (indices.length < 2) return 1;
  const gaps: number[] = [];
  let previous: number | null = null;
  for (const index of indices) {
    if (previous !== null) gaps.push(index - previous);
    previous = index;
  }
  gaps.sort((a, b) => a - b);
  return Math.max(1, must(gaps[Math.floor(gaps.length / 2)], 'a middle gap of two or more figures'));
}

/** Σ φ^i for i = 1..j: how much of today's trend has built up j periods ahead. */
function dampedSum(phi: number, j: number): number {
  let s = 0;
  let p = 1;
  for (let i = 1; i <= j; i++) {
    p *= phi;
    s += p;
  }
  return s;
}

/**
 * Forecasts the rate at `lastPeriod` from the figures in `history` (only those with a denominator above 0
 * count; the caller passes the figures known at the as-of period, no later ones).
 */
export function forecastRate(
  history: readonly RatePoint[],
  lastPeriod: string,
  params: ForecastParameters = FORECAST_PARAMETERS,
): RateForecast {
  const last = periodIndex(lastPeriod);
  const points = history
    .filter((p) => p.denominator > 0 && periodIndex(p.period) <= last)
    .sort((a, b) => periodIndex(a.period) - periodIndex(b.period));
  if (points.length === 0)
    return {
      latestPeriod: null,
      latestRate: null,
      steps: 0,
      forecastRate: null,
      lower80: null,
      upper80: null,
      sd: null,
    };
  const latest = must(points.at(-1), 'a latest figure of a history with figures');
  const latestRate = latest.numerator / latest.denominator;
  const indices = points.map((p) => periodIndex(p.period));
  const step = typicalStep(indices);
  const steps = Math.max(0, Math.ceil((last - periodIndex(latest.period)) / step));
  if (steps === 0)
    return {
      latestPeriod: latest.period,
      latestRate,
      steps,
      forecastRate: latestRate,
      lower80: latestRate,
      upper80: latestRate,
      sd: 0,
    };

  const { alpha, beta, phi } = params;
  const rates = points.map((p) => p.numerator / p.denominator);
  let level = must(rates[0], 'a first rate of a history with figures');
  let trend = 0;
  let sumSquares = 0;
  let errors = 0;
  for (const x of rates.slice(1)) {
    const predicted = level + phi * trend;
    const error = x - predicted;
    sumSquares += error * error;
    errors++;
    level = predicted + alpha * error;
    trend = phi * trend + alpha * beta * error;
  }
  const forecast = level + dampedSum(phi, steps) * trend;

  let variance = errors > 0 ? sumSquares / errors : 0;
  if (errors < params.minErrors)
    variance = Math.max(variance, (clamp01(latestRate) * (1 - clamp01(latestRate))) / latest.denominator);
  // Holt's (damped-trend) smoothing's h-step error variance: σ² (1 + Σ_{j=1}^{h−1} (α (1 + β Σ_{i=1}^{j} φ^i))²).
  let multiplier = 1;
  for (let j = 1; j < steps; j++) multiplier += (alpha * (1 + beta * dampedSum(phi, j))) ** 2;
  const sd = Math.sqrt(variance * multiplier);
  return {
    latestPeriod: latest.period,
    latestRate,
    steps,
    forecastRate: clamp01(forecast),
    lower80: clamp01(forecast - Z80 * sd),
    upper80: clamp01(forecast + Z80 * sd),
    sd,
  };
}

/**
 * The probability that the year ends at or above the target: exact when the year-end figure is already known,
 * otherwise the share of the forecast's normal distribution at or above the target.
 */
export function probabilityMet(f: RateForecast, targetBp: number, latest?: RatePoint): number | null {
  if (f.forecastRate === null || f.sd === null) return null;
  const target = targetBp / 10000;
  if (f.steps === 0 && latest) return meetsTarget(latest.numerator, latest.denominator, targetBp) ? 1 : 0;
  if (f.sd === 0) return f.forecastRate >= target ? 1 : 0;
  return 1 - normalCdf((target - f.forecastRate) / f.sd);
}

/**
 * The expected fraction of a sliding indicator's pot, E[clamp((X − L) / (T − L), 0, 1)] for X normal with the
 * forecast's mean and spread: 1 − σ (G(z_T) − G(z_L)) / (T − L), with G(z) = zΦ(z) + φ(z).
 */
export function expectedSlidingFraction(mean: number, sd: number, lowerBp: number, targetBp: number): number {
  const lower = lowerBp / 10000;
  const target = targetBp / 10000;
  if (target <= lower) return mean >= target ? 1 : 0;
  if (sd === 0) return clamp01((mean - lower) / (target - lower));
  const g = (z: number) => z * normalCdf(z) + normalPdf(z);
  return clamp01(1 - (sd * (g((target - mean) / sd) - g((lower - mean) / sd))) / (target - lower));
}

export interface IndicatorForecast {
  code: string;
  domain: string;
  targetBp: number;
  /** 'not-applicable': the latest figure's denominator is 0; 'no-data': the network has no figure yet. */
  state: 'forecast' | 'not-applicable' | 'no-data';
  latestPeriod: string | null;
  latestRate: number | null;
  forecastRate: number | null;
  lower80: number | null;
  upper80: number | null;
  probabilityMet: number | null;
  steps: number;
  sd: number | null;
  /** The denominator the simulated year-ends use: the latest figure's. */
  denominator: number;
}

export interface DomainForecast {
  code: string;
  potPence: number;
  /** Expected payment of the domain, to the penny. */
  expectedEarnedPence: number;
  /** Under all-indicators: the probability that every applicable indicator is met; null under per-indicator. */
  probabilityEarned: number | null;
  /** True when no indicator of the domain is applicable: its pot would be held, not paid. */
  notAssessable: boolean;
}

export interface NetworkForecast {
  network: string;
  year: string;
  asOf: string;
  method: string;
  indicators: IndicatorForecast[];
  domains: DomainForecast[];
  retrospectivePotPence: number;
  expectedEarnedPence: number;
  p10EarnedPence: number;
  p90EarnedPence: number;
  /** Simulated year-ends behind the percentiles. */
  draws: number;
}

export interface NetworkForecastInput {
  rules: ContractYearRules;
  network: {
    code: string;
    name: string;
    contractValuePence: number;
    practices: { code: string; listSize: number | null }[];
  };
  asOf: string;
  /** Indicator code → the network's pooled figures (any periods: those after `asOf` are ignored). */
  histories: ReadonlyMap<string, readonly RatePoint[]>;
  draws?: number;
  seed?: number;
  params?: ForecastParameters;
  /** Correlation of the forecast errors of any two indicators of the network (one shared factor). */
  correlation?: number;
}

export const FORECAST_CORRELATION = 0.2;

/**
 * The probability that every one of some indicators is met at the year-end when their forecast errors share
 * one normal factor with correlation ρ (ρ = 0: independent, the product of their probabilities):
 * ∫ φ(c) Π_i P(met_i | c) dc, with P(met_i | c) = Φ((μ_i − t_i + σ_i √ρ c) / (σ_i √(1 − ρ))), by the
 * trapezoid rule over c in [−8, 8].
 */
export function probabilityAllMet(
  forecasts: readonly Pick<IndicatorForecast, 'forecastRate' | 'sd' | 'targetBp' | 'probabilityMet' | 'steps'>[],
  correlation: number,
): number {
  let fixedProduct = 1;
  const uncertain: { forecastRate: number; sd: number; targetBp: number; probabilityMet: number }[] = [];
  for (const f of forecasts) {
    if (f.probabilityMet === null || f.sd === null || f.sd === 0 || f.steps === 0)
      fixedProduct *= f.probabilityMet ?? 0;
    else
      uncertain.push({
        forecastRate: must(f.forecastRate, 'a forecast rate beside its spread'),
        sd: f.sd,
        targetBp: f.targetBp,
        probabilityMet: f.probabilityMet,
      });
  }
  if (fixedProduct === 0 || uncertain.length === 0) return fixedProduct;
  if (correlation <= 0) return uncertain.reduce((acc, f) => acc * f.probabilityMet, fixedProduct);
  const shared = Math.sqrt(correlation);
  const own = Math.sqrt(1 - correlation);
  const steps = 640;
  const width = 16 / steps;
  let integral = 0;
  for (let k = 0; k <= steps; k++) {
    const c = -8 + k * width;
    let product = normalPdf(c);
    for (const f of uncertain)
      product *= normalCdf((f.forecastRate - f.targetBp / 10000 + f.sd * shared * c) / (f.sd * own));
    integral += (k === 0 || k === steps ? 0.5 : 1) * product * width;
  }
  return Math.min(1, Math.max(0, integral * fixedProduct));
}

const PSEUDO_MEMBER = [{ code: 'network', name: 'network' }];

/** An attainment line for a network-level figure, through the same rule as real attainment. */
function pooledAttainment(
  rule: IndicatorRule,
  figure: { numerator: number; denominator: number } | null,
): IndicatorAttainment {
  const observations: PeriodObservations = figure
    ? new Map([
        [
          'network',
          new Map([[rule.code, { numerator: figure.numerator, denominator: figure.denominator, exceptions: null }]]),
        ],
      ])
    : new Map();
  return indicatorAttainment(rule, PSEUDO_MEMBER, observations);
}

/** Forecasts one indicator of a network as of a period. */
export function forecastIndicator(
  rule: IndicatorRule,
  history: readonly RatePoint[],
  asOf: string,
  lastPeriod: string,
  params?: ForecastParameters,
): IndicatorForecast {
  const asOfIndex = periodIndex(asOf);
  const known = history.filter(
    (p) => periodIndex(p.period) <= asOfIndex && periodIndex(p.period) <= periodIndex(lastPeriod),
  );
  const latest = [...known].sort((a, b) => periodIndex(a.period) - periodIndex(b.period)).at(-1);
  const base = { code: rule.code, domain: rule.domain, targetBp: rule.targetBp };
  if (!latest) {
    return {
      ...base,
      state: 'no-data',
      latestPeriod: null,
      latestRate: null,
      forecastRate: null,
      lower80: null,
      upper80: null,
      probabilityMet: null,
      steps: 0,
      sd: null,
      denominator: 0,
    };
  }
  if (latest.denominator === 0) {
    return {
      ...base,
      state: 'not-applicable',
      latestPeriod: latest.period,
      latestRate: null,
      forecastRate: null,
      lower80: null,
      upper80: null,
      probabilityMet: null,
      steps: 0,
      sd: null,
      denominator: 0,
    };
  }
  const f = forecastRate(known, lastPeriod, params);
  return {
    ...base,
    state: 'forecast',
    latestPeriod: f.latestPeriod,
    latestRate: f.latestRate,
    forecastRate: f.forecastRate,
    lower80: f.lower80,
    upper80: f.upper80,
    probabilityMet: probabilityMet(f, rule.targetBp, latest),
    steps: f.steps,
    sd: f.sd,
    denominator: latest.denominator,
  };
}

/**
 * The network's year-end forecast: every indicator of the year's rules, and the expected retrospective payment
 * with its 10th and 90th percentiles.
 */
export function forecastNetwork(input: NetworkForecastInput): NetworkForecast {
  const { rules, network, asOf } = input;
  const draws = input.draws ?? 2000;
  const correlation = input.correlation ?? FORECAST_CORRELATION;
  const indicators = rules.indicators.map((rule) =>
    forecastIndicator(rule, input.histories.get(rule.code) ?? [], asOf, rules.lastPeriod, input.params),
  );
  const byCode = new Map(indicators.map((f) => [f.code, f]));
  const forecastOf = (code: string) => must(byCode.get(code), 'a forecast for every indicator of the rules');

  // The central year-end (each indicator at its forecast) fixes the pots: applicability does not change.
  const figureAt = (f: IndicatorForecast, rate: number | null) =>
    f.state === 'no-data'
      ? null
      : f.state === 'not-applicable'
        ? { numerator: 0, denominator: 0 }
        : {
            numerator: Math.round(clamp01(must(rate, 'a rate for an indicator with data')) * f.denominator),
            denominator: f.denominator,
          };
  const statementAt = (rate: (f: IndicatorForecast) => number | null) =>
    networkStatement(
      rules,
      network,
      rules.indicators.map((rule) => {
        const f = forecastOf(rule.code);
        return pooledAttainment(rule, figureAt(f, rate(f)));
      }),
    );
  const central = statementAt((f) => f.forecastRate);

  const domains: DomainForecast[] = central.domains.map((d) => {
    const applicable = d.indicators.filter((i) => i.state !== 'not-applicable');
    if (applicable.length === 0)
      return {
        code: d.code,
        potPence: d.potPence,
        expectedEarnedPence: 0,
        probabilityEarned: null,
        notAssessable: true,
      };
    if (rules.domainRule === 'all-indicators') {
      const p = probabilityAllMet(
        applicable.map((i) => forecastOf(i.code)),
        correlation,
      );
      return {
        code: d.code,
        potPence: d.potPence,
        expectedEarnedPence: Math.round(d.potPence * p),
        probabilityEarned: p,
        notAssessable: false,
      };
    }
    let expected = 0;
    for (const line of applicable) {
      const f = forecastOf(line.code);
      const rule = must(
        rules.indicators.find((r) => r.code === line.code),
        'a rule for every indicator of the statement',
      );
      let fraction = f.probabilityMet ?? 0;
      if (
        rule.mode === 'sliding' &&
        rule.lowerBp !== null &&
        rule.lowerBp < rule.targetBp &&
        f.forecastRate !== null &&
        f.sd !== null &&
        f.steps > 0
      ) {
        fraction = expectedSlidingFraction(f.forecastRate, f.sd, rule.lowerBp, rule.targetBp);
      } else if (rule.mode === 'sliding' && f.steps === 0 && f.forecastRate !== null) {
        fraction = line.fraction ?? 0; // the year-end figure is known: its exact fraction
      }
      expected += line.potPence * fraction;
    }
    return {
      code: d.code,
      potPence: d.potPence,
      expectedEarnedPence: Math.round(expected),
      probabilityEarned: null,
      notAssessable: false,
    };
  });

  const normal = normalDraws(seededUniform(input.seed ?? seedFromText(`${network.code}|${rules.code}|${asOf}`)));
  const earned: number[] = [];
  const shared = Math.sqrt(correlation);
  const own = Math.sqrt(1 - correlation);
  for (let s = 0; s < draws; s++) {
    const common = normal();
    const drawn = new Map(
      indicators.map((f) => [
        f.code,
        f.forecastRate === null || f.sd === null ? null : f.forecastRate + f.sd * (shared * common + own * normal()),
      ]),
    );
    earned.push(statementAt((f) => drawn.get(f.code) ?? null).earnedPence);
  }

  return {
    network: network.code,
    year: rules.code,
    asOf,
    method: FORECAST_METHOD,
    indicators,
    domains,
    retrospectivePotPence: central.retrospectivePotPence,
    expectedEarnedPence: domains.reduce((s, d) => s + d.expectedEarnedPence, 0),
    p10EarnedPence: Math.round(percentile(earned, 0.1)),
    p90EarnedPence: Math.round(percentile(earned, 0.9)),
    draws,
  };
}

/**
 * "At risk" on the overview's money panel: money a network's statement pays now that the forecast expects it
 * not to earn by the year's end,
 *
 *   atRisk = Σ over domains of max(0, earned now − expected year-end earnings)
 *
 * A domain the forecast expects to earn more than it does now adds nothing, and never offsets another domain's
 * expected loss (so a network can have money at risk and money releasable at once). A domain the forecast has
 * no figure for is expected to earn nothing. Whole pence in, whole pence out.
 */
export function atRiskPence(
  now: readonly { code: string; earnedPence: number }[],
  expected: readonly { code: string; expectedEarnedPence: number }[],
): number {
  const byCode = new Map(expected.map((d) => [d.code, d.expectedEarnedPence]));
  return now.reduce((sum, d) => sum + Math.max(0, d.earnedPence - (byCode.get(d.code) ?? 0)), 0);
}
