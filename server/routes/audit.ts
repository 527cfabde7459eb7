import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { listAudit } from '../db/repositories/audit';
import { ACCESS } from '../domain/access';
import { errorResponses } from '../schemas/common';
import { AuditActionSchema, AuditEntrySchema, AuditQuerySchema } from '../schemas/admin';
import { auditActionList } from '../domain/audit-actions';

const routes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/api/audit', {
    config: { access: ACCESS.readAudit },
    schema: {
      tags: ['audit'],
      summary: 'The audit log, newest first: sign-ins (failed too), uploads, sign-offs, reopenings, overrides, configuration and user changes',
      querystring: AuditQuerySchema,
      response: { 200: Type.Array(AuditEntrySchema), ...errorResponses },
    },
  }, async (request) => {
    const { action, username, from, to, limit } = request.query;
    const dayAfter = (d: string) => new Date(Date.parse(`${d}T00:00:00Z`) + 86_400_000).toISOString();
    return listAudit(app.db, { limit: limit ?? 200, action, username, from: from ? `${from}T00:00:00.000Z` : undefined, to: to ? dayAfter(to) : undefined });
  });

  app.get('/api/audit/actions', {
    config: { access: ACCESS.readAudit },
    schema: {
      tags: ['audit'],
      summary: 'Every action the audit log records, with its label (the values GET /api/audit filters by)',
      response: { 200: Type.Array(AuditActionSchema), ...errorResponses },
    },
  }, async () => auditActionList());
};
export default routes;
