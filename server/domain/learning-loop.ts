/**
 * The learning-set loop (SPEC section 12): what makes an annotation, meeting or action valid; when an action
 * is overdue; and what meeting mode opens with: how each of the previous meeting's actions' indicators moved,
 * and which indicators changed standing or SPC signal since the month that meeting reviewed. Pure: the caller
 * passes the facts and today's date in. Who may read and change the items is in access.ts.
 */
import { attainmentState, type IndicatorAttainment, type IndicatorRule } from './attainment';
import { isPeriod, spanCovers } from './periods';
import { networkSeries, type MemberSpan, type PracticeValue } from './series';
import type { Variation } from './spc';

// --- dates and overdue ----------------------------------------------------------------------------------

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
export const EARLIEST_DATE = '2000-01-01';
export const LATEST_DATE = '2099-12-31';

/** A real calendar date written YYYY-MM-DD (2026-02-30 is not one), between 2000 and 2099. */
export function isCalendarDate(value: string): boolean {
  const m = DATE.exec(value);
  if (!m) return false;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const d = new Date(Date.UTC(year, month - 1, day));
  return (
    d.getUTCFullYear() === year &&
    d.getUTCMonth() === month - 1 &&
    d.getUTCDate() === day &&
    value >= EARLIEST_DATE &&
    value <= LATEST_DATE
  );
}

const ENGLAND = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/London',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});

/** The calendar date in England (GMT or BST) at a moment: the day a due date is compared with. */
export function dateInEngland(moment: Date): string {
  const parts = Object.fromEntries(ENGLAND.formatToParts(moment).map((p) => [p.type, p.value]));
  return `${parts.year}-${parts.month}-${parts.day}`;
}

export type ActionStatus = 'open' | 'done' | 'dropped';

/** An open action whose due date has passed (due before today; an action due today is not yet overdue). */
export function isOverdue(action: { status: ActionStatus; due: string }, today: string): boolean {
  return action.status === 'open' && action.due < today;
}

// --- validation -----------------------------------------------------------------------------------------

export const LIMITS = {
  annotationText: 500,
  actionText: 500,
  owner: 100,
  attendees: 1000,
  notes: 5000,
} as const;

export interface FieldError {
  field: string;
  message: string;
}

/** What a period is checked against: the months with figures, its contract year, the network's members then. */
export interface PeriodFacts {
  /** The first and last period with figures; null when nothing has been uploaded. */
  dataSpan: { first: string; last: string } | null;
  /** The contract year in force at the period and its indicator codes; null when none covers it. */
  year: { code: string; indicators: readonly string[] } | null;
  /** Practice codes that were members of the network at the period. */
  members: readonly string[];
}

const characters = (s: string): number => [...s].length;

/** Free text: trimmed, required unless `optional`, at most `max` characters. */
export function checkText(field: string, value: string, max: number, optional = false): FieldError | null {
  const n = characters(value.trim());
  if (n === 0 && !optional) return { field, message: `${field} is empty; write a few words.` };
  if (n > max) return { field, message: `${field} has ${n} characters; keep it to ${max} or fewer.` };
  return null;
}

export function checkDate(field: string, value: string): FieldError | null {
  if (isCalendarDate(value)) return null;
  return {
    field,
    message: `${field} "${value}" is not a date between ${EARLIEST_DATE} and ${LATEST_DATE}; write it as YYYY-MM-DD, for example 2026-11-30.`,
  };
}

/** A period must be a month between the first and the last month with figures. */
export function checkPeriodInData(field: string, period: string, dataSpan: PeriodFacts['dataSpan']): FieldError | null {
  if (!isPeriod(period))
    return { field, message: `${field} "${period}" is not a month; write it as YYYY-MM, for example 2026-09.` };
  if (!dataSpan)
    return {
      field,
      message: `${field} ${period} has no figures: nothing has been uploaded yet. Upload the month's figures first.`,
    };
  if (period < dataSpan.first || period > dataSpan.last) {
    return {
      field,
      message: `${field} ${period} is outside the months with figures (${dataSpan.first} to ${dataSpan.last}); choose a month in that range.`,
    };
  }
  return null;
}

export function checkIndicator(
  field: string,
  code: string,
  period: string,
  year: PeriodFacts['year'],
): FieldError | null {
  if (code === '') return { field, message: `${field} is empty; choose an indicator.` };
  if (!year)
    return {
      field,
      message: `No contract year covers ${period}, so ${field} ${code} cannot be checked; choose a month inside a contract year.`,
    };
  if (!year.indicators.includes(code)) {
    return {
      field,
      message: `${field} ${code} is not an indicator of contract year ${year.code} (the year of ${period}); GET /api/contract-years/${year.code}/indicators lists them.`,
    };
  }
  return null;
}

export function checkPractice(
  field: string,
  code: string,
  network: string,
  period: string,
  members: readonly string[],
): FieldError | null {
  if (members.includes(code)) return null;
  return {
    field,
    message: `${field} ${code} was not a member of ${network} in ${period}; choose one of its practices then (${members.join(', ') || 'none'}) or leave it empty.`,
  };
}

const present = (errors: (FieldError | null)[]): FieldError[] => errors.filter((e): e is FieldError => e !== null);

export interface AnnotationDraft {
  indicator: string;
  practice: string | null;
  period: string;
  text: string;
}

/** An annotation: text of 1–500 characters, a month with figures, an indicator of that month's contract year, a member practice then. */
export function validateAnnotation(d: AnnotationDraft, network: string, facts: PeriodFacts): FieldError[] {
  const period = checkPeriodInData('period', d.period, facts.dataSpan);
  return present([
    checkText('text', d.text, LIMITS.annotationText),
    period,
    period ? null : checkIndicator('indicator', d.indicator, d.period, facts.year),
    period || d.practice === null ? null : checkPractice('practice', d.practice, network, d.period, facts.members),
  ]);
}

export interface MeetingDraft {
  heldOn: string;
  period: string;
  attendees: string;
  notes: string;
}

/** A meeting: a real date, a reviewed month with figures that had begun by the meeting, bounded free text. */
export function validateMeeting(d: MeetingDraft, facts: Pick<PeriodFacts, 'dataSpan'>): FieldError[] {
  const heldOn = checkDate('heldOn', d.heldOn);
  const period = checkPeriodInData('period', d.period, facts.dataSpan);
  const order =
    !heldOn && !period && d.heldOn < `${d.period}-01`
      ? {
          field: 'heldOn',
          message: `heldOn ${d.heldOn} is before the month the meeting reviews (${d.period}) began; check the date or the month.`,
        }
      : null;
  return present([
    heldOn,
    period,
    order,
    checkText('attendees', d.attendees, LIMITS.attendees, true),
    checkText('notes', d.notes, LIMITS.notes, true),
  ]);
}

export interface ActionDraft {
  indicator: string | null;
  practice: string | null;
  text: string;
  owner: string;
  due: string;
}

/**
 * An action: text and owner, a real due date; an indicator and a practice when given are checked at the
 * action's reference period (its meeting's month, or else the latest month with figures), given as `period`
 * (null before the first upload).
 */
export function validateAction(
  d: ActionDraft,
  network: string,
  period: string | null,
  facts: PeriodFacts,
  options: { checkReferences?: boolean } = {},
): FieldError[] {
  // A change that leaves indicator, practice and meeting alone does not re-check them: a practice that has
  // since left the network must not stop its action being marked done.
  const references = options.checkReferences ?? true;
  const noPeriod = (field: string): FieldError => ({
    field,
    message: `There are no figures yet, so ${field} cannot be checked; leave it empty until the first month is uploaded.`,
  });
  return present([
    checkText('text', d.text, LIMITS.actionText),
    checkText('owner', d.owner, LIMITS.owner),
    checkDate('due', d.due),
    !references || d.indicator === null
      ? null
      : period === null
        ? noPeriod('indicator')
        : checkIndicator('indicator', d.indicator, period, facts.year),
    !references || d.practice === null
      ? null
      : period === null
        ? noPeriod('practice')
        : checkPractice('practice', d.practice, network, period, facts.members),
  ]);
}

// --- meeting mode ---------------------------------------------------------------------------------------

/** The network's meeting held just before this one (same day: the one recorded earlier), or null. */
export function previousMeeting<M extends { id: number; heldOn: string }>(
  meetings: readonly M[],
  meeting: M,
): M | null {
  const before = (a: M, b: M) => a.heldOn < b.heldOn || (a.heldOn === b.heldOn && a.id < b.id);
  let best: M | null = null;
  for (const m of meetings) if (m.id !== meeting.id && before(m, meeting) && (!best || before(best, m))) best = m;
  return best;
}

export type SpcSignal = 'improvement' | 'concern' | 'neither' | 'common-cause';

/**
 * The SPC signal a variation icon shows: a special cause of improvement or concern (or of neither, for an
 * indicator with no better direction), or common cause only; null for a run chart (fewer than 13 months).
 */
export function spcSignal(variation: Variation): SpcSignal | null {
  if (variation === null) return null;
  if (variation === 'common-cause') return 'common-cause';
  return variation.startsWith('improvement') ? 'improvement' : variation.startsWith('concern') ? 'concern' : 'neither';
}

export type Standing = IndicatorAttainment['state'];

export interface IndicatorReading {
  period: string;
  /** Met, not met, incomplete (a member has not sent figures) or not applicable (Σ denominators 0). */
  state: Standing;
  numerator: number | null;
  denominator: number | null;
  rate: number | null;
  targetBp: number;
  missingPractices: string[];
  /** The variation icon of the SPC chart of the months up to this one: what the chart showed then. */
  variation: Variation;
  signal: SpcSignal | null;
}

/**
 * A network's reading of an indicator at a month: its standing, pooled figure, and the SPC signal of the
 * series of months up to and including it (so a later month never changes what a meeting saw). Null when no
 * contract year in force at the month has the indicator. A month in which no member sent anything is
 * incomplete, with every member missing.
 */
export function readingAt(
  indicatorCode: string,
  period: string,
  periodsWithData: readonly string[],
  spans: readonly MemberSpan[],
  values: readonly PracticeValue[],
  rules: (period: string) => IndicatorRule | null,
): IndicatorReading | null {
  const rule = rules(period);
  if (!rule) return null;
  const series = networkSeries(
    indicatorCode,
    periodsWithData.filter((p) => p <= period),
    spans,
    values,
    rules,
  );
  const last = series.periods.at(-1);
  if (!last || last.period !== period) {
    const missing = spans.filter((s) => spanCovers(s, period)).map((s) => s.practiceCode);
    return {
      period,
      state: 'incomplete',
      numerator: null,
      denominator: null,
      rate: null,
      targetBp: rule.targetBp,
      missingPractices: missing,
      variation: null,
      signal: null,
    };
  }
  return {
    period,
    state: attainmentState(last),
    numerator: last.numerator,
    denominator: last.denominator,
    rate: last.rate,
    targetBp: rule.targetBp,
    missingPractices: last.missingPractices,
    variation: series.variation,
    signal: spcSignal(series.variation),
  };
}

export type IndicatorChangeKind = 'new' | 'standing' | 'signal';

/**
 * What changed between two readings: 'new' when the indicator was not in the earlier month's contract year;
 * 'standing' when met / not met / incomplete / not applicable differs; 'signal' when the SPC signal differs,
 * a run chart counting as common cause (too few months to show a special cause). Empty when nothing did.
 */
export function indicatorChanges(
  before: Pick<IndicatorReading, 'state' | 'signal'> | null,
  after: Pick<IndicatorReading, 'state' | 'signal'>,
): IndicatorChangeKind[] {
  if (!before) return ['new'];
  const out: IndicatorChangeKind[] = [];
  if (before.state !== after.state) out.push('standing');
  if ((before.signal ?? 'common-cause') !== (after.signal ?? 'common-cause')) out.push('signal');
  return out;
}

export type Direction = 'improved' | 'worsened' | 'unchanged' | 'not-comparable';

export interface Figure {
  numerator: number;
  denominator: number;
}

/**
 * How a rate moved between two figures, compared exactly (n₂ × d₁ against n₁ × d₂); higher is better for
 * every indicator of the catalogue. Not comparable when either figure is missing or has a denominator of 0.
 * `change` is the difference of the rates (0–1 scale), for display.
 */
export function movement(before: Figure | null, after: Figure | null): { direction: Direction; change: number | null } {
  if (!before || !after || before.denominator === 0 || after.denominator === 0)
    return { direction: 'not-comparable', change: null };
  const cmp = after.numerator * before.denominator - before.numerator * after.denominator;
  return {
    direction: cmp > 0 ? 'improved' : cmp < 0 ? 'worsened' : 'unchanged',
    change: after.numerator / after.denominator - before.numerator / before.denominator,
  };
}

// --- the network's standing (meeting mode's opening slide) ----------------------------------------------

export interface NetworkStanding {
  /** Indicators of the contract year in force at the period. */
  total: number;
  met: number;
  notMet: number;
  incomplete: number;
  notApplicable: number;
  /** Indicators whose SPC chart, up to the period, ends on a special cause of improvement. */
  improving: number;
  /** … or of concern. */
  concern: number;
  /** The standing in words: "14 of 22 met; 2 improving; 1 concern". */
  text: string;
}

/**
 * A network's standing at a period from its indicators' readings there: how many are met, and how many SPC
 * charts end on improvement or concern. Parts that are nil are left out of the words, except "met".
 */
export function networkStanding(readings: readonly Pick<IndicatorReading, 'state' | 'signal'>[]): NetworkStanding {
  const count = (f: (r: Pick<IndicatorReading, 'state' | 'signal'>) => boolean) => readings.filter(f).length;
  const s = {
    total: readings.length,
    met: count((r) => r.state === 'met'),
    notMet: count((r) => r.state === 'not-met'),
    incomplete: count((r) => r.state === 'incomplete'),
    notApplicable: count((r) => r.state === 'not-applicable'),
    improving: count((r) => r.signal === 'improvement'),
    concern: count((r) => r.signal === 'concern'),
  };
  const parts = [
    `${s.met} of ${s.total - s.notApplicable} met`,
    s.incomplete ? `${s.incomplete} incomplete` : '',
    s.improving ? `${s.improving} improving` : '',
    s.concern ? `${s.concern} concern${s.concern === 1 ? '' : 's'}` : '',
    s.notApplicable ? `${s.notApplicable} not applicable` : '',
  ].filter((p) => p !== '');
  return { ...s, text: parts.join('; ') };
}
