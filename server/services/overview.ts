/**
 * The overview (SPEC section 9): every network the viewer may see × domain at a period, met, not met or
 * incomplete, with the change since the period before (the previous period with data, judged by the rules
 * in force then: domain/rules-in-force.ts) and each network's overdue learning-set actions.
 */
import { listNetworkSpans, listNetworksAt } from '../db/repositories/networks';
import { latestPeriodWithData } from '../db/repositories/observations';
import { listPeriodsWithData, loadYearRules } from '../db/repositories/statements';
import type { SessionUser } from '../db/repositories/users';
import { practicesShown, visibleNetworks } from '../domain/access';
import { domainStanding, networkAttainmentOfValues, type PeriodValues } from '../domain/attainment';
import { notFound } from '../domain/errors';
import { noMembersSince } from '../domain/no-members';
import { contractYearOf, periodFrequency } from '../domain/periods';
import { previousPeriodWithData } from '../domain/rules-in-force';
import type { Overview } from '../schemas/dashboard';
import type { Deps } from './context';
import { rulesForPeriod } from './contract-years';
import { keptJson, keptLarge, keptPeriodValues, type KeptJson, type ToJson } from './figures-cache';
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
          // Field by field rather than an object rest (27,000 indicators nationally), in the grid's order.
          indicators: d.indicators.map((i) => ({
            code: i.code,
            title: i.title,
            rate: i.rate,
            targetBp: i.targetBp,
            state: i.state,
            previousRate: i.previousRate,
            missingCount: i.missingCount,
            missingPractices: practicesShown(viewer, n.code, i.missing),
            missingPracticeNames: practicesShown(viewer, n.code, i.missingNames),
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
  const periods = await listPeriodsWithData(deps.db);
  const previous = previousPeriodWithData(periods, period);
  const [networks, previousNetworks, spans] = await Promise.all([
    listNetworksAt(deps.db, period, only),
    previous ? listNetworksAt(deps.db, previous, only) : Promise.resolve([]),
    listNetworkSpans(deps.db, only),
  ]);
  const frequency = periodFrequency(periods);
  // The period before may fall in a year that is not configured: then there is nothing to compare with.
  const previousRules = previous ? await loadYearRules(deps.db, contractYearOf(previous)) : null;
  const codes = (r: { indicators: { code: string }[] }) => r.indicators.map((i) => i.code);
  const now = await keptPeriodValues(deps.db, period, codes(rules), only);
  const before: PeriodValues | null =
    previous && previousRules ? await keptPeriodValues(deps.db, previous, codes(previousRules), only) : null;
  const previousMembers = new Map(previousNetworks.map((p) => [p.code, p.practices]));
  return {
    period,
    previousPeriod: previous,
    contractYear: rules.code,
    // A network with no members at the period is listed, last, when it had members before (a dissolved network).
    networks: networks
      .map((n) => ({ ...n, noMembersSince: noMembersSince(spans.get(n.code) ?? [], period, frequency) }))
      .filter((n) => n.practices.length > 0 || n.noMembersSince !== null)
      .sort((a, b) => Number(a.noMembersSince !== null) - Number(b.noMembersSince !== null))
      .map((n) => {
        // The pooled figures only: the overview shows no practice's own figure.
        const attained = networkAttainmentOfValues(rules.indicators, n.practices, now, 'none');
        const prevMembers = previousMembers.get(n.code) ?? [];
        const prev =
          previousRules && before && prevMembers.length
            ? networkAttainmentOfValues(previousRules.indicators, prevMembers, before, 'none')
            : [];
        return {
          code: n.code,
          name: n.name,
          noMembersSince: n.noMembersSince,
          domains: rules.domains.map((d) => {
            const here = attained.filter((a) => a.domain === d.code);
            const there = prev.filter((a) => a.domain === d.code);
            const previousMet = there.length && there.every((a) => a.complete) ? domainStanding(there).met : null;
            const standing = domainStanding(here);
            return {
              code: d.code,
              name: d.name,
              ...standing,
              total: here.length,
              previousMet,
              change:
                previousMet === null || standing.status === 'incomplete' || n.noMembersSince !== null
                  ? null
                  : standing.met - previousMet,
              indicators: here.map((a) => ({
                code: a.code,
                title: rules.titles.get(a.code) ?? a.code,
                rate: a.rate,
                targetBp: a.targetBp,
                state: a.state,
                previousRate: there.find((t) => t.code === a.code)?.rate ?? null,
                missing: a.missingPractices,
                missingNames: a.missingPractices.map((c) => n.practices.find((p) => p.code === c)?.name ?? c),
                missingCount: a.missingPractices.length,
              })),
            };
          }),
        };
      }),
  };
}
