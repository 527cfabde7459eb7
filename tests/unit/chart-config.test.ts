/** The pure chart configuration builders and summaries of the web app. */
import { describe, expect, it } from 'vitest';
import {
  buildFunnelConfig,
  FUNNEL_LINES,
  funnelAxes,
  lengthInside,
  placeLabels,
  pointLabel,
} from '../../web/src/lib/charts/build-funnel-config';
import {
  barLabel,
  buildRankedBarsConfig,
  fitText,
  rankPractices,
} from '../../web/src/lib/charts/build-ranked-bars-config';
import { buildSpcConfig, pointLook, SPC_LINES } from '../../web/src/lib/charts/build-spc-config';
import { buildTrendConfig } from '../../web/src/lib/charts/build-trend-config';
import { peerFunnel } from '../../server/domain/funnel';
import { COLOURS } from '../../web/src/lib/charts/palette';
import { funnelSummary, rankedBarsSummary, spcSummary } from '../../web/src/lib/charts/summaries';

const practices = [
  { code: 'A', name: 'Alpha', rate: 0.6, met: false, numerator: 60, denominator: 100 },
  { code: 'B', name: 'Beta', rate: 0.8, met: true, numerator: 40, denominator: 50 },
  { code: 'C', name: 'Gamma', rate: null, met: null, numerator: 0, denominator: 0 },
  { code: 'D', name: 'Delta', rate: 0.8, met: true, numerator: 80, denominator: 100 },
];

describe('ranked bars', () => {
  it('ranks practices by rate (ties by code), leaves out those without a rate, and marks met with ✓ and not met with ✗', () => {
    expect(rankPractices({ practices, networkRate: 0.72, targetBp: 7000, lowerBp: 5000 }).map((r) => r.label)).toEqual([
      '✓ Beta',
      '✓ Delta',
      '✗ Alpha',
    ]);
  });
  it('colours met and not met differently and draws the network, target and lower lines', () => {
    const c = buildRankedBarsConfig({ practices, networkRate: 0.72, targetBp: 7000, lowerBp: 5000 });
    expect(c.options?.indexAxis).toBe('y');
    expect(c.data.datasets[0]!.data).toEqual([80, 80, 60]);
    expect(c.data.datasets[0]!.backgroundColor).toEqual([COLOURS.met, COLOURS.met, COLOURS.notMet]);
    const a = (
      c.options?.plugins?.annotation as { annotations: Record<string, { value: number; borderDash: number[] }> }
    ).annotations;
    expect(a.network!.value).toBeCloseTo(72, 10);
    expect(a.target!.value).toBe(70);
    expect(a.lower!.value).toBe(50);
    expect(a.target!.borderDash).toEqual([6, 4]);
    // Bars start at 0, so a 60% bar is drawn at three quarters of an 80% one.
    expect((c.options?.scales?.x as { min: number; max: number }).min).toBe(0);
    expect((c.options?.scales?.x as { min: number; max: number }).max).toBe(100);
    expect(
      Object.keys(
        buildRankedBarsConfig({ practices, networkRate: null, targetBp: 7000, lowerBp: null }).options!.plugins!
          .annotation!.annotations as object,
      ),
    ).toEqual(['target']);
  });
  it('summarises in words', () => {
    expect(rankedBarsSummary({ practices, networkRate: 0.72, targetBp: 7000, lowerBp: 5000 })).toBe(
      '2 of 3 practices meet the 70% target. The network is at 72.0%. Highest Beta 80.0%; lowest Alpha 60.0%.',
    );
    expect(rankedBarsSummary({ practices: [], networkRate: null, targetBp: 7000, lowerBp: null })).toMatch(
      /^No practice has a figure/,
    );
  });
});

describe('ranked bars: intervals, cues, labels and ticks', () => {
  const intervals = [
    { code: 'A', lower95: 0.5, upper95: 0.69, significance: 'low-95' as const },
    { code: 'B', lower95: 0.67, upper95: 0.89, significance: 'not-significant' as const },
    { code: 'D', lower95: 0.71, upper95: 0.87, significance: 'high-99.8' as const },
  ];
  const input = { practices, networkRate: 0.72, targetBp: 7000, lowerBp: 5000, intervals };
  it('puts the funnel cue after each name and draws each 95% interval as a floating bar from its lower to upper end', () => {
    expect(rankPractices(input).map((r) => r.label)).toEqual(['✓ Beta ●', '✓ Delta ▲▲', '✗ Alpha ◆']);
    const c = buildRankedBarsConfig(input);
    expect(c.data.datasets[1]!.label).toBe('95% interval');
    expect(c.data.datasets[1]!.data).toEqual([
      [67, 89],
      [71, 87],
      [50, 69],
    ]);
  });
  // Every character measures 10 px in these tests, so widths are counts a person can check.
  const tenPx = (s: string) => [...s].length * 10;
  it('shortens a long name with an ellipsis to the width given, and leaves a short one alone', () => {
    expect(fitText('Riverside Homeless Health Service', 100, tenPx)).toBe('Riverside…'); // 9 letters + … = 100 px
    expect(fitText('Beta', 100, tenPx)).toBe('Beta');
    expect(fitText('Riverside Homeless', 110, tenPx)).toBe('Riverside…'); // "Riverside " trims its space
  });
  it('keeps the met mark and the funnel cue whole and shortens only the name', () => {
    const [bar] = rankPractices({
      ...input,
      practices: [
        { code: 'A', name: 'Riverside Homeless Health Service', rate: 0.6, met: false, numerator: 6, denominator: 10 },
      ],
    });
    // "✗ " (20 px) and " ◆" (20 px) leave 100 px for the name.
    expect(barLabel(bar!, 140, tenPx)).toBe('✗ Riverside… ◆');
  });
  it('spaces ticks evenly every 10% with room for eleven labels, every 20% or 25% on a narrow chart', () => {
    const step = (width: number) =>
      (buildRankedBarsConfig(input, { width, measure: tenPx }).options?.scales?.x as { ticks: { stepSize: number } })
        .ticks.stepSize;
    // Labels take 45% of the width; "100%" is 40 px + 16 px padding = 56 px per tick.
    expect(step(1200)).toBe(10); // 1200 − 540 − 40 = 620 px ≥ 10 × 56
    expect(step(600)).toBe(20); // 600 − 270 − 40 = 290 px: 29 px a tick is too little, 58 px for 5 is enough
    expect(step(300)).toBe(25);
  });
  it('puts the axis title on two lines where one would be wider than the chart', () => {
    const title = (width: number) =>
      (buildRankedBarsConfig(input, { width, measure: tenPx }).options?.scales?.x as { title: { text: unknown } }).title
        .text;
    // 46 characters at 10 px = 460 px: one line within 80% of 600 px, two in 400 px.
    expect(title(600)).toBe('Rate (%), bars from 0; whiskers: 95% interval');
    expect(title(400)).toEqual(['Rate (%), bars from 0;', 'whiskers: 95% interval']);
  });
  it('names the practice in full in the tooltip with its interval', () => {
    const c = buildRankedBarsConfig(input);
    const tooltip = c.options?.plugins?.tooltip?.callbacks as unknown as {
      title: (items: { dataIndex: number }[]) => string;
      label: (ctx: { dataIndex: number }) => string;
    };
    expect(tooltip.title([{ dataIndex: 2 }])).toBe('Alpha (A)');
    expect(tooltip.label({ dataIndex: 2 })).toBe('60.0%, 95% interval 50.0–69.0%; not met');
  });
});

describe('funnel plot', () => {
  const input = {
    centre: 0.7,
    curve: [
      { denominator: 1, lower95: 0.1, upper95: 1, lower998: 0, upper998: 1 },
      { denominator: 80, lower95: 0.6, upper95: 0.8, lower998: 0.55, upper998: 0.85 },
      { denominator: 100, lower95: 0.61, upper95: 0.79, lower998: 0.56, upper998: 0.84 },
      { denominator: 200, lower95: 0.64, upper95: 0.76, lower998: 0.6, upper998: 0.8 },
    ],
    practices: [
      { code: 'A', name: 'Alpha', numerator: 90, denominator: 100, significance: 'high-99.8' as const },
      { code: 'B', name: 'Beta', numerator: 70, denominator: 100, significance: 'not-significant' as const },
      { code: 'C', name: 'Gamma', numerator: 58, denominator: 100, significance: 'low-95' as const },
    ],
  };
  it('plots practices by denominator and rate, shaped and coloured by position, with limit curves in their key styles', () => {
    const c = buildFunnelConfig(input);
    const points = c.data.datasets[0]!;
    expect(points.data).toEqual([
      { x: 100, y: 90 },
      { x: 100, y: 70 },
      { x: 100, y: 58 },
    ]);
    expect((points as unknown as { pointStyle: string[] }).pointStyle).toEqual(['triangle', 'circle', 'rectRot']);
    expect(c.data.datasets.map((d) => d.label)).toEqual([
      'Practices',
      'Centre',
      '95% limits',
      '95% lower',
      '99.8% limits',
      '99.8% lower',
    ]);
    expect((c.data.datasets[2] as unknown as { borderDash: number[] }).borderDash).toEqual([
      ...FUNNEL_LINES.limit95.dash,
    ]);
    expect((c.data.datasets[4] as unknown as { borderDash: number[] }).borderDash).toEqual([
      ...FUNNEL_LINES.limit998.dash,
    ]);
    expect(c.options?.plugins?.legend?.display).toBe(false);
  });
  it('fits the axes to the points and the 99.8% limits over the denominators plotted, never beyond 0–100%', () => {
    // Denominators all 100: x from 85 to 108 in steps of 5 (a fifth of 23 is 4.6) → 85 to 110; over those the
    // curve has the point at 100 (56%–84%), and the points run 58%–90%: y from 55 (56 − 1 down to a 5) to 95.
    expect(funnelAxes(input)).toEqual({ x: { min: 85, max: 110 }, y: { min: 55, max: 95 } });
    // A 99.1% point: the top is 100%, not beyond, and the point is not clipped (clip off on the points).
    const high = { ...input, practices: [{ ...input.practices[0]!, numerator: 991, denominator: 1000 }] };
    expect(funnelAxes(high).y.max).toBe(100);
    expect((buildFunnelConfig(high).data.datasets[0] as unknown as { clip: boolean }).clip).toBe(false);
    // A small practice beside a big one (under a fifth): the x axis starts at 0.
    const spread = {
      ...input,
      practices: [input.practices[0]!, { ...input.practices[1]!, denominator: 10, numerator: 7 }],
    };
    expect(funnelAxes(spread).x.min).toBe(0);
  });
  it('never runs the denominator axis past the end of the limit curves', () => {
    // Curves that stop at 121 (1.1 × 110) under an axis that would round up to 150 (steps of 50): the axis stops
    // at 121, and every limit line is drawn to it.
    const short = {
      centre: 0.7,
      curve: [1, 10, 60, 121].map((denominator) => ({
        denominator,
        lower95: 0.6,
        upper95: 0.8,
        lower998: 0.55,
        upper998: 0.85,
      })),
      practices: [
        { code: 'A', name: 'Alpha', numerator: 70, denominator: 110, significance: 'not-significant' as const },
        { code: 'B', name: 'Beta', numerator: 10, denominator: 20, significance: 'low-95' as const },
      ],
    };
    expect(funnelAxes(short).x).toEqual({ min: 0, max: 121 });
    const lines = buildFunnelConfig(short).data.datasets.slice(2) as unknown as { data: { x: number }[] }[];
    for (const l of lines) expect(l.data.at(-1)!.x).toBe(121);
    // With the server's curves ("all networks": every practice of every network, SPEC 13), for largest
    // denominators from 1 to 5,000, the axis keeps its whole step and the curves reach past its end.
    for (let max = 1; max <= 5000; max += max < 200 ? 1 : 37) {
      const others = [
        { numerator: Math.floor(max / 2), denominator: max },
        { numerator: 1, denominator: 2 },
      ];
      const plot = peerFunnel([{ code: 'A', numerator: 1, denominator: 1 }], others, false)!;
      const input = {
        centre: plot.centre,
        curve: plot.curve,
        practices: plot.practices.map((p) => ({ ...p, code: p.code ?? '', name: p.code })),
      };
      const axes = funnelAxes(input);
      expect(plot.curve.at(-1)!.denominator, `largest denominator ${max}`).toBeGreaterThanOrEqual(axes.x.max);
      expect(axes.x.max).toBeGreaterThanOrEqual(max);
      const drawn = buildFunnelConfig(input).data.datasets.slice(2) as unknown as { data: { x: number }[] }[];
      for (const l of drawn) expect(l.data.at(-1)!.x).toBeGreaterThanOrEqual(axes.x.max);
    }
  });
  it("labels every named practice and leaves other networks' practices unnamed and grey", () => {
    const withOthers = {
      ...input,
      practices: [
        ...input.practices,
        { code: 'X', name: null, numerator: 75, denominator: 90, significance: 'not-significant' as const },
      ],
    };
    const c = buildFunnelConfig(withOthers, { highlight: 'B' });
    const labels = (c.options?.plugins as unknown as { pointLabels: { texts: (string | null)[]; highlight: number } })
      .pointLabels;
    // Others are drawn first (under this network's points).
    expect(labels.texts).toEqual([null, 'Alpha', 'Beta', 'Gamma']);
    expect(labels.highlight).toBe(2);
    expect((c.data.datasets[0] as unknown as { backgroundColor: string[] }).backgroundColor[0]).toBe(
      COLOURS.otherNetworks,
    );
    expect(pointLabel('Riverside Homeless Health Service')).toBe('Riverside Homeless…');
    expect(pointLabel('Bridge Street Surgery')).toBe('Bridge Street Surgery');
  });
  it('places labels so that none overlaps another label or a point, inside the plot area', () => {
    // Four points crowded together, each label 60 × 16 px, markers of radius 7.
    const points = [
      { x: 200, y: 100, w: 60, h: 16 },
      { x: 210, y: 104, w: 60, h: 16 },
      { x: 205, y: 120, w: 60, h: 16 },
      { x: 395, y: 10, w: 60, h: 16 }, // near the top-right corner: must go left and down
    ];
    const bounds = { x: 0, y: 0, w: 400, h: 300 };
    const boxes = placeLabels(points, bounds, 7);
    const hit = (a: { x: number; y: number; w: number; h: number }, b: typeof a) =>
      a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
    boxes.forEach((b, i) => {
      expect(b.x >= 0 && b.y >= 0 && b.x + b.w <= 400 && b.y + b.h <= 300).toBe(true);
      boxes.forEach((o, j) => i !== j && expect(hit(b, o)).toBe(false));
      points.forEach((p) => expect(hit(b, { x: p.x - 7, y: p.y - 7, w: 14, h: 14 })).toBe(false));
    });
  });
  it('measures how much of a line segment falls inside a box', () => {
    const box = { x: 10, y: 10, w: 20, h: 10 };
    expect(lengthInside({ x: 0, y: 15 }, { x: 40, y: 15 }, box)).toBe(20); // straight across
    expect(lengthInside({ x: 20, y: 0 }, { x: 20, y: 15 }, box)).toBeCloseTo(5, 9); // ends inside
    expect(lengthInside({ x: 0, y: 0 }, { x: 40, y: 0 }, box)).toBe(0); // passes above
    expect(lengthInside({ x: 10, y: 10 }, { x: 30, y: 20 }, box)).toBeCloseTo(Math.hypot(20, 10), 9); // corner to corner
  });
  it('keeps labels off the limit curves and the centre line, not only off the points', () => {
    // A point at (200, 150) with a 60 × 16 px label. Its natural place, to the right (x 210–270, y 142–158), is
    // crossed by an upper limit curve falling from (200, 100) to (300, 180); the place to the left (x 130–190) by a
    // lower curve from (100, 140) to (180, 160); the place above (y 124–140) by the centre line at y = 130.
    const point = { x: 200, y: 150, w: 60, h: 16 };
    const bounds = { x: 0, y: 0, w: 400, h: 300 };
    const upper = [
      { x: 200, y: 100 },
      { x: 250, y: 140 },
      { x: 300, y: 180 },
    ];
    const lower = [
      { x: 100, y: 140 },
      { x: 180, y: 160 },
    ];
    const centre = [
      { x: 0, y: 130 },
      { x: 400, y: 130 },
    ];
    const box = (b: { x: number; y: number; w: number; h: number }) => b;
    const crosses = (b: { x: number; y: number; w: number; h: number }, line: { x: number; y: number }[]) =>
      line.slice(1).some((q, k) => lengthInside(line[k]!, q, b) > 0);
    // Without the lines, the label goes to the right of the point, across the upper curve.
    const [natural] = placeLabels([point], bounds, 7);
    expect(box(natural!)).toEqual({ x: 210, y: 142, w: 60, h: 16 });
    expect(crosses(natural!, upper)).toBe(true);
    // With them, it goes where it crosses none of the three, still inside the plot.
    const [placed] = placeLabels([point], bounds, 7, [], [upper, lower, centre]);
    for (const line of [upper, lower, centre]) expect(crosses(placed!, line)).toBe(false);
    expect(placed!.x >= 0 && placed!.y >= 0 && placed!.x + 60 <= 400 && placed!.y + 16 <= 300).toBe(true);
    // Nor over its own point.
    expect(
      crosses(placed!, [
        { x: 193, y: 143 },
        { x: 207, y: 157 },
      ]),
    ).toBe(false);
    // Where every place crosses a line (a dense fan of verticals), it still returns the least-covered place.
    const fan = Array.from({ length: 40 }, (_, k) => [
      { x: k * 10, y: 0 },
      { x: k * 10, y: 300 },
    ]);
    const [squeezed] = placeLabels([point], bounds, 7, [], fan);
    expect(squeezed!.w).toBe(60);
  });
  it('summarises who is outside the limits, right when none, some or all are', () => {
    expect(funnelSummary(0.7, input.practices)).toBe(
      "Around the network's 70.0%: Alpha is high (beyond 99.8% limit); Gamma is low (beyond 95% limit); the other practice is within the 95% limits.",
    );
    expect(funnelSummary(0.7, [input.practices[1]!])).toBe(
      "The practice is within the 95% limits around the network's 70.0%.",
    );
    expect(funnelSummary(0.7, [input.practices[1]!, input.practices[1]!])).toMatch(
      /^Every practice is within the 95% limits/,
    );
    expect(funnelSummary(0.7, [input.practices[0]!, input.practices[2]!])).toBe(
      "Around the network's 70.0%: Alpha is high (beyond 99.8% limit); Gamma is low (beyond 95% limit); no practice is within the 95% limits.",
    );
    expect(funnelSummary(0.7, [input.practices[0]!], { method: 'additive-random-effects' })).toMatch(
      /no practice is within the limits allowing for over-dispersion\.$/,
    );
    expect(funnelSummary(0.7, [])).toBe('No practice has a figure to plot.');
  });
});

describe('SPC chart', () => {
  const period = (
    p: string,
    rate: number,
    spc: {
      mean: number;
      upperLimit: number | null;
      lowerLimit: number | null;
      special: string | null;
      side: string | null;
    } | null,
    complete = true,
  ) => ({ period: p, rate, complete, spc });
  it('colours and shapes points by special cause, and draws mean, limits and target', () => {
    const periods = [
      period('2025-04', 0.7, { mean: 0.72, upperLimit: 0.8, lowerLimit: 0.64, special: null, side: null }),
      period('2025-05', 0.85, { mean: 0.72, upperLimit: 0.8, lowerLimit: 0.64, special: 'improvement', side: 'high' }),
      period('2025-06', 0.6, { mean: 0.72, upperLimit: 0.8, lowerLimit: 0.64, special: 'concern', side: 'low' }),
      period('2025-07', 0.7, { mean: 0.72, upperLimit: 0.8, lowerLimit: 0.64, special: null, side: null }, false),
    ];
    const c = buildSpcConfig({ periods, targetBp: 7500 });
    expect(c.data.labels).toEqual(['Apr 25', 'May 25', 'Jun 25', 'Jul 25']);
    expect(c.data.datasets.map((d) => d.label)).toEqual([
      'Network rate',
      'Mean',
      'Process limits',
      'Lower process limit',
      'Target',
    ]);
    const values = c.data.datasets[0]! as unknown as {
      data: number[];
      pointStyle: string[];
      pointBackgroundColor: string[];
      pointBorderColor: string[];
    };
    expect(values.data).toEqual([70, 85, 60, 70]);
    expect(values.pointStyle).toEqual(['circle', 'triangle', 'rectRot', 'circle']);
    expect(values.pointBorderColor).toEqual([COLOURS.common, COLOURS.improvement, COLOURS.concern, COLOURS.common]);
    expect(values.pointBackgroundColor).toEqual([COLOURS.common, COLOURS.improvement, COLOURS.concern, '#ffffff']); // hollow: incomplete
    expect(c.data.datasets[2]!.data).toEqual([80, 80, 80, 80]);
    expect(c.data.datasets[4]!.data).toEqual([75, 75, 75, 75]);
    expect(pointLook(periods[3]!).text).toBe('common cause; incomplete month');
    expect(pointLook(periods[3]!, 'quarter').text).toBe('common cause; incomplete quarter');
    // The key beside the chart repeats these styles: limits and target dashed as drawn, no Chart.js legend.
    const dashes = c.data.datasets.map((d) => (d as unknown as { borderDash?: number[] }).borderDash ?? []);
    expect(dashes).toEqual([[], [...SPC_LINES.mean.dash], [6, 4], [6, 4], [10, 5]]);
    expect([SPC_LINES.limits.dash, SPC_LINES.target.dash]).toEqual([
      [6, 4],
      [10, 5],
    ]);
    expect(c.options?.plugins?.legend?.display).toBe(false);
  });
  it('is a run chart with the mean only when there are no limits', () => {
    const c = buildSpcConfig({
      periods: [period('2025-04', 0.7, { mean: 0.7, upperLimit: null, lowerLimit: null, special: null, side: null })],
      targetBp: null,
    });
    expect(c.data.datasets.map((d) => d.label)).toEqual(['Network rate', 'Mean']);
  });
  it('summarises the variation and assurance in words', () => {
    expect(
      spcSummary({
        periods: [
          { period: '2025-04', rate: 0.7, complete: true },
          { period: '2025-05', rate: 0.75, complete: false },
        ],
        variation: 'improvement-high',
        assurance: 'hit-and-miss',
        spcPoints: 18,
        minPointsForLimits: 13,
      }),
    ).toBe(
      '18 months, latest 75.0%: special-cause improvement; it will hit and miss the target at random. 1 incomplete month is marked with a hollow point.',
    );
    expect(
      spcSummary({
        periods: [{ period: '2025-04', rate: 0.7, complete: true }],
        variation: null,
        assurance: null,
        spcPoints: 1,
        minPointsForLimits: 12,
      }),
    ).toMatch(/^1 month, latest 70.0%: a run chart with the mean only, since limits need at least 12 points/);
  });
});

describe('practice trend', () => {
  it('plots the practice, its network and the target month by month', () => {
    const c = buildTrendConfig({
      points: [
        { period: '2025-04', rate: 0.5, networkRate: 0.6, targetBp: 7000, met: false },
        { period: '2025-05', rate: 0.75, networkRate: null, targetBp: 7000, met: true },
      ],
    });
    expect(c.data.datasets.map((d) => d.data)).toEqual([
      [50, 75],
      [60, null],
      [70, 70],
    ]);
    expect((c.data.datasets[0] as unknown as { pointStyle: string[] }).pointStyle).toEqual(['rectRot', 'triangle']);
  });
});

describe('quarterly data and gaps', () => {
  it('labels quarterly periods by quarter', async () => {
    const { shortPeriod } = await import('../../web/src/lib/charts/build-spc-config');
    const { formatPeriod } = await import('../../web/src/lib/format/format');
    expect(shortPeriod('2019-06', 'quarterly')).toBe('Apr–Jun 19');
    expect(shortPeriod('2019-06')).toBe('Jun 19');
    expect(formatPeriod('2024-09', 'quarterly')).toBe('July–September 2024');
  });
  it('draws a gap where a practice has no figure (a suppressed quarter), not a line across it', () => {
    const c = buildTrendConfig({
      points: [
        { period: '2019-06', rate: 0.9, networkRate: 0.85, targetBp: 9500, met: false },
        { period: '2019-12', rate: 0.96, networkRate: 0.9, targetBp: 9500, met: true },
      ],
      periods: ['2019-03', '2019-06', '2019-09', '2019-12', '2020-03'],
      frequency: 'quarterly',
    });
    expect(c.data.labels).toEqual(['Apr–Jun 19', 'Jul–Sep 19', 'Oct–Dec 19']);
    expect(c.data.datasets[0]!.data).toEqual([90, null, 96]);
    expect((c.data.datasets[0] as { spanGaps?: boolean }).spanGaps).toBe(false);
  });
});
