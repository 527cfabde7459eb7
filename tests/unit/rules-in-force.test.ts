/** Which rules apply when (server/domain/rules-in-force.ts): each month by its own contract year's rules. */
import { describe, expect, it } from 'vitest';
import { latestCatalogue, previousPeriodWithData, ruleLookup } from '../../server/domain/rules-in-force';

const RULES = [
  { year: '2025-26', code: 'DM-CP', firstPeriod: '2025-04', lastPeriod: '2026-03', targetBp: 8500 },
  { year: '2025-26', code: 'DM-BP', firstPeriod: '2025-04', lastPeriod: '2026-03', targetBp: 7000 },
  { year: '2026-27', code: 'DM-CP', firstPeriod: '2026-04', lastPeriod: '2027-03', targetBp: 8700 },
  { year: '2026-27', code: 'DM-FOOT', firstPeriod: '2026-04', lastPeriod: '2027-03', targetBp: 6000 },
];

describe('the rule in force at a month', () => {
  const at = ruleLookup(RULES);
  it.each([
    ['DM-CP', '2026-03', 8500], // March 2026 is the last month of 2025-26
    ['DM-CP', '2026-04', 8700], // April starts 2026-27, with its own target
    ['DM-BP', '2025-11', 7000],
    ['DM-BP', '2026-04', null], // 2026-27 dropped DM-BP
    ['DM-FOOT', '2026-01', null], // and added DM-FOOT, which 2025-26 did not have
    ['DM-CP', '2027-04', null], // no contract year covers it
  ] as const)('%s at %s: %s', (code, period, target) => {
    expect(at(code, period)?.targetBp ?? null).toBe(target);
  });
});

describe('the current catalogue', () => {
  it('is the latest year’s indicators, in its order', () => {
    expect(latestCatalogue(RULES).map((r) => r.code)).toEqual(['DM-CP', 'DM-FOOT']);
    expect(latestCatalogue([])).toEqual([]);
  });
});

describe('the previous period with data', () => {
  it.each([
    [['2025-04', '2025-05', '2025-06'], '2025-06', '2025-05'],
    [['2025-04', '2025-05', '2025-06'], '2025-04', null], // the first period has nothing before it
    [['2025-06', '2025-09', '2025-12'], '2025-12', '2025-09'], // quarterly data: the quarter before
    [['2025-04', '2025-06'], '2025-06', '2025-04'], // a month with no data is skipped
    [['2025-04', '2025-05'], '2025-08', '2025-05'], // a period after the data compares with the latest
    [[], '2025-05', null],
  ] as const)('%j before %s: %s', (periods, period, previous) => {
    expect(previousPeriodWithData(periods, period)).toBe(previous);
  });
});
