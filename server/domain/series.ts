/**
 * Monthly series: a network's pooled attainment of an indicator over time (with the membership in force at
 * each month) and the SPC analysis of the complete months; a practice's own series beside its network's.
 */
import { indicatorAttainment, type IndicatorRule, type ObservationValue } from './attainment';
import { analyseSpc, processChange, type SpcPoint, type Variation, type Assurance } from './spc';
import { spanCovers } from './periods';
import { must } from './must';

export interface MemberSpan {
  practiceCode: string;
  practiceName: string;
  fromPeriod: string;
  toPeriod: string | null;
}

export interface PracticeValue extends ObservationValue {
  practiceCode: string;
  indicatorCode: string;
  period: string;
}

export interface SeriesPeriod {
  period: string;
  numerator: number;
  denominator: number;
  rate: number | null;
  targetBp: number | null;
  complete: boolean;
  met: boolean;
  members: number;
  missingPractices: string[];
  /** The SPC reading of this month (null when the month has no rate: every denominator 0). */
  spc: SpcPoint | null;
}

export interface NetworkSeries {
  periods: SeriesPeriod[];
  variation: Variation;
  assurance: Assurance;
  /** Months in the SPC analysis (those with a rate): fewer than 13 gives a run chart with the mean only. */
  spcPoints: number;
  /** The latest months show a shift or a trend: the limits describe the earlier process (null otherwise). */
  processChange: { since: string; rule: 'shift' | 'trend'; side: 'high' | 'low' | null } | null;
  /** The months the limits were recalculated from (a change of process), in order: those asked for that apply. */
  recalculatedFrom: string[];
}

/**
 * Which months each indicator's SPC limits are recalculated from, read from `CODE:YYYY-MM,CODE:YYYY-MM` (the
 * learning set's per-indicator choice), or the reason when a pair is not of that form.
 */
export function parseRecalculations(text: string): { byIndicator: Map<string, string[]> } | { error: string } {
  const byIndicator = new Map<string, string[]>();
  for (const pair of text.split(',')) {
    const m = /^([A-Za-z0-9][A-Za-z0-9-]*):(\d{4}-(?:0[1-9]|1[0-2]))$/.exec(pair);
    if (!m) return { error: `"${pair}" is not an indicator and a month (CODE:YYYY-MM, e.g. DM-HBA1C:2026-07).` };
    const code = (m[1] as string).toUpperCase();
    byIndicator.set(code, [...(byIndicator.get(code) ?? []), m[2] as string]);
  }
  return { byIndicator };
}

/**
 * `rules(period)` gives the indicator's rule in force at a month (null outside every contract year).
 * Months with no member figure at all are left out. Incomplete months (a member practice missing) are kept
 * in the analysis and marked: real extracts have practices that never report an indicator (no eligible
 * patients, suppressed cells), and leaving every such month out would leave whole networks with no chart.
 */
export function networkSeries(
  indicatorCode: string,
  periods: readonly string[],
  spans: readonly MemberSpan[],
  values: readonly PracticeValue[],
  rules: (period: string) => IndicatorRule | null,
  options: { recalculateFrom?: readonly string[]; target?: number | null } = {},
): NetworkSeries {
  const byPeriod = new Map<string, Map<string, Map<string, ObservationValue>>>();
  for (const v of values) {
    if (v.indicatorCode !== indicatorCode) continue;
    let m = byPeriod.get(v.period);
    if (!m) byPeriod.set(v.period, (m = new Map()));
    m.set(v.practiceCode, new Map([[indicatorCode, v]]));
  }
  const out: SeriesPeriod[] = [];
  for (const period of periods) {
    const rule = rules(period);
    const members = spans
      .filter((s) => spanCovers(s, period))
      .map((s) => ({ code: s.practiceCode, name: s.practiceName }));
    const observations = byPeriod.get(period) ?? new Map<string, Map<string, ObservationValue>>();
    if (members.length === 0 || !members.some((m) => observations.has(m.code))) continue;
    const a = indicatorAttainment(
      rule ?? { code: indicatorCode, domain: '', targetBp: 0, lowerBp: null, mode: 'threshold', weight: 1 },
      members,
      observations,
    );
    out.push({
      period,
      numerator: a.numerator,
      denominator: a.denominator,
      rate: a.rate,
      targetBp: rule?.targetBp ?? null,
      complete: a.complete,
      met: rule ? a.met : false,
      members: members.length,
      missingPractices: a.missingPractices,
      spc: null,
    });
  }
  const analysed: { point: SeriesPeriod; rate: number }[] = [];
  for (const point of out) if (point.rate !== null) analysed.push({ point, rate: point.rate });
  const recalc = (options.recalculateFrom ?? [])
    .map((p) => analysed.findIndex((a) => a.point.period >= p))
    .filter((i) => i > 0);
  const spc = analyseSpc(
    analysed.map((a) => a.rate),
    { improvement: 'up', target: options.target ?? null, recalculateFrom: recalc },
  );
  analysed.forEach((a, i) => (a.point.spc = must(spc.points[i], 'an SPC point for every analysed value')));
  const change = processChange(spc.points, recalc);
  const since = change ? analysed[change.start]?.point.period : undefined;
  const recalculatedFrom = [...new Set(recalc)]
    .sort((a, b) => a - b)
    .map((i) => must(analysed[i], 'a recalculation starts at an analysed point').point.period);
  return {
    periods: out,
    recalculatedFrom,
    variation: spc.variation,
    assurance: spc.assurance,
    spcPoints: analysed.length,
    processChange: change && since ? { since, rule: change.rule, side: change.side } : null,
  };
}
