/**
 * Receives a multipart upload for the two upload routes: its fields, and its one file, written as it arrives
 * to a temporary file that the upload worker then reads (services/submission-worker.ts). Memory stays small
 * whatever the file's size, and the request is fully received before the worker's turn comes.
 *
 * What can go wrong before the file is processed, and the answer:
 * - a declared size (Content-Length) over the limit: 413 before a byte is read, and the connection is closed;
 * - not multipart, no boundary, broken framing, a second file, no file: 400, nothing recorded;
 * - the file over the limit: 413, recorded as rejected (none of it kept);
 * - the file stops before it has all arrived (cut off, the client went away, the request timed out): recorded
 *   as interrupted, with the bytes that arrived counted but not kept (they are not the original), and 400.
 */
import { randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { appendAudit } from '../db/repositories/audit';
import type { SessionUser } from '../db/repositories/users';
import { isPeriod } from '../domain/periods';
import {DomainError, badRequest } from '../plugins/errors';

export interface ReceivedUpload {
  filename: string;
  fields: Record<string, string | undefined>;
  /** The received file; removed by `discard()`. */
  path: string;
  sizeBytes: number;
  discard(): Promise<void>;
}

/** Room for the multipart framing and the small fields around the file, on top of the file size limit. */
const MULTIPART_ALLOWANCE_BYTES = 64 * 1024;

/** The answer to a file over the size limit, naming the rejected submission kept for the record. */
export function tooLargeError(maxUploadBytes: number, submissionId?: number): DomainError {
  return new DomainError('too-large',
    `The file is larger than the ${Math.round(maxUploadBytes / 1048576)} MB upload limit; split it (for example one month per file) and upload the parts.`,
    submissionId === undefined ? [] : [{ submissionId }],
  );
}

/** The answer to an upload whose processing could not finish (its worker stopped). */
export function uploadFailedError(submissionId: number, requestId: string): DomainError {
  return new DomainError('upload-failed',
    `The server could not finish processing this file, so nothing of it was saved (submission ${submissionId} is recorded as failed). Upload it again; if it fails again, tell your administrator and quote reference ${requestId}.`,
    [{ submissionId }],
  );
}

class FileStopped extends Error {
  constructor(readonly reason: 'interrupted' | 'too-large', readonly filename: string, readonly receivedBytes: number) {
    super(reason);
  }
}

function malformed(detail: string): DomainError {
  return new DomainError('malformed-upload', `The upload is not a well-formed multipart/form-data form (${detail}); send the file in a field named "file" of a multipart/form-data request, as the Uploads screen does.`);
}

/**
 * Reads the parts of the request; the file goes to `dir`. Throws FileStopped once a file has begun and stops
 * short (with the file's bytes when it is over the limit, or the body's bytes that arrived when interrupted).
 */
async function readParts(request: FastifyRequest, dir: string): Promise<ReceivedUpload> {
  const fields: Record<string, string | undefined> = {};
  let received: ReceivedUpload | null = null;
  let current: { filename: string; path: string; bytes: number } | null = null;
  const parts = request.parts()[Symbol.asyncIterator]();
  // The first step pipes the request into the parser; from then on every byte that arrives is counted here
  // too, so an upload that stops short is recorded with what did arrive (the parser drops its buffered part).
  const first = parts.next();
  let bodyBytes = 0;
  request.raw.on('data', (chunk: Buffer) => (bodyBytes += chunk.length));
  try {
    for (let result = await first; !result.done; result = await parts.next()) {
      const part = result.value;
      if (part.type === 'field') {
        if (typeof part.value === 'string') fields[part.fieldname] = part.value;
        continue;
      }
      if (part.fieldname !== 'file') {
        part.file.resume();
        throw badRequest(`The file was sent in a field named "${part.fieldname}"; name the field "file".`);
      }
      const file = { filename: (part.filename || 'upload.csv').slice(0, 200), path: join(dir, `${randomUUID()}.upload`), bytes: 0 };
      current = file;
      await pipeline(
        part.file,
        async function* count(source: AsyncIterable<Buffer>) {
          for await (const chunk of source) {
            file.bytes += chunk.length;
            yield chunk;
          }
        },
        createWriteStream(file.path),
      );
      if (part.file.truncated) throw new FileStopped('too-large', file.filename, file.bytes);
      current = null;
      const path = file.path;
      received = { filename: file.filename, fields, path, sizeBytes: file.bytes, discard: () => rm(path, { force: true }) };
    }
  } catch (e) {
    void parts.return?.(undefined).catch(() => {});
    const pending = current;
    await Promise.all([pending && rm(pending.path, { force: true }), received?.discard()]);
    if (e instanceof DomainError || e instanceof FileStopped) throw e;
    const code = (e as { code?: string }).code;
    if (code === 'FST_REQ_FILE_TOO_LARGE') throw new FileStopped('too-large', pending?.filename ?? 'upload.csv', pending?.bytes ?? 0);
    // The file had begun and did not finish: the body was cut off, the client went away, or it timed out.
    if (pending) throw new FileStopped('interrupted', pending.filename, bodyBytes);
    if (code === 'FST_FILES_LIMIT') throw badRequest('The upload has more than one file; send one file per upload, in a field named "file".');
    if (code === 'FST_FIELDS_LIMIT' || code === 'FST_PARTS_LIMIT') throw badRequest('The upload has too many fields; send only "file" and, where needed, "period" and "format" (or "fromPeriod").');
    if (code === 'FST_MP_PREMATURE_CLOSE') throw new DomainError('upload-interrupted', 'The upload stopped before the file began to arrive; upload it again.');
    if (typeof code === 'string' && code.startsWith('FST_')) throw malformed((e as Error).message);
    throw malformed((e as Error).message || 'it could not be read');
  }
  if (!received) throw badRequest('The upload has no file; send it in a field named "file".');
  return received;
}

/**
 * Receives the file of an upload route. An upload that stops short is recorded (as interrupted, or as
 * rejected when over the limit) and audited, and answered with the error to throw.
 */
export async function receiveUpload(
  app: FastifyInstance,
  request: FastifyRequest,
  reply: FastifyReply,
  user: SessionUser,
  kind: 'observations' | 'reference',
): Promise<ReceivedUpload> {
  if (!request.isMultipart()) throw badRequest('Send the file as multipart/form-data, in a field named "file".');
  const limit = app.config.maxUploadBytes;
  const declared = Number(request.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit + MULTIPART_ALLOWANCE_BYTES) {
    // Refused before reading; closing the connection spares reading (and discarding) the rest of the body.
    reply.header('connection', 'close');
    throw tooLargeError(limit);
  }
  if (request.raw.destroyed) throw new DomainError('upload-interrupted', 'The upload stopped before the file began to arrive; upload it again.');
  try {
    return await readParts(request, app.submissions.uploadDir);
  } catch (e) {
    // The rest of the body may be unread: close the connection after answering rather than read it to discard it.
    reply.header('connection', 'close');
    if (!(e instanceof FileStopped)) throw e;
    const now = app.now().toISOString();
    const period = request.query && typeof (request.query as { period?: unknown }).period === 'string' ? (request.query as { period: string }).period : undefined;
    const tooLarge = e.reason === 'too-large';
    const submissionId = await app.submissions.recordStopped(
      { uploadedAt: now, userId: user.id, uploader: user.username, kind, filename: e.filename, periodGiven: period && isPeriod(period) ? period : null, format: null },
      {
        status: tooLarge ? 'rejected' : 'interrupted',
        receivedBytes: e.receivedBytes,
        finishedAt: now,
        message: tooLarge
          ? 'the file is larger than the upload limit, so it was not read or kept; split it (for example one month per file)'
          : `the upload stopped after ${e.receivedBytes} bytes of it had arrived (the connection was closed, cut off or timed out), so nothing of it was saved or kept; upload the file again`,
      },
    );
    const prefix = kind === 'observations' ? 'upload' : 'reference';
    const outcome = tooLarge ? 'rejected' : 'interrupted';
    await app.writeGate.shared(() =>
      appendAudit(app.db, { at: now, userId: user.id, username: user.username, action: `${prefix}-${outcome}` as const, ip: request.ip, detail: { submissionId, filename: e.filename, reason: e.reason, receivedBytes: e.receivedBytes } }),
    );
    if (tooLarge) throw tooLargeError(limit, submissionId);
    throw new DomainError('upload-interrupted', `The upload stopped before the whole file arrived, so nothing of it was saved (submission ${submissionId} is recorded as interrupted); upload the file again.`, [{ submissionId }]);
  }
}
