/** Wilson intervals, funnel limits and Making Data Count SPC rules, tested from their definitions. */
import { describe, expect, it } from 'vitest';
import { funnelLimits, funnelSignificance } from '../../server/domain/funnel';
import { analyseSpc } from '../../server/domain/spc';
import { wilsonInterval } from '../../server/domain/wilson';

describe('wilsonInterval', () => {
  it('matches published worked values', () => {
    const a = wilsonInterval(20, 100);
    expect(a.lower).toBeCloseTo(0.13337, 5);
    expect(a.upper).toBeCloseTo(0.28883, 5);
    const b = wilsonInterval(81, 263); // the textbook example: 0.2553 to 0.3662
    expect(b.lower).toBeCloseTo(0.2553, 4);
    expect(b.upper).toBeCloseTo(0.3662, 4);
  });
  it('agrees with the centre-and-half-width form of the same interval', () => {
    for (const [o, n] of [
      [3, 7],
      [45, 60],
      [999, 1000],
    ] as const) {
      for (const [conf, z] of [
        [0.95, 1.959963984540054],
        [0.998, 3.090232306167813],
      ] as const) {
        const p = o / n;
        const centre = (p + (z * z) / (2 * n)) / (1 + (z * z) / n);
        const half = (z / (1 + (z * z) / n)) * Math.sqrt((p * (1 - p)) / n + (z * z) / (4 * n * n));
        const w = wilsonInterval(o, n, conf);
        expect(w.lower).toBeCloseTo(centre - half, 12);
        expect(w.upper).toBeCloseTo(centre + half, 12);
      }
    }
  });
  it('stays inside 0–1 at the ends: 0/10 starts at 0, 10/10 ends at 1', () => {
    expect(wilsonInterval(0, 10).lower).toBe(0);
    expect(wilsonInterval(0, 10).upper).toBeCloseTo(0.27753, 5);
    expect(wilsonInterval(10, 10).upper).toBe(1);
  });
  it('is wider at 99.8% than at 95%, and the whole range with a zero denominator', () => {
    const w95 = wilsonInterval(5, 20);
    const w998 = wilsonInterval(5, 20, 0.998);
    expect(w998.lower).toBeLessThan(w95.lower);
    expect(w998.upper).toBeGreaterThan(w95.upper);
    expect(wilsonInterval(0, 0)).toEqual({ lower: 0, upper: 1 });
  });
});

describe('funnel limits', () => {
  it('are the rates whose Wilson interval just reaches the centre', () => {
    const centre = 0.7;
    for (const n of [10, 50, 400]) {
      const l = funnelLimits(centre, n);
      // At the upper limit the rate's Wilson lower bound equals the centre, and vice versa.
      const z95 = 1.959963984540054;
      const wilsonLowerAt = (p: number, z: number) =>
        (p + (z * z) / (2 * n) - z * Math.sqrt((p * (1 - p)) / n + (z * z) / (4 * n * n))) / (1 + (z * z) / n);
      const wilsonUpperAt = (p: number, z: number) =>
        (p + (z * z) / (2 * n) + z * Math.sqrt((p * (1 - p)) / n + (z * z) / (4 * n * n))) / (1 + (z * z) / n);
      if (l.upper95 < 1) expect(wilsonLowerAt(l.upper95, z95)).toBeCloseTo(centre, 10);
      expect(wilsonUpperAt(l.lower95, z95)).toBeCloseTo(centre, 10);
      expect(l.lower998).toBeLessThan(l.lower95);
    }
  });
  it('narrow as the denominator grows and are clipped to 0–1', () => {
    expect(funnelLimits(0.5, 100)).toMatchObject({
      lower95: expect.closeTo(0.402, 5),
      upper95: expect.closeTo(0.598, 5),
    });
    expect(funnelLimits(0.5, 400).upper95).toBeLessThan(funnelLimits(0.5, 100).upper95);
    expect(funnelLimits(0.95, 5).upper998).toBe(1);
    expect(funnelLimits(0.05, 5).lower998).toBe(0);
  });
  it('labels practices, testing the 99.8% bands first, with strict comparisons', () => {
    // Centre 50%, n = 100: 95% limits 40.2%–59.8%, 99.8% limits 34.5%–65.5%.
    expect(funnelSignificance(70, 100, 0.5)).toBe('high-99.8');
    expect(funnelSignificance(62, 100, 0.5)).toBe('high-95');
    expect(funnelSignificance(55, 100, 0.5)).toBe('not-significant');
    expect(funnelSignificance(38, 100, 0.5)).toBe('low-95');
    expect(funnelSignificance(30, 100, 0.5)).toBe('low-99.8');
    // A rate exactly at a limit is not beyond it: centre 50%, n = 4, the 99.8% upper limit is ~1.27 → clipped to 1.
    expect(funnelSignificance(4, 4, 0.5)).toBe('high-95');
    expect(funnelSignificance(0, 0, 0.5)).toBe('not-significant');
    // Consistent with the practice's own Wilson interval excluding the centre.
    for (let o = 0; o <= 40; o++) {
      const w = wilsonInterval(o, 40);
      const s = funnelSignificance(o, 40, 0.6);
      expect(s.startsWith('high')).toBe(w.lower > 0.6);
      expect(s.startsWith('low')).toBe(w.upper < 0.6);
    }
  });
});

describe('analyseSpc (Making Data Count XmR)', () => {
  const flat = [50, 52, 48, 51, 49, 50, 53, 47, 50, 51, 49, 52, 48]; // 13 points, mean 50

  it('computes the mean, process limits (2.66 × mean moving range) and two-sigma lines', () => {
    const r = analyseSpc(flat);
    const mrBar = flat.slice(1).reduce((s, v, i) => s + Math.abs(v - flat[i]!), 0) / 12;
    expect(r.points[0]!.mean).toBeCloseTo(50, 12);
    expect(r.points[0]!.upperLimit).toBeCloseTo(50 + 2.66 * mrBar, 12);
    expect(r.points[0]!.lowerLimit).toBeCloseTo(50 - 2.66 * mrBar, 12);
    expect(r.points[0]!.upperTwoSigma).toBeCloseTo(50 + (2 / 3) * 2.66 * mrBar, 12);
    expect(r.points.every((p) => p.special === null)).toBe(true);
    expect(r.variation).toBe('common-cause');
  });

  it('fewer than 13 points: the mean only, no limits, no special causes, no icons', () => {
    const r = analyseSpc([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12], { target: 5 });
    expect(r.points.every((p) => p.upperLimit === null && p.lowerLimit === null && p.special === null)).toBe(true);
    expect(r.points[0]!.mean).toBe(6.5);
    expect(r).toMatchObject({ variation: null, assurance: null });
    expect(analyseSpc([])).toEqual({ points: [], variation: null, assurance: null });
  });

  it('a point beyond a process limit is special: improvement when high and higher is better', () => {
    const values = [...flat.slice(0, 12), 70];
    const r = analyseSpc(values);
    expect(r.points[12]).toMatchObject({ special: 'improvement', side: 'high', rules: ['beyond-limit'] });
    expect(r.variation).toBe('improvement-high');
    expect(analyseSpc(values, { improvement: 'down' }).variation).toBe('concern-high');
    expect(analyseSpc(values, { improvement: 'neither' }).variation).toBe('neither-high');
  });

  it('a shift: 6 points above the mean are special, and a point exactly on the mean breaks the run', () => {
    // Mean exactly 50 in both series; MR is large, so no point is near a limit.
    const six = analyseSpc([40, 60, 40, 60, 40, 40, 40, 55, 55, 55, 55, 55, 55]);
    expect(six.points[0]!.mean).toBe(50);
    expect(
      six.points.slice(7).every((p) => p.rules.includes('shift') && p.special === 'improvement' && p.side === 'high'),
    ).toBe(true);
    expect(six.points.slice(0, 7).some((p) => p.rules.includes('shift'))).toBe(false);
    const broken = analyseSpc([40, 60, 40, 60, 40, 45, 40, 55, 55, 55, 50, 55, 55]);
    expect(broken.points[10]!.mean).toBe(50);
    expect(broken.points[10]!.value).toBe(50);
    expect(broken.points.some((p) => p.rules.includes('shift'))).toBe(false);
  });

  it('a trend: 6 points each strictly higher than the one before, even across the mean; equal neighbours break it', () => {
    const rising = [40, 60, 40, 60, 40, 60, 50, 42, 44, 46, 48, 50, 52]; // mean 48.6: the trend crosses it
    const r = analyseSpc(rising);
    expect(r.points[11]!.value).toBeGreaterThan(r.points[11]!.mean);
    expect(r.points[7]!.value).toBeLessThan(r.points[7]!.mean);
    expect(
      r.points.slice(7).every((p) => p.rules.includes('trend') && p.special === 'improvement' && p.side === 'high'),
    ).toBe(true);
    expect(r.points[6]!.rules).not.toContain('trend');
    const five = analyseSpc([40, 60, 40, 60, 40, 60, 40, 60, 48, 50, 52, 54, 56]); // only 5 rising points after 60
    expect(five.points.some((p) => p.rules.includes('trend'))).toBe(false);
    const withTie = analyseSpc([40, 60, 40, 60, 40, 60, 50, 42, 44, 44, 48, 50, 52]);
    expect(withTie.points.some((p) => p.rules.includes('trend'))).toBe(false);
    const falling = analyseSpc([...rising].reverse());
    expect(
      falling.points.slice(0, 6).every((p) => p.rules.includes('trend') && p.special === 'concern' && p.side === 'low'),
    ).toBe(true);
    expect(falling.variation).toBe('common-cause');
  });

  it('two of three beyond the same two-sigma line, all on one side; a point beyond the process limit does not count', () => {
    const baseline = Array.from({ length: 20 }, (_, i) => (i % 2 ? 51 : 50));
    const r = analyseSpc([...baseline, 53.5, 51.2, 53.5]);
    const [a, b, c] = r.points.slice(20);
    for (const p of [a!, c!]) {
      expect(p.value).toBeGreaterThan(p.upperTwoSigma!);
      expect(p.value).toBeLessThan(p.upperLimit!);
    }
    expect(b!.value).toBeGreaterThan(b!.mean);
    expect(b!.value).toBeLessThan(b!.upperTwoSigma!);
    expect(a!.rules).toEqual(['two-of-three']);
    expect(c!.rules).toEqual(['two-of-three']);
    expect(b!.rules).toEqual([]); // the middle point is not beyond the line
    expect(r.variation).toBe('improvement-high');

    // The middle point below the mean: the three are not on one side, so no signal.
    const split = analyseSpc([...baseline, 53.5, 50.6, 53.5]);
    expect(split.points[21]!.value).toBeLessThan(split.points[21]!.mean);
    expect(split.points[20]!.value).toBeGreaterThan(split.points[20]!.upperTwoSigma!);
    expect(split.points.some((p) => p.rules.includes('two-of-three'))).toBe(false);

    // One point near the line and one beyond the process limit: the far one is special on its own, and the
    // window does not make two-of-three.
    const beyond = analyseSpc([...baseline, 54, 51.2, 60]);
    const near = beyond.points[20]!;
    expect(near.value).toBeGreaterThan(near.upperTwoSigma!);
    expect(near.value).toBeLessThan(near.upperLimit!);
    expect(beyond.points[22]!.value).toBeGreaterThan(beyond.points[22]!.upperLimit!);
    expect(beyond.points[22]!.rules).toEqual(['beyond-limit']);
    expect(near.rules).toEqual([]);
  });

  it('a point that is both improvement and concern shows improvement', () => {
    // Six points above the mean (shift, high) that fall step by step (trend, low).
    const values = [30, 35, 30, 35, 30, 35, 30, 66, 65, 64, 63, 62, 61];
    const r = analyseSpc(values);
    const last = r.points[12]!;
    expect(last.rules).toEqual(expect.arrayContaining(['shift', 'trend']));
    expect(last.special).toBe('improvement');
  });

  it('assurance compares the target with the limits', () => {
    const r = (target: number, improvement: 'up' | 'down' = 'up') =>
      analyseSpc(flat, { target, improvement }).assurance;
    const { upperLimit, lowerLimit } = analyseSpc(flat).points[0]!;
    expect(r(lowerLimit!)).toBe('pass'); // target ≤ lower limit: consistently passing
    expect(r(lowerLimit! - 1)).toBe('pass');
    expect(r(upperLimit!)).toBe('fail'); // target ≥ upper limit: consistently failing
    expect(r(50)).toBe('hit-and-miss');
    expect(r(upperLimit! + 1, 'down')).toBe('pass');
    expect(r(lowerLimit! - 1, 'down')).toBe('fail');
    expect(analyseSpc(flat, { target: null }).assurance).toBeNull();
  });

  it('recalculates limits from a chosen point, and runs continue across the recalculation', () => {
    const before = [40, 42, 38, 41, 39, 40, 42, 38, 41, 39];
    const after = [60, 62, 58, 61, 59, 60, 62, 58, 61, 59];
    const r = analyseSpc([...before, ...after], { recalculateFrom: [10] });
    expect(r.points[0]!.mean).toBeCloseTo(40, 12);
    expect(r.points[10]!.mean).toBeCloseTo(60, 12);
    expect(r.points.every((p) => p.special === null)).toBe(true); // each point is ordinary within its segment
    // Without the recalculation the step change is special cause.
    expect(
      analyseSpc([...before, ...after])
        .points.slice(10)
        .every((p) => p.special === 'improvement'),
    ).toBe(true);
    // A run of 6 above the mean that straddles the recalculation still counts: 3 before + 3 after.
    const straddle = [40, 42, 38, 41, 39, 40, 42, 45, 45, 45, 60, 62, 61, 55, 58, 56];
    const s = analyseSpc(straddle, { recalculateFrom: [10] });
    const above = s.points.map((p) => Math.sign(p.value - p.mean));
    expect(above.slice(7, 13)).toEqual([1, 1, 1, 1, 1, 1]);
    expect(s.points.slice(7, 13).every((p) => p.rules.includes('shift'))).toBe(true);
  });
});
