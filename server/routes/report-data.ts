/**
 * Loads what attainment and payment statements need and hands it to the pure rules in server/domain/.
 * Shared by the attainment, payments and series routes.
 */
import type { FastifyInstance } from 'fastify';
import { networkAttainment, type Member } from '../domain/attainment';
import { networkStatement, type NetworkStatement } from '../domain/payment';
import { contractYearOf } from '../domain/periods';
import { canonicalJson, inputHash, networkInputHash } from '../domain/statement-hash';
import { listNetworksAt } from '../db/repositories/reference';
import { loadMemberObservations, loadYearRules, type YearRules } from '../db/repositories/statements';
import { notFound } from '../plugins/errors';

export async function requireYearRules(app: FastifyInstance, code: string): Promise<YearRules> {
  const rules = await loadYearRules(app.db, code);
  if (!rules) throw notFound(`There is no contract year ${code}; GET /api/contract-years lists them.`);
  return rules;
}

export async function rulesForPeriod(app: FastifyInstance, period: string): Promise<YearRules> {
  const code = contractYearOf(period);
  const rules = await loadYearRules(app.db, code);
  if (!rules) throw notFound(`No contract year covers ${period} (it would be ${code}); choose a period inside a contract year.`);
  return rules;
}

export async function attainmentFor(app: FastifyInstance, networkCode: string, period: string) {
  const [rules, networks] = await Promise.all([rulesForPeriod(app, period), listNetworksAt(app.db, period, networkCode)]);
  const network = networks[0];
  if (!network) throw notFound(`There is no network ${networkCode}.`);
  const observations = loadMemberObservations(app.sqlite, period, networkCode);
  const members: Member[] = network.practices.map((p) => ({ code: p.code, name: p.name }));
  return { rules, network, indicators: networkAttainment(rules.indicators, members, observations) };
}

export interface StatementSet {
  rules: YearRules;
  period: string;
  networks: (NetworkStatement & { inputHash: string })[];
  inputHash: string;
}

/** Payment statements at a period for every network (or one), each with the hash of its inputs. */
export async function statementsFor(app: FastifyInstance, rules: YearRules, period: string, networkCode?: string): Promise<StatementSet> {
  const networks = await listNetworksAt(app.db, period, networkCode);
  const observations = loadMemberObservations(app.sqlite, period, networkCode);
  const rulesJson = canonicalJson({ year: rules.code, retrospectiveShareBp: rules.retrospectiveShareBp, domainRule: rules.domainRule, domains: rules.domains, indicators: rules.indicators });
  const codes = rules.indicators.map((i) => i.code);
  const statements = networks
    .filter((n) => rules.contractValues.has(n.code))
    .map((n) => {
      const members = n.practices.map((p) => ({ code: p.code, name: p.name }));
      const attained = networkAttainment(rules.indicators, members, observations);
      const statement = networkStatement(rules, { code: n.code, name: n.name, contractValuePence: rules.contractValues.get(n.code)!, practices: n.practices }, attained);
      return { ...statement, inputHash: networkInputHash(rulesJson, period, n.code, statement.contractValuePence, n.practices, observations, codes) };
    });
  return { rules, period, networks: statements, inputHash: inputHash({ rulesJson, period, networks: statements.map((s) => [s.code, s.inputHash]) }) };
}
