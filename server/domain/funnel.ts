/**
 * Funnel plot limits around a network's pooled rate (SPEC section 5). A limit at a denominator n is the rate
 * whose Wilson interval at n just reaches the centre c. The Wilson interval of a rate p is the set of c with
 * (p − c)² ≤ z²·c(1 − c)/n, so the rates whose interval just reaches c are
 *
 *   p = c ∓ z·√(c(1 − c)/n)
 *
 * (the familiar binomial funnel), clipped to 0–1. A practice is significantly high or low exactly when its own
 * Wilson interval excludes the centre.
 */
import { wilsonInterval, Z } from './wilson';

export interface FunnelLimits {
  lower95: number;
  upper95: number;
  lower998: number;
  upper998: number;
}

export type FunnelSignificance = 'high-99.8' | 'high-95' | 'low-99.8' | 'low-95' | 'not-significant';

const clip = (x: number) => Math.min(1, Math.max(0, x));

export function funnelLimits(centre: number, denominator: number): FunnelLimits {
  if (!(denominator > 0)) return { lower95: 0, upper95: 1, lower998: 0, upper998: 1 };
  const sd = Math.sqrt((centre * (1 - centre)) / denominator);
  return {
    lower95: clip(centre - Z[0.95] * sd),
    upper95: clip(centre + Z[0.95] * sd),
    lower998: clip(centre - Z[0.998] * sd),
    upper998: clip(centre + Z[0.998] * sd),
  };
}

/** Where a practice's rate falls against the limits at its denominator: strict comparisons, 99.8% first. */
export function funnelSignificance(numerator: number, denominator: number, centre: number): FunnelSignificance {
  if (!(denominator > 0)) return 'not-significant';
  const rate = numerator / denominator;
  const l = funnelLimits(centre, denominator);
  if (rate > l.upper998) return 'high-99.8';
  if (rate < l.lower998) return 'low-99.8';
  if (rate > l.upper95) return 'high-95';
  if (rate < l.lower95) return 'low-95';
  return 'not-significant';
}

/** Points along the denominator axis for drawing the limit curves smoothly from 1 to a maximum. */
export function funnelCurve(centre: number, maxDenominator: number, steps = 60): ({ denominator: number } & FunnelLimits)[] {
  const top = Math.max(2, Math.ceil(maxDenominator * 1.1));
  const out: ({ denominator: number } & FunnelLimits)[] = [];
  for (let i = 0; i <= steps; i++) {
    // Geometric spacing: the curves bend most at small denominators.
    const denominator = Math.max(1, Math.round(Math.exp((Math.log(top) * i) / steps)));
    if (out.length && out[out.length - 1]!.denominator === denominator) continue;
    out.push({ denominator, ...funnelLimits(centre, denominator) });
  }
  return out;
}

/** Everything a funnel plot of a network's practices needs: the limit curves and each practice's position. */
export function funnelPlot(centre: number, practices: readonly { code: string; numerator: number | null; denominator: number | null }[]) {
  const placed = practices.filter((p): p is { code: string; numerator: number; denominator: number } => p.numerator !== null && p.denominator !== null && p.denominator > 0);
  const max = Math.max(1, ...placed.map((p) => p.denominator));
  return {
    centre,
    curve: funnelCurve(centre, max),
    practices: placed.map((p) => {
      const w = wilsonInterval(p.numerator, p.denominator, 0.95);
      return { code: p.code, significance: funnelSignificance(p.numerator, p.denominator, centre), lower95: w.lower, upper95: w.upper };
    }),
  };
}
