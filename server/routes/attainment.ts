import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { latestPeriodWithData } from '../db/repositories/observations';
import { toCsv, type Cell } from '../domain/csv-export';
import { exportRate, publishFigures } from '../domain/suppression';
import { domainStanding } from '../domain/attainment';
import { funnelPlot } from '../domain/funnel';
import { ACCESS, practicesShown } from '../domain/access';
import { notFound } from '../plugins/errors';
import { requireUser } from '../plugins/auth';
import { requireNetworkView } from '../plugins/access';
import { errorResponses } from '../schemas/common';
import { AttainmentQuerySchema, AttainmentSchema, type Attainment } from '../schemas/statements';
import type { SessionUser } from '../db/repositories/users';
import type { FastifyInstance } from 'fastify';
import { attainmentFor } from './report-data';

async function buildAttainment(app: FastifyInstance, user: SessionUser, networkCode: string, requested?: string): Promise<Attainment> {
  const practices = requireNetworkView(user, networkCode) === 'practices';
  const period = requested ?? (await latestPeriodWithData(app.db));
  if (!period) throw notFound('No figures have been uploaded yet, so there is no attainment to show.');
  const { rules, network, indicators } = await attainmentFor(app, networkCode, period);
  const domainNames = new Map(rules.domains.map((d) => [d.code, d.name]));
  return {
    network: network.code,
    networkName: network.name,
    period,
    contractYear: rules.code,
    domains: rules.domains.map((d) => {
      const here = indicators.filter((i) => i.domain === d.code);
      return { code: d.code, name: d.name, ...domainStanding(here), total: here.length };
    }),
    indicators: indicators.map((i) => ({
      ...i,
      domainName: domainNames.get(i.domain) ?? i.domain,
      title: rules.titles.get(i.code) ?? i.code,
      missingPractices: practicesShown(user, network.code, i.missingPractices),
      missingCount: i.missingPractices.length,
      practices: practices ? i.practices : [],
      funnel: practices && i.rate !== null ? funnelPlot(i.rate, i.practices) : null,
    })),
  };
}

const routes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/api/attainment', {
    config: { access: ACCESS.signedIn },
    schema: {
      tags: ['attainment'],
      summary: "A network's pooled attainment of every indicator at a period (default: the latest period with data)",
      querystring: AttainmentQuerySchema,
      response: { 200: AttainmentSchema, ...errorResponses },
    },
  }, async (request) => buildAttainment(app, requireUser(request), request.query.network, request.query.period));

  app.get('/api/attainment.csv', {
    config: { access: ACCESS.signedIn },
    schema: {
      tags: ['attainment'],
      summary: 'The attainment as CSV: one row per indicator and practice, then the network row',
      querystring: Type.Intersect([AttainmentQuerySchema, Type.Object({ suppress: Type.Optional(Type.Boolean({ description: 'Small-number suppression for exports that leave the network' })) })]),
    },
  }, async (request, reply) => {
    const a = await buildAttainment(app, requireUser(request), request.query.network, request.query.period);
    const suppress = request.query.suppress ?? false;
    // Exact figures, or as far as suppressed counts allow: the rate from the published counts, a standing only
    // where the published counts settle it, and no patients needed (SPEC section 8, domain/suppression.ts).
    const figures = (n: number | null, d: number | null, targetBp: number, status: string | null, needed: number | null, network: boolean): Cell[] => {
      if (n === null || d === null) return [n, d, null, targetBp, status, suppress ? null : needed];
      if (!suppress) return [n, d, exportRate(n, d), targetBp, status, needed];
      const p = publishFigures(n, d, targetBp);
      // A standing the counts decide becomes what the published counts settle; "incomplete" stays.
      const decided = status === 'met' || status === 'not met' || status === 'not-met';
      const standing = !decided ? status : network ? p.standing.replace(' ', '-') : p.standing;
      return [p.numerator, p.denominator, p.rate, targetBp, standing, null];
    };
    const rows = a.indicators.flatMap((i) => [
      ...i.practices.map((p) => [a.period, a.network, i.code, i.title, p.code, p.name, ...figures(p.numerator, p.denominator, i.targetBp, p.met === null ? null : p.met ? 'met' : 'not met', p.patientsNeeded, false)]),
      [a.period, a.network, i.code, i.title, 'NETWORK', a.networkName, ...figures(i.numerator, i.denominator, i.targetBp, i.state, i.patientsNeeded, true)],
    ]);
    reply.header('content-type', 'text/csv; charset=utf-8');
    reply.header('content-disposition', `attachment; filename="attainment-${a.network}-${a.period}${suppress ? '-suppressed' : ''}.csv"`);
    return toCsv(['period', 'network', 'indicator', 'title', 'practice', 'name', 'numerator', 'denominator', 'rate', 'target_bp', 'status', 'patients_needed'], rows);
  });
};
export default routes;
