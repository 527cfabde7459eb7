/**
 * Funnel plot limits around a pooled rate (SPEC section 5), in two kinds.
 *
 * **Wilson limits (chance variation only).** A limit at a denominator n is the rate whose Wilson interval at n
 * just reaches the centre c. The Wilson interval of a rate p is the set of c with (p − c)² ≤ z²·c(1 − c)/n, so
 * the rates whose interval just reaches c are
 *
 *   p = c ∓ z·√(c(1 − c)/n)
 *
 * (the familiar binomial funnel), clipped to 0–1. A practice is significantly high or low exactly when its own
 * Wilson interval excludes the centre.
 *
 * **Limits allowing for over-dispersion (additive random effects, Spiegelhalter 2005).** When practices differ
 * more than chance allows, most of them fall outside the Wilson limits. On the arcsine square-root scale, with
 * the pooled rate θ0 = Σy / Σn over the units plotted (every unit with a denominator above 0):
 *
 *   a = asin(√θ0),  Y_i = asin(√(y_i / n_i)),  s_i = 1 / (2√n_i),  z_i = (Y_i − a) / s_i
 *
 * The z-scores are Winsorised at their 10th and 90th percentiles (see winsorise.ts), the dispersion ratio φ is
 * the mean of the squared Winsorised scores over all k units, and the between-unit variance is
 *
 *   τ² = 0                                          when kφ < k − 1
 *   τ² = max(0, (kφ − (k − 1)) / (Σw − Σw² / Σw))   otherwise, with w_i = 1 / s_i² = 4n_i
 *
 * The limits at a denominator n are sin²(a ∓ z·√(1/(4n) + τ²)) with z = 1.959964 (95%) and 3.090232 (99.8%), the
 * figures SPEC section 5 states (the rounded normal quantiles; wilson.ts keeps the unrounded ones). The lower
 * limit is 0 when a − z·√(…) < 0 and the upper is 1 when a + z·√(…) > π/2: the clamp is on the angle, because
 * sin² of an angle below 0 or above π/2 turns back up (or down) and would draw a funnel that reopens. With
 * τ² = 0 these are the plain arcsine limits, close to (but not the same as) the Wilson limits.
 *
 * The adjusted limits are offered when φ > 1. Note that τ² is already above 0 when (k − 1)/k ≤ φ ≤ 1; the
 * adjusted limits are still not offered then: a dispersion ratio of at most 1 is what chance alone gives.
 *
 * Edge cases, decided here:
 * - Units with a denominator of 0 have no rate: they are left out of θ0, of the z-scores and of k.
 * - No unit with a denominator above 0 (k = 0): there is no pooled rate, so funnelOverdispersion returns null.
 * - One unit (k = 1): θ0 is its own rate, its z-score is exactly 0, so φ = 0 and τ² = 0 (there is nothing to
 *   compare it with; over-dispersion cannot be estimated, and the adjusted limits are never offered).
 * - Rates of 0 or 1 are used as they are (Y = 0 or π/2; no continuity correction). If every rate is 0 (θ0 = 0)
 *   every score is 0 and φ = 0; the arcsine limits at θ0 = 0 have a lower limit of 0 and an upper limit above 0.
 * - A rate exactly on a limit is within it, for both kinds of limit.
 */
import { wilsonInterval, Z } from './wilson';
import { winsorise } from './winsorise';
import { must } from './must';

export interface FunnelLimits {
  lower95: number;
  upper95: number;
  lower998: number;
  upper998: number;
}

export type FunnelSignificance = 'high-99.8' | 'high-95' | 'low-99.8' | 'low-95' | 'not-significant';

/** The z values SPEC section 5 gives for the arcsine (over-dispersion) limits. */
export const ARCSINE_Z = { 0.95: 1.959964, 0.998: 3.090232 } as const;

const NO_LIMITS: FunnelLimits = { lower95: 0, upper95: 1, lower998: 0, upper998: 1 };

const clip = (x: number) => Math.min(1, Math.max(0, x));

export function funnelLimits(centre: number, denominator: number): FunnelLimits {
  if (!(denominator > 0)) return { ...NO_LIMITS };
  const sd = Math.sqrt((centre * (1 - centre)) / denominator);
  return {
    lower95: clip(centre - Z[0.95] * sd),
    upper95: clip(centre + Z[0.95] * sd),
    lower998: clip(centre - Z[0.998] * sd),
    upper998: clip(centre + Z[0.998] * sd),
  };
}

/** Where a rate falls against a set of limits: strict comparisons (a rate on a limit is within it), 99.8% first. */
export function significanceAgainst(rate: number, limits: FunnelLimits): FunnelSignificance {
  if (rate > limits.upper998) return 'high-99.8';
  if (rate < limits.lower998) return 'low-99.8';
  if (rate > limits.upper95) return 'high-95';
  if (rate < limits.lower95) return 'low-95';
  return 'not-significant';
}

/** Where a practice's rate falls against the Wilson limits at its denominator. */
export function funnelSignificance(numerator: number, denominator: number, centre: number): FunnelSignificance {
  if (!(denominator > 0)) return 'not-significant';
  return significanceAgainst(numerator / denominator, funnelLimits(centre, denominator));
}

// ---------------------------------------------------------------------------------------------------------------
// Over-dispersion

export interface FunnelOverdispersion {
  /** θ0 = Σy / Σn over the units with a denominator above 0: the pooled rate as a proportion 0–1 (not an angle). */
  centre: number;
  /** The dispersion ratio: the mean squared Winsorised z-score. About 1 when only chance is at work. */
  phi: number;
  /** The between-unit variance τ² on the arcsine square-root scale (radians²). */
  tau2: number;
  /** k: how many units the estimate is over (those with a denominator above 0). */
  units: number;
}

function unitsWithRates(numerators: readonly number[], denominators: readonly number[]): { y: number; n: number }[] {
  if (numerators.length !== denominators.length) {
    throw new RangeError(
      `${numerators.length} numerators but ${denominators.length} denominators: give one of each per unit`,
    );
  }
  const out: { y: number; n: number }[] = [];
  numerators.forEach((y, i) => {
    const n = must(denominators[i], 'a denominator for every numerator (the lengths were checked)');
    if (!Number.isFinite(n) || n < 0)
      throw new RangeError(`unit ${i + 1}: denominator ${n} is not a count of 0 or more`);
    if (!Number.isFinite(y) || y < 0 || y > n) throw new RangeError(`unit ${i + 1}: numerator ${y} is outside 0–${n}`);
    if (n > 0) out.push({ y, n });
  });
  return out;
}

/**
 * The z-scores on the arcsine square-root scale against the pooled rate, one per unit with a denominator above 0
 * (in the order given; units with a denominator of 0 are left out). Empty when no unit has a denominator.
 */
export function arcsineZScores(numerators: readonly number[], denominators: readonly number[]): number[] {
  const units = unitsWithRates(numerators, denominators);
  return units.length === 0 ? [] : scoresAround(pooledRate(units), units);
}

const pooledRate = (units: readonly { y: number; n: number }[]) =>
  sum(units.map((u) => u.y)) / sum(units.map((u) => u.n));

function scoresAround(centre: number, units: readonly { y: number; n: number }[]): number[] {
  const a = Math.asin(Math.sqrt(centre));
  return units.map(({ y, n }) => (Math.asin(Math.sqrt(y / n)) - a) / (1 / (2 * Math.sqrt(n))));
}

/** φ and τ² for a set of units (SPEC section 5); null when no unit has a denominator above 0. */
export function funnelOverdispersion(
  numerators: readonly number[],
  denominators: readonly number[],
): FunnelOverdispersion | null {
  const units = unitsWithRates(numerators, denominators);
  const k = units.length;
  if (k === 0) return null;
  const centre = pooledRate(units);
  const scores = winsorise(scoresAround(centre, units), 10, 90);
  const phi = sum(scores.map((z) => z * z)) / k;
  let tau2 = 0;
  if (k >= 2 && k * phi >= k - 1) {
    const w = units.map((u) => 4 * u.n);
    const sw = sum(w);
    tau2 = Math.max(0, (k * phi - (k - 1)) / (sw - sum(w.map((x) => x * x)) / sw));
  }
  return { centre, phi, tau2, units: k };
}

/** The arcsine limits at a denominator around the pooled rate θ0 (`centre`, a proportion), widened by τ². */
export function adjustedFunnelLimits(centre: number, denominator: number, tau2: number): FunnelLimits {
  if (!(centre >= 0 && centre <= 1)) throw new RangeError(`centre ${centre} is not a proportion 0–1`);
  if (!(tau2 >= 0) || !Number.isFinite(tau2)) throw new RangeError(`τ² ${tau2} is not a variance of 0 or more`);
  if (!(denominator > 0)) return { ...NO_LIMITS };
  const a = Math.asin(Math.sqrt(centre));
  const sd = Math.sqrt(1 / (4 * denominator) + tau2);
  const lower = (z: number) => (a - z * sd < 0 ? 0 : Math.sin(a - z * sd) ** 2);
  const upper = (z: number) => (a + z * sd > Math.PI / 2 ? 1 : Math.sin(a + z * sd) ** 2);
  return {
    lower95: lower(ARCSINE_Z[0.95]),
    upper95: upper(ARCSINE_Z[0.95]),
    lower998: lower(ARCSINE_Z[0.998]),
    upper998: upper(ARCSINE_Z[0.998]),
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Which limits a chart shows, classifying against them, and saying so

/** The limits a funnel plot shows: chance variation only (Wilson), or allowing for over-dispersion. */
export type FunnelLimitsShown = { method: 'wilson' } | { method: 'additive-random-effects'; tau2: number };

export const WILSON_LIMITS: FunnelLimitsShown = { method: 'wilson' };

/** Whether the adjusted limits are offered: only when practices vary more than chance allows (φ > 1). */
export function adjustedLimitsOffered(od: FunnelOverdispersion | null): boolean {
  return od !== null && od.units >= 2 && od.phi > 1;
}

/** The limits to show: the adjusted ones when asked for and offered, otherwise the Wilson limits. */
export function chooseFunnelLimits(od: FunnelOverdispersion | null, adjustedWanted: boolean): FunnelLimitsShown {
  return adjustedWanted && od !== null && adjustedLimitsOffered(od)
    ? { method: 'additive-random-effects', tau2: od.tau2 }
    : WILSON_LIMITS;
}

export function limitsFor(centre: number, denominator: number, shown: FunnelLimitsShown): FunnelLimits {
  return shown.method === 'wilson'
    ? funnelLimits(centre, denominator)
    : adjustedFunnelLimits(centre, denominator, shown.tau2);
}

/**
 * Each unit's position against the limits shown at its own denominator, in the order given; null for a unit with
 * no figure or a denominator of 0 (it is not plotted).
 */
export function classifyFunnelUnits(
  centre: number,
  units: readonly { numerator: number | null; denominator: number | null }[],
  shown: FunnelLimitsShown,
): (FunnelSignificance | null)[] {
  return units.map(({ numerator, denominator }) =>
    numerator === null || denominator === null || !(denominator > 0)
      ? null
      : significanceAgainst(numerator / denominator, limitsFor(centre, denominator, shown)),
  );
}

/** φ for reading: one decimal place, or two when one would round a ratio other than 1 to "1.0". */
export function formatPhi(phi: number): string {
  const one = phi.toFixed(1);
  return one === '1.0' && phi !== 1 ? phi.toFixed(2) : one;
}

/** One plain sentence saying which limits a funnel plot shows and the dispersion ratio φ. */
export function funnelLimitsStatement(od: FunnelOverdispersion | null, shown: FunnelLimitsShown): string {
  if (shown.method === 'additive-random-effects') {
    const phi = od === null ? '' : `φ = ${formatPhi(od.phi)}, `;
    return `Limits allow for over-dispersion between practices (${phi}additive random effects).`;
  }
  if (od === null || od.units < 2)
    return 'Limits assume only chance variation (over-dispersion cannot be estimated from fewer than two practices).';
  const phi = `φ = ${formatPhi(od.phi)}`;
  if (od.phi > 1)
    return `Limits assume only chance variation (${phi}: practices differ more than chance alone explains).`;
  return `Limits assume only chance variation (${phi}).`;
}

// ---------------------------------------------------------------------------------------------------------------
// Drawing

/**
 * How far the limit curves run: twice the largest denominator plotted, so that a chart's denominator axis, fitted
 * to the points and rounded up to a whole step (at most about 1.6 times the largest), ends inside the curves.
 */
export const FUNNEL_CURVE_REACH = 2;

/** Points along the denominator axis for drawing the limit curves smoothly from 1 to a maximum. */
export function funnelCurve(
  centre: number,
  maxDenominator: number,
  steps = 60,
  shown: FunnelLimitsShown = WILSON_LIMITS,
): ({ denominator: number } & FunnelLimits)[] {
  const top = Math.max(2, Math.ceil(maxDenominator * FUNNEL_CURVE_REACH));
  const out: ({ denominator: number } & FunnelLimits)[] = [];
  for (let i = 0; i <= steps; i++) {
    // Geometric spacing: the curves bend most at small denominators.
    const denominator = Math.max(1, Math.round(Math.exp((Math.log(top) * i) / steps)));
    if (out.at(-1)?.denominator === denominator) continue;
    out.push({ denominator, ...limitsFor(centre, denominator, shown) });
  }
  return out;
}

/**
 * Everything a funnel plot of a network's practices needs: the limit curves and each practice's position against
 * the limits shown (the Wilson limits unless told otherwise), with the practice's own 95% Wilson interval.
 */
export function funnelPlot(
  centre: number,
  practices: readonly { code: string; numerator: number | null; denominator: number | null }[],
  shown: FunnelLimitsShown = WILSON_LIMITS,
) {
  const placed = practices.filter(
    (p): p is { code: string; numerator: number; denominator: number } =>
      p.numerator !== null && p.denominator !== null && p.denominator > 0,
  );
  const max = Math.max(1, ...placed.map((p) => p.denominator));
  return {
    centre,
    curve: funnelCurve(centre, max, 60, shown),
    practices: placed.map((p) => {
      const w = wilsonInterval(p.numerator, p.denominator, 0.95);
      return {
        code: p.code,
        significance: significanceAgainst(p.numerator / p.denominator, limitsFor(centre, p.denominator, shown)),
        lower95: w.lower,
        upper95: w.upper,
      };
    }),
  };
}

function sum(xs: readonly number[]): number {
  let s = 0;
  for (const x of xs) s += x;
  return s;
}

/**
 * A funnel plot with its over-dispersion reading: φ and τ² over the practices plotted, the limits chosen
 * (adjusted only when asked for and offered) and the sentence the chart prints about them.
 */
export function funnelWithDispersion(
  centre: number,
  practices: readonly { code: string; numerator: number | null; denominator: number | null }[],
  adjustedWanted: boolean,
) {
  const placed = practices.filter((p) => p.numerator !== null && p.denominator !== null && p.denominator > 0);
  const od = funnelOverdispersion(
    placed.map((p) => p.numerator ?? 0),
    placed.map((p) => p.denominator ?? 0),
  );
  const shown = chooseFunnelLimits(od, adjustedWanted);
  return {
    ...funnelPlot(centre, practices, shown),
    method: shown.method,
    phi: od && od.units >= 2 ? od.phi : null,
    tau2: od && od.units >= 2 ? od.tau2 : null,
    adjustedOffered: adjustedLimitsOffered(od),
    statement: funnelLimitsStatement(od, shown),
  };
}

/**
 * The funnel of one network's practices against every practice of every network (SPEC section 13): the centre
 * is the pooled rate of all the practices plotted, φ and τ² are estimated over all of them, and only the
 * network's own practices keep their code; the others are returned without one, in a stable order that says
 * nothing about who they are (by denominator, then numerator).
 */
export function peerFunnel(
  own: readonly { code: string; numerator: number | null; denominator: number | null }[],
  others: readonly { numerator: number | null; denominator: number | null }[],
  adjustedWanted: boolean,
) {
  const placed = (p: { numerator: number | null; denominator: number | null }) =>
    p.numerator !== null && p.denominator !== null && p.denominator > 0;
  const ours = own.filter(placed);
  const theirs = others
    .filter(placed)
    .map((p) => ({ numerator: p.numerator ?? 0, denominator: p.denominator ?? 0 }))
    .sort((a, b) => a.denominator - b.denominator || a.numerator - b.numerator);
  const all = [...ours.map((p) => ({ numerator: p.numerator ?? 0, denominator: p.denominator ?? 0 })), ...theirs];
  const numerators = all.map((p) => p.numerator);
  const denominators = all.map((p) => p.denominator);
  const od = funnelOverdispersion(numerators, denominators);
  if (!od) return null;
  const shown = chooseFunnelLimits(od, adjustedWanted);
  // Codes only to place the units; the others get placeholder keys that are dropped below.
  const plot = funnelPlot(od.centre, [...ours, ...theirs.map((p, i) => ({ ...p, code: `#${i}` }))], shown);
  return {
    centre: od.centre,
    curve: plot.curve,
    method: shown.method,
    phi: od.units >= 2 ? od.phi : null,
    tau2: od.units >= 2 ? od.tau2 : null,
    adjustedOffered: adjustedLimitsOffered(od),
    statement: funnelLimitsStatement(od, shown),
    practices: plot.practices.map((p, i) => {
      const unit = all[i] ?? { numerator: 0, denominator: 0 };
      return {
        code: i < ours.length ? p.code : null,
        numerator: unit.numerator,
        denominator: unit.denominator,
        significance: p.significance,
        lower95: p.lower95,
        upper95: p.upper95,
      };
    }),
  };
}
