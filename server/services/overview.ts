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
import { overdueActionCounts } from './learning-loop';

export async function overviewFor(deps: Deps, viewer: SessionUser, requested?: string): Promise<Overview> {
  const period = requested ?? (await latestPeriodWithData(deps.db));
  if (!period) throw notFound('No figures have been uploaded yet, so there is nothing to show.');
  const rules = await rulesForPeriod(deps, period);
  const previous = previousPeriodWithData(await listPeriodsWithData(deps.db), period);
  // Every network, or only those the viewer may see at all (a network manager: theirs).
  const scope = visibleNetworks(viewer);
  const only = scope?.length === 1 ? scope[0] : undefined;
  const inScope = <T extends { code: string }>(list: T[]) =>
    scope ? list.filter((n) => scope.includes(n.code)) : list;
  const [networks, previousNetworks] = await Promise.all([
    listNetworksAt(deps.db, period, only).then(inScope),
    previous ? listNetworksAt(deps.db, previous, only).then(inScope) : Promise.resolve([]),
  ]);
  const now = loadMemberObservations(deps.db, period, only);
  const before = previous ? loadMemberObservations(deps.db, previous, only) : new Map();
  // The period before may fall in a year that is not configured: then there is nothing to compare with.
  const previousRules = previous ? await loadYearRules(deps.db, contractYearOf(previous)) : null;
  const overdueActions = await overdueActionCounts(deps, viewer);
  return {
    period,
    previousPeriod: previous,
    contractYear: rules.code,
    networks: networks
      .filter((n) => n.practices.length > 0)
      .map((n) => {
        const attained = networkAttainment(rules.indicators, n.practices, now);
        const prevMembers = previousNetworks.find((p) => p.code === n.code)?.practices ?? [];
        const prev =
          previousRules && prevMembers.length ? networkAttainment(previousRules.indicators, prevMembers, before) : [];
        return {
          code: n.code,
          name: n.name,
          overdueActions: overdueActions(n.code),
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
                missingPractices: practicesShown(viewer, n.code, a.missingPractices),
                missingPracticeNames: practicesShown(viewer, n.code, a.missingPractices).map((c) => names.get(c) ?? c),
                missingCount: a.missingPractices.length,
              })),
            };
          }),
        };
      }),
  };
}
