/**
 * One network's statement at a period from its members and their observations: network attainment (SPEC 4,
 * rules 1–4) then the payment (rule 5). The real statement, the what-if and the backtest all go through this,
 * so they cannot disagree about a rule.
 */
import {
  networkAttainment,
  networkAttainmentOfValues,
  type IndicatorAttainment,
  type Member,
  type PeriodObservations,
  type PeriodValues,
  type PracticeDetail,
} from './attainment';
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
  return statementOf(rules, network, networkAttainment(rules.indicators, members, observations));
}

/**
 * computeStatement from a period's figures in columns (PeriodValues): the same statement, with the practices'
 * own figures in the attainment only for the indicators not met (all that reading the statement uses of them),
 * or for none (a statement in brief gives no practice's figures).
 */
export function computeStatementOfValues(
  rules: ContractYearRules,
  network: StatementNetwork,
  values: PeriodValues,
  detail: Exclude<PracticeDetail, 'all'> = 'unmet',
): ComputedStatement {
  return statementOf(rules, network, networkAttainmentOfValues(rules.indicators, network.practices, values, detail));
}

function statementOf(
  rules: ContractYearRules,
  network: StatementNetwork,
  attainment: IndicatorAttainment[],
): ComputedStatement {
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
