import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { latestPeriodWithData } from '../db/repositories/observations';
import { toCsv, suppressedCount, suppressedRate } from '../domain/csv-export';
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
  return {
    network: network.code,
    networkName: network.name,
    period,
    contractYear: rules.code,
    indicators: indicators.map((i) => ({
      ...i,
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
    const rows = a.indicators.flatMap((i) => [
      ...i.practices.map((p) => [a.period, a.network, i.code, i.title, p.code, p.name, suppressedCount(p.numerator, suppress), suppressedCount(p.denominator, suppress), suppressedRate(p.numerator, p.denominator, suppress), i.targetBp, p.met === null ? null : p.met ? 'met' : 'not met', suppress ? null : p.patientsNeeded]),
      [a.period, a.network, i.code, i.title, 'NETWORK', a.networkName, suppressedCount(i.numerator, suppress), suppressedCount(i.denominator, suppress), suppressedRate(i.numerator, i.denominator, suppress), i.targetBp, i.state, suppress ? null : i.patientsNeeded],
    ]);
    reply.header('content-type', 'text/csv; charset=utf-8');
    reply.header('content-disposition', `attachment; filename="attainment-${a.network}-${a.period}${suppress ? '-suppressed' : ''}.csv"`);
    return toCsv(['period', 'network', 'indicator', 'title', 'practice', 'name', 'numerator', 'denominator', 'rate', 'target_bp', 'status', 'patients_needed'], rows);
  });
};
export default routes;
