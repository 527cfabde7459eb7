/** Users and roles (admin). */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { ACCESS } from '../domain/access';
import { requireUser } from '../plugins/auth';
import { NewUserSchema, PasswordResetSchema, RoleInfoSchema, UserChangeSchema, UserSchema } from '../schemas/admin';
import { errorResponses } from '../schemas/common';
import { changeUser, createUser, listRoles, listUsers, resetPassword } from '../services/users';

const ADMIN = ACCESS.configure;
const IdParams = Type.Object({ id: Type.Integer() });

const routes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/api/roles',
    {
      config: { access: ADMIN },
      schema: {
        tags: ['admin'],
        summary: 'The roles a user can have: label, and whether the role belongs to one network',
        response: { 200: Type.Array(RoleInfoSchema), ...errorResponses },
      },
    },
    async () => listRoles(),
  );

  app.get(
    '/api/users',
    {
      config: { access: ADMIN },
      schema: { tags: ['admin'], summary: 'Users', response: { 200: Type.Array(UserSchema), ...errorResponses } },
    },
    async (request) => listUsers(app, { user: requireUser(request), ip: request.ip }),
  );

  app.post(
    '/api/users',
    {
      config: { access: ADMIN },
      schema: {
        tags: ['admin'],
        summary: 'Create a user',
        body: NewUserSchema,
        response: { 201: UserSchema, ...errorResponses },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await createUser(app, { user: requireUser(request), ip: request.ip }, request.body)),
  );

  app.patch(
    '/api/users/:id',
    {
      config: { access: ADMIN },
      schema: {
        tags: ['admin'],
        summary: "Change a user's role or network, or disable or enable them (ends their sessions)",
        params: IdParams,
        body: UserChangeSchema,
        response: { 200: UserSchema, ...errorResponses },
      },
    },
    async (request) => changeUser(app, { user: requireUser(request), ip: request.ip }, request.params.id, request.body),
  );

  app.post(
    '/api/users/:id/password',
    {
      config: { access: ADMIN },
      schema: {
        tags: ['admin'],
        summary: "Reset a user's password (ends their sessions)",
        params: IdParams,
        body: PasswordResetSchema,
        response: { 204: Type.Null(), ...errorResponses },
      },
    },
    async (request, reply) => {
      await resetPassword(
        app,
        { user: requireUser(request), ip: request.ip },
        request.params.id,
        request.body.password,
      );
      return reply.status(204).send(null);
    },
  );
};
export default routes;
