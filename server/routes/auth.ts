import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { appendAudit, countFailedSignIns } from '../db/repositories/audit';
import { findUserByUsername } from '../db/repositories/users';
import { AppError } from '../plugins/errors';
import { requireUser } from '../plugins/auth';
import { LoginBodySchema, MeSchema } from '../schemas/auth';
import { ErrorSchema, errorResponses } from '../schemas/common';
import { verifyAgainstNothing, verifyPassword } from '../security/passwords';

/** Failed sign-ins allowed in a window, per username and per address, before sign-in is refused for a while. */
export const MAX_FAILURES_PER_USER = 5;
export const MAX_FAILURES_PER_ADDRESS = 20;
export const LOCKOUT_MINUTES = 15;

const routes: FastifyPluginAsyncTypebox = async (app) => {
  app.post('/api/auth/login', {
    config: { access: 'public' },
    schema: { tags: ['auth'], summary: 'Sign in', body: LoginBodySchema, response: { 200: MeSchema, 429: ErrorSchema, ...errorResponses } },
  }, async (request, reply) => {
    const { username, password } = request.body;
    const name = username.trim().toLowerCase().slice(0, 100);
    const now = app.now();
    const at = now.toISOString();
    const recent = await countFailedSignIns(app.db, new Date(now.getTime() - LOCKOUT_MINUTES * 60_000).toISOString(), name, request.ip);
    if (recent.byUser >= MAX_FAILURES_PER_USER || recent.byIp >= MAX_FAILURES_PER_ADDRESS) {
      await appendAudit(app.db, { at, userId: null, username: name, action: 'sign-in-throttled', ip: request.ip, detail: { failuresForUser: recent.byUser, failuresFromAddress: recent.byIp } });
      reply.header('retry-after', String(LOCKOUT_MINUTES * 60));
      throw new AppError(429, 'too-many-attempts', `Too many failed sign-ins ${recent.byUser >= MAX_FAILURES_PER_USER ? 'for this username' : 'from this address'}. Wait ${LOCKOUT_MINUTES} minutes and try again, or ask an admin to reset your password.`);
    }
    const user = await findUserByUsername(app.db, name);
    const ok = user && !user.disabled ? await verifyPassword(password, user.passwordHash) : await verifyAgainstNothing(password);
    if (!ok || !user) {
      await appendAudit(app.db, { at, userId: user?.id ?? null, username: name, action: 'sign-in-failed', ip: request.ip, detail: { reason: user?.disabled ? 'account disabled' : user ? 'wrong password' : 'unknown username' } });
      throw new AppError(401, 'sign-in-failed', 'That username and password do not match an active account. Check them and try again, or ask an admin to reset your password.');
    }
    await app.startSession(request, reply, user.id);
    await appendAudit(app.db, { at, userId: user.id, username: user.username, action: 'sign-in', ip: request.ip, detail: {} });
    return { username: user.username, role: user.role, networkCode: user.networkCode };
  });

  app.post('/api/auth/logout', {
    config: { access: 'public' },
    schema: { tags: ['auth'], summary: 'Sign out', response: { 204: Type.Null(), ...errorResponses } },
  }, async (request, reply) => {
    if (request.user) {
      await appendAudit(app.db, { at: app.now().toISOString(), userId: request.user.id, username: request.user.username, action: 'sign-out', ip: request.ip, detail: {} });
    }
    await app.endSession(request, reply);
    return reply.status(204).send(null);
  });

  app.get('/api/auth/me', {
    config: { access: 'signed-in' },
    schema: { tags: ['auth'], summary: 'The signed-in user', response: { 200: MeSchema, ...errorResponses } },
  }, async (request) => {
    const user = requireUser(request);
    return { username: user.username, role: user.role, networkCode: user.networkCode };
  });
};
export default routes;
