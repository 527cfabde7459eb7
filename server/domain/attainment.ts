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
    numerator += o.numerator;
    denominator += o.denominator;
    exceptions += o.exceptions ?? 0;
    const applicable = o.denominator > 0;
    return {
      code: m.code,
      name: m.name,
      numerator: o.numerator,
      denominator: o.denominator,
      exceptions: o.exceptions,
      rate: rateOf(o.numerator, o.denominator),
      met: applicable ? meetsTarget(o.numerator, o.denominator, rule.targetBp) : null,
      patientsNeeded: applicable ? patientsNeeded(o.numerator, o.denominator, rule.targetBp) : null,
    };
  });
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
