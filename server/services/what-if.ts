/**
 * What-if (SPEC section 11.4): a network's statement at a period with patients added to indicators, network-wide
 * or at one practice, computed by the same functions as the real statement (domain/what-if.ts →
 * domain/statement.ts) and read the same way (reasons, what it would take). Nothing is saved.
 */
import { listNetworksAt } from '../db/repositories/networks';
import { loadMemberObservations } from '../db/repositories/statements';
import { paymentNetworks, type RoleInNetwork } from '../domain/access';
import { badRequest, forbidden, notFound } from '../domain/errors';
import { networkInputHash, rulesCanonicalJson } from '../domain/statement-hash';
import { readStatement } from '../domain/statement-reading';
import { whatIf, WhatIfError } from '../domain/what-if';
import type { WhatIf, WhatIfBody } from '../schemas/statements';
import type { Deps } from './context';
import { requireYearRules } from './contract-years';

export async function whatIfFor(deps: Deps, viewer: RoleInNetwork, body: WhatIfBody): Promise<WhatIf> {
  const scope = paymentNetworks(viewer);
  if (scope !== null && !scope.includes(body.network))
    throw forbidden(`You may try changes only on the statement of a network whose payments you see.`);
  const rules = await requireYearRules(deps, body.year);
  if (body.period < rules.firstPeriod || body.period > rules.lastPeriod)
    throw badRequest(
      `Period ${body.period} is not in contract year ${rules.code} (${rules.firstPeriod} to ${rules.lastPeriod}); choose a month inside it.`,
    );
  const [network] = await listNetworksAt(deps.db, body.period, body.network);
  if (!network || network.practices.length === 0)
    throw notFound(`Network ${body.network} has no member practices at ${body.period}.`);
  const contractValuePence = rules.contractValues.get(network.code);
  if (contractValuePence === undefined)
    throw notFound(`Network ${network.code} has no contract value for ${rules.code}, so it has no statement.`);
  const observations = await loadMemberObservations(deps.db, body.period, network.code);
  const statementNetwork = { code: network.code, name: network.name, contractValuePence, practices: network.practices };
  let result;
  try {
    result = whatIf(rules, statementNetwork, observations, body.adjustments);
  } catch (e) {
    if (e instanceof WhatIfError)
      throw badRequest(`The changes cannot be applied: ${e.message}. Nothing was saved.`, e.problems);
    throw e;
  }
  // The hash of the inputs as changed: what this statement would carry were the figures real.
  const codes = rules.indicators.map((i) => i.code);
  const rulesJson = rulesCanonicalJson(rules);
  const inputHash = networkInputHash(
    rulesJson,
    body.period,
    network.code,
    contractValuePence,
    network.practices,
    result.observations,
    codes,
  );
  const read = readStatement({ ...result.after.statement, inputHash }, result.after.attainment, rules, body.period);
  return {
    ...read,
    domains: read.domains.map((d) => ({
      ...d,
      indicators: d.indicators.map((i) => ({ ...i, title: rules.titles.get(i.code) ?? i.code })),
    })),
    year: rules.code,
    period: body.period,
    applied: result.applied,
    changes: result.changes,
  };
}
