/**
 * The few pieces of probability the year-end forecast needs: the normal distribution's CDF, a seeded
 * pseudo-random generator (so a forecast is the same every time it is computed, never Math.random), normal
 * draws from it, and percentiles of a sample.
 */
import { must } from './must';

/** The z of a two-sided 80% interval: Φ⁻¹(0.9). */
export const Z80 = 1.2815515655446004;

/**
 * Φ(z), the standard normal CDF, through the complementary error function. erfc is evaluated with the
 * Chebyshev-fitted exponential of Press et al. (Numerical Recipes, 2nd ed., §6.2), whose fractional error is
 * below 1.2 × 10⁻⁷ everywhere: ample for probabilities shown to a percent.
 */
export function normalCdf(z: number): number {
  if (z === Infinity) return 1;
  if (z === -Infinity) return 0;
  return 0.5 * erfc(-z / Math.SQRT2);
}

function erfc(x: number): number {
  const z = Math.abs(x);
  const t = 1 / (1 + 0.5 * z);
  const poly =
    -z * z -
    1.26551223 +
    t *
      (1.00002368 +
        t *
          (0.37409196 +
            t *
              (0.09678418 +
                t *
                  (-0.18628806 +
                    t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277))))))));
  const r = t * Math.exp(poly);
  return x >= 0 ? r : 2 - r;
}

/** The standard normal density φ(z). */
export function normalPdf(z: number): number {
  return Math.exp(-0.5 * z * z) / Math.sqrt(2 * Math.PI);
}

/**
 * A small, fast, seeded generator of uniform numbers in [0, 1) (mulberry32: a 32-bit state stepped by a
 * constant and mixed by multiply-xorshift). Not for secrets; for reproducible simulation only.
 */
export function seededUniform(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Standard normal draws from a uniform source (Box–Muller, one draw per pair of uniforms). */
export function normalDraws(uniform: () => number): () => number {
  return () => {
    const u = Math.max(uniform(), Number.MIN_VALUE);
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * uniform());
  };
}

/**
 * The p-th percentile (0–1) of a sample, by linear interpolation between order statistics (position
 * (k − 1)p counting from 0), the same convention as the funnel plot's Winsorising.
 */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) throw new RangeError('percentile of an empty sample');
  const sorted = [...values].sort((a, b) => a - b);
  const h = (sorted.length - 1) * p;
  const lo = Math.floor(h);
  const hi = Math.ceil(h);
  const low = must(sorted[lo], 'an order statistic inside the sample');
  const high = must(sorted[hi], 'an order statistic inside the sample');
  return low + (h - lo) * (high - low);
}

/** A stable 32-bit seed from a text (FNV-1a), so each network and year gets its own reproducible stream. */
export function seedFromText(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}
