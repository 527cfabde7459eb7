/** Small-number suppression that cannot be undone (SPEC section 8; server/domain/suppression.ts). */
import { describe, expect, it } from 'vitest';
import {
  countRange,
  exportRate,
  publishCount,
  publishedRate,
  publishedStanding,
  publishFigures,
  type PublishedCount,
} from '../../server/domain/suppression';

describe('publishCount: 1–7 as *, others to the nearest 5', () => {
  const TABLE: [number, PublishedCount][] = [
    [0, 0],
    [1, '*'],
    [7, '*'],
    [8, 10],
    [12, 10],
    [13, 15],
    [22, 20],
    [23, 25],
    [45, 45],
    [47, 45],
    [48, 50],
    [1234, 1235],
  ];
  it.each(TABLE)('%i → %s', (n, published) => expect(publishCount(n)).toBe(published));

  it('countRange gives back exactly the counts that publish that way', () => {
    for (const published of [0, '*', 10, 15, 45, 1235] as PublishedCount[]) {
      const { lo, hi } = countRange(published);
      const all = Array.from({ length: 1300 }, (_, n) => n).filter((n) => publishCount(n) === published);
      expect([all[0], all.at(-1), all.length], String(published)).toEqual([lo, hi, hi - lo + 1]);
    }
  });
});

describe('rates: from the published counts only', () => {
  const TABLE: [string, PublishedCount, PublishedCount, number | null][] = [
    ['45 / 45', 45, 45, 1],
    ['10 / 25 (from 12 / 23, whose exact rate 0.5217 is never printed)', 10, 25, 0.4],
    ['45 / 100', 45, 100, 0.45],
    ['a starred numerator', '*', 25, null],
    ['a starred denominator', 0, '*', null],
    ['no patients', 0, 0, null],
  ];
  it.each(TABLE)('%s → %s', (_name, n, d, rate) => expect(publishedRate(n, d)).toBe(rate));

  it('exportRate writes 4 decimal places', () => {
    expect([exportRate(21, 46), exportRate(1, 3), exportRate(0, 0)]).toEqual([0.4565, 0.3333, null]);
  });
});

describe('standing: met or not met only where every pair of counts behind the published ones agrees', () => {
  // published numerator, denominator, target (bp) → standing; the ranges are worked out beside each row
  const TABLE: [string, PublishedCount, PublishedCount, number, string][] = [
    ['95 / 100 at 80%: at worst 93 / 102 = 91% ≥ 80%', 95, 100, 8000, 'met'],
    ['50 / 100 at 80%: at best 52 / 98 = 53% < 80%', 50, 100, 8000, 'not met'],
    ['80 / 100 at 80%: 78 / 102 misses, 82 / 98 meets', 80, 100, 8000, 'suppressed'],
    ['* / 10 at 50%: 1 / 12 misses, 7 / 8 meets', '*', 10, 5000, 'suppressed'],
    ['0 / 10 at 50%: 0 achieving never meets', 0, 10, 5000, 'not met'],
    ['10 / 10 at 95%: 8 / 12 misses, 10 / 10 meets', 10, 10, 9500, 'suppressed'],
    ['0 / 0: nobody to count', 0, 0, 8000, 'not applicable'],
    ['* / * at 0%: anything meets a 0% target', '*', '*', 0, 'met'],
  ];
  it.each(TABLE)('%s', (_name, n, d, target, standing) => expect(publishedStanding(n, d, target)).toBe(standing));

  it('agrees with trying every pair of counts, for every published pair up to 60 and several targets', () => {
    const published = [0, '*', ...Array.from({ length: 11 }, (_, i) => 10 + i * 5)] as PublishedCount[];
    for (const target of [0, 3000, 5000, 8000, 9500, 10000]) {
      for (const pn of published) {
        for (const pd of published) {
          const n = countRange(pn);
          const d = countRange(pd);
          const verdicts = new Set<boolean>();
          for (let x = n.lo; x <= n.hi; x++)
            for (let y = Math.max(d.lo, 1); y <= d.hi; y++) if (x <= y) verdicts.add(x * 10000 >= target * y);
          if (d.hi === 0) {
            expect(publishedStanding(pn, pd, target)).toBe('not applicable');
            continue;
          }
          if (verdicts.size === 0) continue; // no real counts publish this way (a numerator above its denominator)
          const expected = verdicts.size === 2 ? 'suppressed' : verdicts.has(true) ? 'met' : 'not met';
          expect(publishedStanding(pn, pd, target), `${pn} / ${pd} at ${target}`).toBe(expected);
        }
      }
    }
  });
});

describe('a suppressed row cannot be undone', () => {
  it('every published row is consistent with several exact pairs: nothing printed narrows them down', () => {
    // Every exact pair up to 60 / 60 against an 80% target: the candidates consistent with all that is
    // printed (both counts, the rate, the standing) always include the truth and at least one other pair,
    // unless the denominator is 0 (published as 0, exactly what the rule says).
    for (let d = 1; d <= 60; d++) {
      for (let n = 0; n <= d; n++) {
        const row = publishFigures(n, d, 8000);
        const candidates: [number, number][] = [];
        const nr = countRange(row.numerator);
        const dr = countRange(row.denominator);
        for (let x = nr.lo; x <= nr.hi; x++) {
          for (let y = Math.max(dr.lo, 1); y <= dr.hi; y++) {
            if (x > y) continue;
            const again = publishFigures(x, y, 8000);
            if (again.rate === row.rate && again.standing === row.standing) candidates.push([x, y]);
          }
        }
        expect(candidates, `${n} / ${d}`).toContainEqual([n, d]);
        expect(candidates.length, `${n} / ${d}`).toBeGreaterThan(1);
      }
    }
  });

  it('whereas an exact rate beside rounded counts gives most small pairs away (the bug this replaces)', () => {
    let pairs = 0;
    let recovered = 0;
    for (let d = 8; d <= 200; d++) {
      for (let n = 8; n <= d; n++) {
        pairs++;
        const [pn, pd, rate] = [publishCount(n), publishCount(d), exportRate(n, d)];
        const nr = countRange(pn);
        const dr = countRange(pd);
        let matches = 0;
        for (let x = nr.lo; x <= nr.hi; x++)
          for (let y = dr.lo; y <= dr.hi; y++) if (x <= y && exportRate(x, y) === rate) matches++;
        if (matches === 1) recovered++;
      }
    }
    expect(recovered / pairs).toBeGreaterThan(0.9);
  });
});
