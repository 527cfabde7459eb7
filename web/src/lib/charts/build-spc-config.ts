/**
 * SPC (XmR) chart of the network's monthly attainment: the values, the mean, the process limits and the
 * target; special-cause points coloured (blue improvement, orange concern, purple neither, grey common cause)
 * and shaped (▲ high, ◆ low, ■ neither). With fewer than 13 months it is a run chart: the mean only.
 * Incomplete months (a practice's figures missing) are drawn hollow and named in the data table.
 */
import type { ChartConfiguration } from 'chart.js';
import { COLOURS, percent, SHAPES } from './palette';

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

export function pointLook(
  p: SpcInputPeriod,
  unit: 'month' | 'quarter' = 'month',
): { colour: string; fill: string; shape: string; text: string } {
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
    : { ...look, fill: '#ffffff', text: `${look.text}; incomplete ${unit}` };
}

/** The line styles the chart draws and its key (LineKey) repeats. */
export const SPC_LINES = {
  rate: { colour: COLOURS.network, dash: [] as number[], width: 2 },
  mean: { colour: COLOURS.mean, dash: [] as number[], width: 1.5 },
  limits: { colour: COLOURS.lower, dash: [6, 4], width: 1.5 },
  target: { colour: COLOURS.target, dash: [10, 5], width: 2 },
} as const;

export function buildSpcConfig(input: SpcInput, options: { large?: boolean } = {}): ChartConfiguration<'line'> {
  const pct = (v: number | null | undefined) => (v === null || v === undefined ? null : +(v * 100).toFixed(3));
  const points = input.periods;
  const looks = points.map((p) => pointLook(p, input.frequency === 'quarterly' ? 'quarter' : 'month'));
  const step = (label: string, values: (number | null)[], style: (typeof SPC_LINES)[keyof typeof SPC_LINES]) => ({
    label,
    data: values,
    borderColor: style.colour,
    borderWidth: style.width,
    borderDash: [...style.dash],
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
      borderColor: SPC_LINES.rate.colour,
      borderWidth: SPC_LINES.rate.width,
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
      SPC_LINES.mean,
    ),
  ];
  if (hasLimits) {
    datasets.push(
      step(
        'Process limits',
        points.map((p) => pct(p.spc?.upperLimit)),
        SPC_LINES.limits,
      ),
    );
    datasets.push(
      step(
        'Lower process limit',
        points.map((p) => pct(p.spc?.lowerLimit)),
        SPC_LINES.limits,
      ),
    );
  }
  const target = input.targetBp;
  if (target !== null) {
    datasets.push({
      label: 'Target',
      data: points.map(() => target / 100),
      borderColor: SPC_LINES.target.colour,
      borderWidth: SPC_LINES.target.width,
      borderDash: [...SPC_LINES.target.dash],
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
        // The key is drawn beside the chart in the same line styles (LineKey), so Chart.js's legend is off.
        legend: { display: false },
        tooltip: {
          callbacks: {
            label: (ctx) =>
              ctx.datasetIndex === 0
                ? `${Number(ctx.raw).toFixed(1)}% · ${looks[ctx.dataIndex]?.text ?? ''}`
                : `${ctx.dataset.label}: ${Number(ctx.raw).toFixed(1)}%`,
          },
        },
      },
    },
  };
}
