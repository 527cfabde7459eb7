/** Reference data: networks, practices and memberships, and loading them from a practice-to-network listing. */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { ACCESS } from '../domain/access';
import { requireUser } from '../plugins/auth';
import { receiveUpload } from '../plugins/upload';
import {
  MembershipChangeSchema,
  NetworkRenameSchema,
  NewNetworkSchema,
  PracticeMembershipsSchema,
} from '../schemas/admin';
import { errorResponses } from '../schemas/common';
import {
  NetworkSchema,
  NetworksQuerySchema,
  ReferenceUploadAcceptedSchema,
  RejectedUploadSchema,
} from '../schemas/reference';
import { changeMembership, createNetwork, listNetworksFor, listPractices, renameNetworkTo } from '../services/networks';
import { uploadReference } from '../services/uploads';

const ADMIN = ACCESS.configure;
const NetworkResponse = Type.Object({ code: Type.String(), name: Type.String() });

const routes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/api/networks',
    {
      config: { access: ACCESS.signedIn },
      schema: {
        tags: ['reference'],
        summary: 'Networks and their member practices at a period (default: this month)',
        description:
          'A network manager sees their own network; a GP sees every network but practice names only for their own.',
        querystring: NetworksQuerySchema,
        response: { 200: Type.Array(NetworkSchema), ...errorResponses },
      },
    },
    async (request) => listNetworksFor(app, requireUser(request), request.query.period),
  );

  app.post(
    '/api/networks',
    {
      config: { access: ADMIN },
      schema: {
        tags: ['admin'],
        summary: 'Create a network',
        body: NewNetworkSchema,
        response: { 201: NetworkResponse, ...errorResponses },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await createNetwork(app, { user: requireUser(request), ip: request.ip }, request.body)),
  );

  app.patch(
    '/api/networks/:code',
    {
      config: { access: ADMIN },
      schema: {
        tags: ['admin'],
        summary: 'Rename a network',
        params: Type.Object({ code: Type.String() }),
        body: NetworkRenameSchema,
        response: { 200: NetworkResponse, ...errorResponses },
      },
    },
    async (request) =>
      renameNetworkTo(app, { user: requireUser(request), ip: request.ip }, request.params.code, request.body.name),
  );

  app.get(
    '/api/practices',
    {
      config: { access: ADMIN },
      schema: {
        tags: ['admin'],
        summary: 'Every practice with its membership history',
        response: { 200: Type.Array(PracticeMembershipsSchema), ...errorResponses },
      },
    },
    async () => listPractices(app),
  );

  app.post(
    '/api/memberships',
    {
      config: { access: ADMIN },
      schema: {
        tags: ['admin'],
        summary: 'Move a practice into a network (or out of every network, with networkCode null) from a month',
        body: MembershipChangeSchema,
        response: { 200: Type.Object({ result: Type.String() }), ...errorResponses },
      },
    },
    async (request) => changeMembership(app, { user: requireUser(request), ip: request.ip }, request.body),
  );

  app.post(
    '/api/reference/practices',
    {
      config: { access: ADMIN, receivesUpload: true },
      schema: {
        tags: ['reference'],
        summary: 'Set up networks, practices and memberships from a listing',
        description:
          "multipart/form-data with one `file` (the practice template or NHS Digital's practice-to-network mapping file) and optional `fromPeriod` (YYYY-MM), as a field or in the query string.",
        consumes: ['multipart/form-data'],
        querystring: Type.Object({ fromPeriod: Type.Optional(Type.String()) }),
        response: { 201: ReferenceUploadAcceptedSchema, 422: RejectedUploadSchema, ...errorResponses },
      },
    },
    async (request, reply) => {
      const receipt = await receiveUpload(request, reply, {
        dir: app.submissions.uploadDir,
        maxUploadBytes: app.config.maxUploadBytes,
      });
      const result = await uploadReference(
        app,
        { user: requireUser(request), ip: request.ip },
        receipt,
        request.query,
        request.id,
      );
      return reply.status(result.status === 'accepted' ? 201 : 422).send(result);
    },
  );
};
export default routes;
