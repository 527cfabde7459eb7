/**
 * The funnel plot the learning set sends: practices placed against the limits chosen, with φ, τ², the method and
 * the sentence the chart prints. Worked example: two practices, 10/100 and 90/100.
 *
 *   θ0 = 100/200 = 0.5, a = asin(√0.5) = π/4 = 0.785398
 *   Y = asin(√0.1) = 0.321751 and asin(√0.9) = 1.249046; s = 1/(2√100) = 0.05
 *   z = (0.321751 − 0.785398)/0.05 = −9.272952 and +9.272952
 *   Winsorised at the 10th/90th percentiles (h = (2 − 1)·0.1 = 0.1): −9.272952 + 0.1 × 18.545904 = −7.418362, and +7.418362
 *   φ = 7.418362² = 55.03210
 *   w = 4n = 400 each: Σw = 800, Σw²/Σw = 400; τ² = (2 × 55.03210 − 1)/(800 − 400) = 0.2726605
 *   adjusted 95% limits at n = 100: sd = √(1/400 + 0.2726605) = 0.524562; a ∓ 1.959964 × sd = 0.785398 ∓ 1.028123:
 *   below 0 and above π/2, so 0 and 1 — both practices are within them, while the Wilson limits put both beyond 99.8%.
 */
import { describe, expect, it } from 'vitest';
import { funnelWithDispersion } from '../../server/domain/funnel';

const practices = [
  { code: 'A', numerator: 10, denominator: 100 },
  { code: 'B', numerator: 90, denominator: 100 },
  { code: 'C', numerator: null, denominator: null },
];

describe('funnel with its over-dispersion reading', () => {
  it('gives φ and τ² over the practices plotted and offers the adjusted limits when φ > 1, showing Wilson limits unless asked', () => {
    const f = funnelWithDispersion(0.5, practices, false);
    expect(f.phi).toBeCloseTo(55.0321, 3);
    expect(f.tau2).toBeCloseTo(0.2726605, 6);
    expect(f.adjustedOffered).toBe(true);
    expect(f.method).toBe('wilson');
    expect(f.practices.map((p) => p.significance)).toEqual(['low-99.8', 'high-99.8']);
    expect(f.statement).toBe(
      'Limits assume only chance variation (φ = 55.0: practices differ more than chance alone explains).',
    );
  });
  it('draws and classifies against the additive random-effects limits when asked', () => {
    const f = funnelWithDispersion(0.5, practices, true);
    expect(f.method).toBe('additive-random-effects');
    expect(f.practices.map((p) => p.significance)).toEqual(['not-significant', 'not-significant']);
    // τ² is so large that the limits are 0 and 1 at every denominator drawn (up to 110).
    expect(f.curve.every((c) => c.lower95 === 0 && c.upper95 === 1 && c.lower998 === 0 && c.upper998 === 1)).toBe(true);
    expect(f.statement).toBe('Limits allow for over-dispersion between practices (φ = 55.0, additive random effects).');
  });
  it('with one practice there is nothing to compare: no φ, no τ², Wilson limits even when asked', () => {
    const f = funnelWithDispersion(0.1, [practices[0]!], true);
    expect(f).toMatchObject({ phi: null, tau2: null, adjustedOffered: false, method: 'wilson' });
    expect(f.statement).toMatch(/cannot be estimated from fewer than two practices/);
  });
});
