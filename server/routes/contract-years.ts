/** Contract years: the list, a year's indicators, its full rules and contract values, and the admin's changes. */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { ACCESS } from '../domain/access';
import { requireUser } from '../plugins/auth';
import { ContractYearRulesSchema, NewContractYearSchema, RulesUpdateSchema } from '../schemas/admin';
import { ContractYearCodeSchema, errorResponses } from '../schemas/common';
import { ContractYearSchema, IndicatorSchema } from '../schemas/reference';
import {
  createContractYear,
  listContractYearsFor,
  listIndicatorsOf,
  rulesView,
  updateRules,
} from '../services/contract-years';

const CodeParams = Type.Object({ code: ContractYearCodeSchema });

const routes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/api/contract-years',
    {
      config: { access: ACCESS.signedIn },
      schema: {
        tags: ['reference'],
        summary: 'Contract years and their payment rules, with what this user may do with each now',
        response: { 200: Type.Array(ContractYearSchema), ...errorResponses },
      },
    },
    async (request) => listContractYearsFor(app, requireUser(request)),
  );

  app.get(
    '/api/contract-years/:code/indicators',
    {
      config: { access: ACCESS.signedIn },
      schema: {
        tags: ['reference'],
        summary: "A contract year's indicators, targets and thresholds",
        params: CodeParams,
        response: { 200: Type.Array(IndicatorSchema), ...errorResponses },
      },
    },
    async (request) => listIndicatorsOf(app, request.params.code),
  );

  app.get(
    '/api/contract-years/:code/rules',
    {
      config: { access: ACCESS.readRules },
      schema: {
        tags: ['admin'],
        summary: "A contract year's full rules and contract values",
        params: CodeParams,
        response: { 200: ContractYearRulesSchema, ...errorResponses },
      },
    },
    async (request) => rulesView(app, request.params.code),
  );

  app.post(
    '/api/contract-years',
    {
      config: { access: ACCESS.configure },
      schema: {
        tags: ['admin'],
        summary: 'Create a contract year, copying another year’s rules or from the default catalogue',
        body: NewContractYearSchema,
        response: { 201: ContractYearRulesSchema, ...errorResponses },
      },
    },
    async (request, reply) =>
      reply
        .status(201)
        .send(await createContractYear(app, { user: requireUser(request), ip: request.ip }, request.body)),
  );

  app.put(
    '/api/contract-years/:code/rules',
    {
      config: { access: ACCESS.configure },
      schema: {
        tags: ['admin'],
        summary:
          "Change a contract year's rules: shares, targets, thresholds, modes, weights, domain rule, contract values",
        params: CodeParams,
        body: RulesUpdateSchema,
        response: { 200: ContractYearRulesSchema, ...errorResponses },
      },
    },
    async (request) =>
      updateRules(app, { user: requireUser(request), ip: request.ip }, request.params.code, request.body),
  );
};
export default routes;
