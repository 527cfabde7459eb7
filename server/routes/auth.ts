/** Sign-in, sign-out, the signed-in user, the password rule, and a user's change of their own password. */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { ACCESS } from '../domain/access';
import { requireUser } from '../plugins/auth';
import { LoginBodySchema, MeSchema, PasswordChangeBodySchema, PasswordPolicySchema } from '../schemas/auth';
import { ErrorSchema, errorResponses } from '../schemas/common';
import { changeOwnPassword, describeUser, passwordPolicy, recordSignOut, signIn } from '../services/auth';

const routes: FastifyPluginAsyncTypebox = async (app) => {
  app.post(
    '/api/auth/login',
    {
      config: { access: ACCESS.public },
      schema: {
        tags: ['auth'],
        summary: 'Sign in',
        body: LoginBodySchema,
        response: { 200: MeSchema, 429: ErrorSchema, ...errorResponses },
      },
    },
    async (request, reply) => {
      const user = await signIn(app, request.body, request.ip);
      await app.startSession(request, reply, user.id);
      return describeUser(user);
    },
  );

  app.post(
    '/api/auth/logout',
    {
      config: { access: ACCESS.public },
      schema: { tags: ['auth'], summary: 'Sign out', response: { 204: Type.Null(), ...errorResponses } },
    },
    async (request, reply) => {
      if (request.user) await recordSignOut(app, { user: request.user, ip: request.ip });
      await app.endSession(request, reply);
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/api/auth/me',
    {
      config: { access: ACCESS.signedIn },
      schema: {
        tags: ['auth'],
        summary: 'The signed-in user, with what they may do',
        response: { 200: MeSchema, ...errorResponses },
      },
    },
    async (request) => describeUser(requireUser(request)),
  );

  app.get(
    '/api/auth/password-policy',
    {
      config: { access: ACCESS.signedIn },
      schema: {
        tags: ['auth'],
        summary: 'The rule every new password must meet',
        response: { 200: PasswordPolicySchema, ...errorResponses },
      },
    },
    async () => passwordPolicy(),
  );

  app.post(
    '/api/auth/password',
    {
      config: { access: ACCESS.signedIn },
      schema: {
        tags: ['auth'],
        summary: 'Change your own password (the current one is required); your other sessions end',
        body: PasswordChangeBodySchema,
        response: { 204: Type.Null(), 429: ErrorSchema, ...errorResponses },
      },
    },
    async (request, reply) => {
      await changeOwnPassword(app, { user: requireUser(request), ip: request.ip }, request.body, request.sessionHash);
      return reply.status(204).send(null);
    },
  );
};
export default routes;
