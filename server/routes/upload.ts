/** Reads a multipart upload: the fields sent before the file, then the file as a stream. */
import type { FastifyRequest } from 'fastify';
import { AppError, badRequest } from '../plugins/errors';

export interface ReceivedUpload {
  filename: string;
  fields: Record<string, string | undefined>;
  file: AsyncIterable<Buffer>;
  /** True once the file stream has ended short at the size limit. */
  truncated: () => boolean;
}

/** The answer to an upload cut short at the size limit, naming the rejected submission kept for the record. */
export function tooLargeError(maxUploadBytes: number, submissionId: number): AppError {
  return new AppError(413, 'too-large', `The file is larger than the ${Math.round(maxUploadBytes / 1048576)} MB upload limit; split it (for example one month per file) and upload the parts.`, [{ submissionId }]);
}

export async function receiveUpload(request: FastifyRequest): Promise<ReceivedUpload> {
  if (!request.isMultipart()) throw badRequest('Send the file as multipart/form-data, in a field named "file".');
  const part = await request.file();
  if (!part) throw badRequest('The upload has no file; send it in a field named "file".');
  if (part.fieldname !== 'file') throw badRequest(`The file was sent in a field named "${part.fieldname}"; name the field "file".`);
  const fields: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries(part.fields)) {
    const field = Array.isArray(value) ? value[0] : value;
    if (field && field.type === 'field' && typeof field.value === 'string') fields[name] = field.value;
  }
  return { filename: (part.filename || 'upload.csv').slice(0, 200), fields, file: part.file, truncated: () => part.file.truncated };
}
