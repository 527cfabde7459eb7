/**
 * A general limit on API requests per client, with @fastify/rate-limit: `apiRateLimit` requests per
 * `apiRateLimitWindowSeconds` for each signed-in user (all their sessions together, so a meeting room of
 * people behind one address each have their own allowance), and for each address on requests without a
 * session. Past it, 429 with Retry-After until the window ends. Pages and assets outside /api are not
 * counted. Failed sign-ins have their own, stricter limits (server/domain/sign-in-limits.ts).
 *
 * The check runs at preParsing, after the session is read (onRequest) and before a body is parsed.
 */
import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { DomainError } from '../domain/errors';

export interface RateLimitOptions {
  max: number;
  windowSeconds: number;
}

const isApi = (request: FastifyRequest) => (request.routeOptions.url ?? request.url).startsWith('/api');

export default fp(async function rateLimitPlugin(app: FastifyInstance, opts: RateLimitOptions) {
  if (opts.max === 0) return;
  await app.register(rateLimit, {
    global: true,
    hook: 'preParsing',
    max: opts.max,
    timeWindow: opts.windowSeconds * 1000,
    keyGenerator: (request) => (request.user ? `user:${request.user.id}` : `address:${request.ip}`),
    allowList: (request) => !isApi(request),
    errorResponseBuilder: (request, context) =>
      new DomainError(
        'too-many-requests',
        `Too many requests ${request.user ? 'from your account' : 'from this address'} in a short time (more than ${context.max} in ${opts.windowSeconds} seconds). Wait ${context.after} and try again; if this keeps happening, ask your administrator to raise API_RATE_LIMIT.`,
      ),
  });
});
