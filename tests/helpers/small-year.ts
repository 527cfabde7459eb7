/**
 * A small contract year for worked examples a person can check by hand: two practices A and B; DM (60% of
 * the pot) with DM-BP (weight 1) and DM-CP (weight 2); IMM (40%) with IMM-MMR. With a contract value of
 * 1,000,000p the retrospective pot is 300,000p: DM 180,000p (DM-BP 60,000p, DM-CP 120,000p), IMM 120,000p.
 */
import type { ObservationValue, PeriodObservations } from '../../server/domain/attainment';
import type { ContractYearRules, DomainRule } from '../../server/domain/payment';
import type { StatementNetwork } from '../../server/domain/statement';

export type Mode = 'threshold' | 'sliding';

export function smallYear(
  domainRule: DomainRule,
  modes: { bp?: Mode; cp?: Mode; mmr?: Mode } = {},
  extra: ContractYearRules['indicators'] = [],
): ContractYearRules {
  return {
    code: '2025-26',
    firstPeriod: '2025-04',
    lastPeriod: '2026-03',
    retrospectiveShareBp: 3000,
    domainRule,
    domains: [
      { code: 'DM', name: 'Diabetes', shareBp: 6000 },
      { code: 'IMM', name: 'Immunisation', shareBp: 4000 },
    ],
    indicators: [
      { code: 'DM-BP', domain: 'DM', targetBp: 7000, lowerBp: 5000, mode: modes.bp ?? 'threshold', weight: 1 },
      { code: 'DM-CP', domain: 'DM', targetBp: 8500, lowerBp: 7000, mode: modes.cp ?? 'threshold', weight: 2 },
      ...extra,
      { code: 'IMM-MMR', domain: 'IMM', targetBp: 9500, lowerBp: 9000, mode: modes.mmr ?? 'threshold', weight: 1 },
    ],
  };
}

export function smallNetwork(contractValuePence = 1_000_000): StatementNetwork {
  return {
    code: 'N1',
    name: 'Riverside',
    contractValuePence,
    practices: [
      { code: 'A', name: 'Albion Surgery', listSize: 6000 },
      { code: 'B', name: 'Bridge Street Surgery', listSize: 4000 },
    ],
  };
}

/** Observations from { practice: { indicator: [numerator, denominator] } }; a missing entry is a missing figure. */
export function observations(values: Record<string, Record<string, [number, number]>>): PeriodObservations {
  const out = new Map<string, Map<string, ObservationValue>>();
  for (const [practice, byIndicator] of Object.entries(values)) {
    out.set(
      practice,
      new Map(
        Object.entries(byIndicator).map(([code, [numerator, denominator]]) => [
          code,
          { numerator, denominator, exceptions: null },
        ]),
      ),
    );
  }
  return out;
}

/**
 * The base figures: DM-BP 70 / 100 = 70% (met at 70%); DM-CP 75 / 100 = 75% (not met at 85%: 10 patients
 * needed; A 35 / 50 needs 8, B 40 / 50 needs 3); IMM-MMR 38 / 40 = 95% (met).
 */
export const BASE: Record<string, Record<string, [number, number]>> = {
  A: { 'DM-BP': [40, 50], 'DM-CP': [35, 50], 'IMM-MMR': [19, 20] },
  B: { 'DM-BP': [30, 50], 'DM-CP': [40, 50], 'IMM-MMR': [19, 20] },
};
