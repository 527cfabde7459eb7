/**
 * Peer comparison across networks (SPEC section 13): one network's practices on a funnel with every practice of
 * every network for the same indicator and period. The network's own practices are named; the others are
 * unnamed dots (SPEC section 8: a GP or manager never receives another network's practice codes or names).
 */
import { listNetworksAt } from '../db/repositories/networks';
import { latestPeriodWithData } from '../db/repositories/observations';
import { loadMemberObservations } from '../db/repositories/statements';
import { type RoleInNetwork } from '../domain/access';
import { indicatorAttainment } from '../domain/attainment';
import { forbidden, notFound } from '../domain/errors';
import { peerFunnel } from '../domain/funnel';
import type { PeerComparison } from '../schemas/statements';
import type { Deps } from './context';
import { rulesForPeriod } from './contract-years';
import { requireNetworkView } from './learning-set';

export async function peerComparison(
  deps: Deps,
  viewer: RoleInNetwork,
  query: { network: string; indicator: string; period?: string; limits?: 'wilson' | 'adjusted' },
): Promise<PeerComparison> {
  if (requireNetworkView(viewer, query.network) !== 'practices')
    throw forbidden(`You can compare the practices of your own network only.`);
  const period = query.period ?? (await latestPeriodWithData(deps.db));
  if (!period) throw notFound('No figures have been uploaded yet, so there is nothing to compare.');
  const rules = await rulesForPeriod(deps, period);
  const rule = rules.indicators.find((r) => r.code === query.indicator);
  if (!rule) throw notFound(`There is no indicator ${query.indicator} in ${rules.code}: choose one of the year's.`);
  const networks = await listNetworksAt(deps.db, period);
  const mine = networks.find((n) => n.code === query.network);
  if (!mine) throw notFound(`There is no network ${query.network}.`);
  const observations = await loadMemberObservations(deps.db, period);
  const practicesOf = (n: (typeof networks)[number]) =>
    indicatorAttainment(
      rule,
      n.practices.map((p) => ({ code: p.code, name: p.name })),
      observations,
    ).practices;
  const own = practicesOf(mine);
  const others = networks.filter((n) => n.code !== mine.code).flatMap(practicesOf);
  const funnel = peerFunnel(own, others, query.limits === 'adjusted');
  const names = new Map(own.map((p) => [p.code, p.name]));
  return {
    network: mine.code,
    indicator: rule.code,
    period,
    networks: networks.filter((n) => n.practices.length > 0).length,
    funnel: funnel && {
      ...funnel,
      practices: funnel.practices.map((p) => ({ ...p, name: p.code === null ? null : (names.get(p.code) ?? null) })),
    },
  };
}
