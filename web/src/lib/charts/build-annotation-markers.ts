/**
 * Annotation markers (SPEC 12): a note on a network's indicator at a month, drawn on a chart whose x axis is
 * a run of periods as a dotted vertical line at that month, numbered (✎1, ✎2 …) to match the list of notes
 * under the chart. The note's text shows on the chart when the pointer is over its line, or when its entry
 * in the list has the pointer or the keyboard focus (`highlight`). A chart with no markers is unchanged.
 *
 * Self-contained: it adds chartjs-plugin-annotation entries (and, when asked, a click handler that reports
 * the period chosen) to a configuration any builder made, so the builders themselves need not know of it.
 */
import type { ChartConfiguration, ChartEvent, Chart as ChartInstance } from 'chart.js';
import type { AnnotationOptions } from 'chartjs-plugin-annotation';

export const MARKER_COLOUR = '#330072';
/** The line style of a marker, for the key drawn beside the list (same dash as on the chart). */
export const MARKER_DASH = [2, 3];

export interface Marker {
  /** The annotation's id: stable across rebuilds, so a highlighted note stays highlighted. */
  id: number;
  period: string;
  text: string;
  /** Practice name when the note is about one practice. */
  practiceName?: string | null;
}

export interface MarkerOptions {
  /** The marker whose text is shown (its list entry has the pointer or the focus). */
  highlight?: number | null;
  /** Font size of the labels in px (slides pass a larger one). */
  fontSize?: number;
  /** Called with the period of the column clicked (choosing a point to annotate). */
  onPick?: (period: string) => void;
}

/** Markers placed on the periods of the x axis, numbered 1, 2 … in period order; ones off the axis dropped. */
export function placeMarkers(
  markers: readonly Marker[],
  periods: readonly string[],
): { marker: Marker; index: number; number: number }[] {
  return [...markers]
    .sort((a, b) => (a.period < b.period ? -1 : a.period > b.period ? 1 : a.id - b.id))
    .map((marker) => ({ marker, index: periods.indexOf(marker.period) }))
    .filter((m) => m.index >= 0)
    .map((m, i) => ({ ...m, number: i + 1 }));
}

/** The note's words on the chart: wrapped to lines of about 40 characters, at most 4 lines. */
export function markerLines(m: Marker, number: number, width = 40): string[] {
  const words = `✎${number} ${m.practiceName ? `${m.practiceName}: ` : ''}${m.text}`.split(/\s+/);
  const lines: string[] = [];
  for (const w of words) {
    const last = lines.at(-1);
    if (last !== undefined && (last + ' ' + w).length <= width) lines[lines.length - 1] = `${last} ${w}`;
    else lines.push(w);
  }
  if (lines.length > 4) return [...lines.slice(0, 3), `${(lines[3] ?? '').slice(0, width - 1)}…`];
  return lines;
}

/** chartjs-plugin-annotation entries for the markers: a line with the text (shown on demand) and a number. */
export function markerAnnotations(
  markers: readonly Marker[],
  periods: readonly string[],
  options: MarkerOptions = {},
): Record<string, AnnotationOptions> {
  const size = options.fontSize ?? 12;
  const out: Record<string, AnnotationOptions> = {};
  for (const { marker, index, number } of placeMarkers(markers, periods)) {
    const shown = options.highlight === marker.id;
    out[`note-${marker.id}`] = {
      type: 'line',
      xScaleID: 'x',
      xMin: index,
      xMax: index,
      borderColor: MARKER_COLOUR,
      borderWidth: shown ? 3 : 2,
      borderDash: MARKER_DASH,
      drawTime: 'afterDatasetsDraw',
      label: {
        display: shown,
        content: markerLines(marker, number),
        position: 'start',
        backgroundColor: 'rgba(255,255,255,0.95)',
        borderColor: MARKER_COLOUR,
        borderWidth: 1,
        color: '#212b32',
        font: { size },
        textAlign: 'start',
        z: 10,
      },
      // The pointer over the line shows its text, as focusing its entry in the list does.
      enter: ({ element }) => {
        if (element.label) element.label.options.display = true;
        return true;
      },
      leave: ({ element }) => {
        if (element.label) element.label.options.display = shown;
        return true;
      },
    };
    out[`note-${marker.id}-number`] = {
      type: 'label',
      xScaleID: 'x',
      yScaleID: 'y',
      xValue: index,
      yValue: ({ chart }) => chart.scales.y?.max ?? 0,
      // At the first or last month the number sits inside the plot, not half outside it.
      position: {
        x: index === periods.length - 1 ? 'end' : index === 0 ? 'start' : 'center',
        y: 'start',
      },
      // Numbers of neighbouring months would touch: every other one sits a row lower.
      yAdjust: number % 2 === 0 ? size + 10 : 0,
      content: `✎${number}`,
      color: '#ffffff',
      backgroundColor: MARKER_COLOUR,
      borderRadius: 3,
      padding: 3,
      font: { size, weight: 'bold' },
      drawTime: 'afterDatasetsDraw',
    };
  }
  return out;
}

/**
 * A copy of a chart configuration with the markers added beside any annotations it already has, and with
 * `onPick` (when given) called with the period of the column the reader clicks.
 */
export function withMarkers<C extends ChartConfiguration>(
  config: C,
  markers: readonly Marker[],
  periods: readonly string[],
  options: MarkerOptions = {},
): C {
  const added = markerAnnotations(markers, periods, options);
  if (Object.keys(added).length === 0 && !options.onPick) return config;
  const plugins = config.options?.plugins ?? {};
  const existing = (plugins as { annotation?: { annotations?: Record<string, AnnotationOptions> } }).annotation;
  const pick = options.onPick;
  return {
    ...config,
    options: {
      ...config.options,
      ...(pick
        ? {
            onClick: (event: ChartEvent, _active: unknown, chart: ChartInstance) => {
              if (!event.native) return;
              const hit = chart.getElementsAtEventForMode(event.native, 'index', { intersect: false }, false)[0];
              const period = hit ? periods[hit.index] : undefined;
              if (period) pick(period);
            },
          }
        : {}),
      plugins: {
        ...plugins,
        annotation: { ...existing, annotations: { ...(existing?.annotations ?? {}), ...added } },
      },
    },
  } as C;
}
