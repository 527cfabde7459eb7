/**
 * The year-end forecast (SPEC section 11.3) for a network, contract year and as-of period, and the money
 * outlook per network for the overview: earned so far, releasable (SPEC 11.1) and at risk. The forecast itself
 * is domain/forecast.ts (the method the README describes and `npm run backtest` checks); this loads the
 * network's own history through the repositories and cuts what the viewer may not see (a GP: no money).
 *
 * Forecasts are kept by data version (figures-cache.ts): a network's forecast for a year and as-of period is
 * worked out once (with the money, the 2,000 simulated year ends included) and every later request at the same
 * version is served from it, cut for its viewer then. Any accepted upload, sign-off, reopen, rules or
 * membership change moves the version, and the next request works it out again. The outlook is kept the same
 * way per year and per set of networks a viewer sees. Both caches are bounded, the oldest dropped first.
 */
import type { Db } from '../db/database';
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
import { atRiskPence, forecastNetwork, type NetworkForecast, type RatePoint } from '../domain/forecast';
import { forecastPath } from '../domain/forecast-path';
import { ruleLookup } from '../domain/rules-in-force';
import { whatItWouldTake } from '../domain/releasable';
import { networkSeries } from '../domain/series';
import { computeStatement } from '../domain/statement';
import type { Forecast, PaymentsOutlook } from '../schemas/forecast';
import type { Deps } from './context';
import { requireYearRules } from './contract-years';
import { VersionedCache } from './figures-cache';
import { requireNetworkView } from './learning-set';

/** At most this many networks' forecasts are kept per database (a forecast is some tens of kilobytes). */
export const FORECASTS_KEPT = 96;
/** At most this many outlooks (a year, for the networks one kind of viewer sees) are kept per database. */
export const OUTLOOKS_KEPT = 8;

interface ForecastCaches {
  forecasts: VersionedCache;
  outlooks: VersionedCache;
  /** How many times each was worked out rather than served from the cache (for tests and the bench). */
  computed: { forecasts: number; outlooks: number };
}
const forecastCaches = new WeakMap<Db, ForecastCaches>();

function cachesOf(db: Db): ForecastCaches {
  let c = forecastCaches.get(db);
  if (!c)
    forecastCaches.set(
      db,
      (c = {
        forecasts: new VersionedCache(FORECASTS_KEPT),
        outlooks: new VersionedCache(OUTLOOKS_KEPT),
        computed: { forecasts: 0, outlooks: 0 },
      }),
    );
  return c;
}

/** How often forecasts and outlooks were worked out for a database, and how many are kept now. */
export function forecastCacheStats(db: Db): {
  forecastsComputed: number;
  outlooksComputed: number;
  forecastsKept: number;
  outlooksKept: number;
} {
  const c = cachesOf(db);
  return {
    forecastsComputed: c.computed.forecasts,
    outlooksComputed: c.computed.outlooks,
    forecastsKept: c.forecasts.size,
    outlooksKept: c.outlooks.size,
  };
}

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

/** A network's full forecast (the money included), worked out once per data version, year and as-of period. */
function keptForecast(deps: Deps, rules: YearRules, networkCode: string, asOf: string): Promise<Forecast> {
  const caches = cachesOf(deps.db);
  return caches.forecasts.get(deps.db, JSON.stringify([networkCode, rules.code, asOf]), async () => {
    caches.computed.forecasts++;
    const { forecast, histories, contractValuePence } = await forecastOf(deps, rules, networkCode, asOf);
    const money = contractValuePence !== undefined;
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
  });
}

/**
 * GET /api/forecast: every indicator's year-end forecast, and the expected payment where the viewer may see it.
 * Served from the kept forecast; the money is cut here, per viewer, so a GP never gets it from the cache either.
 */
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
  const full = await keptForecast(deps, rules, query.network, asOf);
  // A new object: what is kept is shared between requests and never changed.
  return seesMoney
    ? { ...full }
    : { ...full, retrospectivePotPence: null, expectedEarnedPence: null, p10EarnedPence: null, p90EarnedPence: null };
}

/**
 * Per network the viewer may see the payments of: earned so far (the provisional statement at the latest period
 * of the year), releasable (SPEC 11.1) and at risk: Σ over domains of what the domain earns now less what the
 * forecast expects it to earn at the year's end, where that is more (money in hand the forecast expects to lose).
 */
export async function paymentsOutlook(deps: Deps, viewer: RoleInNetwork, yearCode: string): Promise<PaymentsOutlook> {
  const scope = paymentNetworks(viewer);
  const caches = cachesOf(deps.db);
  // Kept per year and per set of networks seen (every network, or a manager's own), by data version.
  const kept = await caches.outlooks.get(deps.db, JSON.stringify([yearCode, scope]), () => {
    caches.computed.outlooks++;
    return computeOutlook(deps, scope, yearCode);
  });
  return { ...kept, networks: kept.networks.map((n) => ({ ...n })) };
}

async function computeOutlook(deps: Deps, scope: string[] | null, yearCode: string): Promise<PaymentsOutlook> {
  const rules = await requireYearRules(deps, yearCode);
  const period = await asOfPeriod(deps, rules);
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
    const atRisk = atRiskPence(statement.domains, forecast.domains);
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
