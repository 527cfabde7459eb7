/**
 * The forecast as a band over time (SPEC section 11.3, for the SPC chart): from the latest figure known at the
 * as-of period to the contract year's last period, the forecast rate and its 80% interval at each period still
 * to come, on the history's own spacing (every month for monthly data, every quarter for quarterly data) and
 * always ending at the year's last period. Each point is forecastRate (domain/forecast.ts) asked for that
 * period, so the band's last point is the year-end forecast itself. The first point is the latest figure, with
 * no width: the band starts where the observed line ends.
 */
import { forecastRate, typicalStep, type ForecastParameters, type RatePoint } from './forecast';
import { periodFromIndex, periodIndex } from './periods';

export interface ForecastPathPoint {
  period: string;
  forecastRate: number;
  lower80: number;
  upper80: number;
}

export function forecastPath(
  history: readonly RatePoint[],
  asOf: string,
  lastPeriod: string,
  params?: ForecastParameters,
): ForecastPathPoint[] {
  const asOfIndex = periodIndex(asOf);
  const known = history.filter((p) => p.denominator > 0 && periodIndex(p.period) <= asOfIndex);
  if (known.length === 0) return [];
  const indices = known.map((p) => periodIndex(p.period)).sort((a, b) => a - b);
  const latest = indices.at(-1) ?? asOfIndex;
  const last = periodIndex(lastPeriod);
  if (latest >= last) return [];
  const step = typicalStep(indices);
  // Periods to come, counted back from the year's last period on the history's spacing.
  const ahead: number[] = [];
  for (let i = last; i > latest; i -= step) ahead.unshift(i);
  const start = forecastRate(known, periodFromIndex(latest), params);
  const points: ForecastPathPoint[] = [];
  if (start.latestRate !== null)
    points.push({
      period: periodFromIndex(latest),
      forecastRate: start.latestRate,
      lower80: start.latestRate,
      upper80: start.latestRate,
    });
  for (const i of ahead) {
    const f = forecastRate(known, periodFromIndex(i), params);
    if (f.forecastRate === null || f.lower80 === null || f.upper80 === null) continue;
    points.push({ period: periodFromIndex(i), forecastRate: f.forecastRate, lower80: f.lower80, upper80: f.upper80 });
  }
  return points;
}
