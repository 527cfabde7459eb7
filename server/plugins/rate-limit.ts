/**
 * A general limit on API requests per client, with @fastify/rate-limit: `apiRateLimit` requests per
 * `apiRateLimitWindowSeconds` for each signed-in user (all their sessions together, so a meeting room of
 * people behind one address each have their own allowance), and for each address on requests without a
 * session. Past it, 429 with Retry-After until the window ends. Pages and assets outside /api are not
 * counted. Failed sign-ins have their own, stricter limits (server/domain/sign-in-limits.ts).
 *
 * The check runs at preParsing, after the session is read (onRequest) and before a body is parsed.
 *
 * Counted in memory by one server on SQLite; with `shared` (several instances on one PostgreSQL database) in
 * the database, so a client's requests count together whichever instance answers them: one upsert per API
 * request (db/repositories/rate-limits.ts).
 */
import rateLimit, { type FastifyRateLimitStore, type FastifyRateLimitStoreCtor } from '@fastify/rate-limit';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { Db } from '../db/database';
import { countRateLimitHit, pruneRateLimitHits } from '../db/repositories/rate-limits';
import { DomainError } from '../domain/errors';

export interface RateLimitOptions {
  max: number;
  windowSeconds: number;
  /** Count in the database, shared by every instance using it. */
  shared?: boolean;
}

/** Requests counted between two clear-outs of ended windows, per instance. */
const PRUNE_EVERY = 1000;

/** A store of @fastify/rate-limit that counts in the database. */
function databaseStore(db: Db): FastifyRateLimitStoreCtor {
  let sincePrune = 0;
  class DatabaseStore implements FastifyRateLimitStore {
    incr(
      key: string,
      callback: (error: Error | null, result?: { current: number; ttl: number }) => void,
      timeWindow: number,
    ): void {
      const now = Date.now();
      countRateLimitHit(db, key, timeWindow, now).then(
        (count) => callback(null, count),
        (e: Error) => callback(e),
      );
      if (++sincePrune >= PRUNE_EVERY) {
        sincePrune = 0;
        pruneRateLimitHits(db, now - timeWindow).catch(() => undefined); // tidying only: the next prune retries
      }
    }
    child(): FastifyRateLimitStore {
      return new DatabaseStore();
    }
  }
  return DatabaseStore;
}

const isApi = (request: FastifyRequest) => (request.routeOptions.url ?? request.url).startsWith('/api');

export default fp(async function rateLimitPlugin(app: FastifyInstance, opts: RateLimitOptions) {
  if (opts.max === 0) return;
  await app.register(rateLimit, {
    global: true,
    hook: 'preParsing',
    max: opts.max,
    timeWindow: opts.windowSeconds * 1000,
    ...(opts.shared ? { store: databaseStore(app.db) } : {}),
    keyGenerator: (request) => (request.user ? `user:${request.user.id}` : `address:${request.ip}`),
    allowList: (request) => !isApi(request),
    errorResponseBuilder: (request, context) =>
      new DomainError(
        'too-many-requests',
        `Too many requests ${request.user ? 'from your account' : 'from this address'} in a short time (more than ${context.max} in ${opts.windowSeconds} seconds). Wait ${context.after} and try again; if this keeps happening, ask your administrator to raise API_RATE_LIMIT.`,
      ),
  });
});
