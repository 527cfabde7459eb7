/**
 * One network's statement at a period from its members and their observations: network attainment (SPEC 4,
 * rules 1–4) then the payment (rule 5). The real statement, the what-if and the backtest all go through this,
 * so they cannot disagree about a rule.
 */
import { networkAttainment, type IndicatorAttainment, type Member, type PeriodObservations } from './attainment';
import { networkStatement, type ContractYearRules, type NetworkStatement } from './payment';

export interface StatementNetwork {
  code: string;
  name: string;
  contractValuePence: number;
  /** Members at the period, with list sizes for the suggested split. */
  practices: { code: string; name: string; listSize: number | null }[];
}

export interface ComputedStatement {
  attainment: IndicatorAttainment[];
  statement: NetworkStatement;
}

export function computeStatement(
  rules: ContractYearRules,
  network: StatementNetwork,
  observations: PeriodObservations,
): ComputedStatement {
  const members: Member[] = network.practices.map((p) => ({ code: p.code, name: p.name }));
  const attainment = networkAttainment(rules.indicators, members, observations);
  const statement = networkStatement(
    rules,
    {
      code: network.code,
      name: network.name,
      contractValuePence: network.contractValuePence,
      practices: network.practices.map((p) => ({ code: p.code, listSize: p.listSize })),
    },
    attainment,
  );
  return { attainment, statement };
}
