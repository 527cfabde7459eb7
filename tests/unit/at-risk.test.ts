/**
 * "At risk" (domain/forecast.ts atRiskPence): Σ over domains of max(0, earned now − expected year-end earnings).
 * Each row's figure can be checked by hand from its domains.
 */
import { describe, expect, it } from 'vitest';
import { atRiskPence } from '../../server/domain/forecast';

const now = (...earned: number[]) => earned.map((earnedPence, i) => ({ code: `D${i}`, earnedPence }));
const expected = (...pence: number[]) =>
  pence.map((expectedEarnedPence, i) => ({ code: `D${i}`, expectedEarnedPence }));

describe('money at risk', () => {
  it.each([
    ['nothing earned, nothing expected', now(0, 0), expected(0, 0), 0],
    ['earned now and expected to stay earned', now(150_000, 80_000), expected(150_000, 80_000), 0],
    [
      'a domain paid now that the forecast expects to lose half of: 150,000 − 75,000',
      now(150_000),
      expected(75_000),
      75_000,
    ],
    ['a domain paid now expected to be lost in full', now(150_000, 0), expected(0, 0), 150_000],
    // D0 loses 30,000; D1 is expected to gain 50,000, which does not offset D0's loss.
    [
      'a gain elsewhere does not offset a loss: 100,000 − 70,000, and D1 adds nothing',
      now(100_000, 0),
      expected(70_000, 50_000),
      30_000,
    ],
    ['losses add up: (90,000 − 60,000) + (40,000 − 10,000)', now(90_000, 40_000), expected(60_000, 10_000), 60_000],
  ])('%s → %i', (_name, earned, forecast, atRisk) => {
    expect(atRiskPence(earned, forecast)).toBe(atRisk);
  });

  it('a domain the forecast has no figure for is expected to earn nothing', () => {
    expect(atRiskPence(now(12_345, 500), expected(0))).toBe(12_845);
  });
});
