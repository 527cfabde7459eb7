/** A practice's rate over time beside its network's average and the target. */
import type { ChartConfiguration } from 'chart.js';
import { COLOURS, percent } from './palette';
import { shortPeriod } from './build-spc-config';

export interface TrendInput {
  points: { period: string; rate: number | null; networkRate: number | null; targetBp: number | null; met: boolean | null }[];
}

export function buildTrendConfig(input: TrendInput): ChartConfiguration<'line'> {
  const pct = (v: number | null) => (v === null ? null : +(v * 100).toFixed(2));
  return {
    type: 'line',
    data: {
      labels: input.points.map((p) => shortPeriod(p.period)),
      datasets: [
        {
          label: 'Practice',
          data: input.points.map((p) => pct(p.rate)),
          borderColor: COLOURS.practice,
          borderWidth: 2.5,
          pointStyle: input.points.map((p) => (p.met ? 'triangle' : 'rectRot')),
          pointBackgroundColor: input.points.map((p) => (p.met ? COLOURS.met : COLOURS.notMet)),
          pointBorderColor: input.points.map((p) => (p.met ? COLOURS.met : COLOURS.notMet)),
          pointRadius: 5,
        },
        { label: 'Network average', data: input.points.map((p) => pct(p.networkRate)), borderColor: COLOURS.network, borderWidth: 2, borderDash: [4, 3], pointRadius: 0 },
        { label: 'Target', data: input.points.map((p) => (p.targetBp === null ? null : p.targetBp / 100)), borderColor: COLOURS.target, borderWidth: 2, borderDash: [10, 5], pointRadius: 0, stepped: 'middle' },
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
