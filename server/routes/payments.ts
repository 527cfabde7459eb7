/** Payment statements: every network's statement for a contract year, its CSV, and signing a year off or reopening it. */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { ACCESS } from '../domain/access';
import { requireUser } from '../plugins/auth';
import { ContractYearCodeSchema, errorResponses } from '../schemas/common';
import {
  PaymentsListSchema,
  PaymentsQuerySchema,
  PaymentsSchema,
  ReopenBodySchema,
  SignOffBodySchema,
  WhatIfBodySchema,
  WhatIfSchema,
} from '../schemas/statements';
import { sendKeptJson } from '../plugins/kept-json';
import { paymentsCsv, paymentsJson, reopen, signOff } from '../services/statements';
import { whatIfFor } from '../services/what-if';

const READERS = ACCESS.payments;
const SIGNERS = ACCESS.signOff;
const YearParams = Type.Object({ year: ContractYearCodeSchema });

const routes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/api/payments',
    {
      config: { access: READERS },
      // The service builds exactly the fields of the schemas; JSON.stringify writes them in a fraction of the
      // time the schema-compiled serialiser takes (a national list is several MB).
      serializerCompiler: () => (data) => JSON.stringify(data),
      schema: {
        tags: ['payments'],
        summary:
          "The payment statements for a contract year (final at the year's last period, provisional before it): every network's in brief, or with network= one network's with all its evidence",
        querystring: PaymentsQuerySchema,
        response: { 200: Type.Union([PaymentsListSchema, PaymentsSchema]), ...errorResponses },
      },
    },
    async (request, reply) =>
      sendKeptJson(
        request,
        reply,
        await paymentsJson(app, requireUser(request), request.query, (v) => reply.serialize(v)),
      ),
  );

  app.get(
    '/api/payments.csv',
    {
      config: { access: READERS },
      schema: {
        tags: ['payments'],
        summary:
          'The payment statements as CSV, one row per network, domain and indicator (exact figures: payments are never suppressed)',
        querystring: PaymentsQuerySchema,
      },
    },
    async (request, reply) => {
      const { year, period, network } = request.query;
      const file = await paymentsCsv(app, requireUser(request), year, period, network);
      reply.header('content-type', 'text/csv; charset=utf-8');
      reply.header('content-disposition', `attachment; filename="${file.filename}"`);
      return file.csv;
    },
  );

  app.post(
    '/api/payments/what-if',
    {
      config: { access: READERS },
      schema: {
        tags: ['payments'],
        summary:
          "A network's statement at a period with patients added to indicators (network-wide or at one practice), by the same rules as the real one; nothing is saved",
        body: WhatIfBodySchema,
        response: { 200: WhatIfSchema, ...errorResponses },
      },
    },
    async (request) => whatIfFor(app, requireUser(request), request.body),
  );

  app.post(
    '/api/payments/:year/sign-off',
    {
      config: { access: SIGNERS },
      schema: {
        tags: ['payments'],
        summary: "Sign off a contract year's final statements: freezes them and locks the year's periods",
        params: YearParams,
        body: Type.Union([SignOffBodySchema, Type.Null()]),
        response: { 200: PaymentsSchema, ...errorResponses },
      },
    },
    async (request) =>
      signOff(app, { user: requireUser(request), ip: request.ip }, request.params.year, request.body?.overrideReason),
  );

  app.post(
    '/api/payments/:year/reopen',
    {
      config: { access: SIGNERS },
      schema: {
        tags: ['payments'],
        summary: 'Reopen a signed-off contract year so its figures can change again',
        params: YearParams,
        body: ReopenBodySchema,
        response: { 200: Type.Object({ year: ContractYearCodeSchema, locked: Type.Boolean() }), ...errorResponses },
      },
    },
    async (request) =>
      reopen(app, { user: requireUser(request), ip: request.ip }, request.params.year, request.body.reason),
  );
};
export default routes;
