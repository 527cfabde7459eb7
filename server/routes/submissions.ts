import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Readable } from 'node:stream';
import { Type } from 'typebox';
import { appendAudit } from '../db/repositories/audit';
import { listIndicators } from '../db/repositories/contract-years';
import { latestPeriodWithData, listMissingPractices } from '../db/repositories/observations';
import { listNetworksAt } from '../db/repositories/reference';
import { findSubmission, listSubmissions, readSubmissionFile } from '../db/repositories/submissions';
import type { AuditAction } from '../domain/audit-actions';
import { ACCESS, mayNamePracticesOf, maySeeSubmission, submissionUploader, visibleNetworks, type Viewer } from '../domain/access';
import { addMonths, contractYearOf, isPeriod, periodOfDate } from '../domain/periods';
import type { UploadSummary } from '../domain/upload-outcome';
import { SUBMISSION_FORMATS, templateHeader, type SubmissionFormat } from '../domain/submission-layout';
import { SubmissionFailedError } from '../services/submission-worker';
import {DomainError, badRequest, forbidden, notFound } from '../plugins/errors';
import { requireUser } from '../plugins/auth';
import { errorResponses } from '../schemas/common';
import { RejectedUploadSchema } from '../schemas/reference';
import {
  AcceptedSubmissionSchema, FormatSchema, MissingQuerySchema, MissingResponseSchema, SubmissionDetailSchema, SubmissionSummarySchema, SubmissionUploadQuerySchema,
} from '../schemas/submissions';
import { receiveUpload, uploadFailedError } from './upload';

const UPLOADERS = ACCESS.upload;
const VIEWERS = ACCESS.submissions;

/**
 * A stored upload summary as the viewer may see it: its missing-practice list cut to the networks whose
 * practices they may name (summaries written before that rule held could name another network's).
 */
function visibleSummary<T extends { summary: UploadSummary | null }>(user: Viewer, s: T): T {
  const summary = s.summary;
  if (summary?.kind !== 'observations') return s;
  return { ...s, summary: { ...summary, missing: summary.missing.filter((m) => mayNamePracticesOf(user, m.network)) } };
}

/** Why none of an upload's file can be offered, or null when its bytes (all or the first part) are kept. */
function fileNotKept(s: { status: string; sizeBytes: number; storedBytes: number }): string | null {
  if (s.status === 'interrupted') return 'This upload stopped before the whole file arrived, so none of it was kept (part of a file is not the original). Upload the file again.';
  if (s.status === 'failed') return 'The server could not finish processing this upload, so none of it was kept. Upload the file again.';
  if (s.status === 'processing') return 'This file is still being processed; its bytes can be downloaded once it has been accepted or rejected.';
  if (s.storedBytes === 0 && s.sizeBytes > 0) return 'This file was over the upload limit, so none of it was read or kept.';
  return null;
}

const routes: FastifyPluginAsyncTypebox = async (app) => {
  app.post('/api/submissions', {
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
  }, async (request, reply) => {
    const user = requireUser(request);
    const upload = await receiveUpload(app, request, reply, user, 'observations');
    try {
      const period = upload.fields.period || request.query.period;
      const format = (upload.fields.format || request.query.format) as SubmissionFormat | undefined;
      if (period !== undefined && !isPeriod(period)) throw badRequest(`period "${period}" is not a month written YYYY-MM.`);
      if (format !== undefined && !SUBMISSION_FORMATS.includes(format)) throw badRequest(`format "${format}" is not one of ${SUBMISSION_FORMATS.join(', ')}.`);
      const audit = (action: AuditAction, detail: Record<string, unknown>) =>
        app.writeGate.shared(() => appendAudit(app.db, { at: app.now().toISOString(), userId: user.id, username: user.username, action, ip: request.ip, detail }));
      let result;
      try {
        result = await app.submissions.submitObservations(upload.path, {
          uploader: { userId: user.id, username: user.username, role: user.role, networkCode: user.networkCode },
          filename: upload.filename,
          format,
          period,
          now: app.now(),
        });
      } catch (e) {
        if (!(e instanceof SubmissionFailedError)) throw e;
        await audit('upload-failed', { submissionId: e.submissionId, filename: upload.filename });
        throw uploadFailedError(e.submissionId, request.id);
      }
      await audit(`upload-${result.status}`, result.status === 'accepted'
        ? { submissionId: result.id, filename: upload.filename, format: result.format, rows: result.rows, periods: result.periods, inserted: result.inserted, superseded: result.superseded }
        : { submissionId: result.id, filename: upload.filename, errorCount: result.errorCount });
      if (result.status === 'rejected' && result.locked?.length) {
        const lock = result.locked[0]!;
        throw new DomainError('period-locked',
          `This file has figures for contract year ${lock.year}, which ${lock.lockedBy ?? 'a commissioner'} signed off on ${lock.lockedAt.slice(0, 10)}, so nothing was saved. A commissioner can reopen the year on the Payments screen; or remove that year's rows and upload again.`,
          [{ submissionId: result.id, errorCount: result.errorCount, errors: result.errors }],
        );
      }
      const { locked: _locked, ...body } = result as typeof result & { locked?: unknown };
      return reply.status(result.status === 'accepted' ? 201 : 422).send(body);
    } finally {
      await upload.discard();
    }
  });

  app.get('/api/submissions', {
    config: { access: VIEWERS },
    schema: {
      tags: ['submissions'],
      summary: 'Uploaded files, newest first (a network manager sees their own)',
      querystring: Type.Object({ limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500 })) }),
      response: { 200: Type.Array(SubmissionSummarySchema), ...errorResponses },
    },
  }, async (request) => {
    const user = requireUser(request);
    const uploader = submissionUploader(user);
    if (uploader === 'none') return [];
    return (await listSubmissions(app.db, { limit: request.query.limit ?? 100, userId: uploader ?? undefined })).map((s) => visibleSummary(user, s));
  });

  const loadVisible = async (id: number, user: ReturnType<typeof requireUser>) => {
    const s = await findSubmission(app.db, id);
    if (!s) throw notFound(`There is no submission ${id}.`);
    if (!maySeeSubmission(user, s)) throw forbidden('You can see only the files you uploaded.');
    return s;
  };

  app.get('/api/submissions/:id', {
    config: { access: VIEWERS },
    schema: {
      tags: ['submissions'],
      summary: 'One submission with its outcome and full error report',
      params: Type.Object({ id: Type.Integer({ minimum: 1 }) }),
      response: { 200: SubmissionDetailSchema, ...errorResponses },
    },
  }, async (request) => {
    const user = requireUser(request);
    const { userId: _omit, ...view } = await loadVisible(request.params.id, user);
    return visibleSummary(user, view);
  });

  app.get('/api/submissions/:id/file', {
    config: { access: VIEWERS },
    schema: {
      tags: ['submissions'],
      summary: 'The original bytes of an uploaded file',
      description: 'The whole file for an accepted upload; for a rejected one at most its first REJECTED_BYTES_MAX_MB (the name then says so). An interrupted or failed upload, or one over the size limit, kept none (404).',
      params: Type.Object({ id: Type.Integer({ minimum: 1 }) }),
    },
  }, async (request, reply) => {
    const s = await loadVisible(request.params.id, requireUser(request));
    const notKept = fileNotKept(s);
    if (notKept) throw new DomainError('file-not-kept', notKept);
    let name = s.filename;
    if (s.storedBytes < s.sizeBytes) {
      // Only the beginning of a large rejected file is kept: the name says it is not the whole file.
      const dot = name.lastIndexOf('.');
      const [stem, ext] = dot > 0 ? [name.slice(0, dot), name.slice(dot)] : [name, ''];
      name = `${stem}.first-${s.storedBytes}-of-${s.sizeBytes}-bytes${ext}`;
    }
    const safeName = name.replace(/[^\w.\- ]+/g, '_');
    reply.header('content-type', 'text/csv; charset=utf-8');
    reply.header('content-disposition', `attachment; filename="${safeName}"`);
    return reply.send(Readable.from(readSubmissionFile(app.sqlite, s.id)));
  });

  app.get('/api/submissions/missing', {
    config: { access: VIEWERS },
    schema: {
      tags: ['submissions'],
      summary: 'Member practices with no data yet for a period (default: the latest period with data)',
      querystring: MissingQuerySchema,
      response: { 200: MissingResponseSchema, ...errorResponses },
    },
  }, async (request) => {
    const user = requireUser(request);
    const period = request.query.period ?? (await latestPeriodWithData(app.db));
    if (!period) return { period: null, missing: [] };
    const networks = visibleNetworks(user) ?? undefined;
    const missing = await listMissingPractices(app.db, [period], networks);
    return { period, missing: missing.filter((m) => mayNamePracticesOf(user, m.network)) };
  });

  app.get('/api/templates/:format', {
    config: { access: UPLOADERS },
    schema: {
      tags: ['submissions'],
      summary: 'A CSV template for an upload layout, pre-filled with your network’s practices for the last full month',
      params: Type.Object({ format: FormatSchema }),
    },
  }, async (request, reply) => {
    const user = requireUser(request);
    const { format } = request.params;
    const period = addMonths(periodOfDate(app.now()), -1);
    const indicators = (await listIndicators(app.db, contractYearOf(period))) ?? [];
    const codes = indicators.map((i) => i.code);
    const networks = user.networkCode ? await listNetworksAt(app.db, period, user.networkCode) : [];
    const practices = networks.flatMap((n) => n.practices.map((p) => p.code));
    const lines = [templateHeader(format, codes).join(',')];
    if (format === 'long') for (const p of practices) for (const c of codes) lines.push(`${period},${p},${c},,,`);
    if (format === 'wide') for (const p of practices) lines.push([period, p, ...codes.flatMap(() => ['', '', ''])].join(','));
    reply.header('content-type', 'text/csv; charset=utf-8');
    reply.header('content-disposition', `attachment; filename="template-${format}${user.networkCode ? `-${user.networkCode}` : ''}.csv"`);
    return lines.join('\r\n') + '\r\n';
  });
};

export default routes;
