/**
 * Sessions. A session is an opaque random id in an HttpOnly, SameSite=Strict cookie; the database keeps only
 * its SHA-256. Who may use a route is decided by plugins/access.ts from the route's declared access.
 */
import { createHash, randomBytes } from 'node:crypto';
import cookie from '@fastify/cookie';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { endSession, findLiveSession, insertSession, touchSession, type SessionUser } from '../db/repositories/users';
import { DomainError } from '../domain/errors';

export const SESSION_COOKIE = 'fd_session';

/** A route's declared access (the rule lives in server/domain/access.ts). */
export type { Access } from '../domain/access';

declare module 'fastify' {
  interface FastifyRequest {
    user: SessionUser | null;
    sessionHash: string | null;
  }
}

export interface AuthOptions {
  idleMinutes: number;
  absoluteHours: number;
  cookieSecure: boolean;
}

export function hashSessionId(id: string): string {
  return createHash('sha256').update(id).digest('hex');
}

export function requireUser(request: FastifyRequest): SessionUser {
  if (!request.user) throw new DomainError('not-signed-in', 'Sign in to use this.');
  return request.user;
}

export default fp(async function authPlugin(app: FastifyInstance, opts: AuthOptions) {
  await app.register(cookie);
  app.decorateRequest('user', null);
  app.decorateRequest('sessionHash', null);

  const cookieOptions = {
    path: '/',
    httpOnly: true,
    sameSite: 'strict' as const,
    secure: opts.cookieSecure,
  };

  app.decorate('startSession', async (request: FastifyRequest, reply: FastifyReply, userId: number) => {
    const id = randomBytes(32).toString('base64url');
    await insertSession(app.db, {
      idHash: hashSessionId(id),
      userId,
      now: app.now().toISOString(),
      ip: request.ip,
      userAgent: request.headers['user-agent']?.slice(0, 300) ?? null,
    });
    // Secure when configured, or whenever the request itself came over TLS (directly or, with TRUST_PROXY, via a proxy).
    reply.setCookie(SESSION_COOKIE, id, {
      ...cookieOptions,
      secure: opts.cookieSecure || request.protocol === 'https',
      maxAge: opts.absoluteHours * 3600,
    });
  });

  app.decorate('endSession', async (request: FastifyRequest, reply: FastifyReply) => {
    if (request.sessionHash) await endSession(app.db, request.sessionHash, app.now().toISOString());
    reply.clearCookie(SESSION_COOKIE, cookieOptions);
  });

  app.addHook('onRequest', async (request) => {
    const id = request.cookies[SESSION_COOKIE];
    if (!id) return;
    const idHash = hashSessionId(id);
    const session = await findLiveSession(app.db, idHash);
    if (!session) return;
    const now = app.now();
    const idleLimit = Date.parse(session.lastSeenAt) + opts.idleMinutes * 60_000;
    const absoluteLimit = Date.parse(session.createdAt) + opts.absoluteHours * 3_600_000;
    if (now.getTime() > idleLimit || now.getTime() > absoluteLimit) {
      // Closing the expired row is housekeeping: skipped while an upload is writing (it is refused either way).
      await app.writeGate.ifFree(() => endSession(app.db, idHash, now.toISOString()));
      return;
    }
    request.user = session.user;
    request.sessionHash = idHash;
    // Record activity at most once a minute, so reads do not all become writes; not while an upload is
    // writing (plugins/write-gate.ts): a later request records it.
    if (now.getTime() - Date.parse(session.lastSeenAt) > 60_000)
      await app.writeGate.ifFree(() => touchSession(app.db, idHash, now.toISOString()));
  });
});

declare module 'fastify' {
  interface FastifyInstance {
    startSession(request: FastifyRequest, reply: FastifyReply, userId: number): Promise<void>;
    endSession(request: FastifyRequest, reply: FastifyReply): Promise<void>;
  }
}
