/**
 * Spine chart of one practice: every indicator on one row, the range of the network's practices as a grey bar,
 * the network average as a black bar across it, the target as a green triangle and the practice as a dot
 * (blue when met, orange when not, with ✓ or ✗ in the label), on an axis from 0 to 100%.
 */
import type { ChartConfiguration } from 'chart.js';
import { COLOURS, percent } from './palette';

export interface SpineRow {
  code: string;
  title: string;
  rate: number | null;
  networkRate: number | null;
  lowest: number | null;
  highest: number | null;
  targetBp: number;
  met: boolean | null;
}

/** The marks the chart draws and its key repeats. */
export const SPINE_MARKS = {
  range: { colour: '#d8dde0' },
  network: { colour: COLOURS.network },
  target: { colour: COLOURS.target },
} as const;

const pct = (v: number | null) => (v === null ? null : +(v * 100).toFixed(2));

export function spineLabel(row: SpineRow): string {
  return `${row.met === null ? '–' : row.met ? '✓' : '✗'} ${row.code}`;
}

export function buildSpineConfig(rows: SpineRow[], options: { large?: boolean } = {}): ChartConfiguration<'bar'> {
  const labels = rows.map(spineLabel);
  const font = { size: options.large ? 16 : 12 };
  const point = (
    label: string,
    values: (number | null)[],
    style: { colour: string | string[]; shape: 'circle' | 'triangle' | 'line'; radius: number },
  ) => ({
    type: 'line' as const,
    label,
    data: values.map((x, i) => (x === null ? null : { x, y: labels[i] ?? '' })),
    showLine: false,
    clip: false,
    pointStyle: style.shape,
    pointRotation: style.shape === 'line' ? 90 : 0,
    pointRadius: style.radius,
    pointBorderWidth: style.shape === 'line' ? 3 : 1,
    pointBackgroundColor: style.colour,
    pointBorderColor: style.shape === 'line' ? style.colour : '#ffffff',
  });
  return {
    type: 'bar',
    data: {
      labels,
      datasets: [
        {
          label: "Range of the network's practices",
          data: rows.map((r) =>
            r.lowest === null || r.highest === null ? null : ([pct(r.lowest), pct(r.highest)] as [number, number]),
          ) as unknown as number[],
          backgroundColor: SPINE_MARKS.range.colour,
          barPercentage: 0.6,
          grouped: false,
          order: 3,
        },
        point(
          'Network average',
          rows.map((r) => pct(r.networkRate)),
          { colour: SPINE_MARKS.network.colour, shape: 'line', radius: 9 },
        ) as never,
        point(
          'Target',
          rows.map((r) => r.targetBp / 100),
          { colour: SPINE_MARKS.target.colour, shape: 'triangle', radius: 6 },
        ) as never,
        point(
          'This practice',
          rows.map((r) => pct(r.rate)),
          {
            colour: rows.map((r) => (r.met === null ? COLOURS.notApplicable : r.met ? COLOURS.met : COLOURS.notMet)),
            shape: 'circle',
            radius: 6,
          },
        ) as never,
      ],
    },
    options: {
      indexAxis: 'y',
      responsive: true,
      maintainAspectRatio: false,
      animation: false,
      scales: {
        x: {
          min: 0,
          max: 100,
          ticks: { callback: percent, font, stepSize: 10 },
          title: { display: true, text: 'Rate (%)', font },
        },
        y: { ticks: { font, autoSkip: false } },
      },
      plugins: {
        legend: { display: false },
        tooltip: {
          callbacks: {
            title: (items) => {
              const r = rows[items[0]?.dataIndex ?? -1];
              return r ? `${r.code} ${r.title}` : '';
            },
          },
        },
      },
    },
  };
}
