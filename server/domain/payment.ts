/**
 * The payment statement of a network for a contract year (SPEC section 4, rule 5). Integers and exact
 * fractions only.
 *
 *   retrospective pot = contract value × retrospective share, rounded half up to the penny; prospective = rest
 *   domain pots       = the pot split by domain shares (largest remainder, ties in catalogue order)
 *   indicator pots    = a domain pot split by indicator weights among its applicable indicators
 *   fraction earned f = threshold: 1 if met, else 0; sliding: clamp((rate − lower) / (target − lower), 0, 1)
 *   domain rule       = all-indicators: the domain pot only when every applicable indicator is met;
 *                       per-indicator: each indicator pot × f, rounded half up to the penny
 *   not applicable    = network denominator 0 (with complete data); a domain with none applicable is
 *                       "not assessable": its pot is held for the commissioner, neither paid nor withheld
 */
import type { IndicatorAttainment, IndicatorRule } from './attainment';
import { compareFraction, largestRemainder, mulDivRoundHalfUp, reduce, type Fraction } from './exact';
import { must } from './must';

export type DomainRule = 'all-indicators' | 'per-indicator';
export type PaymentStatus = 'earned' | 'partial' | 'not-earned' | 'incomplete' | 'not-assessable';

export interface ContractYearRules {
  code: string;
  firstPeriod: string;
  lastPeriod: string;
  retrospectiveShareBp: number;
  domainRule: DomainRule;
  /** In catalogue order. */
  domains: { code: string; name: string; shareBp: number }[];
  /** In catalogue order. */
  indicators: IndicatorRule[];
}

export interface IndicatorPayment {
  code: string;
  mode: 'threshold' | 'sliding';
  weight: number;
  numerator: number;
  denominator: number;
  rate: number | null;
  targetBp: number;
  lowerBp: number | null;
  met: boolean;
  complete: boolean;
  state: IndicatorAttainment['state'];
  missingPractices: string[];
  potPence: number;
  /** Fraction of the pot earned, 0–1 (null when not applicable). */
  fraction: number | null;
  /** The same fraction exactly, "num/den". */
  fractionExact: string | null;
  earnedPence: number;
}

export interface DomainPayment {
  code: string;
  name: string;
  shareBp: number;
  potPence: number;
  earnedPence: number;
  status: PaymentStatus;
  indicators: IndicatorPayment[];
}

export interface PracticeShare {
  code: string;
  listSize: number | null;
  pence: number;
}

export interface NetworkStatement {
  code: string;
  name: string;
  contractValuePence: number;
  prospectivePence: number;
  retrospectivePotPence: number;
  earnedPence: number;
  /** Pots of not-assessable domains, held for the commissioner's decision. */
  heldPence: number;
  status: PaymentStatus;
  /** Indicators incomplete at this period: at the final period they block sign-off. */
  incompleteIndicators: string[];
  domains: DomainPayment[];
  /** A suggested split of the earned payment between member practices, pro rata to list size. */
  practiceSplit: PracticeShare[];
}

/** Value × share in basis points, rounded half up to the penny. */
export function retrospectivePot(contractValuePence: number, shareBp: number): number {
  return mulDivRoundHalfUp(contractValuePence, shareBp, 10000);
}

/** The fraction of an indicator's pot earned, exactly; null when not applicable. */
export function fractionEarned(
  rule: IndicatorRule,
  a: Pick<IndicatorAttainment, 'numerator' | 'denominator' | 'met' | 'complete' | 'state'>,
): Fraction | null {
  if (a.state === 'not-applicable') return null;
  if (!a.complete) return { num: 0, den: 1 };
  if (rule.mode === 'threshold' || rule.lowerBp === null || rule.lowerBp >= rule.targetBp) {
    return { num: a.met ? 1 : 0, den: 1 };
  }
  // (n/d − L/10000) / ((T − L)/10000) = (n × 10000 − L × d) / ((T − L) × d)
  const f = {
    num: a.numerator * 10000 - rule.lowerBp * a.denominator,
    den: (rule.targetBp - rule.lowerBp) * a.denominator,
  };
  if (f.num <= 0) return { num: 0, den: 1 };
  if (compareFraction(f, { num: 1, den: 1 }) >= 0) return { num: 1, den: 1 };
  return reduce(f);
}

function summarise(statuses: PaymentStatus[]): PaymentStatus {
  const assessable = statuses.filter((s) => s !== 'not-assessable');
  if (assessable.length === 0) return 'not-assessable';
  if (assessable.includes('incomplete')) return 'incomplete';
  if (assessable.every((s) => s === 'earned')) return 'earned';
  if (assessable.every((s) => s === 'not-earned')) return 'not-earned';
  return 'partial';
}

export function networkStatement(
  rules: ContractYearRules,
  network: {
    code: string;
    name: string;
    contractValuePence: number;
    practices: { code: string; listSize: number | null }[];
  },
  attainment: readonly IndicatorAttainment[],
): NetworkStatement {
  const byCode = new Map(attainment.map((a) => [a.code, a]));
  const retro = retrospectivePot(network.contractValuePence, rules.retrospectiveShareBp);
  const domainPots = largestRemainder(
    retro,
    rules.domains.map((d) => d.shareBp),
  ).parts;
  let held = 0;
  const incompleteIndicators: string[] = [];

  const domains: DomainPayment[] = rules.domains.map((domain, di) => {
    const pot = must(domainPots[di], 'a pot for every domain');
    const rulesHere = rules.indicators.filter((i) => i.domain === domain.code);
    const attained = rulesHere.map((r) => {
      const a = byCode.get(r.code);
      if (!a) throw new Error(`no attainment for ${r.code}`);
      if (!a.complete) incompleteIndicators.push(r.code);
      return { rule: r, a, fraction: fractionEarned(r, a) };
    });
    const applicable = attained.map((x) => x.a.state !== 'not-applicable');
    const pots = largestRemainder(
      pot,
      attained.map((x, i) => (applicable[i] ? x.rule.weight : 0)),
    ).parts;
    const assessable = applicable.some(Boolean);
    const allMet = assessable && attained.every((x, i) => !applicable[i] || x.a.met);
    const indicators: IndicatorPayment[] = attained.map((x, i) => {
      const f = x.fraction;
      const potPence = must(pots[i], 'a pot for every indicator of the domain');
      let earned = 0;
      if (f && rules.domainRule === 'per-indicator') earned = mulDivRoundHalfUp(potPence, f.num, f.den);
      if (f && rules.domainRule === 'all-indicators' && allMet) earned = potPence;
      return {
        code: x.rule.code,
        mode: x.rule.mode,
        weight: x.rule.weight,
        numerator: x.a.numerator,
        denominator: x.a.denominator,
        rate: x.a.rate,
        targetBp: x.rule.targetBp,
        lowerBp: x.rule.lowerBp,
        met: x.a.met,
        complete: x.a.complete,
        state: x.a.state,
        missingPractices: x.a.missingPractices,
        potPence,
        fraction: f ? f.num / f.den : null,
        fractionExact: f ? `${f.num}/${f.den}` : null,
        earnedPence: earned,
      };
    });
    const earned = indicators.reduce((s, i) => s + i.earnedPence, 0);
    let status: PaymentStatus;
    if (!assessable) {
      status = 'not-assessable';
      held += pot;
    } else if (indicators.some((i) => !i.complete)) status = 'incomplete';
    else if (earned === pot) status = 'earned';
    else if (earned === 0) status = 'not-earned';
    else status = 'partial';
    return {
      code: domain.code,
      name: domain.name,
      shareBp: domain.shareBp,
      potPence: pot,
      earnedPence: earned,
      status,
      indicators,
    };
  });

  const earned = domains.reduce((s, d) => s + d.earnedPence, 0);
  const split = largestRemainder(
    earned,
    network.practices.map((p) => p.listSize ?? 0),
  ).parts;
  return {
    code: network.code,
    name: network.name,
    contractValuePence: network.contractValuePence,
    prospectivePence: network.contractValuePence - retro,
    retrospectivePotPence: retro,
    earnedPence: earned,
    heldPence: held,
    status: summarise(domains.map((d) => d.status)),
    incompleteIndicators,
    domains,
    practiceSplit: network.practices.map((p, i) => ({
      code: p.code,
      listSize: p.listSize,
      pence: must(split[i], 'a share for every practice'),
    })),
  };
}
