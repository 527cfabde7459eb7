/**
 * API answers carry personal and money data, so no browser or proxy may keep them: every response to an
 * /api request is sent with `Cache-Control: no-store` (OWASP ASVS 8.2.1), errors included. Whether a
 * request is an API request is judged by the route that matched, or by the path when none did. The web
 * app's files set their own caching (plugins/spa.ts).
 */
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';

export default fp(async function cacheControlPlugin(app: FastifyInstance) {
  app.addHook('onSend', async (request, reply, payload) => {
    if ((request.routeOptions.url ?? request.url).startsWith('/api')) reply.header('cache-control', 'no-store');
    return payload;
  });
});
