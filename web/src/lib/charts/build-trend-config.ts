/** A practice's rate over time beside its network's average and the target. */
import type { ChartConfiguration } from 'chart.js';
import { COLOURS, percent } from './palette';
import { shortPeriod } from './build-spc-config';

export interface TrendPoint {
  period: string;
  rate: number | null;
  networkRate: number | null;
  targetBp: number | null;
  met: boolean | null;
}

export interface TrendInput {
  points: TrendPoint[];
  /** Every period with data anywhere: a period the practice has no figure for is drawn as a gap, not bridged. */
  periods?: readonly string[];
  frequency?: 'monthly' | 'quarterly';
}

/** The practice's points on the full run of periods from its first to its last, with gaps where it has none. */
export function withGaps(points: TrendPoint[], periods: readonly string[] = []): TrendPoint[] {
  const first = points[0]?.period;
  const last = points.at(-1)?.period;
  if (first === undefined || last === undefined) return [];
  const byPeriod = new Map(points.map((p) => [p.period, p]));
  const all = [...new Set([...periods.filter((p) => p >= first && p <= last), ...points.map((p) => p.period)])].sort();
  return all.map(
    (period) => byPeriod.get(period) ?? { period, rate: null, networkRate: null, targetBp: null, met: null },
  );
}

export function buildTrendConfig(input: TrendInput): ChartConfiguration<'line'> {
  const pct = (v: number | null) => (v === null ? null : +(v * 100).toFixed(2));
  const points = withGaps(input.points, input.periods);
  return {
    type: 'line',
    data: {
      labels: points.map((p) => shortPeriod(p.period, input.frequency)),
      datasets: [
        {
          label: 'Practice',
          data: points.map((p) => pct(p.rate)),
          borderColor: COLOURS.practice,
          borderWidth: 2.5,
          spanGaps: false,
          pointStyle: points.map((p) => (p.met ? 'triangle' : 'rectRot')),
          pointBackgroundColor: points.map((p) => (p.met ? COLOURS.met : COLOURS.notMet)),
          pointBorderColor: points.map((p) => (p.met ? COLOURS.met : COLOURS.notMet)),
          pointRadius: 5,
        },
        {
          label: 'Network average',
          data: points.map((p) => pct(p.networkRate)),
          borderColor: COLOURS.network,
          borderWidth: 2,
          borderDash: [4, 3],
          pointRadius: 0,
          spanGaps: true,
        },
        {
          label: 'Target',
          data: points.map((p) => (p.targetBp === null ? null : p.targetBp / 100)),
          borderColor: COLOURS.target,
          borderWidth: 2,
          borderDash: [10, 5],
          pointRadius: 0,
          stepped: 'middle',
          spanGaps: true,
        },
      ],
    },
    options: {
      responsive: true,
      maintainAspectRatio: false,
      animation: false,
      scales: { y: { min: 0, max: 100, ticks: { callback: percent }, title: { display: true, text: 'Rate (%)' } } },
      plugins: { legend: { labels: { usePointStyle: true } } },
    },
  };
}
