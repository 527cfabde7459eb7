/** Attainment and patients needed, with worked examples that can be checked by hand. */
import { describe, expect, it } from 'vitest';
import {
  domainStanding,
  indicatorAttainment,
  meetsTarget,
  patientsNeeded,
  type IndicatorRule,
  type ObservationValue,
} from '../../server/domain/attainment';

const RULE: IndicatorRule = {
  code: 'DM-BP',
  domain: 'DM',
  targetBp: 7000,
  lowerBp: 5000,
  mode: 'threshold',
  weight: 1,
};

function obs(
  entries: Record<string, [number, number] | [number, number, number]>,
): Map<string, Map<string, ObservationValue>> {
  return new Map(
    Object.entries(entries).map(([code, [n, d, e]]) => [
      code,
      new Map([['DM-BP', { numerator: n, denominator: d, exceptions: e ?? null }]]),
    ]),
  );
}
const members = (...codes: string[]) => codes.map((code) => ({ code, name: `Practice ${code}` }));

describe('met: exact integer comparison n × 10000 ≥ t × d', () => {
  it('a rate exactly at the target meets it: 70/100 against 70%', () => {
    expect(meetsTarget(70, 100, 7000)).toBe(true);
    expect(patientsNeeded(70, 100, 7000)).toBe(0);
  });
  it('one patient short does not: 69/100 against 70% needs 1 more', () => {
    expect(meetsTarget(69, 100, 7000)).toBe(false);
    expect(patientsNeeded(69, 100, 7000)).toBe(1);
  });
  it('29/50 against 58% meets the target, where floating point says 57.99999…%', () => {
    expect((29 / 50) * 100).toBeLessThan(58); // the trap: 57.99999999999999
    expect(meetsTarget(29, 50, 5800)).toBe(true); // 290000 ≥ 290000
    expect(meetsTarget(28, 50, 5800)).toBe(false);
  });
  it('a zero denominator never meets and needs nobody', () => {
    expect(meetsTarget(0, 0, 7000)).toBe(false);
    expect(patientsNeeded(0, 0, 7000)).toBe(0);
  });
  it('patients needed rounds up to a whole patient: 500/760 against 70% needs 32 (532 × 10000 = 5 320 000 ≥ 7000 × 760)', () => {
    expect(patientsNeeded(500, 760, 7000)).toBe(32);
    expect(meetsTarget(531, 760, 7000)).toBe(false);
    expect(meetsTarget(532, 760, 7000)).toBe(true);
  });
  it('95% of 1 child: 0/1 needs 1; 95% of 20 children: 18/20 needs 1 (19/20 = 95%)', () => {
    expect(patientsNeeded(0, 1, 9500)).toBe(1);
    expect(patientsNeeded(18, 20, 9500)).toBe(1);
  });
});

describe('network attainment is pooled over the members at the period', () => {
  it('Σn / Σd, so the larger list weighs more: (60 + 10) / (100 + 50) = 46.7%', () => {
    const a = indicatorAttainment(RULE, members('A', 'B'), obs({ A: [60, 100, 4], B: [10, 50] }));
    expect(a).toMatchObject({
      numerator: 70,
      denominator: 150,
      exceptions: 4,
      complete: true,
      met: false,
      state: 'not-met',
      missingPractices: [],
    });
    expect(a.rate).toBeCloseTo(70 / 150, 12);
    expect(a.patientsNeeded).toBe(35); // 105 × 10000 ≥ 7000 × 150
    expect(a.practices.map((p) => [p.code, p.met, p.patientsNeeded])).toEqual([
      ['A', false, 10],
      ['B', false, 25],
    ]);
  });

  it('an incomplete month is shown as incomplete, never met, and names the missing practice', () => {
    const a = indicatorAttainment(RULE, members('A', 'B', 'C'), obs({ A: [90, 100], C: [80, 100] }));
    expect(a).toMatchObject({
      numerator: 170,
      denominator: 200,
      complete: false,
      met: false,
      state: 'incomplete',
      missingPractices: ['B'],
    });
    expect(a.practices[1]).toEqual({
      code: 'B',
      name: 'Practice B',
      numerator: null,
      denominator: null,
      exceptions: null,
      rate: null,
      met: null,
      patientsNeeded: null,
    });
  });

  it('a practice with a zero denominator counts as not applicable, not 0% or 100%', () => {
    const a = indicatorAttainment(RULE, members('A', 'B'), obs({ A: [75, 100], B: [0, 0] }));
    expect(a.met).toBe(true);
    expect(a.practices[1]).toMatchObject({ rate: null, met: null, patientsNeeded: null, denominator: 0 });
  });

  it('a network whose every denominator is 0 is not applicable', () => {
    const a = indicatorAttainment(RULE, members('A', 'B'), obs({ A: [0, 0], B: [0, 0] }));
    expect(a).toMatchObject({ state: 'not-applicable', met: false, rate: null, patientsNeeded: 0 });
  });

  it('uses the membership in force: a practice joining counts from that period, one leaving stops counting', () => {
    const data = obs({ A: [50, 100], B: [90, 100], C: [20, 100] });
    // September: A and B are members; October: B has left and C has joined.
    const september = indicatorAttainment(RULE, members('A', 'B'), data);
    const october = indicatorAttainment(RULE, members('A', 'C'), data);
    expect([september.numerator, september.denominator, september.met]).toEqual([140, 200, true]);
    expect([october.numerator, october.denominator, october.met]).toEqual([70, 200, false]);
    expect(october.practices.map((p) => p.code)).toEqual(['A', 'C']);
  });
});

describe('domain standing on the overview', () => {
  const a = (state: 'met' | 'not-met' | 'incomplete' | 'not-applicable') => ({
    state,
    met: state === 'met',
    complete: state !== 'incomplete',
  });
  it('is met only when every applicable indicator is met, incomplete while any is, not applicable with none', () => {
    expect(domainStanding([a('met'), a('met'), a('not-applicable')])).toEqual({ status: 'met', met: 2, applicable: 2 });
    expect(domainStanding([a('met'), a('not-met')])).toEqual({ status: 'not-met', met: 1, applicable: 2 });
    expect(domainStanding([a('met'), a('incomplete')])).toEqual({ status: 'incomplete', met: 1, applicable: 2 });
    expect(domainStanding([a('not-applicable')])).toEqual({ status: 'not-applicable', met: 0, applicable: 0 });
  });
});
