/** Uploads of figures: the upload itself, the list and one upload with its report and bytes, what is missing, and the templates. */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Readable } from 'node:stream';
import { Type } from 'typebox';
import { ACCESS } from '../domain/access';
import { requireUser } from '../plugins/auth';
import { receiveUpload } from '../plugins/upload';
import { errorResponses } from '../schemas/common';
import { RejectedUploadSchema } from '../schemas/reference';
import {
  AcceptedSubmissionSchema,
  FormatSchema,
  MissingQuerySchema,
  MissingResponseSchema,
  SubmissionDetailSchema,
  SubmissionSummarySchema,
  SubmissionUploadQuerySchema,
} from '../schemas/submissions';
import {
  missingPractices,
  submissionDetail,
  submissionFile,
  submissionsFor,
  uploadTemplate,
} from '../services/submissions';
import { uploadObservations } from '../services/uploads';

const UPLOADERS = ACCESS.upload;
const VIEWERS = ACCESS.submissions;
const IdParams = Type.Object({ id: Type.Integer({ minimum: 1 }) });

const routes: FastifyPluginAsyncTypebox = async (app) => {
  app.post(
    '/api/submissions',
    {
      config: { access: UPLOADERS, receivesUpload: true },
      schema: {
        tags: ['submissions'],
        summary: 'Upload a CSV file of practice figures',
        description:
          'multipart/form-data with one `file`, and optionally `period` (YYYY-MM, needed for the QOF file) and `format` (long, wide, qof or cover; detected from the header when absent), as fields or in the query string. The whole file is checked first; a file with any error is rejected whole (422) and changes nothing. A declared size over the limit is refused (413) before reading; an upload that stops before the whole file arrives is recorded as interrupted (400).',
        consumes: ['multipart/form-data'],
        querystring: SubmissionUploadQuerySchema,
        response: { 201: AcceptedSubmissionSchema, 422: RejectedUploadSchema, ...errorResponses },
      },
    },
    async (request, reply) => {
      const receipt = await receiveUpload(request, reply, {
        dir: app.submissions.uploadDir,
        maxUploadBytes: app.config.maxUploadBytes,
      });
      const result = await uploadObservations(
        app,
        { user: requireUser(request), ip: request.ip },
        receipt,
        request.query,
        request.id,
      );
      return reply.status(result.status === 'accepted' ? 201 : 422).send(result);
    },
  );

  app.get(
    '/api/submissions',
    {
      config: { access: VIEWERS },
      schema: {
        tags: ['submissions'],
        summary: 'Uploaded files, newest first (a network manager sees their own)',
        querystring: Type.Object({ limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500 })) }),
        response: { 200: Type.Array(SubmissionSummarySchema), ...errorResponses },
      },
    },
    async (request) => submissionsFor(app, requireUser(request), request.query.limit),
  );

  app.get(
    '/api/submissions/:id',
    {
      config: { access: VIEWERS },
      schema: {
        tags: ['submissions'],
        summary: 'One submission with its outcome and full error report',
        params: IdParams,
        response: { 200: SubmissionDetailSchema, ...errorResponses },
      },
    },
    async (request) => submissionDetail(app, requireUser(request), request.params.id),
  );

  app.get(
    '/api/submissions/:id/file',
    {
      config: { access: VIEWERS },
      schema: {
        tags: ['submissions'],
        summary: 'The original bytes of an uploaded file',
        description:
          'The whole file for an accepted upload; for a rejected one at most its first REJECTED_BYTES_MAX_MB (the name then says so). An interrupted or failed upload, or one over the size limit, kept none (404).',
        params: IdParams,
      },
    },
    async (request, reply) => {
      const file = await submissionFile(app, requireUser(request), request.params.id);
      reply.header('content-type', 'text/csv; charset=utf-8');
      reply.header('content-disposition', `attachment; filename="${file.filename}"`);
      return reply.send(Readable.from(file.bytes));
    },
  );

  app.get(
    '/api/submissions/missing',
    {
      config: { access: VIEWERS },
      schema: {
        tags: ['submissions'],
        summary: 'Member practices with no data yet for a period (default: the latest period with data)',
        querystring: MissingQuerySchema,
        response: { 200: MissingResponseSchema, ...errorResponses },
      },
    },
    async (request) => missingPractices(app, requireUser(request), request.query.period),
  );

  app.get(
    '/api/templates/:format',
    {
      config: { access: UPLOADERS },
      schema: {
        tags: ['submissions'],
        summary:
          'A CSV template for an upload layout, pre-filled with your network’s practices for the last full month',
        params: Type.Object({ format: FormatSchema }),
      },
    },
    async (request, reply) => {
      const template = await uploadTemplate(app, requireUser(request), request.params.format);
      reply.header('content-type', 'text/csv; charset=utf-8');
      reply.header('content-disposition', `attachment; filename="${template.filename}"`);
      return template.csv;
    },
  );
};

export default routes;
