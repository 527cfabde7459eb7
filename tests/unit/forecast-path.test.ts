import { describe, expect, it } from 'vitest';
import { forecastRate } from '../../server/domain/forecast';
import { forecastPath } from '../../server/domain/forecast-path';

const monthly = (rates: number[], from = 2025) =>
  rates.map((r, i) => ({
    period: `${from + Math.floor((3 + i) / 12)}-${String(((3 + i) % 12) + 1).padStart(2, '0')}`,
    numerator: Math.round(r * 1000),
    denominator: 1000,
  }));

describe('forecastPath: the forecast band to the year end', () => {
  it('a flat 80% from April to October 2025: October then every month to March, all at 80% with no width', () => {
    const path = forecastPath(monthly([0.8, 0.8, 0.8, 0.8, 0.8, 0.8, 0.8]), '2025-10', '2026-03');
    expect(path.map((p) => [p.period, p.forecastRate, p.lower80, p.upper80])).toEqual([
      ['2025-10', 0.8, 0.8, 0.8],
      ['2025-11', 0.8, 0.8, 0.8],
      ['2025-12', 0.8, 0.8, 0.8],
      ['2026-01', 0.8, 0.8, 0.8],
      ['2026-02', 0.8, 0.8, 0.8],
      ['2026-03', 0.8, 0.8, 0.8],
    ]);
  });

  it('each point is the forecast for that month, the last the year-end forecast, and the band widens', () => {
    const history = monthly([0.5, 0.52, 0.51, 0.55, 0.56, 0.58, 0.57]);
    const path = forecastPath(history, '2025-10', '2026-03');
    expect(path[0]).toEqual({ period: '2025-10', forecastRate: 0.57, lower80: 0.57, upper80: 0.57 });
    const end = forecastRate(history, '2026-03');
    expect(path.at(-1)).toEqual({
      period: '2026-03',
      forecastRate: end.forecastRate,
      lower80: end.lower80,
      upper80: end.upper80,
    });
    const widths = path.map((p) => p.upper80 - p.lower80);
    for (let i = 1; i < widths.length; i++) expect(widths[i]).toBeGreaterThan(widths[i - 1]!);
  });

  it('quarterly figures step by quarters: December to March in one step', () => {
    const history = [
      { period: '2025-06', numerator: 90, denominator: 100 },
      { period: '2025-09', numerator: 91, denominator: 100 },
      { period: '2025-12', numerator: 92, denominator: 100 },
    ];
    expect(forecastPath(history, '2025-12', '2026-03').map((p) => p.period)).toEqual(['2025-12', '2026-03']);
  });

  it('figures after the as-of month are not used; nothing to draw at the year end or with no figures', () => {
    const history = monthly([0.5, 0.6, 0.7, 0.9]);
    expect(forecastPath(history, '2025-06', '2026-03')[0]).toMatchObject({ period: '2025-06', forecastRate: 0.7 });
    expect(forecastPath(monthly(Array(12).fill(0.8) as number[]), '2026-03', '2026-03')).toEqual([]);
    expect(forecastPath([], '2025-10', '2026-03')).toEqual([]);
  });
});
