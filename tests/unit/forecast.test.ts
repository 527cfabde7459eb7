/**
 * The year-end forecast on constructed series whose answers can be worked out by hand: a flat series, a
 * steady rise, a year-end already known, quarterly figures; and the expected payment under both domain rules,
 * with and without dependence between indicators.
 */
import { describe, expect, it } from 'vitest';
import {
  expectedSlidingFraction,
  forecastIndicator,
  forecastNetwork,
  forecastRate,
  probabilityAllMet,
  probabilityMet,
  typicalStep,
  type RatePoint,
} from '../../server/domain/forecast';
import type { ContractYearRules } from '../../server/domain/payment';
import { addMonths } from '../../server/domain/periods';
import { normalCdf, percentile, seededUniform, seedFromText, Z80 } from '../../server/domain/probability';

const monthly = (from: string, numerators: number[], denominator = 1000): RatePoint[] =>
  numerators.map((numerator, t) => ({ period: addMonths(from, t), numerator, denominator }));

describe('probability helpers', () => {
  it('Φ: 0.5 at 0, 0.975 at 1.959964, 0.1 at −1.2815516, symmetric', () => {
    expect(normalCdf(0)).toBeCloseTo(0.5, 7);
    expect(normalCdf(1.959964)).toBeCloseTo(0.975, 6);
    expect(normalCdf(-Z80)).toBeCloseTo(0.1, 6);
    expect(normalCdf(2.3) + normalCdf(-2.3)).toBeCloseTo(1, 7);
    expect(normalCdf(-Infinity)).toBe(0);
    expect(normalCdf(Infinity)).toBe(1);
  });
  it('percentiles interpolate between order statistics: 10th of 1, 2, 3, 4 is 1.3; 90th is 3.7', () => {
    expect(percentile([4, 1, 3, 2], 0.1)).toBeCloseTo(1.3, 12);
    expect(percentile([4, 1, 3, 2], 0.9)).toBeCloseTo(3.7, 12);
    expect(percentile([5], 0.9)).toBe(5);
  });
  it('the seeded generator repeats itself for a seed and stays in [0, 1)', () => {
    const a = seededUniform(seedFromText('N1|2026-27|2026-10'));
    const b = seededUniform(seedFromText('N1|2026-27|2026-10'));
    const xs = Array.from({ length: 1000 }, () => a());
    expect(xs).toEqual(Array.from({ length: 1000 }, () => b()));
    expect(xs.every((x) => x >= 0 && x < 1)).toBe(true);
    expect(seedFromText('N1|2026-27|2026-10')).not.toBe(seedFromText('N2|2026-27|2026-10'));
  });
});

describe('forecast of a rate: a flat series', () => {
  it('twelve months flat at 80%: the forecast is 80% and the interval is centred on it', () => {
    const f = forecastRate(monthly('2025-04', Array(6).fill(800)), '2026-03');
    expect(f.steps).toBe(6);
    expect(f.forecastRate).toBeCloseTo(0.8, 12);
    expect((f.lower80! + f.upper80!) / 2).toBeCloseTo(0.8, 12);
    // five one-step errors, all 0: nothing in the network's history says it will move
    expect(f.sd).toBe(0);
    expect(probabilityMet(f, 8000)).toBe(1);
    expect(probabilityMet(f, 8001)).toBe(0);
  });
  it('two months flat at 800 / 1,000, one month to go: the spread is the sampling error √(0.8 × 0.2 / 1,000)', () => {
    // fewer than three one-step errors, so the variance is at least p(1 − p)/d = 0.00016, sd 0.0126491;
    // one step to go, so no widening: 0.8 ± 1.2815516 × 0.0126491 = 0.8 ± 0.0162105
    const f = forecastRate(monthly('2026-01', [800, 800]), '2026-03');
    expect(f.steps).toBe(1);
    expect(f.forecastRate).toBeCloseTo(0.8, 12);
    expect(f.sd).toBeCloseTo(0.0126491, 7);
    expect(f.lower80).toBeCloseTo(0.7837895, 7);
    expect(f.upper80).toBeCloseTo(0.8162105, 7);
    expect(probabilityMet(f, 8000)).toBeCloseTo(0.5, 7);
  });
  it('two steps to go widens the spread by √(1 + (α(1 + β))²) = √(1 + 0.525²)', () => {
    const one = forecastRate(monthly('2026-01', [800, 800]), '2026-03');
    const two = forecastRate(monthly('2025-12', [800, 800]), '2026-03');
    expect(two.steps).toBe(2);
    expect(two.sd! / one.sd!).toBeCloseTo(Math.sqrt(1 + 0.525 ** 2), 10);
  });
  it('a target far above the forecast has a probability near 0, far below near 1', () => {
    const f = forecastRate(monthly('2026-01', [800, 800]), '2026-03');
    expect(probabilityMet(f, 9500)).toBeLessThan(1e-6); // 11.9 standard deviations above
    expect(probabilityMet(f, 5000)).toBeGreaterThan(1 - 1e-6);
    expect(probabilityMet(f, 8500)).toBeLessThan(0.001); // 3.95 standard deviations above
  });
});

describe('forecast of a rate: a steady rise', () => {
  it('a rise learned over ten years (½ point a month) is carried on: 79.5% now, 85.0% eleven months later', () => {
    // Holt's smoothing tracks a straight line exactly once its trend has settled (here after 120 months)
    const f = forecastRate(
      monthly(
        '2015-05',
        Array.from({ length: 120 }, (_, t) => 200 + 5 * t),
      ),
      '2026-03',
    );
    expect(f.latestRate).toBeCloseTo(0.795, 12);
    expect(f.steps).toBe(11);
    expect(f.forecastRate!).toBeCloseTo(0.85, 3);
    expect(f.lower80!).toBeLessThan(0.85);
    expect(f.upper80!).toBeGreaterThan(0.85);
  });
  it('a rise seen for six months only is continued in part: above the latest figure, below the straight line', () => {
    // 50%, 51%, … 55% from April: the line would reach 61% in March; the trend is still being learned
    const f = forecastRate(monthly('2025-04', [500, 510, 520, 530, 540, 550]), '2026-03');
    expect(f.steps).toBe(6);
    expect(f.forecastRate!).toBeGreaterThan(0.55);
    expect(f.forecastRate!).toBeLessThan(0.61);
  });
  it('a steady fall is forecast to fall further, and the probability of meeting a target above it drops', () => {
    const f = forecastRate(
      monthly(
        '2024-03',
        Array.from({ length: 24 }, (_, t) => 900 - 3 * t),
      ),
      '2026-03',
    );
    expect(f.forecastRate!).toBeLessThan(f.latestRate!);
    expect(probabilityMet(f, Math.round(f.latestRate! * 10000))).toBeLessThan(0.5);
  });
});

describe('forecast of a rate: the edges', () => {
  it('when the year-end figure is known, it is the forecast, with no spread, and met is decided exactly', () => {
    const known = [
      ...monthly('2026-01', [2282, 2282], 2854),
      { period: '2026-03', numerator: 2282, denominator: 2854 },
    ];
    const f = forecastRate(known, '2026-03');
    expect(f).toMatchObject({ steps: 0, sd: 0, latestPeriod: '2026-03' });
    expect(f.forecastRate).toBe(2282 / 2854);
    // 2,282 / 2,854 = 79.96%: not met at 80% however the float rounds
    expect(probabilityMet(f, 8000, known.at(-1))).toBe(0);
    expect(probabilityMet(f, 7995, known.at(-1))).toBe(1); // 79.957% ≥ 79.95%
  });
  it('figures after the year-end and months with a denominator of 0 are left out', () => {
    const f = forecastRate(
      [
        ...monthly('2026-01', [800, 800]),
        { period: '2026-02', numerator: 0, denominator: 0 },
        { period: '2026-05', numerator: 1, denominator: 1000 },
      ],
      '2026-03',
    );
    expect(f.latestPeriod).toBe('2026-02');
    expect(f.forecastRate).toBeCloseTo(0.8, 12);
  });
  it('no figures: no forecast', () => {
    expect(forecastRate([], '2026-03')).toMatchObject({ forecastRate: null, latestRate: null, sd: null });
  });
  it('quarterly figures step by quarters: from December, March is one step away', () => {
    expect(typicalStep([0, 3, 6, 9])).toBe(3);
    expect(typicalStep([0, 1, 2, 5])).toBe(1);
    expect(typicalStep([7])).toBe(1);
    const f = forecastRate(
      [
        { period: '2023-06', numerator: 900, denominator: 1000 },
        { period: '2023-09', numerator: 900, denominator: 1000 },
        { period: '2023-12', numerator: 900, denominator: 1000 },
      ],
      '2024-03',
    );
    expect(f.steps).toBe(1);
  });
});

describe('expected fraction of a sliding indicator', () => {
  it('with no spread it is the fraction itself: 70% between 60% and 80% earns half', () => {
    expect(expectedSlidingFraction(0.7, 0, 6000, 8000)).toBeCloseTo(0.5, 12);
    expect(expectedSlidingFraction(0.9, 0, 6000, 8000)).toBe(1);
    expect(expectedSlidingFraction(0.5, 0, 6000, 8000)).toBe(0);
  });
  it('centred on the midpoint of the scale it is half, whatever the spread (the clamp is symmetric)', () => {
    for (const sd of [0.01, 0.05, 0.3]) expect(expectedSlidingFraction(0.7, sd, 6000, 8000)).toBeCloseTo(0.5, 6);
  });
  it('far above the target it is 1, far below the lower threshold 0', () => {
    expect(expectedSlidingFraction(0.99, 0.01, 6000, 8000)).toBeCloseTo(1, 6);
    expect(expectedSlidingFraction(0.3, 0.01, 6000, 8000)).toBeCloseTo(0, 6);
  });
});

describe('the probability that every indicator of a domain is met', () => {
  // targets set so each indicator's probability is exactly 0.5: forecast on the target
  const half = { forecastRate: 0.8, sd: 0.01, targetBp: 8000, probabilityMet: 0.5, steps: 3 };
  it('independent (ρ = 0): the product of the probabilities', () => {
    expect(probabilityAllMet([half, half], 0)).toBeCloseTo(0.25, 12);
    expect(probabilityAllMet([half, half, half], 0)).toBeCloseTo(0.125, 12);
  });
  it('correlated: two indicators each even money, ρ = 0.2, are both met with probability ¼ + asin(0.2)/2π = 0.282047', () => {
    // Sheppard's formula for the orthant probability of a bivariate normal
    expect(probabilityAllMet([half, half], 0.2)).toBeCloseTo(0.25 + Math.asin(0.2) / (2 * Math.PI), 5);
    expect(probabilityAllMet([half, half], 0.5)).toBeCloseTo(0.25 + Math.asin(0.5) / (2 * Math.PI), 5);
  });
  it('a known outcome multiplies in exactly: a known miss makes the domain impossible', () => {
    expect(probabilityAllMet([half, { ...half, steps: 0, sd: 0, probabilityMet: 1 }], 0.2)).toBeCloseTo(0.5, 6);
    expect(probabilityAllMet([half, { ...half, steps: 0, sd: 0, probabilityMet: 0 }], 0.2)).toBe(0);
    expect(probabilityAllMet([half, { ...half, probabilityMet: null, sd: null }], 0.2)).toBe(0);
  });
  it('a single indicator: its own probability, whatever the correlation', () => {
    // forecast 80%, sd 1 point, target 79%: one sd below, so P = Φ(1) = 0.841345
    const one = { forecastRate: 0.8, sd: 0.01, targetBp: 7900, probabilityMet: normalCdf(1), steps: 3 };
    expect(probabilityAllMet([one], 0)).toBeCloseTo(0.841345, 6);
    expect(probabilityAllMet([one], 0.2)).toBeCloseTo(0.841345, 5);
    expect(probabilityAllMet([one], 0.7)).toBeCloseTo(0.841345, 5);
  });
});

// A small contract year, worked by hand: contract value £10,000 → retrospective pot 300,000p; DM 60% =
// 180,000p (DM-BP weight 1: 60,000p; DM-CP weight 2: 120,000p); IMM 40% = 120,000p.
function year(
  domainRule: 'all-indicators' | 'per-indicator',
  mode: 'threshold' | 'sliding' = 'threshold',
): ContractYearRules {
  return {
    code: '2025-26',
    firstPeriod: '2025-04',
    lastPeriod: '2026-03',
    retrospectiveShareBp: 3000,
    domainRule,
    domains: [
      { code: 'DM', name: 'Diabetes', shareBp: 6000 },
      { code: 'IMM', name: 'Immunisation', shareBp: 4000 },
    ],
    indicators: [
      { code: 'DM-BP', domain: 'DM', targetBp: 8000, lowerBp: 6000, mode, weight: 1 },
      { code: 'DM-CP', domain: 'DM', targetBp: 8000, lowerBp: 6000, mode, weight: 2 },
      { code: 'IMM-MMR', domain: 'IMM', targetBp: 8000, lowerBp: 6000, mode, weight: 1 },
    ],
  };
}
const NETWORK = {
  code: 'N1',
  name: 'Riverside',
  contractValuePence: 1_000_000,
  practices: [
    { code: 'A', listSize: 6000 },
    { code: 'B', listSize: 4000 },
  ],
};

describe('the network forecast and its expected payment', () => {
  // Each indicator flat at exactly its 80% target for two months, a month to go: even money each.
  const evenMoney = new Map([
    ['DM-BP', monthly('2026-01', [800, 800])],
    ['DM-CP', monthly('2026-01', [800, 800])],
    ['IMM-MMR', monthly('2026-01', [800, 800])],
  ]);
  it('forecasts each indicator with its latest rate, interval and probability', () => {
    const f = forecastNetwork({
      rules: year('all-indicators'),
      network: NETWORK,
      asOf: '2026-02',
      histories: evenMoney,
      draws: 500,
    });
    expect(f).toMatchObject({ network: 'N1', year: '2025-26', asOf: '2026-02', retrospectivePotPence: 300_000 });
    expect(f.indicators.map((i) => i.code)).toEqual(['DM-BP', 'DM-CP', 'IMM-MMR']);
    for (const i of f.indicators) {
      expect(i).toMatchObject({ state: 'forecast', latestRate: 0.8, steps: 1 });
      expect(i.probabilityMet).toBeCloseTo(0.5, 6);
    }
  });
  it('all-indicators, independent: DM 180,000 × ½ × ½ + IMM 120,000 × ½ = 105,000p', () => {
    const f = forecastNetwork({
      rules: year('all-indicators'),
      network: NETWORK,
      asOf: '2026-02',
      histories: evenMoney,
      correlation: 0,
      draws: 500,
    });
    expect(f.domains.map((d) => [d.code, d.potPence, d.expectedEarnedPence])).toEqual([
      ['DM', 180_000, 45_000],
      ['IMM', 120_000, 60_000],
    ]);
    expect(f.expectedEarnedPence).toBe(105_000);
  });
  it('all-indicators, correlated 0.2: DM 180,000 × 0.282047 = 50,768p; IMM unchanged', () => {
    const f = forecastNetwork({
      rules: year('all-indicators'),
      network: NETWORK,
      asOf: '2026-02',
      histories: evenMoney,
      correlation: 0.2,
      draws: 500,
    });
    const dm = f.domains.find((d) => d.code === 'DM')!;
    expect(Math.abs(dm.expectedEarnedPence - 50_768)).toBeLessThanOrEqual(2);
    expect(f.domains.find((d) => d.code === 'IMM')!.expectedEarnedPence).toBe(60_000);
  });
  it('per-indicator: each pot × its probability, 60,000 + 120,000 + 120,000 halves = 150,000p, whatever the correlation', () => {
    for (const correlation of [0, 0.2, 0.6]) {
      expect(
        forecastNetwork({
          rules: year('per-indicator'),
          network: NETWORK,
          asOf: '2026-02',
          histories: evenMoney,
          correlation,
          draws: 200,
        }).expectedEarnedPence,
      ).toBe(150_000);
    }
  });
  it('per-indicator sliding: the expected fraction at the target with a symmetric spread is above ½', () => {
    const f = forecastNetwork({
      rules: year('per-indicator', 'sliding'),
      network: NETWORK,
      asOf: '2026-02',
      histories: evenMoney,
      draws: 200,
    });
    // E[clamp((X − 0.6)/0.2, 0, 1)] with X ~ N(0.8, 0.0126): the upper half is cut at 1, the lower loses a little
    const e = expectedSlidingFraction(0.8, 0.0126491, 6000, 8000);
    expect(e).toBeGreaterThan(0.96);
    expect(Math.abs(f.expectedEarnedPence - Math.round(300_000 * e))).toBeLessThanOrEqual(2);
  });
  it('the 10th and 90th percentiles come from simulated year-ends: 0 and 300,000p for four even-money outcomes', () => {
    // payments 0 (3/8), 120,000 (3/8), 180,000 (1/8), 300,000 (1/8) with independent indicators
    const f = forecastNetwork({
      rules: year('all-indicators'),
      network: NETWORK,
      asOf: '2026-02',
      histories: evenMoney,
      correlation: 0,
      draws: 2000,
    });
    expect(f.p10EarnedPence).toBe(0);
    expect(f.p90EarnedPence).toBe(300_000);
  });
  it('is the same every time it is computed (seeded), and changes with the seed', () => {
    const input = {
      rules: year('per-indicator', 'sliding'),
      network: NETWORK,
      asOf: '2026-02',
      histories: evenMoney,
      draws: 300,
    };
    expect(forecastNetwork(input)).toEqual(forecastNetwork(input));
    const a = forecastNetwork({ ...input, seed: 1 });
    const b = forecastNetwork({ ...input, seed: 2 });
    expect([a.p10EarnedPence, a.p90EarnedPence]).not.toEqual([b.p10EarnedPence, b.p90EarnedPence]);
  });
  it('a year-end already known is paid as the statement pays it, with no spread', () => {
    const known = new Map([
      ['DM-BP', monthly('2026-02', [810, 820])], // met in March
      ['DM-CP', monthly('2026-02', [800, 805])], // met
      ['IMM-MMR', monthly('2026-02', [800, 799])], // 79.9%: not met
    ]);
    const f = forecastNetwork({
      rules: year('all-indicators'),
      network: NETWORK,
      asOf: '2026-03',
      histories: known,
      draws: 100,
    });
    expect(f.indicators.map((i) => i.probabilityMet)).toEqual([1, 1, 0]);
    expect([f.expectedEarnedPence, f.p10EarnedPence, f.p90EarnedPence]).toEqual([180_000, 180_000, 180_000]);
  });
  it('figures after the as-of period are not used', () => {
    const later = new Map(
      [...evenMoney].map(([k, v]) => [k, [...v, { period: '2026-03', numerator: 100, denominator: 1000 }]]),
    );
    const f = forecastNetwork({
      rules: year('all-indicators'),
      network: NETWORK,
      asOf: '2026-02',
      histories: later,
      draws: 100,
    });
    expect(f.indicators.every((i) => i.latestPeriod === '2026-02' && i.latestRate === 0.8)).toBe(true);
  });
  it('a not-applicable indicator passes its pot to the others (per-indicator); a domain with none applicable is held, expecting nothing', () => {
    const histories = new Map([
      ['DM-BP', monthly('2026-01', [0, 0], 0)],
      ['DM-CP', monthly('2026-01', [800, 800])],
      ['IMM-MMR', monthly('2026-01', [0, 0], 0)],
    ]);
    const f = forecastNetwork({
      rules: year('per-indicator'),
      network: NETWORK,
      asOf: '2026-02',
      histories,
      draws: 200,
    });
    expect(f.indicators.map((i) => i.state)).toEqual(['not-applicable', 'forecast', 'not-applicable']);
    expect(f.domains).toEqual([
      { code: 'DM', potPence: 180_000, expectedEarnedPence: 90_000, probabilityEarned: null, notAssessable: false },
      { code: 'IMM', potPence: 120_000, expectedEarnedPence: 0, probabilityEarned: null, notAssessable: true },
    ]);
    expect(f.p90EarnedPence).toBeLessThanOrEqual(180_000);
  });
  it('an indicator with no figures at all counts as not met: its all-indicators domain expects nothing', () => {
    const histories = new Map([
      ['DM-BP', monthly('2026-01', [900, 900])],
      ['IMM-MMR', monthly('2026-01', [900, 900])],
    ]);
    const f = forecastNetwork({
      rules: year('all-indicators'),
      network: NETWORK,
      asOf: '2026-02',
      histories,
      draws: 200,
    });
    expect(f.indicators.find((i) => i.code === 'DM-CP')).toMatchObject({
      state: 'no-data',
      probabilityMet: null,
      forecastRate: null,
    });
    expect(f.domains.find((d) => d.code === 'DM')).toMatchObject({ expectedEarnedPence: 0, probabilityEarned: 0 });
    expect(f.p90EarnedPence).toBeLessThanOrEqual(120_000);
  });
  it('forecastIndicator uses only figures up to the as-of period', () => {
    const rule = year('all-indicators').indicators[0]!;
    const f = forecastIndicator(
      rule,
      [...monthly('2025-10', [700, 710, 720]), { period: '2026-01', numerator: 999, denominator: 1000 }],
      '2025-12',
      '2026-03',
    );
    expect(f.latestPeriod).toBe('2025-12');
    expect(f.latestRate).toBeCloseTo(0.72, 12);
  });
});
