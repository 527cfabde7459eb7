/**
 * Percentiles and Winsorisation, as the over-dispersion estimate of a funnel plot uses them (SPEC section 5).
 *
 * Percentile p of k values: sort them, x₀ ≤ x₁ ≤ … ≤ x₍ₖ₋₁₎, take the position h = (k − 1)·p counting from 0
 * and interpolate linearly between the order statistics either side of it:
 *
 *   P = x_⌊h⌋ + (h − ⌊h⌋)·(x_⌊h⌋₊₁ − x_⌊h⌋)
 *
 * (the usual "type 7" percentile of R and spreadsheets). Percentages are whole numbers, so h = (k − 1)·pct / 100
 * is exact whenever it is a whole number (a product of integers divided once).
 *
 * Winsorising at the 10th and 90th percentiles replaces a score strictly below the 10th percentile by it and a
 * score strictly above the 90th by it; scores between (or on) the cut points are kept as they are.
 */
import { must } from './must';

export function percentile(values: readonly number[], pct: number): number {
  if (values.length === 0) throw new RangeError('a percentile needs at least one value');
  if (!(pct >= 0 && pct <= 100)) throw new RangeError(`percentile ${pct} is outside 0–100`);
  const sorted = [...values].sort((x, y) => x - y);
  const h = ((sorted.length - 1) * pct) / 100;
  const below = Math.floor(h);
  const lower = must(sorted[below], 'an order statistic inside the sample');
  if (below === h) return lower;
  return lower + (h - below) * (must(sorted[below + 1], 'the next order statistic below the top') - lower);
}

/** The scores with those beyond the lower and upper percentiles pulled in to them, in the order given. */
export function winsorise(scores: readonly number[], lowerPct = 10, upperPct = 90): number[] {
  if (scores.length === 0) return [];
  const low = percentile(scores, lowerPct);
  const high = percentile(scores, upperPct);
  return scores.map((s) => (s < low ? low : s > high ? high : s));
}
