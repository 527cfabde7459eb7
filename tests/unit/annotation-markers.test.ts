/** Annotation markers on charts (web/src/lib/charts/build-annotation-markers.ts). */
import { describe, expect, it, vi } from 'vitest';
import type { ChartConfiguration } from 'chart.js';
import {
  markerAnnotations,
  markerLines,
  MARKER_COLOUR,
  placeMarkers,
  withMarkers,
} from '../../web/src/lib/charts/build-annotation-markers';
import { buildSpcConfig } from '../../web/src/lib/charts/build-spc-config';

const periods = ['2026-06', '2026-07', '2026-08', '2026-09', '2026-10'];
const notes = [
  { id: 7, period: '2026-09', text: 'Recall drive started' },
  { id: 3, period: '2026-07', text: 'New nurse', practiceName: 'Riverside' },
  { id: 5, period: '2026-09', text: 'Second note the same month' },
  { id: 9, period: '2025-01', text: 'Before the chart begins' },
];

describe('annotation markers', () => {
  it('numbers the notes in period order (then in the order written) and drops those off the axis', () => {
    expect(placeMarkers(notes, periods).map((m) => [m.marker.id, m.index, m.number])).toEqual([
      [3, 1, 1],
      [5, 3, 2],
      [7, 3, 3],
    ]);
  });

  it('draws a dotted line and a ✎ number at each note’s month, its text hidden until highlighted', () => {
    const a = markerAnnotations(notes, periods, { highlight: 7 });
    expect(Object.keys(a).sort()).toEqual([
      'note-3',
      'note-3-number',
      'note-5',
      'note-5-number',
      'note-7',
      'note-7-number',
    ]);
    expect(a['note-3']).toMatchObject({
      type: 'line',
      xMin: 1,
      xMax: 1,
      borderColor: MARKER_COLOUR,
      borderDash: [2, 3],
    });
    expect(a['note-3']).toMatchObject({ label: { display: false, content: ['✎1 Riverside: New nurse'] } });
    expect(a['note-7']).toMatchObject({ xMin: 3, label: { display: true, content: ['✎3 Recall drive started'] } });
    expect(a['note-5-number']).toMatchObject({ type: 'label', xValue: 3, content: '✎2' });
  });

  it('wraps long text to lines of about 40 characters, at most four, the last cut with an ellipsis', () => {
    const long = { id: 1, period: '2026-07', text: 'word '.repeat(60).trim() };
    const lines = markerLines(long, 1);
    expect(lines).toHaveLength(4);
    expect(lines.every((l) => l.length <= 40)).toBe(true);
    expect(lines[3]!.endsWith('…')).toBe(true);
    expect(markerLines({ id: 2, period: '2026-07', text: 'short' }, 2)).toEqual(['✎2 short']);
  });

  it('adds to a builder’s configuration without changing it, keeping annotations it already had', () => {
    const base = buildSpcConfig({
      periods: periods.map((period) => ({ period, rate: 0.7, complete: true, spc: null })),
      targetBp: 7000,
    });
    const before = JSON.stringify(base);
    const withOwn = {
      ...base,
      options: { ...base.options, plugins: { ...base.options?.plugins, annotation: { annotations: { own: {} } } } },
    } as ChartConfiguration<'line'>;
    const out = withMarkers(withOwn, notes, periods);
    expect(JSON.stringify(base)).toBe(before);
    const annotations = (out.options?.plugins as { annotation: { annotations: Record<string, unknown> } }).annotation
      .annotations;
    expect(Object.keys(annotations)).toEqual(expect.arrayContaining(['own', 'note-3', 'note-7-number']));
    expect(out.data).toBe(base.data);
    expect(withMarkers(base, [], periods)).toBe(base);
  });

  it('reports the period of the column clicked, for choosing a point to annotate', () => {
    const onPick = vi.fn();
    const base = buildSpcConfig({
      periods: periods.map((period) => ({ period, rate: 0.7, complete: true, spc: null })),
      targetBp: 7000,
    });
    const out = withMarkers(base, [], periods, { onPick });
    const chart = { getElementsAtEventForMode: () => [{ index: 2 }] };
    (out.options?.onClick as unknown as (e: unknown, a: unknown, c: unknown) => void)(
      { native: new Event('click') },
      [],
      chart,
    );
    expect(onPick).toHaveBeenCalledWith('2026-08');
  });
});
