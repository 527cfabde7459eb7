/** What the learning-set screens draw: monthly series with SPC, the overview grid, and a practice's own page. */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { latestPeriodWithData } from '../db/repositories/observations';
import { listNetworksAt } from '../db/repositories/reference';
import { listPeriodsWithData, loadAllIndicatorRules, loadMemberObservations, loadNetworkHistory, loadYearRules } from '../db/repositories/statements';
import type { SessionUser } from '../db/repositories/users';
import { domainStanding, meetsTarget, networkAttainment, patientsNeeded, rateOf } from '../domain/attainment';
import { addMonths, contractYearOf, spanCovers } from '../domain/periods';
import { networkSeries, ruleLookup } from '../domain/series';
import { ACCESS, maySeePractice, practicesShown, visibleNetworks } from '../domain/access';
import { forbidden, notFound } from '../plugins/errors';
import { requireUser } from '../plugins/auth';
import { requireNetworkView } from '../plugins/access';
import { errorResponses, PeriodSchema } from '../schemas/common';
import { overdueActionCounts } from '../services/learning-loop';
import { OverviewSchema, PracticePageSchema, SeriesQuerySchema, SeriesSchema, type Overview, type PracticePage, type Series } from '../schemas/dashboard';
import { rulesForPeriod } from './report-data';

export function buildSeries(app: FastifyInstance, user: SessionUser, networkCode: string, indicator?: string, recalculateFrom: string[] = []): Series {
  const showPractices = requireNetworkView(user, networkCode) === 'practices';
  const network = app.sqlite.prepare('SELECT code, name FROM networks WHERE code = ?').get(networkCode) as { code: string; name: string } | undefined;
  if (!network) throw notFound(`There is no network ${networkCode}.`);
  const rules = loadAllIndicatorRules(app.sqlite);
  const ruleAt = ruleLookup(rules);
  // Indicators in the latest year's catalogue order.
  const latestYear = rules.at(-1)?.year;
  const codes = rules.filter((r) => r.year === latestYear).map((r) => r.code).filter((c) => !indicator || c === indicator);
  if (indicator && codes.length === 0) throw notFound(`There is no indicator ${indicator} in the current catalogue.`);
  const periods = listPeriodsWithData(app.sqlite);
  const history = loadNetworkHistory(app.sqlite, networkCode, codes);
  return {
    network: network.code,
    networkName: network.name,
    indicators: codes.map((code) => {
      const latest = rules.find((r) => r.year === latestYear && r.code === code)!;
      const series = networkSeries(code, periods, history.spans, history.values, (p) => ruleAt(code, p), { recalculateFrom, target: latest.targetBp / 10000 });
      const practices = showPractices
        ? [...new Map(history.spans.map((s) => [s.practiceCode, s.practiceName]))].map(([pc, name]) => ({
            code: pc,
            name,
            points: history.values
              .filter((v) => v.practiceCode === pc && v.indicatorCode === code && history.spans.some((s) => s.practiceCode === pc && spanCovers(s, v.period)))
              .map((v) => ({ period: v.period, numerator: v.numerator, denominator: v.denominator, rate: rateOf(v.numerator, v.denominator) })),
          }))
        : [];
      return {
        code, title: latest.title, domain: latest.domain, domainName: latest.domainName, targetBp: latest.targetBp, lowerBp: latest.lowerBp,
        variation: series.variation, assurance: series.assurance, spcPoints: series.spcPoints,
        periods: series.periods.map((p) => ({ ...p, missingPractices: practicesShown(user, network.code, p.missingPractices), missingCount: p.missingPractices.length, spc: p.spc && { mean: p.spc.mean, upperLimit: p.spc.upperLimit, lowerLimit: p.spc.lowerLimit, upperTwoSigma: p.spc.upperTwoSigma, lowerTwoSigma: p.spc.lowerTwoSigma, special: p.spc.special, side: p.spc.side, rules: p.spc.rules } })),
        practices,
      };
    }),
  };
}

async function buildOverview(app: FastifyInstance, user: SessionUser, requested?: string): Promise<Overview> {
  const period = requested ?? (await latestPeriodWithData(app.db));
  if (!period) throw notFound('No figures have been uploaded yet, so there is nothing to show.');
  const rules = await rulesForPeriod(app, period);
  // The period before, among those with data: the month before, or the quarter before for quarterly data.
  const withData = listPeriodsWithData(app.sqlite).filter((p) => p < period);
  const previous = withData.at(-1) ?? addMonths(period, -1);
  const hasPrevious = withData.length > 0;
  // Every network, or only those the user may see at all (a network manager: theirs).
  const scope = visibleNetworks(user);
  const only = scope?.length === 1 ? scope[0] : undefined;
  const inScope = <T extends { code: string }>(list: T[]) => (scope ? list.filter((n) => scope.includes(n.code)) : list);
  const [networks, previousNetworks] = await Promise.all([listNetworksAt(app.db, period, only).then(inScope), hasPrevious ? listNetworksAt(app.db, previous, only).then(inScope) : Promise.resolve([])]);
  const now = loadMemberObservations(app.sqlite, period, only);
  const before = hasPrevious ? loadMemberObservations(app.sqlite, previous, only) : new Map();
  // The period before may fall in a year that is not configured: then there is nothing to compare with.
  const previousRules = hasPrevious ? await loadYearRules(app.db, contractYearOf(previous)) : null;
  const overdueActions = await overdueActionCounts(app, user);
  return {
    period,
    previousPeriod: hasPrevious ? previous : null,
    contractYear: rules.code,
    networks: networks
      .filter((n) => n.practices.length > 0)
      .map((n) => {
        const attained = networkAttainment(rules.indicators, n.practices, now);
        const prevMembers = previousNetworks.find((p) => p.code === n.code)?.practices ?? [];
        const prev = previousRules && prevMembers.length ? networkAttainment(previousRules.indicators, prevMembers, before) : [];
        return {
          code: n.code,
          name: n.name,
          overdueActions: overdueActions(n.code),
          domains: rules.domains.map((d) => {
            const here = attained.filter((a) => a.domain === d.code);
            const there = prev.filter((a) => a.domain === d.code);
            const standing = domainStanding(here);
            const previousMet = there.length && there.every((a) => a.complete) ? domainStanding(there).met : null;
            return {
              code: d.code,
              name: d.name,
              ...standing,
              total: here.length,
              previousMet,
              indicators: here.map((a) => ({
                code: a.code, title: rules.titles.get(a.code) ?? a.code, rate: a.rate, targetBp: a.targetBp, state: a.state,
                previousRate: there.find((t) => t.code === a.code)?.rate ?? null,
                missingPractices: practicesShown(user, n.code, a.missingPractices), missingCount: a.missingPractices.length,
              })),
            };
          }),
        };
      }),
  };
}

function buildPracticePage(app: FastifyInstance, user: SessionUser, code: string): PracticePage {
  const practice = app.sqlite
    .prepare(
      `SELECT p.code, p.name, (SELECT list_size FROM list_sizes l WHERE l.practice_id = p.id ORDER BY period DESC LIMIT 1) AS listSize
       FROM practices p WHERE p.code = ?`,
    )
    .get(code.toUpperCase()) as { code: string; name: string; listSize: number | null } | undefined;
  if (!practice) throw notFound(`There is no practice ${code}.`);
  const spans = app.sqlite
    .prepare(`SELECT n.code AS network, n.name AS networkName, m.from_period AS fromPeriod, m.to_period AS toPeriod FROM memberships m JOIN networks n ON n.id = m.network_id JOIN practices p ON p.id = m.practice_id WHERE p.code = ? ORDER BY m.from_period`)
    .all(practice.code) as { network: string; networkName: string; fromPeriod: string; toPeriod: string | null }[];
  const current = spans.find((s) => s.toPeriod === null) ?? spans.at(-1) ?? null;
  if (!maySeePractice(user, current?.network ?? null)) {
    throw forbidden(`You can see the practices of ${user.networkCode ? `your own network (${user.networkCode})` : 'no network'} only.`);
  }
  const rules = loadAllIndicatorRules(app.sqlite);
  const ruleAt = ruleLookup(rules);
  const latestYear = rules.at(-1)?.year;
  const codes = rules.filter((r) => r.year === latestYear).map((r) => r.code);
  const periods = listPeriodsWithData(app.sqlite);
  // The network average at each month is the network the practice belonged to then.
  const networkRates = new Map<string, Map<string, number | null>>(); // `${network}|${code}` → period → rate
  for (const network of new Set(spans.map((s) => s.network))) {
    const history = loadNetworkHistory(app.sqlite, network, codes);
    for (const c of codes) {
      const series = networkSeries(c, periods, history.spans, history.values, (p) => ruleAt(c, p));
      networkRates.set(`${network}|${c}`, new Map(series.periods.map((p) => [p.period, p.rate])));
    }
  }
  const values = app.sqlite
    .prepare(`SELECT o.indicator_code AS code, o.period, o.numerator, o.denominator FROM observations o JOIN practices p ON p.id = o.practice_id WHERE p.code = ? AND o.superseded_by IS NULL ORDER BY o.period`)
    .all(practice.code) as { code: string; period: string; numerator: number; denominator: number }[];
  return {
    practice: { code: practice.code, name: practice.name, network: current?.network ?? null, networkName: current?.networkName ?? null, listSize: practice.listSize },
    indicators: codes.map((c) => {
      const latest = rules.find((r) => r.year === latestYear && r.code === c)!;
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
            return [{
              period: v.period, network: span.network, numerator: v.numerator, denominator: v.denominator, rate: rateOf(v.numerator, v.denominator),
              networkRate: networkRates.get(`${span.network}|${c}`)?.get(v.period) ?? null, targetBp: rule?.targetBp ?? null,
              met: applicable ? meetsTarget(v.numerator, v.denominator, rule.targetBp) : null,
              patientsNeeded: applicable ? patientsNeeded(v.numerator, v.denominator, rule.targetBp) : null,
            }];
          }),
      };
    }),
  };
}

const routes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/api/series', {
    config: { access: ACCESS.signedIn },
    schema: {
      tags: ['dashboard'],
      summary: "A network's monthly attainment of each indicator (or one) with the SPC analysis, the target and the practices' own series",
      querystring: SeriesQuerySchema,
      response: { 200: SeriesSchema, ...errorResponses },
    },
  }, async (request) => buildSeries(app, requireUser(request), request.query.network, request.query.indicator, request.query.recalculateFrom?.split(',') ?? []));

  app.get('/api/overview', {
    config: { access: ACCESS.signedIn },
    schema: {
      tags: ['dashboard'],
      summary: 'Every network (a network manager: theirs) × domain at a period: met, not met or incomplete, with the change since the month before',
      querystring: Type.Object({ period: Type.Optional(PeriodSchema) }),
      response: { 200: OverviewSchema, ...errorResponses },
    },
  }, async (request) => buildOverview(app, requireUser(request), request.query.period));

  app.get('/api/practices/:code/series', {
    config: { access: ACCESS.signedIn },
    schema: {
      tags: ['dashboard'],
      summary: "One practice's indicators over time, beside its network's average and the target",
      params: Type.Object({ code: Type.String({ minLength: 3, maxLength: 10 }) }),
      response: { 200: PracticePageSchema, ...errorResponses },
    },
  }, async (request) => buildPracticePage(app, requireUser(request), request.params.code));
};
export default routes;
