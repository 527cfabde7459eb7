/**
 * Funnel-plot over-dispersion (SPEC section 5), on worked examples a person can check with a calculator.
 *
 * Most examples pool to θ0 = 0.5, where the arcsine scale is easy by hand: a = asin(√0.5) = π/4, and for a rate p,
 * asin(√p) − π/4 = asin(2p − 1) / 2 (because sin²(π/4 + x) = (1 + sin 2x) / 2). With s = 1/(2√n) the z-score is
 * then z = √n · asin(2p − 1), and a limit at n is sin²(π/4 ± x) = (1 ± sin 2x) / 2 with x = z·√(1/(4n) + τ²).
 */
import { describe, expect, it } from 'vitest';
import {
  adjustedFunnelLimits,
  adjustedLimitsOffered,
  arcsineZScores,
  chooseFunnelLimits,
  classifyFunnelUnits,
  formatPhi,
  funnelCurve,
  funnelLimits,
  funnelLimitsStatement,
  funnelOverdispersion,
  funnelPlot,
  funnelSignificance,
  significanceAgainst,
  WILSON_LIMITS,
  type FunnelLimits,
} from '../../server/domain/funnel';
import { percentile, winsorise } from '../../server/domain/winsorise';

const close = (limits: FunnelLimits, digits = 6) => ({
  lower95: expect.closeTo(limits.lower95, digits),
  upper95: expect.closeTo(limits.upper95, digits),
  lower998: expect.closeTo(limits.lower998, digits),
  upper998: expect.closeTo(limits.upper998, digits),
});

describe('percentile and winsorise', () => {
  it.each([
    // values, pct, expected: h = (k − 1)·pct/100 counting from 0, linear between the order statistics
    { values: [5, 1, 4, 2, 3], pct: 10, expected: 1.4 }, // h = 0.4: 1 + 0.4·(2 − 1)
    { values: [5, 1, 4, 2, 3], pct: 90, expected: 4.6 }, // h = 3.6: 4 + 0.6·(5 − 4)
    { values: [10, 20], pct: 10, expected: 11 }, // h = 0.1: 10 + 0.1·10
    { values: [10, 20], pct: 90, expected: 19 }, // h = 0.9
    { values: [7], pct: 10, expected: 7 }, // one value is every percentile
    { values: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10], pct: 10, expected: 1 }, // h = 1 exactly: an order statistic
    { values: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10], pct: 90, expected: 9 }, // h = 9 exactly
  ])('percentile $pct of $values is $expected', ({ values, pct, expected }) => {
    expect(percentile(values, pct)).toBeCloseTo(expected, 12);
  });

  it('replaces only scores strictly beyond the cut points, keeping the order given', () => {
    // Cut points 1.4 and 4.6 (above): 1 → 1.4, 5 → 4.6, the rest unchanged.
    expect(winsorise([5, 1, 4, 2, 3])).toEqual([4.6, expect.closeTo(1.4, 12), 4, 2, 3]);
    // Eleven scores 0…10: cut points are the scores 1 and 9 themselves, which stay as they are.
    expect(winsorise([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10])).toEqual([1, 1, 2, 3, 4, 5, 6, 7, 8, 9, 9]);
    expect(winsorise([])).toEqual([]);
  });

  it('refuses an empty list or a percentage outside 0–100', () => {
    expect(() => percentile([], 10)).toThrow(RangeError);
    expect(() => percentile([1], 101)).toThrow(RangeError);
  });
});

describe('funnelOverdispersion: worked examples', () => {
  it('calm practices (kφ < k − 1): φ well below 1, τ² = 0', () => {
    // Five practices of 100 patients: 48, 52, 50, 50, 50. θ0 = 250/500 = 0.5.
    // z = 10·asin(2p − 1): 10·asin(−0.04) = −0.400107, +0.400107, 0, 0, 0.
    // Sorted −0.400107, 0, 0, 0, 0.400107. 10th percentile: h = 0.4 → −0.400107 + 0.4·0.400107 = −0.240064;
    // 90th: h = 3.6 → 0 + 0.6·0.400107 = 0.240064. Winsorised: ∓0.240064, 0, 0, 0.
    // φ = 2·0.240064² / 5 = 0.0230523. kφ = 0.115 < k − 1 = 4, so τ² = 0.
    const y = [48, 52, 50, 50, 50];
    const n = [100, 100, 100, 100, 100];
    expect(arcsineZScores(y, n)).toEqual([expect.closeTo(-0.400107, 6), expect.closeTo(0.400107, 6), 0, 0, 0]);
    expect(winsorise(arcsineZScores(y, n))).toEqual([
      expect.closeTo(-0.240064, 6),
      expect.closeTo(0.240064, 6),
      0,
      0,
      0,
    ]);
    const od = funnelOverdispersion(y, n)!;
    expect(od).toEqual({ centre: 0.5, phi: expect.closeTo(0.0230523, 7), tau2: 0, units: 5 });
    expect(adjustedLimitsOffered(od)).toBe(false);
  });

  it('with τ² = 0 the adjusted limits are the plain arcsine limits', () => {
    // At n = 100 around 0.5: x = 1.959964·√(1/400) = 0.0979982, so the 95% limits are (1 ∓ sin 0.1959964)/2
    // = (1 ∓ 0.194745)/2 = 0.402628 and 0.597372; 99.8%: x = 3.090232·0.05 = 0.1545116, (1 ∓ sin 0.3090232)/2
    // = 0.347936 and 0.652064. (The Wilson limits at the same n are 0.402002 and 0.597998: close, not equal.)
    expect(adjustedFunnelLimits(0.5, 100, 0)).toEqual(
      close({ lower95: 0.402628, upper95: 0.597372, lower998: 0.347936, upper998: 0.652064 }),
    );
    const od = funnelOverdispersion([48, 52, 50, 50, 50], [100, 100, 100, 100, 100])!;
    for (const m of [4, 100, 2500])
      expect(adjustedFunnelLimits(od.centre, m, od.tau2)).toEqual(adjustedFunnelLimits(0.5, m, 0));
  });

  it('(k − 1)/k ≤ φ ≤ 1: τ² is above 0, yet the adjusted limits are not offered', () => {
    // 38, 62, 50, 50, 50 of 100. z = 10·asin(∓0.24) = ∓2.423659, 0, 0, 0; Winsorised to ∓0.6·2.423659 = ∓1.454195.
    // φ = 2·1.454195² / 5 = 0.845873 ≥ (k − 1)/k = 0.8, so kφ − (k − 1) = 4.229367 − 4 = 0.229367.
    // w = 4n = 400 each: Σw = 2000, Σw² / Σw = 800000/2000 = 400, so τ² = 0.229367 / 1600 = 0.000143354.
    const od = funnelOverdispersion([38, 62, 50, 50, 50], [100, 100, 100, 100, 100])!;
    expect(od.phi).toBeCloseTo(0.845873, 6);
    expect(od.tau2).toBeCloseTo(0.000143354, 9);
    expect(adjustedLimitsOffered(od)).toBe(false);
    expect(chooseFunnelLimits(od, true)).toEqual(WILSON_LIMITS);
  });

  it('clearly over-dispersed practices: φ = 2π²/5, τ² = (2π² − 4)/1600, and wider limits', () => {
    // 25, 75, 50, 50, 50 of 100. Rates 0.25 and 0.75 sit at asin(√p) = π/6 and π/3, i.e. π/4 ∓ π/12, and
    // s = 1/(2·10) = 0.05, so z = ∓(π/12)/0.05 = ∓5π/3 = ∓5.235988, with 0, 0, 0.
    // 10th percentile: h = 0.4 → −5π/3 + 0.4·5π/3 = −π; 90th: +π. Winsorised: −π, π, 0, 0, 0.
    // φ = 2π²/5 = 3.947842. τ² = (5·φ − 4) / (2000 − 400) = (2π² − 4)/1600 = 0.00983701.
    const od = funnelOverdispersion([25, 75, 50, 50, 50], [100, 100, 100, 100, 100])!;
    expect(arcsineZScores([25, 75, 50, 50, 50], [100, 100, 100, 100, 100])[0]).toBeCloseTo((-5 * Math.PI) / 3, 9);
    expect(od.centre).toBe(0.5);
    expect(od.phi).toBeCloseTo(3.947842, 6);
    expect(od.tau2).toBeCloseTo(0.00983701, 8);
    expect(adjustedLimitsOffered(od)).toBe(true);
    // One limit by hand, n = 100: √(1/400 + 0.00983701) = √0.01233701 = 0.1110721;
    // x = 1.959964·0.1110721 = 0.2176973; upper 95% = (1 + sin 0.4353946)/2 = (1 + 0.4217682)/2 = 0.7108841.
    expect(adjustedFunnelLimits(0.5, 100, od.tau2)).toEqual(
      close({ lower95: 0.289116, upper95: 0.710884, lower998: 0.183092, upper998: 0.816908 }),
    );
    // The practices at 25% and 75% are beyond 99.8% against the Wilson limits, only beyond 95% against these.
    const units = [25, 75, 50].map((numerator) => ({ numerator, denominator: 100 }));
    expect(classifyFunnelUnits(od.centre, units, WILSON_LIMITS)).toEqual(['low-99.8', 'high-99.8', 'not-significant']);
    expect(classifyFunnelUnits(od.centre, units, chooseFunnelLimits(od, true))).toEqual([
      'low-95',
      'high-95',
      'not-significant',
    ]);
  });

  it('weights unequal denominators: Σw − Σw²/Σw', () => {
    // (y, n) = (20, 25), (40, 100), (200, 400), (55, 100), (10, 25): θ0 = 325/650 = 0.5.
    // z = √n·asin(2p − 1): 5·asin(0.6) = 3.217506, 10·asin(−0.2) = −2.013579, 0, 10·asin(0.1) = 1.001674,
    // 5·asin(−0.2) = −1.006790. Sorted: −2.013579, −1.006790, 0, 1.001674, 3.217506.
    // 10th: −2.013579 + 0.4·1.006790 = −1.610863; 90th: 1.001674 + 0.6·2.215832 = 2.331173.
    // Winsorised: 2.331173, −1.610863, 0, 1.001674, −1.006790; squares 5.434368 + 2.594880 + 0 + 1.003351 + 1.013626
    // = 10.046225, so φ = 2.009245. w = 4n = 100, 400, 1600, 400, 100: Σw = 2600, Σw² = 2,900,000,
    // Σw − Σw²/Σw = 2600 − 1115.3846 = 1484.6154. τ² = (10.046225 − 4) / 1484.6154 = 0.00407259.
    const od = funnelOverdispersion([20, 40, 200, 55, 10], [25, 100, 400, 100, 25])!;
    expect(od.centre).toBe(0.5);
    expect(od.phi).toBeCloseTo(2.009245, 6);
    expect(od.tau2).toBeCloseTo(0.00407259, 8);
  });

  it('uses rates of 0 and 1 as they are: φ = 8π²/3, τ² = (8π² − 2)/300, and the limits clamp at 0 and 1', () => {
    // (0, 25), (25, 25), (50, 100): θ0 = 75/150 = 0.5. z = 5·asin(−1) = −5π/2, 5·asin(1) = +5π/2, and 0.
    // k = 3: 10th percentile h = 0.2 → −5π/2 + 0.2·5π/2 = −2π; 90th h = 1.8 → 0 + 0.8·5π/2 = 2π.
    // φ = (4π² + 4π² + 0)/3 = 8π²/3 = 26.318945. w = 100, 100, 400: Σw = 600, Σw²/Σw = 180000/600 = 300,
    // so τ² = (3φ − 2)/(600 − 300) = (8π² − 2)/300 = 0.2565225.
    const od = funnelOverdispersion([0, 25, 50], [25, 25, 100])!;
    expect(od.phi).toBeCloseTo((8 * Math.PI ** 2) / 3, 9);
    expect(od.tau2).toBeCloseTo((8 * Math.PI ** 2 - 2) / 300, 9);
    // At n = 25: √(0.01 + 0.2565225) = 0.516258; 1.959964·0.516258 = 1.011847 > π/4 both ways, so the 95% limits
    // are clamped to 0 and 1, and the practices at 0% and 100% lie exactly on them: within.
    expect(adjustedFunnelLimits(0.5, 25, od.tau2)).toEqual({ lower95: 0, upper95: 1, lower998: 0, upper998: 1 });
    expect(
      classifyFunnelUnits(
        od.centre,
        [
          { numerator: 0, denominator: 25 },
          { numerator: 25, denominator: 25 },
        ],
        chooseFunnelLimits(od, true),
      ),
    ).toEqual(['not-significant', 'not-significant']);
  });
});

describe('funnelOverdispersion: edge cases', () => {
  it('leaves out units with a denominator of 0', () => {
    const withEmpty = funnelOverdispersion([48, 0, 52, 50, 50, 50], [100, 0, 100, 100, 100, 100]);
    expect(withEmpty).toEqual(funnelOverdispersion([48, 52, 50, 50, 50], [100, 100, 100, 100, 100]));
    expect(withEmpty!.units).toBe(5);
    expect(arcsineZScores([48, 0, 52], [100, 0, 100])).toHaveLength(2);
  });

  it('returns null when no unit has a denominator above 0', () => {
    expect(funnelOverdispersion([], [])).toBeNull();
    expect(funnelOverdispersion([0, 0], [0, 0])).toBeNull();
    expect(adjustedLimitsOffered(null)).toBe(false);
    expect(chooseFunnelLimits(null, true)).toEqual(WILSON_LIMITS);
  });

  it('one unit: the centre is its rate, its score is 0, φ = 0 and τ² = 0', () => {
    expect(funnelOverdispersion([7, 0], [20, 0])).toEqual({ centre: 0.35, phi: 0, tau2: 0, units: 1 });
  });

  it('every rate 0: φ = 0, τ² = 0, a lower limit of 0 and an upper limit above 0', () => {
    expect(funnelOverdispersion([0, 0, 0], [10, 20, 30])).toEqual({ centre: 0, phi: 0, tau2: 0, units: 3 });
    // a = 0; at n = 25, x = 1.959964·0.1 = 0.1959964: upper 95% = sin²(0.1959964) = 0.0379252;
    // upper 99.8% = sin²(3.090232·0.1) = sin²(0.3090232) = 0.0924940.
    expect(adjustedFunnelLimits(0, 25, 0)).toEqual(
      close({ lower95: 0, upper95: 0.0379252, lower998: 0, upper998: 0.092494 }),
    );
  });

  it('refuses mismatched lists and impossible counts', () => {
    expect(() => funnelOverdispersion([1, 2], [10])).toThrow(/2 numerators but 1 denominators/);
    expect(() => funnelOverdispersion([11], [10])).toThrow(RangeError);
    expect(() => funnelOverdispersion([-1], [10])).toThrow(RangeError);
    expect(() => funnelOverdispersion([1], [Number.NaN])).toThrow(RangeError);
    expect(() => adjustedFunnelLimits(1.2, 10, 0)).toThrow(RangeError);
    expect(() => adjustedFunnelLimits(0.5, 10, -0.1)).toThrow(RangeError);
  });
});

describe('adjustedFunnelLimits: clamping on the angle', () => {
  it.each([
    // centre 0.95, n = 4: a = asin(√0.95) = 1.345282, s = 0.25. 99.8%: a + 0.772558 > π/2 → upper 1;
    // lower sin²(1.345282 − 0.772558) = sin²(0.572724) = 0.293682. 95%: a + 0.489991 > π/2 → 1;
    // lower sin²(0.855291) = 0.569666.
    { centre: 0.95, n: 4, expected: { lower95: 0.569666, upper95: 1, lower998: 0.293682, upper998: 1 } },
    // centre 0.05, n = 4: a = 0.225513, below 0.489991 and 0.772558, so both lower limits are 0. (sin² of the
    // negative angle would give 0.2706 for the 99.8% lower limit, above the 95% one: a funnel turning back.)
    // upper 95% = sin²(0.715504) = 0.430334; upper 99.8% = sin²(0.998071) = 0.706318.
    { centre: 0.05, n: 4, expected: { lower95: 0, upper95: 0.430334, lower998: 0, upper998: 0.706318 } },
  ])('centre $centre, n = $n', ({ centre, n, expected }) => {
    expect(adjustedFunnelLimits(centre, n, 0)).toEqual(close(expected));
  });

  it('narrow as n grows but never below the between-practice spread, and give the whole range at n = 0', () => {
    const tau2 = 0.01;
    const wide = adjustedFunnelLimits(0.6, 50, tau2);
    const narrow = adjustedFunnelLimits(0.6, 5000, tau2);
    expect(narrow.upper95).toBeLessThan(wide.upper95);
    // As n → ∞ the 95% upper limit tends to sin²(asin(√0.6) + 1.959964·0.1) = sin²(1.082074) = 0.779571.
    expect(adjustedFunnelLimits(0.6, 1e12, tau2).upper95).toBeCloseTo(0.779571, 6);
    expect(adjustedFunnelLimits(0.6, 0, tau2)).toEqual({ lower95: 0, upper95: 1, lower998: 0, upper998: 1 });
  });
});

describe('classifying practices against the limits shown', () => {
  const limits = { lower95: 0.4, upper95: 0.6, lower998: 0.3, upper998: 0.7 };
  it.each([
    { rate: 3 / 5, expected: 'not-significant' }, // exactly on the 95% upper limit: within
    { rate: 0.61, expected: 'high-95' },
    { rate: 7 / 10, expected: 'high-95' }, // exactly on the 99.8% upper limit: beyond 95% only
    { rate: 0.71, expected: 'high-99.8' },
    { rate: 2 / 5, expected: 'not-significant' },
    { rate: 0.39, expected: 'low-95' },
    { rate: 0.29, expected: 'low-99.8' },
  ])('a rate of $rate is $expected', ({ rate, expected }) => {
    expect(significanceAgainst(rate, limits)).toBe(expected);
  });

  it('classifies against the Wilson limits exactly as funnelSignificance does', () => {
    const units = [70, 62, 55, 38, 30, 4, 0].map((numerator, i) => ({
      numerator,
      denominator: i === 5 ? 4 : i === 6 ? 0 : 100,
    }));
    expect(classifyFunnelUnits(0.5, units, WILSON_LIMITS)).toEqual([
      'high-99.8',
      'high-95',
      'not-significant',
      'low-95',
      'low-99.8',
      'high-95',
      null,
    ]);
    for (const u of units.slice(0, 6))
      expect(classifyFunnelUnits(0.5, [u], WILSON_LIMITS)[0]).toBe(funnelSignificance(u.numerator, u.denominator, 0.5));
    expect(classifyFunnelUnits(0.5, [{ numerator: null, denominator: null }], WILSON_LIMITS)).toEqual([null]);
  });

  it('draws and labels a funnel plot with the limits chosen, the practices keeping their Wilson intervals', () => {
    const od = funnelOverdispersion([25, 75, 50], [100, 100, 100])!;
    const shown = chooseFunnelLimits(od, true);
    const practices = [
      { code: 'Z00001', numerator: 25, denominator: 100 },
      { code: 'Z00002', numerator: 75, denominator: 100 },
      { code: 'Z00003', numerator: 50, denominator: 100 },
    ];
    const plain = funnelPlot(od.centre, practices);
    const adjusted = funnelPlot(od.centre, practices, shown);
    expect(plain.practices.map((p) => p.significance)).toEqual(['low-99.8', 'high-99.8', 'not-significant']);
    expect(adjusted.practices.map((p) => p.lower95)).toEqual(plain.practices.map((p) => p.lower95));
    expect(adjusted.curve.map((c) => c.denominator)).toEqual(plain.curve.map((c) => c.denominator));
    for (const c of adjusted.curve)
      expect(c).toEqual({ denominator: c.denominator, ...adjustedFunnelLimits(0.5, c.denominator, od.tau2) });
    for (const c of funnelCurve(0.5, 100))
      expect(c).toEqual({ denominator: c.denominator, ...funnelLimits(0.5, c.denominator) });
  });
});

describe('saying which limits are shown', () => {
  it.each([
    {
      od: { centre: 0.5, phi: 3.42, tau2: 0.01, units: 5 },
      adjusted: true,
      text: 'Limits allow for over-dispersion between practices (φ = 3.4, additive random effects).',
    },
    {
      od: { centre: 0.5, phi: 3.42, tau2: 0.01, units: 5 },
      adjusted: false,
      text: 'Limits assume only chance variation (φ = 3.4: practices differ more than chance alone explains).',
    },
    {
      od: { centre: 0.5, phi: 0.8, tau2: 0, units: 5 },
      adjusted: true,
      text: 'Limits assume only chance variation (φ = 0.8).',
    },
    {
      od: { centre: 0.5, phi: 0, tau2: 0, units: 1 },
      adjusted: true,
      text: 'Limits assume only chance variation (over-dispersion cannot be estimated from fewer than two practices).',
    },
    {
      od: null,
      adjusted: false,
      text: 'Limits assume only chance variation (over-dispersion cannot be estimated from fewer than two practices).',
    },
  ])('φ = $od.phi, adjusted wanted: $adjusted', ({ od, adjusted, text }) => {
    expect(funnelLimitsStatement(od, chooseFunnelLimits(od, adjusted))).toBe(text);
  });

  it('never rounds a ratio other than 1 to "1.0"', () => {
    expect(formatPhi(0.97)).toBe('0.97');
    expect(formatPhi(1.04)).toBe('1.04');
    expect(formatPhi(1)).toBe('1.0');
    expect(formatPhi(12.345)).toBe('12.3');
  });
});
