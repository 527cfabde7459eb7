/**
 * The one error handler: every failure leaves the API as {"error": {"code", "message", "details"}} with a
 * fitting status. Messages say what to do next; 5xx bodies carry a reference, never internals.
 */
import type { FastifyError, FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';

export class AppError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
    readonly details: unknown[] = [],
  ) {
    super(message);
  }
}

export const badRequest = (message: string, details: unknown[] = []) => new AppError(400, 'bad-request', message, details);
export const notFound = (message: string) => new AppError(404, 'not-found', message);
export const forbidden = (message: string) => new AppError(403, 'forbidden', message);
export const conflict = (code: string, message: string, details: unknown[] = []) => new AppError(409, code, message, details);

export function errorBody(code: string, message: string, details: unknown[] = []) {
  return { error: { code, message, details } };
}

export default fp(async function errorsPlugin(app: FastifyInstance) {
  app.setErrorHandler((err: FastifyError | AppError, request, reply) => {
    if (err instanceof AppError) {
      return reply.status(err.statusCode).send(errorBody(err.code, err.message, err.details));
    }
    const fe = err as FastifyError;
    if (fe.validation) {
      const details = fe.validation.map((v) => ({ where: fe.validationContext ?? null, path: v.instancePath || null, message: v.message ?? 'invalid' }));
      const first = details[0];
      const where = first ? `${first.where ?? 'request'}${first.path ? ` ${first.path}` : ''}` : 'request';
      return reply.status(400).send(errorBody('bad-request', `The ${where} is not valid: ${first?.message ?? 'check it against the API document'}.`, details));
    }
    if (fe.code === 'FST_REQ_FILE_TOO_LARGE' || fe.code === 'FST_ERR_CTP_BODY_TOO_LARGE' || fe.statusCode === 413) {
      return reply.status(413).send(errorBody('too-large', 'The upload is larger than this server accepts; split the file (for example one month per file) or ask an admin to raise MAX_UPLOAD_MB.'));
    }
    if (fe.code === 'FST_INVALID_MULTIPART_CONTENT_TYPE' || fe.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') {
      return reply.status(415).send(errorBody('unsupported-media-type', 'Send the file as multipart/form-data with the file in a field named "file".'));
    }
    if (fe.statusCode === 429) {
      return reply.status(429).send(errorBody('too-many-requests', fe.message));
    }
    if (typeof fe.statusCode === 'number' && fe.statusCode >= 400 && fe.statusCode < 500) {
      return reply.status(fe.statusCode).send(errorBody('bad-request', fe.message));
    }
    request.log.error({ err }, 'unhandled error');
    return reply.status(500).send(errorBody('internal', `Something went wrong on the server. It has been logged; quote reference ${request.id} if you report it.`));
  });

});
