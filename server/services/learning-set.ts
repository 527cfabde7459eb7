/**
 * The learning set (SPEC section 9): a network's attainment at a period with the funnel plot and each
 * practice's standing, its CSV export (with small-number suppression for exports that leave the network),
 * the monthly series with the SPC analysis, and one practice's own page. Loads through the repositories,
 * judges each month by the rules in force then (domain/rules-in-force.ts), and cuts what a viewer may not
 * see (domain/access.ts).
 */
import {
  findNetwork,
  findPractice,
  listNetworkSpans,
  listNetworksAt,
  listPracticeMemberships,
} from '../db/repositories/networks';
import { latestPeriodWithData, listPracticeValues } from '../db/repositories/observations';
import {
  listPeriodsWithData,
  loadAllIndicatorRules,
  loadMemberObservations,
  loadNetworkHistory,
} from '../db/repositories/statements';
import { maySeePractice, networkView, practicesShown, type RoleInNetwork } from '../domain/access';
import {
  domainStanding,
  meetsTarget,
  networkAttainment,
  patientsNeeded,
  rateOf,
  type Member,
} from '../domain/attainment';
import { toCsv, type Cell } from '../domain/csv-export';
import { compareFraction } from '../domain/exact';
import { badRequest, forbidden, notFound } from '../domain/errors';
import { funnelWithDispersion } from '../domain/funnel';
import { noMembersSince } from '../domain/no-members';
import { periodFrequency, spanCovers } from '../domain/periods';
import { latestCatalogue, ruleLookup } from '../domain/rules-in-force';
import { networkSeries, parseRecalculations } from '../domain/series';
import { MIN_POINTS_FOR_LIMITS } from '../domain/spc';
import { exportRate, publishFigures } from '../domain/suppression';
import type { PracticePage, Series } from '../schemas/dashboard';
import type { Attainment } from '../schemas/statements';
import type { Deps } from './context';
import { rulesForPeriod } from './contract-years';
import { keptJson, keptSmall, type KeptJson, type ToJson } from './figures-cache';

/** How much of a network the viewer sees, refusing (403) a network they may not see at all. */
export function requireNetworkView(viewer: RoleInNetwork, networkCode: string): 'practices' | 'network-level' {
  const view = networkView(viewer, networkCode);
  if (view === 'none') {
    throw forbidden(
      `You can see ${viewer.networkCode ? `your own network (${viewer.networkCode})` : 'no network'} only.`,
    );
  }
  return view;
}

/** A network's pooled attainment of every indicator at a period (default: the latest period with data). */
export async function attainmentFor(
  deps: Deps,
  viewer: RoleInNetwork,
  networkCode: string,
  requested?: string,
  options: { limits?: 'wilson' | 'adjusted' } = {},
): Promise<Attainment> {
  const practicesVisible = requireNetworkView(viewer, networkCode) === 'practices';
  // Computed once per data version for everyone (figures-cache.ts); what the viewer may see is cut here.
  const adjusted = options.limits === 'adjusted';
  const full = await keptSmall(
    deps.db,
    `attainment ${networkCode} ${requested ?? 'latest'}${adjusted ? ' adjusted' : ''}`,
    () => networkAttainmentAt(deps, networkCode, requested, adjusted),
  );
  return {
    ...full,
    indicators: full.indicators.map((i) => ({
      ...i,
      missingPractices: practicesShown(viewer, full.network, i.missingPractices),
      practices: practicesVisible ? i.practices : [],
      funnel: practicesVisible ? i.funnel : null,
    })),
  };
}

/** attainmentFor as a response body, kept by data version for each kind of viewer (figures-cache.ts). */
export async function attainmentJson(
  deps: Deps,
  viewer: RoleInNetwork,
  networkCode: string,
  requested: string | undefined,
  toJson: ToJson,
  options: { limits?: 'wilson' | 'adjusted' } = {},
): Promise<KeptJson> {
  requireNetworkView(viewer, networkCode); // refused before anything is looked up
  const limits = options.limits === 'adjusted' ? ' adjusted' : '';
  const key = `attainment ${networkCode} ${requested ?? 'latest'}${limits} ${viewer.role} ${viewer.networkCode ?? ''}`;
  return keptJson(deps.db, key, () => attainmentFor(deps, viewer, networkCode, requested, options), toJson);
}

/** A network's attainment with every practice, missing practice and funnel, before any cut for a viewer. */
async function networkAttainmentAt(
  deps: Deps,
  networkCode: string,
  requested: string | undefined,
  adjusted: boolean,
): Promise<Attainment> {
  const period = requested ?? (await latestPeriodWithData(deps.db));
  if (!period) throw notFound('No figures have been uploaded yet, so there is no attainment to show.');
  const [rules, networks, spans, periods] = await Promise.all([
    rulesForPeriod(deps, period),
    listNetworksAt(deps.db, period, networkCode),
    listNetworkSpans(deps.db, networkCode),
    listPeriodsWithData(deps.db),
  ]);
  const network = networks[0];
  if (!network) throw notFound(`There is no network ${networkCode}.`);
  const members: Member[] = network.practices.map((p) => ({ code: p.code, name: p.name }));
  const indicators = networkAttainment(
    rules.indicators,
    members,
    await loadMemberObservations(deps.db, period, networkCode),
  );
  const domainNames = new Map(rules.domains.map((d) => [d.code, d.name]));
  return {
    network: network.code,
    networkName: network.name,
    period,
    contractYear: rules.code,
    noMembersSince: noMembersSince(spans.get(network.code) ?? [], period, periodFrequency(periods)),
    domains: rules.domains.map((d) => {
      const here = indicators.filter((i) => i.domain === d.code);
      return { code: d.code, name: d.name, ...domainStanding(here), total: here.length };
    }),
    indicators: indicators.map((i) => ({
      ...i,
      domainName: domainNames.get(i.domain) ?? i.domain,
      title: rules.titles.get(i.code) ?? i.code,
      missingCount: i.missingPractices.length,
      funnel: i.rate !== null ? funnelWithDispersion(i.rate, i.practices, adjusted) : null,
    })),
  };
}

/**
 * The attainment as CSV: one row per indicator and practice, then the network row. With `suppress`, as far
 * as suppressed counts allow: the rate from the published counts, a standing only where the published counts
 * settle it, and no patients needed (SPEC section 8, domain/suppression.ts).
 */
export async function attainmentCsv(
  deps: Deps,
  viewer: RoleInNetwork,
  query: { network: string; period?: string; suppress?: boolean },
): Promise<{ filename: string; csv: string }> {
  const a = await attainmentFor(deps, viewer, query.network, query.period);
  const suppress = query.suppress ?? false;
  const figures = (
    n: number | null,
    d: number | null,
    targetBp: number,
    status: string | null,
    needed: number | null,
    network: boolean,
  ): Cell[] => {
    if (n === null || d === null) return [n, d, null, targetBp, status, suppress ? null : needed];
    if (!suppress) return [n, d, exportRate(n, d), targetBp, status, needed];
    const p = publishFigures(n, d, targetBp);
    // A standing the counts decide becomes what the published counts settle; "incomplete" stays.
    const decided = status === 'met' || status === 'not met' || status === 'not-met';
    const standing = !decided ? status : network ? p.standing.replace(' ', '-') : p.standing;
    return [p.numerator, p.denominator, p.rate, targetBp, standing, null];
  };
  const rows = a.indicators.flatMap((i) => [
    ...i.practices.map((p) => {
      const status = p.met === null ? null : p.met ? 'met' : 'not met';
      return [
        a.period,
        a.network,
        i.code,
        i.title,
        p.code,
        p.name,
        ...figures(p.numerator, p.denominator, i.targetBp, status, p.patientsNeeded, false),
      ];
    }),
    [
      a.period,
      a.network,
      i.code,
      i.title,
      'NETWORK',
      a.networkName,
      ...figures(i.numerator, i.denominator, i.targetBp, i.state, i.patientsNeeded, true),
    ],
  ]);
  const header = [
    'period',
    'network',
    'indicator',
    'title',
    'practice',
    'name',
    'numerator',
    'denominator',
    'rate',
    'target_bp',
    'status',
    'patients_needed',
  ];
  return {
    filename: `attainment-${a.network}-${a.period}${suppress ? '-suppressed' : ''}.csv`,
    csv: toCsv(header, rows),
  };
}

/**
 * A network's monthly attainment of each indicator of the current catalogue (or one), each month by the rule
 * in force then, with the SPC analysis, the target and, where the viewer may see them, the practices' own series.
 */
export async function seriesFor(
  deps: Deps,
  viewer: RoleInNetwork,
  query: { network: string; indicator?: string; recalculateFrom?: string; recalculate?: string },
): Promise<Series> {
  const networkCode = query.network;
  const showPractices = requireNetworkView(viewer, networkCode) === 'practices';
  const network = await findNetwork(deps.db, networkCode);
  if (!network) throw notFound(`There is no network ${networkCode}.`);
  const rules = await loadAllIndicatorRules(deps.db);
  const ruleAt = ruleLookup(rules);
  const catalogue = latestCatalogue(rules).filter((r) => !query.indicator || r.code === query.indicator);
  if (query.indicator && catalogue.length === 0)
    throw notFound(`There is no indicator ${query.indicator} in the current catalogue.`);
  const recalculateFrom = query.recalculateFrom?.split(',') ?? [];
  const own = query.recalculate ? parseRecalculations(query.recalculate) : { byIndicator: new Map<string, string[]>() };
  if ('error' in own) throw badRequest(`recalculate: ${own.error}`);
  const known = new Set(latestCatalogue(rules).map((r) => r.code));
  const unknown = [...own.byIndicator.keys()].filter((c) => !known.has(c));
  if (unknown.length)
    throw badRequest(
      `recalculate names ${unknown.join(', ')}, not in the current catalogue; use the indicator codes shown on the learning set.`,
    );
  const [periods, history] = await Promise.all([
    listPeriodsWithData(deps.db),
    loadNetworkHistory(
      deps.db,
      networkCode,
      catalogue.map((r) => r.code),
    ),
  ]);
  const practiceNames = [...new Map(history.spans.map((s) => [s.practiceCode, s.practiceName]))];
  return {
    network: network.code,
    networkName: network.name,
    indicators: catalogue.map((latest) => {
      const code = latest.code;
      const series = networkSeries(code, periods, history.spans, history.values, (p) => ruleAt(code, p), {
        recalculateFrom: [...recalculateFrom, ...(own.byIndicator.get(code) ?? [])],
        target: latest.targetBp / 10000,
      });
      const practices = showPractices
        ? practiceNames.map(([pc, name]) => ({
            code: pc,
            name,
            points: history.values
              .filter(
                (v) =>
                  v.practiceCode === pc &&
                  v.indicatorCode === code &&
                  history.spans.some((s) => s.practiceCode === pc && spanCovers(s, v.period)),
              )
              .map((v) => ({
                period: v.period,
                numerator: v.numerator,
                denominator: v.denominator,
                rate: rateOf(v.numerator, v.denominator),
              })),
          }))
        : [];
      return {
        code,
        title: latest.title,
        domain: latest.domain,
        domainName: latest.domainName,
        targetBp: latest.targetBp,
        lowerBp: latest.lowerBp,
        variation: series.variation,
        assurance: series.assurance,
        spcPoints: series.spcPoints,
        minPointsForLimits: MIN_POINTS_FOR_LIMITS,
        processChange: series.processChange,
        recalculatedFrom: series.recalculatedFrom,
        periods: series.periods.map((p) => ({
          ...p,
          missingPractices: practicesShown(viewer, network.code, p.missingPractices),
          missingCount: p.missingPractices.length,
          spc: p.spc && {
            mean: p.spc.mean,
            upperLimit: p.spc.upperLimit,
            lowerLimit: p.spc.lowerLimit,
            upperTwoSigma: p.spc.upperTwoSigma,
            lowerTwoSigma: p.spc.lowerTwoSigma,
            special: p.spc.special,
            side: p.spc.side,
            rules: p.spc.rules,
          },
        })),
        practices,
      };
    }),
  };
}

/**
 * One practice's indicators over time, beside the average of the network it belonged to at each month and
 * the target in force then; only for those who may name the practices of its current network.
 */
export async function practicePage(deps: Deps, viewer: RoleInNetwork, requestedCode: string): Promise<PracticePage> {
  const practice = await findPractice(deps.db, requestedCode.toUpperCase());
  if (!practice) throw notFound(`There is no practice ${requestedCode}.`);
  const spans = await listPracticeMemberships(deps.db, practice.code);
  const current = spans.find((s) => s.toPeriod === null) ?? spans.at(-1) ?? null;
  if (!maySeePractice(viewer, current?.network ?? null)) {
    throw forbidden(
      `You can see the practices of ${viewer.networkCode ? `your own network (${viewer.networkCode})` : 'no network'} only.`,
    );
  }
  const rules = await loadAllIndicatorRules(deps.db);
  const ruleAt = ruleLookup(rules);
  const catalogue = latestCatalogue(rules);
  const codes = catalogue.map((r) => r.code);
  const periods = await listPeriodsWithData(deps.db);
  // The network average at each month is the network the practice belonged to then.
  // `${network}|${code}` → period → the network's pooled figures
  const networkRates = new Map<string, Map<string, { rate: number | null; numerator: number; denominator: number }>>();
  for (const network of new Set(spans.map((s) => s.network))) {
    const history = await loadNetworkHistory(deps.db, network, codes);
    for (const c of codes) {
      const series = networkSeries(c, periods, history.spans, history.values, (p) => ruleAt(c, p));
      networkRates.set(`${network}|${c}`, new Map(series.periods.map((p) => [p.period, p])));
    }
  }
  const values = await listPracticeValues(deps.db, practice.code);
  // The spine: every indicator at the latest period with data, against the current network's practices.
  const latest = await latestPeriodWithData(deps.db);
  let spine: PracticePage['spine'] = null;
  if (latest && current?.network) {
    const [rulesNow, networksNow] = await Promise.all([
      rulesForPeriod(deps, latest),
      listNetworksAt(deps.db, latest, current.network),
    ]);
    const members = networksNow[0]?.practices ?? [];
    if (members.some((m) => m.code === practice.code)) {
      const attained = networkAttainment(
        rulesNow.indicators,
        members.map((m) => ({ code: m.code, name: m.name })),
        await loadMemberObservations(deps.db, latest, current.network),
      );
      spine = {
        period: latest,
        network: current.network,
        practices: members.length,
        indicators: attained.map((a) => {
          const rates = a.practices.flatMap((p) => (p.rate === null ? [] : [p.rate]));
          const own = a.practices.find((p) => p.code === practice.code);
          return {
            code: a.code,
            title: rulesNow.titles.get(a.code) ?? a.code,
            rate: own?.rate ?? null,
            networkRate: a.rate,
            lowest: rates.length ? Math.min(...rates) : null,
            highest: rates.length ? Math.max(...rates) : null,
            targetBp: a.targetBp,
            met: own?.met ?? null,
            atOrAboveNetwork:
              own?.numerator != null && own.denominator && a.denominator
                ? compareFraction(
                    { num: own.numerator, den: own.denominator },
                    { num: a.numerator, den: a.denominator },
                  ) >= 0
                : null,
          };
        }),
      };
    }
  }
  return {
    spine,
    practice: {
      code: practice.code,
      name: practice.name,
      network: current?.network ?? null,
      networkName: current?.networkName ?? null,
      listSize: practice.listSize,
    },
    indicators: catalogue.map((latest) => {
      const c = latest.code;
      return {
        code: c,
        title: latest.title,
        domain: latest.domain,
        domainName: latest.domainName,
        points: values
          .filter((v) => v.code === c)
          .flatMap((v) => {
            const span = spans.find((s) => spanCovers(s, v.period));
            if (!span) return [];
            const rule = ruleAt(c, v.period);
            const applicable = v.denominator > 0 && rule !== null;
            const pooled = networkRates.get(`${span.network}|${c}`)?.get(v.period);
            return [
              {
                period: v.period,
                network: span.network,
                numerator: v.numerator,
                denominator: v.denominator,
                rate: rateOf(v.numerator, v.denominator),
                networkRate: pooled?.rate ?? null,
                atOrAboveNetwork:
                  v.denominator > 0 && pooled && pooled.denominator > 0
                    ? compareFraction(
                        { num: v.numerator, den: v.denominator },
                        { num: pooled.numerator, den: pooled.denominator },
                      ) >= 0
                    : null,
                targetBp: rule?.targetBp ?? null,
                met: applicable ? meetsTarget(v.numerator, v.denominator, rule.targetBp) : null,
                patientsNeeded: applicable ? patientsNeeded(v.numerator, v.denominator, rule.targetBp) : null,
              },
            ];
          }),
      };
    }),
  };
}
