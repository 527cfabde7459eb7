/**
 * Issue 9, finding 3: the suppressed attainment export printed counts rounded to 5 beside the exact rate,
 * from which the counts could be recovered. Now nothing in it is more precise than the published counts.
 */
import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import { countRange, exportRate, publishCount } from '../../server/domain/suppression';
import { makeApp, signIn } from '../helpers/app';

type Row = Record<string, string>;

/** The exact pairs (numerator, denominator) consistent with everything a suppressed row prints. */
function candidates(row: Row, targetBp: number): [number, number][] {
  const published = (cell: string) => (cell === '*' ? '*' : Number(cell));
  const nr = countRange(published(row.numerator!));
  const dr = countRange(published(row.denominator!));
  const out: [number, number][] = [];
  for (let n = nr.lo; n <= nr.hi; n++) {
    for (let d = Math.max(dr.lo, 1); d <= dr.hi; d++) {
      if (n > d) continue;
      const met = n * 10000 >= targetBp * d;
      const standingFits =
        row.status === 'met' || row.status === 'not met' || row.status === 'not-met'
          ? met === (row.status === 'met')
          : true;
      if (standingFits) out.push([n, d]);
    }
  }
  return out;
}

describe('a suppressed export cannot be undone', () => {
  it('prints rates from the published counts, standings only where they are settled, and leaves every row with several possible exact counts', async () => {
    const app = await makeApp();
    try {
      const cookie = await signIn(app, 'admin');
      const get = async (suppress: boolean) =>
        Papa.parse<Row>(
          (
            await app.inject({
              url: `/api/attainment.csv?network=N3&period=2026-10${suppress ? '&suppress=true' : ''}`,
              headers: { cookie },
            })
          ).body,
          { header: true, skipEmptyLines: true },
        ).data;
      const exact = await get(false);
      const suppressed = await get(true);
      expect(suppressed).toHaveLength(exact.length);
      expect(exact.length).toBeGreaterThan(100); // 22 indicators × (5 practices + the network)

      let withCounts = 0;
      let exactRateGivesAway = 0;
      exact.forEach((e, i) => {
        const s = suppressed[i]!;
        expect([s.indicator, s.practice]).toEqual([e.indicator, e.practice]);
        if (e.numerator === '' || e.denominator === '' || e.denominator === '0') return;
        withCounts++;
        const [n, d, target] = [Number(e.numerator), Number(e.denominator), Number(e.target_bp)];
        // The counts as the rule publishes them, and a rate no more precise than they are.
        expect([s.numerator, s.denominator]).toEqual([String(publishCount(n)), String(publishCount(d))]);
        expect(s.rate).toBe(
          s.numerator === '*' || s.denominator === '*'
            ? ''
            : String(exportRate(Number(s.numerator), Number(s.denominator))),
        );
        expect(s.patients_needed).toBe('');
        // Everything printed leaves more than one pair of exact counts possible, the true one among them.
        const possible = candidates(s, target);
        expect(possible, `${s.indicator} ${s.practice}`).toContainEqual([n, d]);
        expect(
          possible.length,
          `${s.indicator} ${s.practice}: ${s.numerator} / ${s.denominator}, rate ${s.rate}, ${s.status}`,
        ).toBeGreaterThan(1);
        // The old export's exact rate would have pinned most of them down.
        if (possible.filter(([x, y]) => exportRate(x, y) === Number(e.rate)).length === 1) exactRateGivesAway++;
      });
      expect(withCounts).toBeGreaterThan(100);
      expect(exactRateGivesAway / withCounts).toBeGreaterThan(0.5);
    } finally {
      await app.close();
    }
  });
});
