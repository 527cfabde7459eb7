/** A network's standing at a period: meeting mode's opening slide ("14 of 22 met; 2 improving; 1 concern"). */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { ACCESS } from '../domain/access';
import { errorResponses } from '../schemas/common';
import { StandingQuerySchema, NetworkStandingSchema } from '../schemas/learning-loop';
import { standingFor } from '../services/learning-loop';

const routes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/api/standing',
    {
      // Network-level counts only, like the overview: every signed-in user sees every network's.
      config: { access: ACCESS.signedIn },
      schema: {
        tags: ['learning set'],
        summary:
          "A network's standing at a period (default: the latest with figures): indicators met, and SPC charts ending on improvement or concern",
        querystring: StandingQuerySchema,
        response: { 200: NetworkStandingSchema, ...errorResponses },
      },
    },
    async (request) => standingFor(app, request.query.network, request.query.period),
  );
};
export default routes;
