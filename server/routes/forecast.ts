/** The year-end forecast of a network, and the money outlook per network for the overview. */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { ACCESS } from '../domain/access';
import { requireUser } from '../plugins/auth';
import { errorResponses } from '../schemas/common';
import { ForecastQuerySchema, ForecastSchema, OutlookQuerySchema, PaymentsOutlookSchema } from '../schemas/forecast';
import { forecastFor, paymentsOutlook } from '../services/forecast';

const routes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/api/forecast',
    {
      // Every role: the indicator part is network-level; the money only for those who see the network's payments.
      config: { access: ACCESS.signedIn },
      schema: {
        tags: ['payments'],
        summary:
          "A network's year-end forecast: each indicator's rate at the year's last period with its 80% interval and probability of meeting the target, and the expected payment with its 10th and 90th percentiles",
        querystring: ForecastQuerySchema,
        response: { 200: ForecastSchema, ...errorResponses },
      },
    },
    async (request) => forecastFor(app, requireUser(request), request.query),
  );

  app.get(
    '/api/payments/outlook',
    {
      config: { access: ACCESS.payments },
      schema: {
        tags: ['payments'],
        summary: 'Per network whose payments the viewer sees: earned so far, releasable and at risk',
        querystring: OutlookQuerySchema,
        response: { 200: PaymentsOutlookSchema, ...errorResponses },
      },
    },
    async (request) => paymentsOutlook(app, requireUser(request), request.query.year),
  );
};
export default routes;
