/**
 * Ranked practice bars (SPEC section 5): the network's practices sorted by rate, each bar drawn from 0 with the
 * practice's 95% Wilson interval as a dark whisker across its end, so a 71% bar is never drawn as a third of a
 * 95% one. Met or not met by colour and by a ✓ or ✗ before the name; the funnel's significance by a shape after
 * it (▲ high, ◆ low, doubled beyond 99.8%, ● within the limits). Names are fitted to a measured width with an
 * ellipsis; the full name is in the tooltip and the data table. The network average, the target and the lower
 * threshold are lines keyed beside the chart in the same styles.
 */
import type { ChartConfiguration } from 'chart.js';
import type {} from 'chartjs-plugin-annotation'; // its option types for the reference lines
import type { Significance } from './build-funnel-config';
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
  /** Each practice's 95% Wilson interval and funnel position, from the server's funnel (absent without one). */
  intervals?: { code: string; lower95: number; upper95: number; significance: Significance }[];
}

export interface RankedBar {
  code: string;
  /** The full name, with the met mark before it and the funnel cue after it (for the summary and table). */
  label: string;
  name: string;
  rate: number;
  met: boolean;
  lower95: number | null;
  upper95: number | null;
  significance: Significance | null;
}

/** The funnel's position as a shape that matches the funnel plot's markers. */
export const SIGNIFICANCE_CUE: Record<Significance, string> = {
  'high-99.8': '▲▲',
  'high-95': '▲',
  'low-99.8': '◆◆',
  'low-95': '◆',
  'not-significant': '●',
};

const metMark = (met: boolean) => (met ? '✓' : '✗');

/** Practices with a rate, highest first (ties by code, so the order is stable). */
export function rankPractices(input: RankedBarsInput): RankedBar[] {
  return input.practices
    .filter((p): p is typeof p & { rate: number; met: boolean } => p.rate !== null && p.met !== null)
    .sort((a, b) => b.rate - a.rate || a.code.localeCompare(b.code))
    .map((p) => {
      const w = input.intervals?.find((i) => i.code === p.code);
      const significance = w?.significance ?? null;
      return {
        code: p.code,
        name: p.name,
        rate: p.rate,
        met: p.met,
        lower95: w?.lower95 ?? null,
        upper95: w?.upper95 ?? null,
        significance,
        label: `${metMark(p.met)} ${p.name}${significance ? ` ${SIGNIFICANCE_CUE[significance]}` : ''}`,
      };
    });
}

/**
 * The longest start of `text` that, with an ellipsis, measures at most `maxWidth` (the whole text when it fits).
 * `measure` gives a string's width in pixels in the font it is drawn in.
 */
export function fitText(text: string, maxWidth: number, measure: (s: string) => number): string {
  if (measure(text) <= maxWidth) return text;
  let lo = 0;
  let hi = text.length;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (measure(`${text.slice(0, mid).trimEnd()}…`) <= maxWidth) lo = mid;
    else hi = mid - 1;
  }
  return `${text.slice(0, lo).trimEnd()}…`;
}

/** A bar's label: the met mark and the funnel cue are kept whole; only the name is shortened to fit. */
export function barLabel(bar: RankedBar, maxWidth: number, measure: (s: string) => number): string {
  const before = `${metMark(bar.met)} `;
  const after = bar.significance ? ` ${SIGNIFICANCE_CUE[bar.significance]}` : '';
  const room = maxWidth - measure(before) - measure(after);
  return `${before}${fitText(bar.name, room, measure)}${after}`;
}

/** A rough width for tests and before a canvas exists: 0.6 em per character. */
export const roughMeasure =
  (fontSize: number) =>
  (s: string): number =>
    [...s].length * fontSize * 0.6;

/** The reference lines; their key is drawn beside the chart in HTML (labels on the lines collide when close). */
function line(value: number, colour: string, dash: number[], width = 2) {
  return { type: 'line' as const, scaleID: 'x', value, borderColor: colour, borderWidth: width, borderDash: dash };
}

export interface RankedBarsOptions {
  large?: boolean;
  /** The width the chart is drawn at, in pixels: names get at most 45% of it, and ticks are spaced to it. */
  width?: number;
  /** Measures a label in the chart's tick font (a canvas's measureText in the browser). */
  measure?: (s: string) => number;
  /** A practice to draw out (a thick outline and bold name). */
  highlight?: string | null;
  /** Called with a practice's code when its bar is clicked. */
  onSelect?: (code: string) => void;
}

export const BAR_FONT = { medium: 12, large: 18 } as const;

export function buildRankedBarsConfig(
  input: RankedBarsInput,
  options: RankedBarsOptions = {},
): ChartConfiguration<'bar'> {
  const bars = rankPractices(input);
  const fontSize = options.large ? BAR_FONT.large : BAR_FONT.medium;
  const measure = options.measure ?? roughMeasure(fontSize);
  const width = options.width ?? 600;
  const labelRoom = Math.max(90, Math.floor(width * 0.45));
  const labels = bars.map((b) => barLabel(b, labelRoom, measure));
  const annotations: Record<string, ReturnType<typeof line>> = {
    target: line(input.targetBp / 100, COLOURS.target, [6, 4], 3),
  };
  if (input.networkRate !== null) annotations.network = line(input.networkRate * 100, COLOURS.network, [], 3);
  if (input.lowerBp !== null) annotations.lower = line(input.lowerBp / 100, COLOURS.lower, [2, 3]);
  // Even ticks from 0 to 100%: every 10% where the plot area has room for eleven labels, else every 20% or 25%.
  const plotWidth = width - labelRoom - 40;
  const tickLabel = measure('100%') + 16;
  const step = plotWidth / 10 >= tickLabel ? 10 : plotWidth / 5 >= tickLabel ? 20 : 25;
  const font = { size: fontSize };
  // The axis title on one line where it fits under the whole chart, else on two (never squeezed).
  const title = 'Rate (%), bars from 0; whiskers: 95% interval';
  const titleText = measure(title) <= width * 0.8 ? title : ['Rate (%), bars from 0;', 'whiskers: 95% interval'];
  const highlighted = (b: RankedBar) => options.highlight === b.code;
  return {
    type: 'bar',
    data: {
      labels,
      datasets: [
        {
          label: 'Practice rate',
          data: bars.map((b) => +(b.rate * 100).toFixed(2)),
          backgroundColor: bars.map((b) => (b.met ? COLOURS.met : COLOURS.notMet)),
          borderColor: bars.map((b) => (highlighted(b) ? COLOURS.highlight : b.met ? COLOURS.met : COLOURS.notMet)),
          borderWidth: bars.map((b) => (highlighted(b) ? 4 : 1)),
          grouped: false,
          barPercentage: 0.8,
          order: 2,
        },
        {
          // The 95% Wilson interval: a thin floating bar from the lower to the upper end, drawn over the bar.
          label: '95% interval',
          data: bars.map((b) =>
            b.lower95 === null || b.upper95 === null
              ? null
              : ([+(b.lower95 * 100).toFixed(2), +(b.upper95 * 100).toFixed(2)] as [number, number]),
          ) as unknown as number[],
          backgroundColor: COLOURS.interval,
          borderColor: COLOURS.interval,
          borderWidth: 0,
          grouped: false,
          barPercentage: 0.14,
          order: 1,
        },
      ],
    },
    options: {
      indexAxis: 'y',
      onClick: (_event, elements) => {
        const b = bars[elements[0]?.index ?? -1];
        if (b) options.onSelect?.(b.code);
      },
      responsive: true,
      maintainAspectRatio: false,
      animation: false,
      scales: {
        x: {
          min: 0,
          max: 100,
          ticks: { callback: percent, font, stepSize: step, maxRotation: 0, autoSkip: false },
          title: { display: true, text: titleText, font },
        },
        y: {
          ticks: {
            font: (ctx) => ({
              size: fontSize,
              weight: bars[ctx.index] && highlighted(bars[ctx.index] as RankedBar) ? 'bold' : 'normal',
            }),
            autoSkip: false,
          },
        },
      },
      plugins: {
        legend: { display: false },
        tooltip: {
          filter: (item) => item.datasetIndex === 0,
          callbacks: {
            title: (items) => {
              const b = bars[items[0]?.dataIndex ?? -1];
              return b ? `${b.name} (${b.code})` : '';
            },
            label: (ctx) => {
              const b = bars[ctx.dataIndex];
              if (!b) return '';
              const interval =
                b.lower95 === null || b.upper95 === null
                  ? ''
                  : `, 95% interval ${(b.lower95 * 100).toFixed(1)}–${(b.upper95 * 100).toFixed(1)}%`;
              return `${(b.rate * 100).toFixed(1)}%${interval}; ${b.met ? 'met' : 'not met'}`;
            },
          },
        },
        annotation: { annotations },
      },
    },
  };
}
