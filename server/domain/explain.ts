/**
 * Say why (SPEC section 11.2): a statement's reasons as data, for the screens and exports to show as they are.
 *
 *   - the contract year's domain rule in words, on every statement;
 *   - for every indicator line, what its figure means for the money: a met indicator in a domain that earns
 *     nothing names the indicators holding the domain back; an incomplete one names the practices missing;
 *     a not-applicable one says where its share goes; a sliding one says what fraction it earns;
 *   - for every domain, why it has its status, including "not assessable" (its pot held for the commissioner);
 *   - every rate written so it never reads on the wrong side of its target, with the exact n / d beside it.
 */
import { patientsNeeded } from './attainment';
import type { ContractYearRules, DomainPayment, DomainRule, IndicatorPayment, NetworkStatement } from './payment';
import { fractionText, penceText, rateText, targetText } from './rate-text';

export interface LineExplanation {
  code: string;
  /** The rate as shown beside its target (null when not applicable). */
  rateText: string | null;
  /** The exact figure behind it, "2,282 / 2,854" (null when not applicable). */
  exactText: string | null;
  targetText: string;
  text: string;
}

export interface DomainExplanation {
  code: string;
  status: DomainPayment['status'];
  text: string;
  indicators: LineExplanation[];
}

export interface StatementExplanation {
  network: string;
  /** The year's domain rule, in words. */
  rule: string;
  /** Provisional or final, in words, when the period is given. */
  basis: string | null;
  /** Why money is held, when any is. */
  held: string | null;
  domains: DomainExplanation[];
}

/** "A", "A and B", "A, B and C". */
export function listInWords(items: readonly string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`;
}

export function domainRuleInWords(rule: DomainRule): string {
  return rule === 'all-indicators'
    ? "All-indicators rule: a domain's pot is paid in full only when every applicable indicator of the domain meets its target; while any one does not (or its figures are incomplete), the domain earns nothing. An indicator with no patients in its denominator is not applicable and is left out."
    : "Per-indicator rule: each indicator earns its own share of the domain's pot: all of it when it meets its target; in sliding mode, the fraction of the way its rate has climbed from the lower threshold to the target. An indicator with no patients in its denominator is not applicable, and its share goes to the domain's other indicators.";
}

function figure(line: IndicatorPayment): string {
  return `${rateText(line.numerator, line.denominator, line.targetBp)} (${fractionText(line.numerator, line.denominator)})`;
}

function patients(n: number): string {
  return `${n} more ${n === 1 ? 'patient' : 'patients'} needed`;
}

/** The shortfall to the target in patients, from the line's own figures (SPEC 4.4). */
function shortfall(line: IndicatorPayment): number {
  return patientsNeeded(line.numerator, line.denominator, line.targetBp);
}

function explainLine(line: IndicatorPayment, domain: DomainPayment, rule: DomainRule): string {
  const others = domain.indicators.filter((i) => i.code !== line.code && i.state !== 'not-applicable');
  if (line.state === 'not-applicable') {
    if (others.length === 0) return 'not applicable: no patients in the denominator across the network';
    return rule === 'all-indicators'
      ? 'not applicable: no patients in the denominator across the network, so the domain is judged on its other indicators'
      : "not applicable: no patients in the denominator across the network, so its share of the pot goes to the domain's other indicators";
  }
  if (!line.complete) {
    const sofar = line.denominator > 0 ? `; the figures received so far give ${figure(line)}` : '';
    return `incomplete: no figures yet from ${listInWords(line.missingPractices)}; it counts as not met until every member practice has sent them${sofar}`;
  }
  const target = targetText(line.targetBp);
  if (line.met) {
    const reaches = `met: ${figure(line)} reaches the ${target} target`;
    if (rule === 'per-indicator') return `${reaches} and earns its full share, ${penceText(line.earnedPence)}`;
    const holding = others.filter((i) => !i.met).map((i) => (i.complete ? i.code : `${i.code} (incomplete)`));
    if (holding.length === 0) return reaches;
    return `${reaches}; under the all-indicators rule the domain pays only when ${listInWords(holding)} ${holding.length === 1 ? 'is' : 'are'} met too`;
  }
  const below = `not met: ${figure(line)} is below the ${target} target; ${patients(shortfall(line))}`;
  if (rule === 'all-indicators') return `${below}. The domain earns nothing until it is met`;
  if (line.mode === 'sliding' && line.lowerBp !== null && line.lowerBp < line.targetBp) {
    const scale = `on the sliding scale from ${targetText(line.lowerBp)} to ${target}`;
    if (line.earnedPence === 0 && (line.fraction ?? 0) === 0)
      return `${below}. It is at or below the lower threshold of ${targetText(line.lowerBp)}, so ${scale} it earns nothing`;
    return `${below}. ${scale.charAt(0).toUpperCase()}${scale.slice(1)} it earns ${line.fractionExact} of its share: ${penceText(line.earnedPence)} of ${penceText(line.potPence)}`;
  }
  return `${below}. It earns nothing of its share (${penceText(line.potPence)}) until it is met`;
}

function explainDomain(domain: DomainPayment, rule: DomainRule, final: boolean): string {
  const applicable = domain.indicators.filter((i) => i.state !== 'not-applicable');
  const unmet = applicable.filter((i) => i.complete && !i.met).map((i) => i.code);
  const pot = penceText(domain.potPence);
  switch (domain.status) {
    case 'not-assessable':
      return `not assessable: none of its indicators has any patients in its denominator, so its pot of ${pot} is held for the commissioner to decide; it is neither paid nor withheld`;
    case 'incomplete': {
      const missing = applicable.filter((i) => !i.complete);
      const parts = missing.map((i) => `${i.code} (no figures from ${listInWords(i.missingPractices)})`);
      const block = final
        ? "; at the year's last period this blocks sign-off until the figures arrive or the commissioner records an override with a reason"
        : '';
      const earned =
        rule === 'per-indicator' && domain.earnedPence > 0
          ? ` It earns ${penceText(domain.earnedPence)} of ${pot} on the figures that are complete.`
          : '';
      return `incomplete: ${listInWords(parts)}; the domain cannot be paid in full until every member practice has sent its figures${block}.${earned}`;
    }
    case 'earned':
      return rule === 'all-indicators'
        ? `earned: every applicable indicator meets its target, so the whole pot of ${pot} is paid`
        : `earned: every applicable indicator meets its target: ${pot} of ${pot}`;
    case 'not-earned':
      return rule === 'all-indicators'
        ? `not earned: ${listInWords(unmet)} ${unmet.length === 1 ? 'is' : 'are'} below target, and the pot of ${pot} is paid only when every applicable indicator is met`
        : `not earned: no indicator earns any of its share of the ${pot} pot (${listInWords(unmet)} below target)`;
    case 'partial':
      return `partial: earns ${penceText(domain.earnedPence)} of ${pot}; ${listInWords(unmet)} ${unmet.length === 1 ? 'is' : 'are'} below target`;
  }
}

/**
 * The reasons behind a network's statement. `period` (the statement's period) decides whether it is
 * described as provisional or final.
 */
export function explainStatement(
  statement: NetworkStatement,
  rules: Pick<ContractYearRules, 'domainRule' | 'lastPeriod'>,
  period?: string,
): StatementExplanation {
  const final = period !== undefined && period === rules.lastPeriod;
  const heldDomains = statement.domains.filter((d) => d.status === 'not-assessable');
  return {
    network: statement.code,
    rule: domainRuleInWords(rules.domainRule),
    basis:
      period === undefined
        ? null
        : final
          ? "Final: the figures at the contract year's last period."
          : 'Provisional: what would be paid if the year ended at this period.',
    held:
      statement.heldPence > 0
        ? `${penceText(statement.heldPence)} is held for the commissioner to decide: the pot${heldDomains.length === 1 ? '' : 's'} of ${listInWords(heldDomains.map((d) => d.code))}, which ${heldDomains.length === 1 ? 'has' : 'have'} no applicable indicator.`
        : null,
    domains: statement.domains.map((d) => ({
      code: d.code,
      status: d.status,
      text: explainDomain(d, rules.domainRule, final),
      indicators: d.indicators.map((line) => ({
        code: line.code,
        rateText:
          line.state === 'not-applicable' || line.denominator === 0
            ? null
            : rateText(line.numerator, line.denominator, line.targetBp),
        exactText:
          line.state === 'not-applicable' || line.denominator === 0
            ? null
            : fractionText(line.numerator, line.denominator),
        targetText: targetText(line.targetBp),
        text: explainLine(line, d, rules.domainRule),
      })),
    })),
  };
}
