/** Per-indicator SPC recalculations: the server's reading of `recalculate` and the web's address state. */
import { describe, expect, it } from 'vitest';
import { parseRecalculations } from '../../server/domain/series';
import { parseRecalc, withRecalc } from '../../web/src/lib/state/recalc';

describe('recalculate=CODE:YYYY-MM,… (server)', () => {
  it('reads each indicator’s months', () => {
    expect(parseRecalculations('DM-HBA1C:2026-07,CVD-HYP-BP:2026-05,DM-HBA1C:2025-10')).toEqual({
      byIndicator: new Map([
        ['DM-HBA1C', ['2026-07', '2025-10']],
        ['CVD-HYP-BP', ['2026-05']],
      ]),
    });
    expect(parseRecalculations('dm-bp:2026-04')).toEqual({ byIndicator: new Map([['DM-BP', ['2026-04']]]) });
  });
  it.each(['2026-05', 'DM-BP', 'DM-BP:2026-13', 'DM-BP:May 2026', 'DM-BP:2026-05,', ':2026-05'])(
    'refuses %j, saying what it expects',
    (text) => {
      const r = parseRecalculations(text);
      expect('error' in r && r.error).toMatch(/is not an indicator and a month \(CODE:YYYY-MM/);
    },
  );
});

describe('recalc in the address (web)', () => {
  it('sets, replaces and removes one indicator’s month, leaving the others', () => {
    const one = withRecalc(null, 'CVD-HYP-BP', '2026-05');
    expect(one).toBe('CVD-HYP-BP:2026-05');
    const two = withRecalc(one, 'DM-HBA1C', '2026-07');
    expect(two).toBe('CVD-HYP-BP:2026-05,DM-HBA1C:2026-07');
    expect(withRecalc(two, 'CVD-HYP-BP', '2026-06')).toBe('CVD-HYP-BP:2026-06,DM-HBA1C:2026-07');
    expect(withRecalc(two, 'CVD-HYP-BP', null)).toBe('DM-HBA1C:2026-07');
    expect(withRecalc('DM-HBA1C:2026-07', 'DM-HBA1C', null)).toBeNull();
    expect([...parseRecalc(two)]).toEqual([
      ['CVD-HYP-BP', '2026-05'],
      ['DM-HBA1C', '2026-07'],
    ]);
    // An old address's bare month (every indicator) is not an indicator's entry.
    expect(parseRecalc('2026-05').size).toBe(0);
  });
});
