/**
 * A practice-to-network listing, end to end: keep the bytes, validate every row, and apply the whole file
 * from `fromPeriod` in one transaction, or reject it whole.
 */
import type { DbHandle } from '../db/database';
import { applyReferenceRecords, countMemberships, latestMembershipChange, ReferenceConflictError, type ReferenceApplyResult } from '../db/repositories/reference';
import { ChunkWriter, finishSubmission, insertSubmission, rejectPartialUpload } from '../db/repositories/submissions';
import { listContractYears } from '../db/repositories/contract-years';
import { periodOfDate } from '../domain/periods';
import { ReferenceValidator, type ReferenceFormat } from '../domain/reference-file';
import type { ValidationError } from '../domain/submission-layout';
import { readCsv } from './csv';
import { FileTooLargeError, UploadStreamError, type RejectedOutcome } from './submit';

export interface ReferenceAccepted extends ReferenceApplyResult {
  id: number;
  status: 'accepted';
  format: ReferenceFormat;
  fromPeriod: string;
  practices: number;
}

export async function submitReference(
  handle: DbHandle,
  source: AsyncIterable<Buffer | string>,
  options: { userId: number | null; username: string; filename: string; fromPeriod?: string; now: Date; truncated?: () => boolean },
): Promise<ReferenceAccepted | RejectedOutcome> {
  const { db, sqlite } = handle;
  // With no memberships yet, a listing starts at the first contract year, so earlier months can be loaded.
  let fromPeriod = options.fromPeriod;
  if (!fromPeriod) {
    const years = await listContractYears(db);
    fromPeriod = (await countMemberships(db)) === 0 && years.length ? years[0]!.firstPeriod : periodOfDate(options.now);
  }
  const id = insertSubmission(sqlite, {
    uploadedAt: options.now.toISOString(), userId: options.userId, uploader: options.username, kind: 'reference',
    filename: options.filename, periodGiven: fromPeriod, format: null,
  });
  const chunks = new ChunkWriter(sqlite, id);
  const validator = new ReferenceValidator();
  const read = await readCsv(source, {
    onBytes: (b) => chunks.write(b),
    onHeader: (cells) => validator.header(cells),
    onRow: (cells, row) => validator.row(cells, row),
    onFileError: (message) => validator.fileError(message),
  });
  chunks.flush();
  if (options.truncated?.()) {
    rejectPartialUpload(sqlite, id, 'the file is larger than the upload limit, so it was not read or kept');
    throw new UploadStreamError(id, new FileTooLargeError());
  }
  const { format, records, errors } = validator.finish();
  const reject = (list: ValidationError[]): RejectedOutcome => {
    finishSubmission(sqlite, id, { status: 'rejected', sizeBytes: read.sizeBytes, sha256: read.sha256, format, summary: null, errors: list.slice(0, 1000), errorCount: list.length, finishedAt: new Date().toISOString() });
    return { id, status: 'rejected', format: format as never, errorCount: list.length, errors: list.slice(0, 1000) };
  };
  if (errors.length || !format) return reject(errors);
  const latest = await latestMembershipChange(db);
  if (latest && fromPeriod <= latest) {
    return reject([{ row: null, column: 'fromPeriod', value: fromPeriod, message: `memberships already change in ${latest}; give a fromPeriod after it, the month the changes in this file take effect` }]);
  }
  let result: ReferenceApplyResult;
  try {
    result = applyReferenceRecords(sqlite, records, fromPeriod, format === 'nhs-mapping', options.now.toISOString());
  } catch (e) {
    if (e instanceof ReferenceConflictError) return reject([{ row: null, column: 'fromPeriod', value: fromPeriod, message: e.message }]);
    throw e;
  }
  const accepted: ReferenceAccepted = { id, status: 'accepted', format, fromPeriod, practices: records.length, ...result };
  finishSubmission(sqlite, id, { status: 'accepted', sizeBytes: read.sizeBytes, sha256: read.sha256, format, summary: accepted, errors: [], errorCount: 0, finishedAt: new Date().toISOString() });
  return accepted;
}
