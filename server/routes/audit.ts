/** The audit log, and the actions it records. */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { ACCESS } from '../domain/access';
import { AuditActionSchema, AuditEntrySchema, AuditQuerySchema } from '../schemas/admin';
import { errorResponses } from '../schemas/common';
import { auditActions, auditEntries } from '../services/audit-log';

const routes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/api/audit',
    {
      config: { access: ACCESS.readAudit },
      schema: {
        tags: ['audit'],
        summary:
          'The audit log, newest first: sign-ins (failed too), uploads, sign-offs, reopenings, overrides, configuration and user changes',
        querystring: AuditQuerySchema,
        response: { 200: Type.Array(AuditEntrySchema), ...errorResponses },
      },
    },
    async (request) => auditEntries(app, request.query),
  );

  app.get(
    '/api/audit/actions',
    {
      config: { access: ACCESS.readAudit },
      schema: {
        tags: ['audit'],
        summary: 'Every action the audit log records, with its label (the values GET /api/audit filters by)',
        response: { 200: Type.Array(AuditActionSchema), ...errorResponses },
      },
    },
    async () => auditActions(),
  );
};
export default routes;
