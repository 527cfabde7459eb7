/**
 * The overview (SPEC section 9): every network the viewer may see × domain at a period, met, not met or
 * incomplete, with the change since the period before (the previous period with data, judged by the rules
 * in force then: domain/rules-in-force.ts) and each network's overdue learning-set actions.
 */
import { listNetworksAt } from '../db/repositories/networks';
import { latestPeriodWithData } from '../db/repositories/observations';
import { listPeriodsWithData, loadMemberObservations, loadYearRules } from '../db/repositories/statements';
import type { SessionUser } from '../db/repositories/users';
import { practicesShown, visibleNetworks } from '../domain/access';
import { domainStanding, networkAttainment } from '../domain/attainment';
import { notFound } from '../domain/errors';
import { contractYearOf } from '../domain/periods';
import { previousPeriodWithData } from '../domain/rules-in-force';
import type { Overview } from '../schemas/dashboard';
import type { Deps } from './context';
import { rulesForPeriod } from './contract-years';
import { keptJson, keptLarge, type KeptJson, type ToJson } from './figures-cache';
import { overdueActionCounts } from './learning-loop';

export async function overviewFor(deps: Deps, viewer: SessionUser, requested?: string): Promise<Overview> {
  // Every network, or only those the viewer may see at all (a network manager: theirs).
  const scope = visibleNetworks(viewer);
  const only = scope?.length === 1 ? scope[0] : undefined;
  const grid = await keptLarge(deps.db, `overview ${requested ?? 'latest'} ${only ?? 'all'}`, () =>
    overviewGrid(deps, requested, only),
  );
  // What depends on the viewer and on today is added to the kept grid for each request.
  const overdueActions = await overdueActionCounts(deps, viewer);
  return overviewFromGrid(grid, viewer, scope, overdueActions);
}

/**
 * overviewFor as a response body, kept by data version for each kind of viewer (role and network) and the
 * overdue action counts they see (actions change without moving the data version; counting them is cheap).
 */
export async function overviewJson(
  deps: Deps,
  viewer: SessionUser,
  requested: string | undefined,
  toJson: ToJson,
): Promise<KeptJson> {
  const scope = visibleNetworks(viewer);
  const only = scope?.length === 1 ? scope[0] : undefined;
  const grid = await keptLarge(deps.db, `overview ${requested ?? 'latest'} ${only ?? 'all'}`, () =>
    overviewGrid(deps, requested, only),
  );
  const overdueActions = await overdueActionCounts(deps, viewer);
  const overdue = grid.networks.map((n) => overdueActions(n.code) ?? '-').join(',');
  const key = `overview ${requested ?? 'latest'} ${viewer.role} ${viewer.networkCode ?? ''} ${overdue}`;
  return keptJson(deps.db, key, async () => overviewFromGrid(grid, viewer, scope, overdueActions), toJson);
}

function overviewFromGrid(
  grid: OverviewGrid,
  viewer: SessionUser,
  scope: string[] | null,
  overdueActions: (network: string) => number | null,
): Overview {
  return {
    ...grid,
    networks: grid.networks
      .filter((n) => !scope || scope.includes(n.code))
      .map((n) => ({
        ...n,
        overdueActions: overdueActions(n.code),
        domains: n.domains.map((d) => ({
          ...d,
          indicators: d.indicators.map(({ missing, missingNames, ...i }) => ({
            ...i,
            missingPractices: practicesShown(viewer, n.code, missing),
            missingPracticeNames: practicesShown(viewer, n.code, missingNames),
          })),
        })),
      })),
  };
}

type Missing = string[];
type OverviewNetwork = Overview['networks'][number];
type OverviewDomain = OverviewNetwork['domains'][number];
type OverviewIndicator = OverviewDomain['indicators'][number];
/** The overview as computed for every viewer alike: each indicator's missing practices in full. */
interface OverviewGrid extends Omit<Overview, 'networks'> {
  networks: (Omit<OverviewNetwork, 'overdueActions' | 'domains'> & {
    domains: (Omit<OverviewDomain, 'indicators'> & {
      indicators: (Omit<OverviewIndicator, 'missingPractices' | 'missingPracticeNames'> & {
        missing: Missing;
        missingNames: Missing;
      })[];
    })[];
  })[];
}

async function overviewGrid(
  deps: Deps,
  requested: string | undefined,
  only: string | undefined,
): Promise<OverviewGrid> {
  const period = requested ?? (await latestPeriodWithData(deps.db));
  if (!period) throw notFound('No figures have been uploaded yet, so there is nothing to show.');
  const rules = await rulesForPeriod(deps, period);
  const previous = previousPeriodWithData(await listPeriodsWithData(deps.db), period);
  const [networks, previousNetworks] = await Promise.all([
    listNetworksAt(deps.db, period, only),
    previous ? listNetworksAt(deps.db, previous, only) : Promise.resolve([]),
  ]);
  const now = await loadMemberObservations(deps.db, period, only);
  const before = previous ? await loadMemberObservations(deps.db, previous, only) : new Map();
  // The period before may fall in a year that is not configured: then there is nothing to compare with.
  const previousRules = previous ? await loadYearRules(deps.db, contractYearOf(previous)) : null;
  const previousMembers = new Map(previousNetworks.map((p) => [p.code, p.practices]));
  return {
    period,
    previousPeriod: previous,
    contractYear: rules.code,
    networks: networks
      .filter((n) => n.practices.length > 0)
      .map((n) => {
        const attained = networkAttainment(rules.indicators, n.practices, now);
        const prevMembers = previousMembers.get(n.code) ?? [];
        const prev =
          previousRules && prevMembers.length ? networkAttainment(previousRules.indicators, prevMembers, before) : [];
        return {
          code: n.code,
          name: n.name,
          domains: rules.domains.map((d) => {
            const here = attained.filter((a) => a.domain === d.code);
            const there = prev.filter((a) => a.domain === d.code);
            const previousMet = there.length && there.every((a) => a.complete) ? domainStanding(there).met : null;
            const standing = domainStanding(here);
            const names = new Map(n.practices.map((p) => [p.code, p.name]));
            return {
              code: d.code,
              name: d.name,
              ...standing,
              total: here.length,
              previousMet,
              change: previousMet === null || standing.status === 'incomplete' ? null : standing.met - previousMet,
              indicators: here.map((a) => ({
                code: a.code,
                title: rules.titles.get(a.code) ?? a.code,
                rate: a.rate,
                targetBp: a.targetBp,
                state: a.state,
                previousRate: there.find((t) => t.code === a.code)?.rate ?? null,
                missing: a.missingPractices,
                missingNames: a.missingPractices.map((c) => names.get(c) ?? c),
                missingCount: a.missingPractices.length,
              })),
            };
          }),
        };
      }),
  };
}
