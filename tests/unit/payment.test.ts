/** The payment statement, with worked examples in pence that can be checked by hand. */
import { describe, expect, it } from 'vitest';
import { indicatorAttainment, type IndicatorRule, type ObservationValue } from '../../server/domain/attainment';
import { largestRemainder, mulDivRoundHalfUp } from '../../server/domain/exact';
import {
  fractionEarned,
  networkStatement,
  retrospectivePot,
  type ContractYearRules,
} from '../../server/domain/payment';

describe('exact money helpers', () => {
  it('rounds half up to the penny: 30% of £1,234.55 = 37,036.5p → 37,037p; of 12,345p = 3,703.5 → 3,704p', () => {
    expect(retrospectivePot(123_455, 3000)).toBe(37_037);
    expect(retrospectivePot(12_345, 3000)).toBe(3_704);
    expect(retrospectivePot(12_344, 3000)).toBe(3_703); // 3,703.2
    expect(retrospectivePot(25_000_000, 3000)).toBe(7_500_000);
  });
  it('largest remainder: 100p by 1:1:1 gives 34, 33, 33 (tie of remainders goes to the first in catalogue order)', () => {
    expect(largestRemainder(100, [1, 1, 1]).parts).toEqual([34, 33, 33]);
  });
  it('largest remainder: 10p by 2000:2000:2000:1500:1500:1000 bp', () => {
    // exact shares 2, 2, 2, 1.5, 1.5, 1 → floors 2, 2, 2, 1, 1, 1 (9p), the leftover penny to the first .5 (catalogue order)
    expect(largestRemainder(10, [2000, 2000, 2000, 1500, 1500, 1000]).parts).toEqual([2, 2, 2, 2, 1, 1]);
  });
  it('largest remainder: the larger remainder wins before catalogue order: 7p by 1:2 → 2.33, 4.67 → 2, 5', () => {
    expect(largestRemainder(7, [1, 2]).parts).toEqual([2, 5]);
  });
  it('parts always add up to the whole, to the penny', () => {
    for (const total of [0, 1, 99, 7_500_001, 123_456_789]) {
      for (const weights of [[1, 1, 1], [2000, 2000, 2000, 1500, 1500, 1000], [3, 0, 7], [1]]) {
        const { parts } = largestRemainder(total, weights);
        expect(parts.reduce((a, b) => a + b, 0)).toBe(total);
      }
    }
  });
  it('zero weights get nothing; all-zero weights leave the total unallocated', () => {
    expect(largestRemainder(10, [0, 1, 0]).parts).toEqual([0, 10, 0]);
    expect(largestRemainder(10, [0, 0])).toEqual({ parts: [0, 0], unallocated: 10 });
  });
  it('multiplies and divides exactly: 1p × 1/2 rounds half up to 1p', () => {
    expect(mulDivRoundHalfUp(1, 1, 2)).toBe(1);
    expect(mulDivRoundHalfUp(3, 1, 3)).toBe(1);
    expect(mulDivRoundHalfUp(5, 1, 4)).toBe(1); // 1.25
  });
});

describe('sliding mode', () => {
  const rule: IndicatorRule = { code: 'X', domain: 'DM', targetBp: 8000, lowerBp: 6000, mode: 'sliding', weight: 1 };
  const f = (n: number, d: number) => {
    const a = indicatorAttainment(
      rule,
      [{ code: 'A', name: 'A' }],
      new Map([['A', new Map([['X', { numerator: n, denominator: d, exceptions: null }]])]]),
    );
    return fractionEarned(rule, a);
  };
  it('between the thresholds: 70% between 60% and 80% earns half', () =>
    expect(f(70, 100)).toEqual({ num: 1, den: 2 }));
  it('exactly: 67/100 earns 7/20', () => expect(f(67, 100)).toEqual({ num: 7, den: 20 }));
  it('clamped at the bottom: 50% earns nothing, 60% earns nothing', () => {
    expect(f(50, 100)).toEqual({ num: 0, den: 1 });
    expect(f(60, 100)).toEqual({ num: 0, den: 1 });
  });
  it('clamped at the top: 80% and 95% earn all', () => {
    expect(f(80, 100)).toEqual({ num: 1, den: 1 });
    expect(f(95, 100)).toEqual({ num: 1, den: 1 });
  });
  it('not applicable with a zero denominator', () => expect(f(0, 0)).toBeNull());
});

// A small contract year: two domains, three indicators, worked by hand below.
function year(
  domainRule: 'all-indicators' | 'per-indicator',
  modes: ('threshold' | 'sliding')[] = ['threshold', 'threshold', 'threshold'],
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
      { code: 'DM-BP', domain: 'DM', targetBp: 7000, lowerBp: 5000, mode: modes[0]!, weight: 1 },
      { code: 'DM-CP', domain: 'DM', targetBp: 8500, lowerBp: 7000, mode: modes[1]!, weight: 2 },
      { code: 'IMM-MMR', domain: 'IMM', targetBp: 9500, lowerBp: 9000, mode: modes[2]!, weight: 1 },
    ],
  };
}
const MEMBERS = [
  { code: 'A', name: 'A' },
  { code: 'B', name: 'B' },
];
function attainment(rules: ContractYearRules, values: Record<string, Record<string, [number, number]>>) {
  const observations = new Map<string, Map<string, ObservationValue>>();
  for (const [practice, byIndicator] of Object.entries(values)) {
    observations.set(
      practice,
      new Map(
        Object.entries(byIndicator).map(([code, [n, d]]) => [code, { numerator: n, denominator: d, exceptions: null }]),
      ),
    );
  }
  return rules.indicators.map((r) => indicatorAttainment(r, MEMBERS, observations));
}
const NETWORK = {
  code: 'N1',
  name: 'Network 1',
  contractValuePence: 10_000_001,
  practices: [
    { code: 'A', listSize: 6000 },
    { code: 'B', listSize: 4000 },
  ],
};

describe('the statement', () => {
  // £100,000.01 × 30% = 3,000,000.3p → 3,000,000p; DM 60% = 1,800,000p, IMM 40% = 1,200,000p.
  // DM-BP weight 1, DM-CP weight 2: 600,000p and 1,200,000p.
  const allMet = {
    A: { 'DM-BP': [70, 100], 'DM-CP': [90, 100], 'IMM-MMR': [19, 20] },
    B: { 'DM-BP': [35, 50], 'DM-CP': [80, 100], 'IMM-MMR': [20, 20] },
  } as const;

  it('all-indicators: every indicator met earns the whole pot, split exactly', () => {
    const rules = year('all-indicators');
    const s = networkStatement(rules, NETWORK, attainment(rules, allMet as never));
    expect(s).toMatchObject({
      contractValuePence: 10_000_001,
      retrospectivePotPence: 3_000_000,
      prospectivePence: 7_000_001,
      earnedPence: 3_000_000,
      heldPence: 0,
      status: 'earned',
    });
    expect(s.domains.map((d) => [d.code, d.potPence, d.earnedPence, d.status])).toEqual([
      ['DM', 1_800_000, 1_800_000, 'earned'],
      ['IMM', 1_200_000, 1_200_000, 'earned'],
    ]);
    expect(s.domains[0]!.indicators.map((i) => [i.code, i.potPence, i.fraction, i.earnedPence])).toEqual([
      ['DM-BP', 600_000, 1, 600_000],
      ['DM-CP', 1_200_000, 1, 1_200_000],
    ]);
    expect(s.practiceSplit).toEqual([
      { code: 'A', listSize: 6000, pence: 1_800_000 },
      { code: 'B', listSize: 4000, pence: 1_200_000 },
    ]);
  });

  it('all-indicators: one indicator missed loses the whole domain; per-indicator loses only its pot', () => {
    // DM-CP: (84 + 85) / 200 = 84.5% < 85%
    const values = { ...allMet, A: { ...allMet.A, 'DM-CP': [84, 100] }, B: { ...allMet.B, 'DM-CP': [85, 100] } };
    const all = year('all-indicators');
    const a = networkStatement(all, NETWORK, attainment(all, values as never));
    expect(a.domains[0]).toMatchObject({ earnedPence: 0, status: 'not-earned' });
    expect(a).toMatchObject({ earnedPence: 1_200_000, status: 'partial' });
    const per = year('per-indicator');
    const p = networkStatement(per, NETWORK, attainment(per, values as never));
    expect(p.domains[0]).toMatchObject({ earnedPence: 600_000, status: 'partial' });
    expect(p.earnedPence).toBe(1_800_000);
  });

  it('per-indicator with sliding mode: DM-CP at 77.5% between 70% and 85% earns half its pot', () => {
    const rules = year('per-indicator', ['threshold', 'sliding', 'threshold']);
    const values = { ...allMet, A: { ...allMet.A, 'DM-CP': [75, 100] }, B: { ...allMet.B, 'DM-CP': [80, 100] } };
    const s = networkStatement(rules, NETWORK, attainment(rules, values as never));
    const cp = s.domains[0]!.indicators[1]!;
    expect([cp.fractionExact, cp.earnedPence]).toEqual(['1/2', 600_000]);
    expect(s.earnedPence).toBe(600_000 + 600_000 + 1_200_000);
  });

  it('per-indicator sliding rounds each indicator half up to the penny: 1/3 of 1,000,001p = 333,333.67p → 333,334p', () => {
    const rules: ContractYearRules = {
      ...year('per-indicator', ['sliding', 'threshold', 'threshold']),
      retrospectiveShareBp: 10000,
      domains: [
        { code: 'DM', name: 'Diabetes', shareBp: 10000 },
        { code: 'IMM', name: 'Immunisation', shareBp: 0 },
      ],
    };
    rules.indicators = [{ ...rules.indicators[0]!, targetBp: 8000, lowerBp: 5000 }];
    const s = networkStatement(
      rules,
      { ...NETWORK, contractValuePence: 1_000_001 },
      attainment(rules, { A: { 'DM-BP': [60, 100] }, B: { 'DM-BP': [0, 0] } }),
    );
    expect(s.domains[0]!.indicators[0]).toMatchObject({
      fractionExact: '1/3',
      potPence: 1_000_001,
      earnedPence: 333_334,
    });
  });

  it('a not-applicable indicator takes no share: per-indicator splits the domain pot among the applicable ones', () => {
    const rules = year('per-indicator');
    const values = { A: { ...allMet.A, 'DM-BP': [0, 0] }, B: { ...allMet.B, 'DM-BP': [0, 0] } };
    const s = networkStatement(rules, NETWORK, attainment(rules, values as never));
    expect(s.domains[0]!.indicators.map((i) => [i.code, i.state, i.potPence, i.fraction, i.earnedPence])).toEqual([
      ['DM-BP', 'not-applicable', 0, null, 0],
      ['DM-CP', 'met', 1_800_000, 1, 1_800_000],
    ]);
    expect(s.domains[0]!.status).toBe('earned');
  });

  it('a domain with no applicable indicator is not assessable: its pot is held, neither paid nor withheld', () => {
    const rules = year('all-indicators');
    const values = { A: { ...allMet.A, 'IMM-MMR': [0, 0] }, B: { ...allMet.B, 'IMM-MMR': [0, 0] } };
    const s = networkStatement(rules, NETWORK, attainment(rules, values as never));
    expect(s.domains[1]).toMatchObject({ code: 'IMM', potPence: 1_200_000, earnedPence: 0, status: 'not-assessable' });
    expect(s).toMatchObject({ earnedPence: 1_800_000, heldPence: 1_200_000, status: 'earned' });
  });

  it('an incomplete indicator earns nothing yet and marks the domain and network incomplete', () => {
    const rules = year('per-indicator');
    const values = { A: allMet.A, B: { 'DM-BP': allMet.B['DM-BP'], 'IMM-MMR': allMet.B['IMM-MMR'] } };
    const s = networkStatement(rules, NETWORK, attainment(rules, values as never));
    expect(s.incompleteIndicators).toEqual(['DM-CP']);
    expect(s.domains[0]).toMatchObject({ status: 'incomplete', earnedPence: 600_000 });
    expect(s.domains[0]!.indicators[1]).toMatchObject({
      complete: false,
      missingPractices: ['B'],
      fraction: 0,
      earnedPence: 0,
    });
    expect(s.status).toBe('incomplete');
  });

  it('every penny adds up: prospective + pot = value, domain pots = pot, indicator pots = domain pot', () => {
    for (const value of [1, 7, 99_999, 25_012_345, 26_999_999]) {
      const rules = year('per-indicator');
      const s = networkStatement(rules, { ...NETWORK, contractValuePence: value }, attainment(rules, allMet as never));
      expect(s.prospectivePence + s.retrospectivePotPence).toBe(value);
      expect(s.domains.reduce((a, d) => a + d.potPence, 0)).toBe(s.retrospectivePotPence);
      for (const d of s.domains) expect(d.indicators.reduce((a, i) => a + i.potPence, 0)).toBe(d.potPence);
      expect(s.practiceSplit.reduce((a, p) => a + p.pence, 0)).toBe(s.earnedPence);
    }
  });
});

describe('statement input hash', () => {
  it('is the same for the same inputs and changes when any input changes', async () => {
    const { networkInputHash } = await import('../../server/domain/statement-hash');
    const values = new Map([['A', new Map([['X', { numerator: 1, denominator: 2, exceptions: null }]])]]);
    const practices = [{ code: 'A', listSize: 100 }];
    const base = networkInputHash('{"rules":1}', '2026-03', 'N1', 100, practices, values, ['X']);
    expect(networkInputHash('{"rules":1}', '2026-03', 'N1', 100, practices, values, ['X'])).toBe(base);
    const changed = new Map([['A', new Map([['X', { numerator: 2, denominator: 2, exceptions: null }]])]]);
    expect(networkInputHash('{"rules":1}', '2026-03', 'N1', 100, practices, changed, ['X'])).not.toBe(base);
    expect(networkInputHash('{"rules":2}', '2026-03', 'N1', 100, practices, values, ['X'])).not.toBe(base);
    expect(networkInputHash('{"rules":1}', '2026-03', 'N1', 101, practices, values, ['X'])).not.toBe(base);
    expect(
      networkInputHash('{"rules":1}', '2026-03', 'N1', 100, [{ code: 'A', listSize: 99 }], values, ['X']),
    ).not.toBe(base);
  });
});
