/**
 * Funnel plot: practice rate against denominator, the network rate as the centre line and the 95% and 99.8%
 * limits as curves. A practice's position is shown by colour and by shape (▲ high, ◆ low, ● within limits).
 */
import type { ChartConfiguration } from 'chart.js';
import { COLOURS, percent, SHAPES } from './palette';
import { must } from '../must';

export type Significance = 'high-99.8' | 'high-95' | 'low-99.8' | 'low-95' | 'not-significant';

export interface FunnelInput {
  centre: number;
  curve: { denominator: number; lower95: number; upper95: number; lower998: number; upper998: number }[];
  practices: { code: string; name: string; numerator: number; denominator: number; significance: Significance }[];
}

export const SIGNIFICANCE_TEXT: Record<Significance, string> = {
  'high-99.8': 'high (beyond 99.8% limit)',
  'high-95': 'high (beyond 95% limit)',
  'low-99.8': 'low (beyond 99.8% limit)',
  'low-95': 'low (beyond 95% limit)',
  'not-significant': 'within the limits',
};

function look(s: Significance): { colour: string; shape: 'triangle' | 'rectRot' | 'circle' } {
  if (s.startsWith('high')) return { colour: COLOURS.improvement, shape: SHAPES.high };
  if (s.startsWith('low')) return { colour: COLOURS.concern, shape: SHAPES.low };
  return { colour: COLOURS.common, shape: SHAPES.none };
}

export function buildFunnelConfig(
  input: FunnelInput,
  options: { large?: boolean } = {},
): ChartConfiguration<'scatter'> {
  const curve = (pick: (c: FunnelInput['curve'][number]) => number) =>
    input.curve.map((c) => ({ x: c.denominator, y: +(pick(c) * 100).toFixed(3) }));
  const limitLine = (label: string, data: { x: number; y: number }[], colour: string, dash: number[]) => ({
    label,
    data,
    borderColor: colour,
    borderWidth: 1.5,
    borderDash: dash,
    pointRadius: 0,
    showLine: true,
    fill: false,
  });
  const maxX = Math.max(...input.curve.map((c) => c.denominator), 1);
  const font = { size: options.large ? 16 : 12 };
  return {
    type: 'scatter',
    data: {
      datasets: [
        {
          label: 'Practices',
          data: input.practices.map((p) => ({
            x: p.denominator,
            y: +((p.numerator / p.denominator) * 100).toFixed(2),
          })),
          backgroundColor: input.practices.map((p) => look(p.significance).colour),
          borderColor: '#fff',
          pointStyle: input.practices.map((p) => look(p.significance).shape),
          pointRadius: options.large ? 10 : 7,
          pointHoverRadius: options.large ? 12 : 9,
        },
        limitLine(
          'Network rate',
          [
            { x: 0, y: input.centre * 100 },
            { x: maxX, y: input.centre * 100 },
          ],
          COLOURS.network,
          [],
        ),
        limitLine(
          '95% limits',
          curve((c) => c.upper95),
          COLOURS.limit95,
          [6, 4],
        ),
        limitLine(
          '95% lower',
          curve((c) => c.lower95),
          COLOURS.limit95,
          [6, 4],
        ),
        limitLine(
          '99.8% limits',
          curve((c) => c.upper998),
          COLOURS.limit998,
          [2, 3],
        ),
        limitLine(
          '99.8% lower',
          curve((c) => c.lower998),
          COLOURS.limit998,
          [2, 3],
        ),
      ],
    },
    options: {
      responsive: true,
      maintainAspectRatio: false,
      animation: false,
      scales: {
        x: {
          type: 'linear',
          min: 0,
          max: maxX,
          title: { display: true, text: 'Denominator (patients)', font },
          ticks: { font },
        },
        y: { min: 0, max: 100, title: { display: true, text: 'Rate (%)', font }, ticks: { callback: percent, font } },
      },
      plugins: {
        legend: {
          // Practices are keyed by shape in the text beside the chart; the lines are keyed here.
          labels: {
            filter: (item) => item.text !== 'Practices' && !item.text.endsWith('lower'),
            usePointStyle: true,
            pointStyle: 'line',
            font,
          },
        },
        tooltip: {
          filter: (item) => item.datasetIndex === 0,
          callbacks: {
            label: (ctx) => {
              const p = must(input.practices[ctx.dataIndex], 'a practice for each point of the first dataset');
              return `${p.code} ${p.name}: ${p.numerator}/${p.denominator} (${((p.numerator / p.denominator) * 100).toFixed(1)}%), ${SIGNIFICANCE_TEXT[p.significance]}`;
            },
          },
        },
      },
    },
  };
}
