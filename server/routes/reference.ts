import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { listIndicators } from '../db/repositories/contract-years';
import { listContractYearsFor } from '../services/contract-years';
import { latestPeriodWithData } from '../db/repositories/observations';
import { listNetworksAt } from '../db/repositories/reference';
import { listPeriodsWithData } from '../db/repositories/statements';
import { listUsers } from '../db/repositories/users';
import { appendAudit } from '../db/repositories/audit';
import { isDemoDatabase } from '../demo';
import type { AuditAction } from '../domain/audit-actions';
import { ACCESS, practicesShown, visibleNetworks } from '../domain/access';
import { SubmissionFailedError } from '../services/submission-worker';
import { isPeriod, periodFrequency, periodOfDate } from '../domain/periods';
import { badRequest, notFound } from '../plugins/errors';
import { requireUser } from '../plugins/auth';
import { ContractYearCodeSchema, errorResponses } from '../schemas/common';
import { ContractYearSchema, IndicatorSchema, NetworkSchema, NetworksQuerySchema, ReferenceUploadAcceptedSchema, RejectedUploadSchema, StatusSchema } from '../schemas/reference';
import { receiveUpload, uploadFailedError } from './upload';

const routes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/api/status', {
    config: { access: ACCESS.public },
    schema: { tags: ['reference'], summary: 'What this server holds: demo or real data, the current and latest periods', response: { 200: StatusSchema } },
  }, async () => {
    const periods = listPeriodsWithData(app.sqlite);
    const attribution = app.sqlite.prepare("SELECT value FROM settings WHERE key = 'attribution'").get() as { value: string } | undefined;
    return {
      demo: isDemoDatabase(app.dbHandle),
      currentPeriod: periodOfDate(app.now()),
      latestPeriod: await latestPeriodWithData(app.db),
      maxUploadBytes: app.config.maxUploadBytes,
      periods,
      frequency: periodFrequency(periods),
      attribution: attribution?.value ?? null,
      demoAccounts: (await listUsers(app.db)).filter((u) => u.isDemo && !u.disabled).map((u) => ({ username: u.username, role: u.role, networkCode: u.networkCode })),
    };
  });

  app.get('/api/networks', {
    config: { access: ACCESS.signedIn },
    schema: {
      tags: ['reference'],
      summary: 'Networks and their member practices at a period (default: this month)',
      description: 'A network manager sees their own network; a GP sees every network but practice names only for their own.',
      querystring: NetworksQuerySchema,
      response: { 200: Type.Array(NetworkSchema), ...errorResponses },
    },
  }, async (request) => {
    const user = requireUser(request);
    const period = request.query.period ?? periodOfDate(app.now());
    const scope = visibleNetworks(user);
    const networks = await listNetworksAt(app.db, period, scope?.length === 1 ? scope[0] : undefined);
    return networks.filter((n) => !scope || scope.includes(n.code)).map((n) => ({ ...n, practices: practicesShown(user, n.code, n.practices) }));
  });

  app.get('/api/contract-years', {
    config: { access: ACCESS.signedIn },
    schema: { tags: ['reference'], summary: 'Contract years and their payment rules, with what this user may do with each now', response: { 200: Type.Array(ContractYearSchema), ...errorResponses } },
  }, async (request) => listContractYearsFor(app, requireUser(request)));

  app.get('/api/contract-years/:code/indicators', {
    config: { access: ACCESS.signedIn },
    schema: {
      tags: ['reference'],
      summary: "A contract year's indicators, targets and thresholds",
      params: Type.Object({ code: ContractYearCodeSchema }),
      response: { 200: Type.Array(IndicatorSchema), ...errorResponses },
    },
  }, async (request) => {
    const list = await listIndicators(app.db, request.params.code);
    if (!list) throw notFound(`There is no contract year ${request.params.code}; GET /api/contract-years lists them.`);
    return list;
  });

  app.post('/api/reference/practices', {
    config: { access: ACCESS.configure, receivesUpload: true },
    schema: {
      tags: ['reference'],
      summary: 'Set up networks, practices and memberships from a listing',
      description: "multipart/form-data with one `file` (the practice template or NHS Digital's practice-to-network mapping file) and optional `fromPeriod` (YYYY-MM), as a field or in the query string.",
      consumes: ['multipart/form-data'],
      querystring: Type.Object({ fromPeriod: Type.Optional(Type.String()) }),
      response: { 201: ReferenceUploadAcceptedSchema, 422: RejectedUploadSchema, ...errorResponses },
    },
  }, async (request, reply) => {
    const user = requireUser(request);
    const upload = await receiveUpload(app, request, reply, user, 'reference');
    try {
      const fromPeriod = upload.fields.fromPeriod ?? request.query.fromPeriod;
      if (fromPeriod !== undefined && !isPeriod(fromPeriod)) throw badRequest(`fromPeriod "${fromPeriod}" is not a month written YYYY-MM.`);
      const audit = (action: AuditAction, detail: Record<string, unknown>) =>
        app.writeGate.shared(() => appendAudit(app.db, { at: app.now().toISOString(), userId: user.id, username: user.username, action, ip: request.ip, detail }));
      let result;
      try {
        result = await app.submissions.submitReference(upload.path, { userId: user.id, username: user.username, filename: upload.filename, fromPeriod, now: app.now() });
      } catch (e) {
        if (!(e instanceof SubmissionFailedError)) throw e;
        await audit('reference-failed', { submissionId: e.submissionId, filename: upload.filename });
        throw uploadFailedError(e.submissionId, request.id);
      }
      await audit(`reference-${result.status}`, { submissionId: result.id, filename: upload.filename, ...(result.status === 'accepted' ? { fromPeriod: result.fromPeriod, joined: result.joined, moved: result.moved, left: result.left } : { errorCount: result.errorCount }) });
      return reply.status(result.status === 'accepted' ? 201 : 422).send(result);
    } finally {
      await upload.discard();
    }
  });
};
export default routes;
