/**
 * Practice and network attainment of an indicator at a period (SPEC section 4, rules 1–4). Pure: the caller
 * hands in the members of the network at that period and their observations.
 *
 *   practice attainment  = numerator / denominator; a denominator of 0 is "not applicable", never 0% or 100%
 *   network attainment   = Σ numerators / Σ denominators over the member practices at the period (pooled)
 *   complete             = every member practice has an observation for the indicator and period
 *   met                  = complete, Σd > 0, and Σn × 10000 ≥ target_bp × Σd (exact integers)
 *   patients needed      = the smallest k ≥ 0 with (Σn + k) × 10000 ≥ target_bp × Σd
 */
import { ceilDiv } from './exact';

export interface IndicatorRule {
  code: string;
  domain: string;
  targetBp: number;
  lowerBp: number | null;
  mode: 'threshold' | 'sliding';
  weight: number;
}

export interface Member {
  code: string;
  name: string;
}

export interface ObservationValue {
  numerator: number;
  denominator: number;
  exceptions: number | null;
}

/** Observations of one period: practice code → indicator code → value. */
export type PeriodObservations = ReadonlyMap<string, ReadonlyMap<string, ObservationValue>>;

export interface PracticeAttainment {
  code: string;
  name: string;
  /** Null when the practice has sent nothing for this indicator and period. */
  numerator: number | null;
  denominator: number | null;
  exceptions: number | null;
  /** Null when there is no figure or the denominator is 0 (not applicable). */
  rate: number | null;
  met: boolean | null;
  patientsNeeded: number | null;
}

export interface IndicatorAttainment {
  code: string;
  domain: string;
  numerator: number;
  denominator: number;
  /** Σ exceptions of the practices that gave them. */
  exceptions: number;
  rate: number | null;
  targetBp: number;
  lowerBp: number | null;
  met: boolean;
  complete: boolean;
  /** 'not-applicable': complete with Σd = 0; 'incomplete': a member has not sent figures. */
  state: 'met' | 'not-met' | 'incomplete' | 'not-applicable';
  missingPractices: string[];
  patientsNeeded: number;
  practices: PracticeAttainment[];
}

/** Whether n/d reaches a target in basis points, compared as exact integers. */
export function meetsTarget(numerator: number, denominator: number, targetBp: number): boolean {
  return denominator > 0 && numerator * 10000 >= targetBp * denominator;
}

/** The smallest k ≥ 0 with (n + k) × 10000 ≥ t × d. */
export function patientsNeeded(numerator: number, denominator: number, targetBp: number): number {
  const shortfall = targetBp * denominator - numerator * 10000;
  return shortfall <= 0 ? 0 : ceilDiv(shortfall, 10000);
}

export function rateOf(numerator: number, denominator: number): number | null {
  return denominator > 0 ? numerator / denominator : null;
}

export function indicatorAttainment(
  rule: IndicatorRule,
  members: readonly Member[],
  observations: PeriodObservations,
): IndicatorAttainment {
  let numerator = 0;
  let denominator = 0;
  let exceptions = 0;
  const missingPractices: string[] = [];
  const practices: PracticeAttainment[] = members.map((m) => {
    const o = observations.get(m.code)?.get(rule.code);
    if (!o) {
      missingPractices.push(m.code);
      return practiceAttainment(rule, m, null, null, null);
    }
    numerator += o.numerator;
    denominator += o.denominator;
    exceptions += o.exceptions ?? 0;
    return practiceAttainment(rule, m, o.numerator, o.denominator, o.exceptions);
  });
  return pooledAttainment(rule, { numerator, denominator, exceptions, missingPractices }, practices);
}

/** One practice's figure for an indicator (nulls: it has sent none). */
function practiceAttainment(
  rule: IndicatorRule,
  m: Member,
  numerator: number | null,
  denominator: number | null,
  exceptions: number | null,
): PracticeAttainment {
  if (numerator === null || denominator === null) {
    return {
      code: m.code,
      name: m.name,
      numerator: null,
      denominator: null,
      exceptions: null,
      rate: null,
      met: null,
      patientsNeeded: null,
    };
  }
  const applicable = denominator > 0;
  return {
    code: m.code,
    name: m.name,
    numerator,
    denominator,
    exceptions,
    rate: rateOf(numerator, denominator),
    met: applicable ? meetsTarget(numerator, denominator, rule.targetBp) : null,
    patientsNeeded: applicable ? patientsNeeded(numerator, denominator, rule.targetBp) : null,
  };
}

/** The network's attainment from its pooled totals (rules 2–4) and the practices' own figures given. */
function pooledAttainment(
  rule: IndicatorRule,
  pooled: { numerator: number; denominator: number; exceptions: number; missingPractices: string[] },
  practices: PracticeAttainment[],
): IndicatorAttainment {
  const { numerator, denominator, exceptions, missingPractices } = pooled;
  const complete = missingPractices.length === 0;
  const met = complete && meetsTarget(numerator, denominator, rule.targetBp);
  const state = attainmentState({ complete, denominator, met });
  return {
    code: rule.code,
    domain: rule.domain,
    numerator,
    denominator,
    exceptions,
    rate: rateOf(numerator, denominator),
    targetBp: rule.targetBp,
    lowerBp: rule.lowerBp,
    met,
    complete,
    state,
    missingPractices,
    patientsNeeded: patientsNeeded(numerator, denominator, rule.targetBp),
    practices,
  };
}

/**
 * A period's figures as columns rather than an object per value (a national month is 142,000 of them): one row
 * per practice, one column per indicator, each value at `row × width + column`. The same figures as
 * PeriodObservations: a denominator below 0 means the practice sent nothing for that indicator, exceptions
 * below 0 that it gave none.
 */
export interface PeriodValues {
  /** Practice code → row. */
  rows: ReadonlyMap<string, number>;
  /** Indicator code → column. */
  columns: ReadonlyMap<string, number>;
  width: number;
  numerator: Float64Array;
  denominator: Float64Array;
  exceptions: Float64Array;
}

/** A practice's value for an indicator in PeriodValues, or undefined when it sent none. */
export function valueAt(values: PeriodValues, practice: string, indicator: string): ObservationValue | undefined {
  const row = values.rows.get(practice);
  const column = values.columns.get(indicator);
  if (row === undefined || column === undefined) return undefined;
  const at = row * values.width + column;
  const denominator = values.denominator[at] as number;
  if (denominator < 0) return undefined;
  const exceptions = values.exceptions[at] as number;
  return { numerator: values.numerator[at] as number, denominator, exceptions: exceptions < 0 ? null : exceptions };
}

/**
 * Which practices' own figures an attainment computed from PeriodValues carries: every member's ('all', as
 * indicatorAttainment gives), only where the indicator is applicable and not met ('unmet': what a statement's
 * "what it would take" reads; the others get an empty list), or none ('none': the pooled figure alone).
 */
export type PracticeDetail = 'all' | 'unmet' | 'none';

/**
 * networkAttainment over PeriodValues: the same figures, pooled straight from the columns, with the practices'
 * own figures only where `detail` asks for them.
 */
export function networkAttainmentOfValues(
  rules: readonly IndicatorRule[],
  members: readonly Member[],
  values: PeriodValues,
  detail: PracticeDetail,
): IndicatorAttainment[] {
  const rows = members.map((m) => values.rows.get(m.code) ?? -1);
  const { width, numerator: ns, denominator: ds, exceptions: es } = values;
  return rules.map((rule) => {
    const column = values.columns.get(rule.code);
    let numerator = 0;
    let denominator = 0;
    let exceptions = 0;
    const missingPractices: string[] = [];
    for (let i = 0; i < rows.length; i++) {
      const row = rows[i] as number;
      const at = row * width + (column ?? 0);
      const d = row < 0 || column === undefined ? -1 : (ds[at] as number);
      if (d < 0) {
        missingPractices.push((members[i] as Member).code);
        continue;
      }
      numerator += ns[at] as number;
      denominator += d;
      const e = es[at] as number;
      if (e > 0) exceptions += e;
    }
    const pooled = pooledAttainment(rule, { numerator, denominator, exceptions, missingPractices }, []);
    const wanted = detail === 'all' || (detail === 'unmet' && !pooled.met && pooled.state !== 'not-applicable');
    if (wanted) {
      pooled.practices = members.map((m, i) => {
        const row = rows[i] as number;
        const at = row * width + (column ?? 0);
        const d = row < 0 || column === undefined ? -1 : (ds[at] as number);
        if (d < 0) return practiceAttainment(rule, m, null, null, null);
        const e = es[at] as number;
        return practiceAttainment(rule, m, ns[at] as number, d, e < 0 ? null : e);
      });
    }
    return pooled;
  });
}

/**
 * Every network's pooled totals at once, straight from PeriodValues, for a screen that shows each network's
 * pooled figures and no practice's own (the overview, 1,254 networks × 22 indicators nationally): Σ numerators,
 * Σ denominators and how many members sent nothing, per network and indicator at
 * `network × indicators.length + indicator`. The totals networkAttainmentOfValues pools, in one pass with no
 * object per figure; an indicator PeriodValues does not hold counts as sent by no member.
 */
export interface PooledTotals {
  numerator: Float64Array;
  denominator: Float64Array;
  missing: Uint32Array;
}

export function pooledTotalsOfValues(
  indicators: readonly string[],
  networks: readonly (readonly Pick<Member, 'code'>[])[],
  values: PeriodValues,
): PooledTotals {
  const k = indicators.length;
  const columns = Int32Array.from(indicators, (code) => values.columns.get(code) ?? -1);
  const { width, numerator: ns, denominator: ds } = values;
  const numerator = new Float64Array(networks.length * k);
  const denominator = new Float64Array(networks.length * k);
  const missing = new Uint32Array(networks.length * k);
  for (let n = 0; n < networks.length; n++) {
    const members = networks[n] as readonly Pick<Member, 'code'>[];
    for (let m = 0; m < members.length; m++) {
      const row = values.rows.get((members[m] as Pick<Member, 'code'>).code) ?? -1;
      for (let i = 0; i < k; i++) {
        const column = columns[i] as number;
        const at = row * width + column;
        const d = row < 0 || column < 0 ? -1 : (ds[at] as number);
        const cell = n * k + i;
        if (d < 0) missing[cell] = (missing[cell] as number) + 1;
        else {
          numerator[cell] = (numerator[cell] as number) + (ns[at] as number);
          denominator[cell] = (denominator[cell] as number) + d;
        }
      }
    }
  }
  return { numerator, denominator, missing };
}

/**
 * A network's standing on an indicator from its pooled totals and how many members sent nothing (rules 2–4):
 * the rate, met, complete and state networkAttainment gives.
 */
export function pooledStanding(
  targetBp: number,
  numerator: number,
  denominator: number,
  missing: number,
): Pick<IndicatorAttainment, 'rate' | 'met' | 'complete' | 'state'> {
  const complete = missing === 0;
  const met = complete && meetsTarget(numerator, denominator, targetBp);
  return {
    rate: rateOf(numerator, denominator),
    met,
    complete,
    state: attainmentState({ complete, denominator, met }),
  };
}

/** The members that sent no value for an indicator, in the members' order (networkAttainment's missingPractices). */
export function missingMembersOfValues(
  values: PeriodValues,
  members: readonly Pick<Member, 'code'>[],
  indicator: string,
): string[] {
  return members.filter((m) => valueAt(values, m.code, indicator) === undefined).map((m) => m.code);
}

/** 'incomplete' while a member has not sent figures; then 'not-applicable' when Σd = 0; else met or not met. */
export function attainmentState(a: {
  complete: boolean;
  denominator: number;
  met: boolean;
}): IndicatorAttainment['state'] {
  return !a.complete ? 'incomplete' : a.denominator === 0 ? 'not-applicable' : a.met ? 'met' : 'not-met';
}

export function networkAttainment(
  rules: readonly IndicatorRule[],
  members: readonly Member[],
  observations: PeriodObservations,
): IndicatorAttainment[] {
  return rules.map((r) => indicatorAttainment(r, members, observations));
}

export type DomainStanding = 'met' | 'not-met' | 'incomplete' | 'not-applicable';

/**
 * Where a network stands on a domain's standards (the overview's cells): met when every applicable indicator
 * is met, incomplete while any indicator's figure is, not applicable with no applicable indicator.
 */
export function domainStanding(indicators: readonly Pick<IndicatorAttainment, 'state' | 'met' | 'complete'>[]): {
  status: DomainStanding;
  met: number;
  applicable: number;
} {
  const applicable = indicators.filter((a) => a.state !== 'not-applicable');
  const met = indicators.filter((a) => a.met).length;
  const status: DomainStanding =
    applicable.length === 0
      ? 'not-applicable'
      : indicators.some((a) => a.state === 'incomplete')
        ? 'incomplete'
        : applicable.every((a) => a.met)
          ? 'met'
          : 'not-met';
  return { status, met, applicable: applicable.length };
}
