/**
 * A change of process: the latest points show a shift or a trend, so the limits (and the assurance read from
 * them) describe the process before it. Worked example, 14 months:
 *
 *   0.50 0.52 0.48 0.51 0.49 0.50 0.52 0.48 | 0.56 0.57 0.55 0.56 0.57 0.56
 *
 * mean = (4.00 + 3.37) / 14 = 0.5264; the last six are all above it (a shift, high side) and the eighth (0.48)
 * is below, so the run starts at index 8. Mean moving range = 0.32 / 13 = 0.0246, upper limit
 * 0.5264 + 2.66 × 0.0246 = 0.592: no point is beyond it. Recalculated from index 8, the last segment's mean is
 * 3.37 / 6 = 0.5617, and 0.56 < 0.5617 < 0.57: no run of six on one side, so no change is flagged any more.
 */
import { describe, expect, it } from 'vitest';
import { analyseSpc, processChange } from '../../server/domain/spc';

const values = [0.5, 0.52, 0.48, 0.51, 0.49, 0.5, 0.52, 0.48, 0.56, 0.57, 0.55, 0.56, 0.57, 0.56];

describe('process change', () => {
  it('finds the start of a shift that reaches the latest point', () => {
    const spc = analyseSpc(values, { target: 0.55 });
    expect(spc.points[0]?.mean).toBeCloseTo(0.5264, 4);
    expect(spc.points.slice(8).every((p) => p.rules.includes('shift'))).toBe(true);
    expect(processChange(spc.points)).toEqual({ start: 8, rule: 'shift', side: 'high' });
  });
  it('is gone once the limits are recalculated from there', () => {
    const spc = analyseSpc(values, { target: 0.55, recalculateFrom: [8] });
    expect(spc.points[13]?.mean).toBeCloseTo(0.5617, 4);
    expect(processChange(spc.points, [8])).toBeNull();
  });
  it('finds a trend of six rising points at the end', () => {
    const rising = [0.5, 0.52, 0.48, 0.51, 0.49, 0.5, 0.52, 0.47, 0.48, 0.49, 0.5, 0.51, 0.515];
    const spc = analyseSpc(rising);
    // 0.47 → 0.515: six points each strictly higher than the one before, from index 7.
    expect(processChange(spc.points)).toMatchObject({ start: 7, rule: 'trend', side: 'high' });
  });
  it('says nothing when the latest point is in no shift or trend, or the run starts at the first point', () => {
    expect(
      processChange(analyseSpc([0.5, 0.52, 0.48, 0.51, 0.49, 0.5, 0.52, 0.48, 0.5, 0.51, 0.49, 0.5, 0.5]).points),
    ).toBeNull();
    // Every point in one trend from the first: there is no earlier process to set limits from.
    const point = { value: 0, mean: 0, upperLimit: 1, lowerLimit: 0, upperTwoSigma: 1, lowerTwoSigma: 0 };
    const trendFromStart = Array.from({ length: 13 }, () => ({
      ...point,
      special: 'improvement' as const,
      side: 'high' as const,
      rules: ['trend' as const],
    }));
    expect(processChange(trendFromStart)).toBeNull();
    expect(processChange([])).toBeNull();
  });
});
