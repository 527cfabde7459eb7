/**
 * Ranked practice bars: the network's practices sorted by rate, met or not met by colour and by a ✓ or ✗ in
 * the label, with the network average, the target and the lower threshold as labelled lines.
 */
import type { ChartConfiguration } from 'chart.js';
import type {} from 'chartjs-plugin-annotation'; // its option types for the reference lines
import { COLOURS, percent } from './palette';

export interface RankedBarsInput {
  practices: {
    code: string;
    name: string;
    rate: number | null;
    met: boolean | null;
    numerator: number | null;
    denominator: number | null;
  }[];
  networkRate: number | null;
  targetBp: number;
  lowerBp: number | null;
}

export interface RankedBar {
  code: string;
  label: string;
  rate: number;
  met: boolean;
}

/** Practices with a rate, highest first (ties by code, so the order is stable). */
export function rankPractices(input: RankedBarsInput): RankedBar[] {
  return input.practices
    .filter((p): p is typeof p & { rate: number; met: boolean } => p.rate !== null && p.met !== null)
    .sort((a, b) => b.rate - a.rate || a.code.localeCompare(b.code))
    .map((p) => ({ code: p.code, rate: p.rate, met: p.met, label: `${p.met ? '✓' : '✗'} ${p.name}` }));
}

/** The reference lines; their key is drawn beside the chart in HTML (labels on the lines collide when close). */
function line(value: number, colour: string, dash: number[], width = 2) {
  return { type: 'line' as const, scaleID: 'x', value, borderColor: colour, borderWidth: width, borderDash: dash };
}

/** The axis starts at a round number below everything drawn, so small differences between practices show. */
export function axisMinimum(values: number[]): number {
  const lowest = Math.min(...values);
  return Number.isFinite(lowest) ? Math.max(0, Math.floor(lowest / 10) * 10 - 10) : 0;
}

export function buildRankedBarsConfig(
  input: RankedBarsInput,
  options: { large?: boolean } = {},
): ChartConfiguration<'bar'> {
  const bars = rankPractices(input);
  const annotations: Record<string, ReturnType<typeof line>> = {
    target: line(input.targetBp / 100, COLOURS.target, [6, 4], 3),
  };
  if (input.networkRate !== null) annotations.network = line(input.networkRate * 100, COLOURS.network, [], 3);
  if (input.lowerBp !== null) annotations.lower = line(input.lowerBp / 100, COLOURS.lower, [2, 3]);
  const min = axisMinimum([
    ...bars.map((b) => b.rate * 100),
    input.targetBp / 100,
    ...(input.lowerBp !== null ? [input.lowerBp / 100] : []),
    ...(input.networkRate !== null ? [input.networkRate * 100] : []),
  ]);
  const font = { size: options.large ? 18 : 12 };
  return {
    type: 'bar',
    data: {
      labels: bars.map((b) => b.label),
      datasets: [
        {
          label: 'Practice rate',
          data: bars.map((b) => +(b.rate * 100).toFixed(2)),
          backgroundColor: bars.map((b) => (b.met ? COLOURS.met : COLOURS.notMet)),
          borderColor: bars.map((b) => (b.met ? COLOURS.met : COLOURS.notMet)),
          borderWidth: 1,
        },
      ],
    },
    options: {
      indexAxis: 'y',
      responsive: true,
      maintainAspectRatio: false,
      animation: false,
      scales: {
        x: {
          min,
          max: 100,
          ticks: { callback: percent, font, maxRotation: 0, autoSkipPadding: 12 },
          title: { display: true, text: 'Rate (%)', font },
        },
        y: { ticks: { font } },
      },
      plugins: {
        legend: { display: false },
        tooltip: { callbacks: { label: (ctx) => `${Number(ctx.raw).toFixed(1)}%` } },
        annotation: { annotations },
      },
    },
  };
}
