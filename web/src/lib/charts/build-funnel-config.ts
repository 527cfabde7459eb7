/**
 * Funnel plot: practice rate against denominator, the pooled rate as the centre line and the 95% and 99.8%
 * limits as curves (the server's: Wilson, or allowing for over-dispersion). A practice's position is shown by
 * colour and by shape (▲ high, ◆ low, ● within limits). Both axes are fitted to the points and to the limits
 * over the denominators plotted, so the data is not squeezed into a corner and no point is clipped; every named
 * practice is labelled beside its point, placed so that no label overlaps another label or point. Practices
 * with no name (other networks', SPEC 13) are small grey dots, unlabelled.
 */
import type { Chart, ChartConfiguration, ChartType, Plugin } from 'chart.js';
import { COLOURS, percent, SHAPES } from './palette';

export type Significance = 'high-99.8' | 'high-95' | 'low-99.8' | 'low-95' | 'not-significant';

export interface FunnelInput {
  centre: number;
  curve: { denominator: number; lower95: number; upper95: number; lower998: number; upper998: number }[];
  /** `name` null: another network's practice, drawn unnamed. */
  practices: {
    code: string;
    name: string | null;
    numerator: number;
    denominator: number;
    significance: Significance;
  }[];
}

export const SIGNIFICANCE_TEXT: Record<Significance, string> = {
  'high-99.8': 'high (beyond 99.8% limit)',
  'high-95': 'high (beyond 95% limit)',
  'low-99.8': 'low (beyond 99.8% limit)',
  'low-95': 'low (beyond 95% limit)',
  'not-significant': 'within the limits',
};

/** The line styles the chart draws and its key repeats. */
export const FUNNEL_LINES = {
  centre: { colour: COLOURS.network, dash: [] as number[], width: 2 },
  limit95: { colour: COLOURS.limit95, dash: [6, 4], width: 2 },
  limit998: { colour: COLOURS.limit998, dash: [2, 3], width: 2 },
} as const;

function look(s: Significance, own: boolean): { colour: string; shape: 'triangle' | 'rectRot' | 'circle' } {
  const shape = s.startsWith('high') ? SHAPES.high : s.startsWith('low') ? SHAPES.low : SHAPES.none;
  if (!own) return { colour: COLOURS.otherNetworks, shape };
  if (s.startsWith('high')) return { colour: COLOURS.improvement, shape };
  if (s.startsWith('low')) return { colour: COLOURS.concern, shape };
  return { colour: COLOURS.common, shape };
}

/** 1, 2 or 5 times a power of ten, at least `raw`. */
export function niceStep(raw: number): number {
  const power = 10 ** Math.floor(Math.log10(Math.max(raw, 1e-9)));
  return ([1, 2, 5, 10].find((m) => m * power >= raw) ?? 10) * power;
}

const niceDown = (v: number, step: number) => Math.floor(v / step) * step;
const niceUp = (v: number, step: number) => Math.ceil(v / step) * step;

/**
 * The axes fitted to what is drawn: denominators from a little below the smallest to a little above the
 * largest (from 0 when the smallest is under a fifth of the largest), and rates (in %) from below the lowest
 * point or 99.8% limit from the smallest practice's denominator up to above the highest, in steps of 5 (2 when the span is
 * narrow), never beyond 0–100.
 */
export function funnelAxes(input: FunnelInput): { x: { min: number; max: number }; y: { min: number; max: number } } {
  const dens = input.practices.map((p) => p.denominator);
  const maxDen = Math.max(1, ...dens);
  const minDen = Math.min(maxDen, ...dens);
  const rawMin = minDen < maxDen / 5 ? 0 : minDen * 0.85;
  const xStep = niceStep((maxDen * 1.08 - rawMin) / 5);
  // Never past the end of the limit curves: the axis stops where they stop, if they stop short of a whole step.
  const curveEnd = input.curve.at(-1)?.denominator ?? Infinity;
  const xMax = Math.min(niceUp(maxDen * 1.08, xStep), Math.max(curveEnd, maxDen));
  const xMin = niceDown(rawMin, xStep);
  // The limits count from the smallest practice plotted: below it they fan out to 0–100% and would squeeze the
  // points into a band.
  const shown = input.curve.filter((c) => c.denominator >= Math.max(minDen, 1) && c.denominator <= xMax);
  const values = [
    ...input.practices.map((p) => (p.numerator / p.denominator) * 100),
    input.centre * 100,
    ...shown.flatMap((c) => [c.lower998 * 100, c.upper998 * 100]),
  ];
  const lo = Math.min(...values);
  const hi = Math.max(...values);
  const step = hi - lo < 12 ? 2 : 5;
  return {
    x: { min: xMin, max: xMax },
    y: { min: Math.max(0, niceDown(lo - 1, step)), max: Math.min(100, niceUp(hi + 1, step)) },
  };
}

export interface Box {
  x: number;
  y: number;
  w: number;
  h: number;
}

const overlap = (a: Box, b: Box) =>
  Math.max(0, Math.min(a.x + a.w, b.x + b.w) - Math.max(a.x, b.x)) *
  Math.max(0, Math.min(a.y + a.h, b.y + b.h) - Math.max(a.y, b.y));

/** A line drawn on the plot (the centre line, a limit curve, a target), as pixel points joined in order. */
export type Polyline = { x: number; y: number }[];

/** How much of the segment a→b lies inside the box (Liang–Barsky clipping), in pixels. */
export function lengthInside(a: { x: number; y: number }, b: { x: number; y: number }, box: Box): number {
  const dx = b.x - a.x;
  const dy = b.y - a.y;
  let t0 = 0;
  let t1 = 1;
  const edges: [number, number][] = [
    [-dx, a.x - box.x],
    [dx, box.x + box.w - a.x],
    [-dy, a.y - box.y],
    [dy, box.y + box.h - a.y],
  ];
  for (const [p, q] of edges) {
    if (p === 0) {
      if (q < 0) return 0;
      continue;
    }
    const t = q / p;
    if (p < 0) t0 = Math.max(t0, t);
    else t1 = Math.min(t1, t);
    if (t0 > t1) return 0;
  }
  return (t1 - t0) * Math.hypot(dx, dy);
}

/** Pixels a label keeps clear of a line, and what a pixel of line under a label costs (as if 8 px wide). */
const LINE_CLEARANCE = 2;
const LINE_WEIGHT = 8;

/** How much of the lines a label box would cover, weighted like an area of overlap. */
function lineCost(box: Box, lines: readonly Polyline[]): number {
  const grown = {
    x: box.x - LINE_CLEARANCE,
    y: box.y - LINE_CLEARANCE,
    w: box.w + 2 * LINE_CLEARANCE,
    h: box.h + 2 * LINE_CLEARANCE,
  };
  let cost = 0;
  for (const line of lines)
    for (let k = 1; k < line.length; k++)
      cost += lengthInside(line[k - 1] as Polyline[number], line[k] as Polyline[number], grown) * LINE_WEIGHT;
  return cost;
}

/**
 * Places a label beside each point (pixel positions) so that no label overlaps another label, any point's
 * marker or any line of the chart (the centre line, the limit curves), and every label stays inside `bounds`.
 * Tries right, left (level with the point, then raised or lowered by half a line), above, below, then the four
 * corners, then further out; where nothing is free, takes the
 * place with the least overlap. Returns each label's box (top-left).
 */
export function placeLabels(
  points: { x: number; y: number; w: number; h: number }[],
  bounds: Box,
  radius: number,
  /** Other boxes not to cover. */
  obstacles: Box[] = [],
  /** Lines not to cross: the centre line, the 95% and 99.8% limit curves, a target line. */
  lines: readonly Polyline[] = [],
): Box[] {
  const gap = 3;
  const markers: Box[] = [
    ...points.map((p) => ({ x: p.x - radius, y: p.y - radius, w: 2 * radius, h: 2 * radius })),
    ...obstacles,
  ];
  const placed: Box[] = [];
  // Crowded points first (those with the most neighbours nearby), so they get the best places.
  const order = points
    .map((p, i) => ({ i, near: points.filter((q) => Math.hypot(q.x - p.x, q.y - p.y) < 60).length }))
    .sort((a, b) => b.near - a.near || a.i - b.i)
    .map((o) => o.i);
  const result = new Array<Box>(points.length);
  for (const i of order) {
    const p = points[i] as (typeof points)[number];
    const r = radius + gap;
    const candidates: Box[] = [];
    for (const far of [0, 14, 28, 48, 72, 100, 136]) {
      candidates.push(
        { x: p.x + r + far, y: p.y - p.h / 2, w: p.w, h: p.h },
        { x: p.x - r - far - p.w, y: p.y - p.h / 2, w: p.w, h: p.h },
        // Beside the point but raised or lowered by half a line, clear of a line running just under or over it.
        { x: p.x + r + far, y: p.y - p.h + 2, w: p.w, h: p.h },
        { x: p.x + r + far, y: p.y - 2, w: p.w, h: p.h },
        { x: p.x - r - far - p.w, y: p.y - p.h + 2, w: p.w, h: p.h },
        { x: p.x - r - far - p.w, y: p.y - 2, w: p.w, h: p.h },
        { x: p.x - p.w / 2, y: p.y - r - far - p.h, w: p.w, h: p.h },
        { x: p.x - p.w / 2, y: p.y + r + far, w: p.w, h: p.h },
        { x: p.x + r / 2 + far, y: p.y - r - far - p.h, w: p.w, h: p.h },
        { x: p.x + r / 2 + far, y: p.y + r + far, w: p.w, h: p.h },
        { x: p.x - r / 2 - far - p.w, y: p.y - r - far - p.h, w: p.w, h: p.h },
        { x: p.x - r / 2 - far - p.w, y: p.y + r + far, w: p.w, h: p.h },
      );
    }
    const inside = (b: Box) =>
      b.x >= bounds.x && b.y >= bounds.y && b.x + b.w <= bounds.x + bounds.w && b.y + b.h <= bounds.y + bounds.h;
    const cost = (b: Box) =>
      [...placed, ...markers].reduce((s, o) => s + overlap(b, o), 0) + lineCost(b, lines) + (inside(b) ? 0 : 1e6);
    let best = candidates[0] as Box;
    let bestCost = Infinity;
    for (const c of candidates) {
      const k = cost(c);
      if (k < bestCost) {
        best = c;
        bestCost = k;
      }
      if (k === 0) break;
    }
    placed.push(best);
    result[i] = best;
  }
  return result;
}

export interface FunnelOptions {
  large?: boolean;
  /** A practice to draw out (a larger point with a thick ring). */
  highlight?: string | null;
  /** Called with a named practice's code when its point is clicked. */
  onSelect?: (code: string) => void;
  /** What the centre line is: the network's pooled rate, or every network's. */
  centreLabel?: string;
}

interface LabelOptions {
  texts: (string | null)[];
  highlight: number;
  size: number;
  radius: number;
}

declare module 'chart.js' {
  // eslint-disable-next-line @typescript-eslint/no-unused-vars
  interface PluginOptionsByType<TType extends ChartType> {
    /** The funnel plot's point labels (drawn by its own inline plugin). */
    pointLabels?: LabelOptions;
  }
}

/** Draws each named practice's label where placeLabels puts it (its texts come from the chart's options). */
const pointLabels: Plugin<'scatter'> = {
  id: 'pointLabels',
  afterDatasetsDraw(chart: Chart<'scatter'>, _args: unknown, opts: LabelOptions) {
    const meta = chart.getDatasetMeta(0);
    const ctx = chart.ctx;
    const area = chart.chartArea;
    ctx.save();
    const font = (i: number) =>
      `${i === opts.highlight ? 'bold' : 'normal'} ${opts.size}px 'Segoe UI', Arial, Helvetica, sans-serif`;
    const named = opts.texts.flatMap((text, i) => {
      const el = meta.data[i];
      if (!text || !el) return [];
      ctx.font = font(i);
      return [{ i, text, x: el.x, y: el.y, w: ctx.measureText(text).width + 4, h: opts.size + 4 }];
    });
    // Labels may use the padding above the plot (points at 100% are labelled above it), not the axes.
    const top = area.top - opts.size - 16;
    // Every line drawn (the centre line and the four limit curves, datasets 1–5) is an obstacle.
    const lines: Polyline[] = chart.data.datasets
      .map((_, k) => k)
      .filter((k) => k > 0)
      .map((k) => chart.getDatasetMeta(k).data.map((el) => ({ x: el.x, y: el.y })));
    const boxes = placeLabels(
      named,
      { x: area.left, y: top, w: area.right - area.left, h: area.bottom - top },
      opts.radius,
      [],
      lines,
    );
    named.forEach((n, k) => {
      const b = boxes[k] as Box;
      // A label not right beside its point gets a thin leader line to it.
      const cx = Math.min(Math.max(n.x, b.x), b.x + b.w);
      const cy = Math.min(Math.max(n.y, b.y), b.y + b.h);
      const d = Math.hypot(cx - n.x, cy - n.y);
      if (d > opts.radius + 6) {
        ctx.beginPath();
        ctx.strokeStyle = COLOURS.network;
        ctx.lineWidth = 1;
        ctx.moveTo(n.x + ((cx - n.x) / d) * (opts.radius + 1), n.y + ((cy - n.y) / d) * (opts.radius + 1));
        ctx.lineTo(cx, cy);
        ctx.stroke();
      }
      ctx.font = font(n.i);
      ctx.textBaseline = 'middle';
      ctx.lineWidth = 3;
      ctx.strokeStyle = '#ffffff';
      ctx.fillStyle = COLOURS.network;
      ctx.strokeText(n.text, b.x + 2, b.y + b.h / 2);
      ctx.fillText(n.text, b.x + 2, b.y + b.h / 2);
    });
    ctx.restore();
  },
};

/** A short label for a point: the name up to its first 24 characters, shortened at a word where it can be. */
export function pointLabel(name: string): string {
  if (name.length <= 24) return name;
  const cut = name.slice(0, 23);
  const space = cut.lastIndexOf(' ');
  return `${(space > 8 ? cut.slice(0, space) : cut).trimEnd()}…`;
}

export function buildFunnelConfig(input: FunnelInput, options: FunnelOptions = {}): ChartConfiguration<'scatter'> {
  const axes = funnelAxes(input);
  // The curves up to the first point at or past the axis's end, so they run to its edge (the plot clips them).
  const end = input.curve.findIndex((c) => c.denominator >= axes.x.max);
  const drawn = end === -1 ? input.curve : input.curve.slice(0, end + 1);
  const curve = (pick: (c: FunnelInput['curve'][number]) => number) =>
    drawn.map((c) => ({ x: c.denominator, y: +(pick(c) * 100).toFixed(3) }));
  const limitLine = (
    label: string,
    data: { x: number; y: number }[],
    style: (typeof FUNNEL_LINES)[keyof typeof FUNNEL_LINES],
  ) => ({
    label,
    data,
    borderColor: style.colour,
    borderWidth: style.width,
    borderDash: [...style.dash],
    pointRadius: 0,
    pointHoverRadius: 0,
    showLine: true,
    fill: false,
  });
  const font = { size: options.large ? 16 : 12 };
  const radius = options.large ? 10 : 7;
  // Other networks' practices first, so this network's are drawn over them.
  const order = input.practices
    .map((p, i) => ({ p, i }))
    .sort((a, b) => Number(a.p.name !== null) - Number(b.p.name !== null) || a.i - b.i)
    .map((o) => o.p);
  const own = (p: FunnelInput['practices'][number]) => p.name !== null;
  const hi = (p: FunnelInput['practices'][number]) => options.highlight != null && p.code === options.highlight;
  return {
    type: 'scatter',
    data: {
      datasets: [
        {
          label: 'Practices',
          data: order.map((p) => ({ x: p.denominator, y: +((p.numerator / p.denominator) * 100).toFixed(2) })),
          backgroundColor: order.map((p) => look(p.significance, own(p)).colour),
          borderColor: order.map((p) => (hi(p) ? COLOURS.network : '#fff')),
          borderWidth: order.map((p) => (hi(p) ? 3 : 1)),
          pointStyle: order.map((p) => look(p.significance, own(p)).shape),
          pointRadius: order.map((p) => (hi(p) ? radius + 4 : own(p) ? radius : radius - 3)),
          pointHoverRadius: order.map((p) => (own(p) ? radius + 2 : radius - 1)),
          clip: false,
        },
        limitLine(
          'Centre',
          [
            { x: axes.x.min, y: input.centre * 100 },
            { x: axes.x.max, y: input.centre * 100 },
          ],
          FUNNEL_LINES.centre,
        ),
        limitLine(
          '95% limits',
          curve((c) => c.upper95),
          FUNNEL_LINES.limit95,
        ),
        limitLine(
          '95% lower',
          curve((c) => c.lower95),
          FUNNEL_LINES.limit95,
        ),
        limitLine(
          '99.8% limits',
          curve((c) => c.upper998),
          FUNNEL_LINES.limit998,
        ),
        limitLine(
          '99.8% lower',
          curve((c) => c.lower998),
          FUNNEL_LINES.limit998,
        ),
      ],
    },
    plugins: [pointLabels],
    options: {
      responsive: true,
      maintainAspectRatio: false,
      animation: false,
      onClick: (_event, elements) => {
        const p = order[elements.find((e) => e.datasetIndex === 0)?.index ?? -1];
        if (p && p.name !== null) options.onSelect?.(p.code);
      },
      layout: { padding: { top: (options.large ? 16 : 12) + 20, right: radius } },
      scales: {
        x: {
          type: 'linear',
          min: axes.x.min,
          max: axes.x.max,
          title: { display: true, text: 'Denominator (patients)', font },
          ticks: { font, maxRotation: 0 },
        },
        y: {
          min: axes.y.min,
          max: axes.y.max,
          title: { display: true, text: 'Rate (%)', font },
          ticks: { callback: percent, font },
        },
      },
      plugins: {
        // The key is drawn beside the chart in the same line styles (LineKey), so Chart.js's legend is off.
        legend: { display: false },
        pointLabels: {
          texts: order.map((p) => (p.name === null ? null : pointLabel(p.name))),
          highlight: order.findIndex(hi),
          size: options.large ? 16 : 12,
          radius,
        },
        tooltip: {
          filter: (item) => item.datasetIndex === 0,
          callbacks: {
            label: (ctx) => {
              const p = order[ctx.dataIndex];
              if (!p) return '';
              const who = p.name === null ? 'A practice of another network' : `${p.name} (${p.code})`;
              return `${who}: ${p.numerator}/${p.denominator} (${((p.numerator / p.denominator) * 100).toFixed(1)}%), ${SIGNIFICANCE_TEXT[p.significance]}`;
            },
          },
        },
      },
    },
  };
}
