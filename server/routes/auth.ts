import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { appendAudit } from '../db/repositories/audit';
import { findUserByUsername } from '../db/repositories/users';
import { AppError } from '../plugins/errors';
import { requireUser } from '../plugins/auth';
import { LoginBodySchema, MeSchema } from '../schemas/auth';
import { errorResponses } from '../schemas/common';
import { verifyAgainstNothing, verifyPassword } from '../security/passwords';

const routes: FastifyPluginAsyncTypebox = async (app) => {
  app.post('/api/auth/login', {
    config: { access: 'public' },
    schema: { tags: ['auth'], summary: 'Sign in', body: LoginBodySchema, response: { 200: MeSchema, ...errorResponses } },
  }, async (request, reply) => {
    const { username, password } = request.body;
    const user = await findUserByUsername(app.db, username.trim());
    const ok = user && !user.disabled ? await verifyPassword(password, user.passwordHash) : await verifyAgainstNothing(password);
    const at = app.now().toISOString();
    if (!ok || !user) {
      await appendAudit(app.db, { at, userId: user?.id ?? null, username: username.trim().slice(0, 100), action: 'sign-in-failed', ip: request.ip, detail: { reason: user?.disabled ? 'disabled' : 'wrong username or password' } });
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
    schema: { tags: ['auth'], summary: 'The signed-in user', response: { 200: MeSchema, ...errorResponses } },
  }, async (request) => {
    const user = requireUser(request);
    return { username: user.username, role: user.role, networkCode: user.networkCode };
  });
};
export default routes;
