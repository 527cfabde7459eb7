/**
 * Checks a contract year's rules before they are saved, refusing impossible ones: domain shares that do not
 * add up to 100%, a lower threshold above the target, a sliding indicator without a band to slide across,
 * a domain with a share but no indicator, money that is not whole pence.
 */
export interface RulesInput {
  retrospectiveShareBp: number;
  domainRule: string;
  domains: { code: string; shareBp: number }[];
  indicators: {
    code: string;
    domain: string;
    targetBp: number;
    lowerBp: number | null;
    mode: string;
    weight: number;
  }[];
  contractValues: { network: string; valuePence: number }[];
}

export interface RuleProblem {
  field: string;
  message: string;
}

const bp = (n: number) => Number.isInteger(n) && n >= 0 && n <= 10000;

/** What the domain shares of the retrospective payment must add up to: all of it (100%, in basis points). */
export const DOMAIN_SHARES_TOTAL_BP = 10000;

export function checkRules(r: RulesInput): RuleProblem[] {
  const problems: RuleProblem[] = [];
  if (!bp(r.retrospectiveShareBp))
    problems.push({ field: 'retrospectiveShareBp', message: 'the retrospective share must be between 0% and 100%' });
  if (r.domainRule !== 'all-indicators' && r.domainRule !== 'per-indicator')
    problems.push({ field: 'domainRule', message: 'the domain rule must be all-indicators or per-indicator' });
  const total = r.domains.reduce((s, d) => s + d.shareBp, 0);
  for (const d of r.domains)
    if (!bp(d.shareBp))
      problems.push({ field: `domains.${d.code}`, message: `${d.code}'s share must be between 0% and 100%` });
  if (total !== DOMAIN_SHARES_TOTAL_BP)
    problems.push({
      field: 'domains',
      message: `the domain shares add up to ${(total / 100).toFixed(2)}%; they must add up to exactly ${DOMAIN_SHARES_TOTAL_BP / 100}%`,
    });
  for (const d of r.domains) {
    if (d.shareBp > 0 && !r.indicators.some((i) => i.domain === d.code))
      problems.push({
        field: `domains.${d.code}`,
        message: `${d.code} has a share of the payment but no indicators, so it could never be assessed`,
      });
  }
  for (const i of r.indicators) {
    const f = `indicators.${i.code}`;
    if (!bp(i.targetBp)) problems.push({ field: f, message: `${i.code}: the target must be between 0% and 100%` });
    if (i.lowerBp !== null && !bp(i.lowerBp))
      problems.push({ field: f, message: `${i.code}: the lower threshold must be between 0% and 100%` });
    if (i.lowerBp !== null && i.lowerBp > i.targetBp)
      problems.push({
        field: f,
        message: `${i.code}: the lower threshold (${i.lowerBp / 100}%) is above the target (${i.targetBp / 100}%)`,
      });
    if (i.mode !== 'threshold' && i.mode !== 'sliding')
      problems.push({ field: f, message: `${i.code}: the mode must be threshold or sliding` });
    if (i.mode === 'sliding' && (i.lowerBp === null || i.lowerBp >= i.targetBp))
      problems.push({ field: f, message: `${i.code}: sliding mode needs a lower threshold below the target` });
    if (!Number.isInteger(i.weight) || i.weight < 1 || i.weight > 100)
      problems.push({ field: f, message: `${i.code}: the weight must be a whole number from 1 to 100` });
  }
  for (const v of r.contractValues) {
    if (!Number.isSafeInteger(v.valuePence) || v.valuePence < 0)
      problems.push({
        field: `contractValues.${v.network}`,
        message: `${v.network}: the contract value must be a whole number of pence, not negative`,
      });
  }
  return problems;
}
