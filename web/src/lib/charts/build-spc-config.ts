/**
 * SPC (XmR) chart of the network's monthly attainment: the values, the mean, the process limits and the
 * target; special-cause points coloured (blue improvement, orange concern, purple neither, grey common cause)
 * and shaped (▲ high, ◆ low, ■ neither). With fewer than 13 months it is a run chart: the mean only.
 * Incomplete months (a practice's figures missing) are drawn hollow and named in the data table.
 */
import type { ChartConfiguration } from 'chart.js';
import { COLOURS, percent, SHAPES } from './palette';
import { must } from '../must';

export interface SpcInputPeriod {
  period: string;
  rate: number | null;
  complete: boolean;
  spc: {
    mean: number;
    upperLimit: number | null;
    lowerLimit: number | null;
    special: string | null;
    side: string | null;
  } | null;
}

export interface SpcInput {
  periods: SpcInputPeriod[];
  targetBp: number | null;
  /** Quarterly data is labelled by quarter ('Apr–Jun 19'). */
  frequency?: 'monthly' | 'quarterly';
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
export const shortPeriod = (p: string, frequency: 'monthly' | 'quarterly' = 'monthly') => {
  const month = Number(p.slice(5));
  return frequency === 'quarterly'
    ? `${MONTHS[month - 3]}–${MONTHS[month - 1]} ${p.slice(2, 4)}`
    : `${MONTHS[month - 1]} ${p.slice(2, 4)}`;
};

export function pointLook(p: SpcInputPeriod): { colour: string; fill: string; shape: string; text: string } {
  const look = (() => {
    if (!p.spc) return { colour: COLOURS.incomplete, shape: SHAPES.incomplete, text: 'no rate' };
    if (p.spc.special === 'improvement')
      return {
        colour: COLOURS.improvement,
        shape: p.spc.side === 'low' ? SHAPES.low : SHAPES.high,
        text: 'special cause: improvement',
      };
    if (p.spc.special === 'concern')
      return {
        colour: COLOURS.concern,
        shape: p.spc.side === 'high' ? SHAPES.high : SHAPES.low,
        text: 'special cause: concern',
      };
    if (p.spc.special === 'neither') return { colour: COLOURS.neither, shape: SHAPES.neither, text: 'special cause' };
    return { colour: COLOURS.common, shape: SHAPES.none, text: 'common cause' };
  })();
  return p.complete
    ? { ...look, fill: look.colour }
    : { ...look, fill: '#ffffff', text: `${look.text}; incomplete month` };
}

export function buildSpcConfig(input: SpcInput, options: { large?: boolean } = {}): ChartConfiguration<'line'> {
  const pct = (v: number | null | undefined) => (v === null || v === undefined ? null : +(v * 100).toFixed(3));
  const points = input.periods;
  const looks = points.map(pointLook);
  const step = (label: string, values: (number | null)[], colour: string, dash: number[]) => ({
    label,
    data: values,
    borderColor: colour,
    borderWidth: 1.5,
    borderDash: dash,
    pointRadius: 0,
    stepped: 'middle' as const,
    fill: false,
    spanGaps: true,
  });
  const hasLimits = points.some((p) => p.spc?.upperLimit !== null && p.spc?.upperLimit !== undefined);
  const datasets: ChartConfiguration<'line'>['data']['datasets'] = [
    {
      label: 'Network rate',
      data: points.map((p) => pct(p.rate)),
      borderColor: COLOURS.network,
      borderWidth: 2,
      pointBackgroundColor: looks.map((l) => l.fill),
      pointBorderWidth: 2,
      pointBorderColor: looks.map((l) => l.colour),
      pointStyle: looks.map((l) => l.shape as 'circle'),
      pointRadius: options.large ? 8 : 5,
      spanGaps: false,
    },
    step(
      'Mean',
      points.map((p) => pct(p.spc?.mean)),
      COLOURS.network,
      [1, 0],
    ),
  ];
  if (hasLimits) {
    datasets.push(
      step(
        'Process limits',
        points.map((p) => pct(p.spc?.upperLimit)),
        COLOURS.lower,
        [6, 4],
      ),
    );
    datasets.push(
      step(
        'Lower process limit',
        points.map((p) => pct(p.spc?.lowerLimit)),
        COLOURS.lower,
        [6, 4],
      ),
    );
  }
  const targetBp = input.targetBp;
  if (targetBp !== null) {
    datasets.push({
      label: 'Target',
      data: points.map(() => targetBp / 100),
      borderColor: COLOURS.target,
      borderWidth: 2,
      borderDash: [10, 5],
      pointRadius: 0,
      fill: false,
    });
  }
  const values = datasets.flatMap((d) => (d.data as (number | null)[]).filter((v): v is number => v !== null));
  const font = { size: options.large ? 16 : 12 };
  return {
    type: 'line',
    data: { labels: points.map((p) => shortPeriod(p.period, input.frequency)), datasets },
    options: {
      responsive: true,
      maintainAspectRatio: false,
      animation: false,
      scales: {
        y: {
          suggestedMin: Math.max(0, Math.floor(Math.min(...values) - 2)),
          suggestedMax: Math.min(100, Math.ceil(Math.max(...values) + 2)),
          title: { display: true, text: 'Rate (%)', font },
          ticks: { callback: percent, font },
        },
        x: { ticks: { font, maxRotation: 0, autoSkip: true } },
      },
      plugins: {
        legend: {
          labels: {
            filter: (item) => item.text !== 'Lower process limit' && item.text !== 'Network rate',
            usePointStyle: true,
            pointStyle: 'line',
            font,
          },
        },
        tooltip: {
          callbacks: {
            label: (ctx) =>
              ctx.datasetIndex === 0
                ? `${Number(ctx.raw).toFixed(1)}% · ${must(looks[ctx.dataIndex], 'a look for each point').text}`
                : `${ctx.dataset.label}: ${Number(ctx.raw).toFixed(1)}%`,
          },
        },
      },
    },
  };
}
