/**
 * The overview (SPEC section 9): every network the viewer may see × domain at a period, met, not met or
 * incomplete, with the change since the period before (the previous period with data, judged by the rules
 * in force then: domain/rules-in-force.ts) and each network's overdue learning-set actions.
 */
import { listNetworkMemberships } from '../db/repositories/networks';
import { latestPeriodWithData } from '../db/repositories/observations';
import { listPeriodsWithData } from '../db/repositories/statements';
import type { SessionUser } from '../db/repositories/users';
import { mayNamePracticesOf, visibleNetworks } from '../domain/access';
import {
  domainStanding,
  missingMembersOfValues,
  pooledStanding,
  pooledTotalsOfValues,
  type IndicatorRule,
  type PeriodValues,
  type PooledTotals,
} from '../domain/attainment';
import { notFound } from '../domain/errors';
import { membersAt, spansByNetwork } from '../domain/network-members';
import { noMembersSince } from '../domain/no-members';
import { contractYearOf, periodFrequency } from '../domain/periods';
import { previousPeriodWithData } from '../domain/rules-in-force';
import type { Overview } from '../schemas/dashboard';
import type { Deps } from './context';
import { rulesForPeriod, yearRulesKept } from './contract-years';
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

/**
 * The grid as one viewer sees it. The grid's domains and indicators are shared, not copied (27,000 indicators
 * nationally): only an indicator naming missing practices a viewer may not see is copied, with those lists
 * emptied. Every object is built in the response schema's field order, so JSON.stringify writes the response.
 */
function overviewFromGrid(
  grid: OverviewGrid,
  viewer: SessionUser,
  scope: string[] | null,
  overdueActions: (network: string) => number | null,
): Overview {
  return {
    period: grid.period,
    previousPeriod: grid.previousPeriod,
    contractYear: grid.contractYear,
    networks: grid.networks
      .filter((n) => !scope || scope.includes(n.code))
      .map((n) => ({
        code: n.code,
        name: n.name,
        noMembersSince: n.noMembersSince,
        overdueActions: overdueActions(n.code),
        domains: mayNamePracticesOf(viewer, n.code) ? n.domains : n.domains.map(withoutPractices),
      })),
  };
}

/** A domain with every indicator's missing practices left unnamed (their count stays). */
function withoutPractices(d: OverviewDomain): OverviewDomain {
  if (d.indicators.every((i) => i.missingPractices.length === 0)) return d;
  return {
    code: d.code,
    name: d.name,
    status: d.status,
    met: d.met,
    applicable: d.applicable,
    total: d.total,
    previousMet: d.previousMet,
    change: d.change,
    indicators: d.indicators.map((i) =>
      i.missingPractices.length === 0
        ? i
        : {
            code: i.code,
            title: i.title,
            rate: i.rate,
            targetBp: i.targetBp,
            state: i.state,
            previousRate: i.previousRate,
            missingPractices: NONE,
            missingPracticeNames: NONE,
            missingCount: i.missingCount,
          },
    ),
  };
}

type OverviewNetwork = Overview['networks'][number];
type OverviewDomain = OverviewNetwork['domains'][number];
/** The overview as computed for every viewer alike: each indicator's missing practices in full. */
interface OverviewGrid extends Omit<Overview, 'networks'> {
  networks: Omit<OverviewNetwork, 'overdueActions'>[];
}

type Standing = ReturnType<typeof pooledStanding>;

/** No practice: one list shared by every complete indicator (frozen: a kept grid is never changed). */
const NONE = Object.freeze([]) as unknown as string[];

/** The places in `indicators` of those in each domain, in the indicators' order. */
function placesByDomain(domains: readonly { code: string }[], indicators: readonly { domain: string }[]): number[][] {
  return domains.map((d) => indicators.flatMap((i, at) => (i.domain === d.code ? [at] : [])));
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
  // Every membership read once: the members now, the period before and each network's spans come from it.
  const all = await listNetworkMemberships(deps.db, only);
  const networks = membersAt(all.networks, all.memberships, period);
  const previousNetworks = previous ? membersAt(all.networks, all.memberships, previous) : [];
  const spans = spansByNetwork(all.memberships);
  const frequency = periodFrequency(periods);
  // The period before may fall in a year that is not configured: then there is nothing to compare with.
  const previousRules = previous ? await yearRulesKept(deps, contractYearOf(previous)) : null;
  const codes = (r: { indicators: { code: string }[] }) => r.indicators.map((i) => i.code);
  const now = await keptPeriodValues(deps.db, period, codes(rules), only);
  const before: PeriodValues | null =
    previous && previousRules ? await keptPeriodValues(deps.db, previous, codes(previousRules), only) : null;
  const previousMembers = new Map(previousNetworks.map((p) => [p.code, p.practices]));
  // A network with no members at the period is listed, last, when it had members before (a dissolved network).
  const listed = networks
    .map((n) => ({ ...n, noMembersSince: noMembersSince(spans.get(n.code) ?? [], period, frequency) }))
    .filter((n) => n.practices.length > 0 || n.noMembersSince !== null)
    .sort((a, b) => Number(a.noMembersSince !== null) - Number(b.noMembersSince !== null));
  // The pooled figures only, of every network in one pass: the overview shows no practice's own figure.
  const nowCodes = codes(rules);
  const totals = pooledTotalsOfValues(
    nowCodes,
    listed.map((n) => n.practices),
    now,
  );
  const membersBefore = listed.map((n) => previousMembers.get(n.code) ?? []);
  const previousIndicators = previousRules?.indicators ?? [];
  const totalsBefore = before
    ? pooledTotalsOfValues(codes(previousRules ?? { indicators: [] }), membersBefore, before)
    : null;
  // Worked out once for every network: which indicators each domain holds, now and the period before, and
  // where each indicator of now is among the period before's (the same code in the same domain; -1: none).
  const here = placesByDomain(rules.domains, rules.indicators);
  const there = placesByDomain(rules.domains, previousIndicators);
  const previousAt = rules.indicators.map((i) =>
    previousIndicators.findIndex((p) => p.code === i.code && p.domain === i.domain),
  );
  const titles = rules.indicators.map((i) => rules.titles.get(i.code) ?? i.code);
  const standings = (t: PooledTotals, x: number, indicators: readonly { targetBp: number }[]) =>
    indicators.map((r, i) => {
      const cell = x * indicators.length + i;
      return pooledStanding(r.targetBp, t.numerator[cell] ?? 0, t.denominator[cell] ?? 0, t.missing[cell] ?? 0);
    });
  return {
    period,
    previousPeriod: previous,
    contractYear: rules.code,
    networks: listed.map((n, x) => {
      const attained = standings(totals, x, rules.indicators);
      const prev = totalsBefore && membersBefore[x]?.length ? standings(totalsBefore, x, previousIndicators) : [];
      const nameOf = (code: string) => n.practices.find((p) => p.code === code)?.name ?? code;
      return {
        code: n.code,
        name: n.name,
        noMembersSince: n.noMembersSince,
        domains: rules.domains.map((d, k) => {
          const mine = (here[k] as number[]).map((at) => attained[at] as Standing);
          const theirs = prev.length ? (there[k] as number[]).map((at) => prev[at] as Standing) : [];
          const previousMet = theirs.length && theirs.every((a) => a.complete) ? domainStanding(theirs).met : null;
          const standing = domainStanding(mine);
          return {
            code: d.code,
            name: d.name,
            status: standing.status,
            met: standing.met,
            applicable: standing.applicable,
            total: mine.length,
            previousMet,
            change:
              previousMet === null || standing.status === 'incomplete' || n.noMembersSince !== null
                ? null
                : standing.met - previousMet,
            indicators: (here[k] as number[]).map((at) => {
              const a = attained[at] as Standing;
              const rule = rules.indicators[at] as IndicatorRule;
              const missing = a.complete ? NONE : missingMembersOfValues(now, n.practices, rule.code);
              return {
                code: rule.code,
                title: titles[at] as string,
                rate: a.rate,
                targetBp: rule.targetBp,
                state: a.state,
                previousRate: prev.length ? (prev[previousAt[at] as number]?.rate ?? null) : null,
                missingPractices: missing,
                missingPracticeNames: a.complete ? NONE : missing.map(nameOf),
                missingCount: missing.length,
              };
            }),
          };
        }),
      };
    }),
  };
}
