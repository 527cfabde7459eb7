/** The learning set: a network's attainment (and its CSV), the monthly series with SPC, and a practice's own page. */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { ACCESS } from '../domain/access';
import { requireUser } from '../plugins/auth';
import { errorResponses } from '../schemas/common';
import { PracticePageSchema, SeriesQuerySchema, SeriesSchema } from '../schemas/dashboard';
import { AttainmentQuerySchema, AttainmentSchema } from '../schemas/statements';
import { sendKeptJson } from '../plugins/kept-json';
import { attainmentCsv, attainmentJson, practicePage, seriesFor } from '../services/learning-set';

const routes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/api/attainment',
    {
      config: { access: ACCESS.signedIn },
      schema: {
        tags: ['attainment'],
        summary: "A network's pooled attainment of every indicator at a period (default: the latest period with data)",
        querystring: AttainmentQuerySchema,
        response: { 200: AttainmentSchema, ...errorResponses },
      },
    },
    async (request, reply) =>
      sendKeptJson(
        request,
        reply,
        await attainmentJson(app, requireUser(request), request.query.network, request.query.period, (v) =>
          reply.serialize(v),
        ),
      ),
  );

  app.get(
    '/api/attainment.csv',
    {
      config: { access: ACCESS.signedIn },
      schema: {
        tags: ['attainment'],
        summary: 'The attainment as CSV: one row per indicator and practice, then the network row',
        querystring: Type.Intersect([
          AttainmentQuerySchema,
          Type.Object({
            suppress: Type.Optional(
              Type.Boolean({ description: 'Small-number suppression for exports that leave the network' }),
            ),
          }),
        ]),
      },
    },
    async (request, reply) => {
      const file = await attainmentCsv(app, requireUser(request), request.query);
      reply.header('content-type', 'text/csv; charset=utf-8');
      reply.header('content-disposition', `attachment; filename="${file.filename}"`);
      return file.csv;
    },
  );

  app.get(
    '/api/series',
    {
      config: { access: ACCESS.signedIn },
      schema: {
        tags: ['dashboard'],
        summary:
          "A network's monthly attainment of each indicator (or one) with the SPC analysis, the target and the practices' own series",
        querystring: SeriesQuerySchema,
        response: { 200: SeriesSchema, ...errorResponses },
      },
    },
    async (request) => seriesFor(app, requireUser(request), request.query),
  );

  app.get(
    '/api/practices/:code/series',
    {
      config: { access: ACCESS.signedIn },
      schema: {
        tags: ['dashboard'],
        summary: "One practice's indicators over time, beside its network's average and the target",
        params: Type.Object({ code: Type.String({ minLength: 3, maxLength: 10 }) }),
        response: { 200: PracticePageSchema, ...errorResponses },
      },
    },
    async (request) => practicePage(app, requireUser(request), request.params.code),
  );
};
export default routes;
