/**
 * XmR statistical process control as NHS England's "Making Data Count" draws it (SPEC section 5).
 *
 *   centre            = mean of the values (of each segment, when limits are recalculated)
 *   process limits    = mean ± 2.66 × mean moving range (moving ranges within the segment)
 *   two-sigma lines   = mean ± ⅔ × 2.66 × mean moving range
 *   special causes    = a point beyond a process limit;
 *                       a shift: 6 or more consecutive points on one side of their mean (a point on it breaks it);
 *                       a trend: 6 or more consecutive points, each strictly higher (or lower) than the one before;
 *                       two out of three consecutive points beyond the same two-sigma line, all three on the same
 *                       side of the mean (a point beyond the process limit does not count towards this rule)
 *   direction         = high-side causes are improvement when higher is better, concern when lower is better;
 *                       a point that is both improvement and concern shows improvement
 *   variation icon    = from the last point; assurance icon = the target against the latest limits
 *   fewer than 13 points: a run chart — the mean only, no limits, no special causes, no icons
 *
 * Runs (shift and trend) continue across a recalculation of limits; each point is judged against its own
 * segment's mean and lines.
 */

import { must } from './must';

export type Improvement = 'up' | 'down' | 'neither';
export type Special = 'improvement' | 'concern' | 'neither' | null;
export type Variation =
  | 'common-cause'
  | 'improvement-high'
  | 'improvement-low'
  | 'concern-high'
  | 'concern-low'
  | 'neither-high'
  | 'neither-low'
  | null;
export type Assurance = 'pass' | 'fail' | 'hit-and-miss' | null;

export interface SpcPoint {
  value: number;
  mean: number;
  upperLimit: number | null;
  lowerLimit: number | null;
  special: Special;
  /** Two-sigma lines (null with no limits). */
  upperTwoSigma: number | null;
  lowerTwoSigma: number | null;
  /** Which side the point's special cause is on; null when it has none. */
  side: 'high' | 'low' | null;
  /** Which rules flagged the point. */
  rules: ('beyond-limit' | 'shift' | 'trend' | 'two-of-three')[];
}

export interface SpcResult {
  points: SpcPoint[];
  variation: Variation;
  assurance: Assurance;
}

export interface SpcOptions {
  improvement?: Improvement;
  target?: number | null;
  recalculateFrom?: number[];
}

export const MIN_POINTS_FOR_LIMITS = 13;
const RUN = 6;
const LIMIT_FACTOR = 2.66;

type Rule = SpcPoint['rules'][number];

/** One point with its own segment's centre and lines, and the rules that flag it. */
interface Judged {
  value: number;
  mean: number;
  ucl: number;
  lcl: number;
  upper2: number;
  lower2: number;
  high: boolean;
  low: boolean;
  rules: Rule[];
}

function segments(length: number, recalculateFrom: number[]): [number, number][] {
  const starts = [...new Set(recalculateFrom.filter((i) => Number.isInteger(i) && i > 0 && i < length))].sort(
    (a, b) => a - b,
  );
  const out: [number, number][] = [];
  let start = 0;
  for (const end of [...starts, length]) {
    out.push([start, end]);
    start = end;
  }
  return out;
}

/** Each value with its segment's mean, process limits and two-sigma lines. */
function judge(values: number[], segs: [number, number][]): Judged[] {
  const out: Judged[] = [];
  for (const [start, end] of segs) {
    const seg = values.slice(start, end);
    const mean = seg.reduce((a, b) => a + b, 0) / seg.length;
    let mrSum = 0;
    let previous: number | null = null;
    for (const v of seg) {
      if (previous !== null) mrSum += Math.abs(v - previous);
      previous = v;
    }
    const mrBar = seg.length > 1 ? mrSum / (seg.length - 1) : 0;
    const ucl = mean + LIMIT_FACTOR * mrBar;
    const lcl = mean - LIMIT_FACTOR * mrBar;
    const upper2 = mean + (2 / 3) * (ucl - mean);
    const lower2 = mean - (2 / 3) * (mean - lcl);
    for (const value of seg) out.push({ value, mean, ucl, lcl, upper2, lower2, high: false, low: false, rules: [] });
  }
  return out;
}

/** Marks every point of each run of at least RUN points that share a non-zero key. */
function runs(keys: number[], mark: (index: number, key: number) => void): void {
  let start = 0;
  for (let i = 1; i <= keys.length; i++) {
    const key = keys[start];
    if (i === keys.length || keys[i] !== key || keys[i] === 0) {
      if (key !== undefined && key !== 0 && i - start >= RUN) for (let j = start; j < i; j++) mark(j, key);
      start = i;
    }
  }
}

export function analyseSpc(values: number[], options: SpcOptions = {}): SpcResult {
  const improvement = options.improvement ?? 'up';
  const target = options.target ?? null;
  const n = values.length;
  const points = judge(values, segments(n, options.recalculateFrom ?? []));

  if (n < MIN_POINTS_FOR_LIMITS) {
    return {
      points: points.map((p) => ({
        value: p.value,
        mean: p.mean,
        upperLimit: null,
        lowerLimit: null,
        upperTwoSigma: null,
        lowerTwoSigma: null,
        special: null,
        side: null,
        rules: [],
      })),
      variation: null,
      assurance: null,
    };
  }

  const flag = (i: number, side: 1 | -1, rule: Rule) => {
    const p = must(points[i], 'a point at a flagged index');
    if (side > 0) p.high = true;
    else p.low = true;
    if (!p.rules.includes(rule)) p.rules.push(rule);
  };

  // 1. Beyond a process limit.
  points.forEach((p, i) => {
    if (p.value > p.ucl) flag(i, 1, 'beyond-limit');
    else if (p.value < p.lcl) flag(i, -1, 'beyond-limit');
  });

  // 2. Shift: runs of points on one side of their own mean.
  const sideOfMean = points.map((p) => Math.sign(p.value - p.mean));
  runs(sideOfMean, (i, key) => flag(i, key > 0 ? 1 : -1, 'shift'));

  // 3. Trend: RUN points each strictly above (below) the one before. A point belongs to the run of
  //    the direction of the step into it; the first point of a run has no step, so runs are built on steps.
  const steps: number[] = [];
  let previous: number | null = null;
  for (const v of values) {
    steps.push(previous === null ? 0 : Math.sign(v - previous));
    previous = v;
  }
  let start = 1;
  for (let i = 2; i <= n; i++) {
    const direction = steps[start];
    if (i === n || steps[i] !== direction || steps[i] === 0) {
      // steps start..i-1 share a direction: points start-1..i-1 form the run.
      if (direction !== undefined && direction !== 0 && i - start + 1 >= RUN)
        for (let j = start - 1; j < i; j++) flag(j, direction > 0 ? 1 : -1, 'trend');
      start = i;
    }
  }

  // 4. Two of three beyond the same two-sigma line (not beyond the process limit), all three on one side.
  const closeHigh = points.map((p) => p.value > p.upper2 && p.value <= p.ucl);
  const closeLow = points.map((p) => p.value < p.lower2 && p.value >= p.lcl);
  for (let i = 0; i + 2 < n; i++) {
    const window = [i, i + 1, i + 2];
    for (const [close, side] of [
      [closeHigh, 1],
      [closeLow, -1],
    ] as const) {
      const sameSide = window.every((j) => sideOfMean[j] === side);
      const count = window.filter((j) => close[j]).length;
      if (sameSide && count >= 2) for (const j of window) if (close[j]) flag(j, side, 'two-of-three');
    }
  }

  const classify = (p: Judged): { special: Special; side: 'high' | 'low' | null } => {
    if (!p.high && !p.low) return { special: null, side: null };
    if (improvement === 'neither') return { special: 'neither', side: p.high ? 'high' : 'low' };
    const goodSide = improvement === 'up' ? p.high : p.low;
    if (goodSide) return { special: 'improvement', side: improvement === 'up' ? 'high' : 'low' };
    return { special: 'concern', side: improvement === 'up' ? 'low' : 'high' };
  };

  const result: SpcPoint[] = points.map((p) => ({
    value: p.value,
    mean: p.mean,
    upperLimit: p.ucl,
    lowerLimit: p.lcl,
    upperTwoSigma: p.upper2,
    lowerTwoSigma: p.lower2,
    ...classify(p),
    rules: p.rules,
  }));

  const last = must(points.at(-1), 'a last point (there are at least 13)');
  const { special, side } = classify(last);
  const variation: Variation = special === null ? 'common-cause' : (`${special}-${side}` as Variation);

  let assurance: Assurance = null;
  if (target !== null && improvement !== 'neither') {
    const lower = last.lcl;
    const upper = last.ucl;
    if (improvement === 'up') assurance = target <= lower ? 'pass' : target >= upper ? 'fail' : 'hit-and-miss';
    else assurance = target >= upper ? 'pass' : target <= lower ? 'fail' : 'hit-and-miss';
  }
  return { points: result, variation, assurance };
}
