/** What this server holds: public, so the sign-in screen can show the demo accounts and the licence text. */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { ACCESS } from '../domain/access';
import { StatusSchema } from '../schemas/reference';
import { serverStatus } from '../services/status';

const routes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/api/status',
    {
      config: { access: ACCESS.public },
      schema: {
        tags: ['reference'],
        summary: 'What this server holds: demo or real data, the current and latest periods',
        response: { 200: StatusSchema },
      },
    },
    async () => serverStatus(app, app.config.maxUploadBytes),
  );
};
export default routes;
