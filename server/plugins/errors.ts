/**
 * The one error handler: every failure leaves the API as {"error": {"code", "message", "details"}} with a
 * fitting status. Rules and services throw DomainError (server/domain/errors.ts) with a typed code, and
 * ERROR_STATUS below is the one place a code becomes a status. Messages say what to do next; 5xx bodies
 * carry a reference, never internals.
 */
import type { FastifyError, FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { DomainError, type ErrorCode } from '../domain/errors';

export { DomainError, badRequest, forbidden, notFound, type ErrorCode } from '../domain/errors';

export const ERROR_STATUS: Readonly<Record<ErrorCode, number>> = {
  'bad-request': 400,
  'weak-password': 400,
  'same-password': 400,
  'malformed-upload': 400,
  'upload-interrupted': 400,
  'not-signed-in': 401,
  'sign-in-failed': 401,
  forbidden: 403,
  'cross-site': 403,
  'wrong-password': 403,
  'not-found': 404,
  'file-not-kept': 404,
  'already-signed-off': 409,
  'year-not-ended': 409,
  incomplete: 409,
  'not-signed-off': 409,
  'period-locked': 409,
  'year-locked': 409,
  'year-exists': 409,
  'username-taken': 409,
  'own-account': 409,
  'last-admin': 409,
  'network-exists': 409,
  'membership-conflict': 409,
  'figures-changed': 409,
  'too-large': 413,
  'unsupported-media-type': 415,
  'invalid-rules': 422,
  'too-many-attempts': 429,
  'too-many-requests': 429,
  'upload-failed': 500,
  internal: 500,
};

export function errorBody(code: ErrorCode, message: string, details: unknown[] = []) {
  return { error: { code, message, details } };
}

export default fp(async function errorsPlugin(app: FastifyInstance) {
  app.setErrorHandler((err: FastifyError | DomainError, request, reply) => {
    if (err instanceof DomainError) {
      if (err.retryAfterSeconds !== null) reply.header('retry-after', String(err.retryAfterSeconds));
      return reply.status(ERROR_STATUS[err.code]).send(errorBody(err.code, err.message, err.details));
    }
    const fe = err;
    if (fe.validation) {
      const details = fe.validation.map((v) => ({
        where: fe.validationContext ?? null,
        path: v.instancePath || null,
        message: v.message ?? 'invalid',
      }));
      const first = details[0];
      const where = first ? `${first.where ?? 'request'}${first.path ? ` ${first.path}` : ''}` : 'request';
      const problem = first?.message ?? 'check it against the API document';
      return reply.status(400).send(errorBody('bad-request', `The ${where} is not valid: ${problem}.`, details));
    }
    if (fe.code === 'FST_REQ_FILE_TOO_LARGE' || fe.code === 'FST_ERR_CTP_BODY_TOO_LARGE' || fe.statusCode === 413) {
      const message =
        'The upload is larger than this server accepts; split the file (for example one month per file) or ask an admin to raise MAX_UPLOAD_MB.';
      return reply.status(413).send(errorBody('too-large', message));
    }
    if (fe.code === 'FST_INVALID_MULTIPART_CONTENT_TYPE' || fe.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') {
      const message = 'Send the file as multipart/form-data with the file in a field named "file".';
      return reply.status(415).send(errorBody('unsupported-media-type', message));
    }
    if (fe.statusCode === 429) {
      return reply.status(429).send(errorBody('too-many-requests', fe.message));
    }
    // Any other refusal from Fastify or a plugin keeps its own 4xx status (a malformed JSON body, say).
    if (typeof fe.statusCode === 'number' && fe.statusCode >= 400 && fe.statusCode < 500) {
      return reply.status(fe.statusCode).send(errorBody('bad-request', fe.message));
    }
    request.log.error({ err }, 'unhandled error');
    const message = `Something went wrong on the server. It has been logged; quote reference ${request.id} if you report it.`;
    return reply.status(500).send(errorBody('internal', message));
  });
});
