/**
 * The year-end forecast (SPEC section 11.3) for a network, contract year and as-of period, and the money
 * outlook per network for the overview: earned so far, releasable (SPEC 11.1) and at risk. The forecast itself
 * is domain/forecast.ts (the method the README describes and `npm run backtest` checks); this loads the
 * network's own history through the repositories and cuts what the viewer may not see (a GP: no money).
 */
import { listNetworksAt } from '../db/repositories/networks';
import {
  latestPeriodBetween,
  listPeriodsWithData,
  loadAllIndicatorRules,
  loadMemberObservations,
  loadNetworkHistory,
} from '../db/repositories/statements';
import type { YearRules } from '../db/repositories/statements';
import { paymentNetworks, type RoleInNetwork } from '../domain/access';
import { badRequest, notFound } from '../domain/errors';
import { forecastNetwork, type NetworkForecast, type RatePoint } from '../domain/forecast';
import { forecastPath } from '../domain/forecast-path';
import { ruleLookup } from '../domain/rules-in-force';
import { whatItWouldTake } from '../domain/releasable';
import { networkSeries } from '../domain/series';
import { computeStatement } from '../domain/statement';
import type { Forecast, PaymentsOutlook } from '../schemas/forecast';
import type { Deps } from './context';
import { requireYearRules } from './contract-years';
import { requireNetworkView } from './learning-set';

/** The as-of period: the one asked for (inside the year), else the latest period of the year with data. */
async function asOfPeriod(deps: Deps, rules: YearRules, requested?: string): Promise<string> {
  if (requested && (requested < rules.firstPeriod || requested > rules.lastPeriod))
    throw badRequest(
      `Period ${requested} is not in contract year ${rules.code} (${rules.firstPeriod} to ${rules.lastPeriod}); choose a month inside it.`,
    );
  const period = requested ?? (await latestPeriodBetween(deps.db, rules.firstPeriod, rules.lastPeriod));
  if (!period) throw notFound(`Contract year ${rules.code} has no figures yet, so there is nothing to forecast from.`);
  return period;
}

/** The network's pooled figure of each indicator at every period with data (earlier years included). */
async function networkHistories(deps: Deps, networkCode: string): Promise<Map<string, RatePoint[]>> {
  const allRules = await loadAllIndicatorRules(deps.db);
  const ruleAt = ruleLookup(allRules);
  const codes = [...new Set(allRules.map((r) => r.code))];
  const [periods, history] = await Promise.all([
    listPeriodsWithData(deps.db),
    loadNetworkHistory(deps.db, networkCode, codes),
  ]);
  return new Map(
    codes.map((code) => [
      code,
      networkSeries(code, periods, history.spans, history.values, (p) => ruleAt(code, p)).periods.map((p) => ({
        period: p.period,
        numerator: p.numerator,
        denominator: p.denominator,
      })),
    ]),
  );
}

interface Forecasting {
  forecast: NetworkForecast;
  histories: Map<string, RatePoint[]>;
  contractValuePence: number | undefined;
}

/** `percentiles: false` skips the simulated year-ends behind the 10th and 90th percentiles (not wanted). */
async function forecastOf(
  deps: Deps,
  rules: YearRules,
  networkCode: string,
  asOf: string,
  percentiles = true,
): Promise<Forecasting> {
  const [network] = await listNetworksAt(deps.db, asOf, networkCode);
  if (!network) throw notFound(`There is no network ${networkCode}.`);
  const histories = await networkHistories(deps, networkCode);
  const contractValuePence = rules.contractValues.get(networkCode);
  const forecast = forecastNetwork({
    rules,
    network: {
      code: network.code,
      name: network.name,
      contractValuePence: contractValuePence ?? 0,
      practices: network.practices,
    },
    asOf,
    histories,
    draws: percentiles ? undefined : 1,
  });
  return { forecast, histories, contractValuePence };
}

/** GET /api/forecast: every indicator's year-end forecast, and the expected payment where the viewer may see it. */
export async function forecastFor(
  deps: Deps,
  viewer: RoleInNetwork,
  query: { network: string; year: string; asOf?: string },
): Promise<Forecast> {
  requireNetworkView(viewer, query.network);
  const rules = await requireYearRules(deps, query.year);
  const asOf = await asOfPeriod(deps, rules, query.asOf);
  const scope = paymentNetworks(viewer);
  const seesMoney = scope === null || scope.includes(query.network);
  const { forecast, histories, contractValuePence } = await forecastOf(deps, rules, query.network, asOf, seesMoney);
  const money = seesMoney && contractValuePence !== undefined;
  return {
    network: forecast.network,
    year: forecast.year,
    asOf,
    lastPeriod: rules.lastPeriod,
    method: forecast.method,
    indicators: forecast.indicators.map((f) => ({
      code: f.code,
      domain: f.domain,
      title: rules.titles.get(f.code) ?? f.code,
      targetBp: f.targetBp,
      state: f.state,
      latestPeriod: f.latestPeriod,
      latestRate: f.latestRate,
      forecastRate: f.forecastRate,
      lower80: f.lower80,
      upper80: f.upper80,
      probabilityMet: f.probabilityMet,
      path: forecastPath(histories.get(f.code) ?? [], asOf, rules.lastPeriod),
    })),
    retrospectivePotPence: money ? forecast.retrospectivePotPence : null,
    expectedEarnedPence: money ? forecast.expectedEarnedPence : null,
    p10EarnedPence: money ? forecast.p10EarnedPence : null,
    p90EarnedPence: money ? forecast.p90EarnedPence : null,
  };
}

/**
 * Per network the viewer may see the payments of: earned so far (the provisional statement at the latest period
 * of the year), releasable (SPEC 11.1) and at risk: Σ over domains of what the domain earns now less what the
 * forecast expects it to earn at the year's end, where that is more (money in hand the forecast expects to lose).
 */
export async function paymentsOutlook(deps: Deps, viewer: RoleInNetwork, yearCode: string): Promise<PaymentsOutlook> {
  const rules = await requireYearRules(deps, yearCode);
  const period = await asOfPeriod(deps, rules);
  const scope = paymentNetworks(viewer);
  const networks = (await listNetworksAt(deps.db, period)).filter(
    (n) => (scope === null || scope.includes(n.code)) && rules.contractValues.has(n.code) && n.practices.length > 0,
  );
  const observations = await loadMemberObservations(deps.db, period);
  const rows = [];
  for (const n of networks) {
    const contractValuePence = rules.contractValues.get(n.code) ?? 0;
    const { statement, attainment } = computeStatement(
      rules,
      { code: n.code, name: n.name, contractValuePence, practices: n.practices },
      observations,
    );
    const toTake = whatItWouldTake(statement, attainment, rules.domainRule);
    const { forecast } = await forecastOf(deps, rules, n.code, period, false);
    const atRisk = statement.domains.reduce((s, d) => {
      const expected = forecast.domains.find((f) => f.code === d.code)?.expectedEarnedPence ?? 0;
      return s + Math.max(0, d.earnedPence - expected);
    }, 0);
    rows.push({
      code: n.code,
      name: n.name,
      retrospectivePotPence: statement.retrospectivePotPence,
      earnedPence: statement.earnedPence,
      releasablePence: toTake.releasablePence,
      atRiskPence: atRisk,
      expectedEarnedPence: forecast.expectedEarnedPence,
      heldPence: statement.heldPence,
    });
  }
  return { year: rules.code, period, final: period === rules.lastPeriod, networks: rows };
}
