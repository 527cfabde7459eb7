/** The overview: every network (a network manager: theirs) × domain at a period. */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { ACCESS } from '../domain/access';
import { requireUser } from '../plugins/auth';
import { errorResponses } from '../schemas/common';
import { OverviewQuerySchema, OverviewSchema } from '../schemas/dashboard';
import { sendKeptJson } from '../plugins/kept-json';
import { jsonBytesItemByItem } from '../services/figures-cache';
import { overviewJson } from '../services/overview';

const routes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/api/overview',
    {
      config: { access: ACCESS.signedIn },
      // Every network's grid is ~7 MB of JSON: JSON.stringify writes it in a third of the time the
      // schema-compiled serialiser takes (the body itself network by network, straight to UTF-8). The schema
      // still documents the response; services/overview.ts builds exactly its fields, in its order.
      serializerCompiler: () => (data) => JSON.stringify(data),
      schema: {
        tags: ['dashboard'],
        summary:
          'Every network (a network manager: theirs) × domain at a period: met, not met or incomplete, with the change since the month before',
        querystring: OverviewQuerySchema,
        response: { 200: OverviewSchema, ...errorResponses },
      },
    },
    async (request, reply) =>
      sendKeptJson(
        request,
        reply,
        await overviewJson(app, requireUser(request), request.query.period, (v) =>
          jsonBytesItemByItem(v as Record<string, unknown>, 'networks'),
        ),
      ),
  );
};
export default routes;
