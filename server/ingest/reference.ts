/**
 * A practice-to-network listing, end to end, as the upload worker runs it: check every row without writing,
 * then, in the worker's write turn, apply the whole file from `fromPeriod` in one transaction, or record it
 * as rejected (with at most the first `rejectedBytesMax` bytes of the file).
 */
import type { DbHandle } from '../db/database';
import { applyReferenceRecords, countMemberships, latestMembershipChange, ReferenceConflictError } from '../db/repositories/reference';
import { finishSubmission, storeSubmissionFile } from '../db/repositories/submissions';
import { listContractYears } from '../db/repositories/contract-years';
import { writeInTurn, type WriteTurn } from '../db/write-turn';
import { periodOfDate } from '../domain/periods';
import { ReferenceValidator } from '../domain/reference-file';
import type { ReferenceAccepted, ReferenceChangeCounts } from '../domain/upload-outcome';
import type { ValidationError } from '../domain/submission-layout';
import { readCsv } from './csv';
import { readFileStream, type RejectedOutcome, type SubmitContext } from './submit';

export type { ReferenceAccepted };

export interface ReferenceOptions {
  userId: number | null;
  username: string;
  filename: string;
  fromPeriod?: string;
  now: Date;
}

export async function submitReference(
  handle: DbHandle,
  file: string,
  options: ReferenceOptions,
  context: SubmitContext,
  turn: WriteTurn,
): Promise<ReferenceAccepted | RejectedOutcome> {
  const { db, sqlite } = handle;
  const id = context.submissionId;
  const validator = new ReferenceValidator();
  const read = await readCsv(readFileStream(file), {
    onHeader: (cells) => validator.header(cells),
    onRow: (cells, row) => validator.row(cells, row),
    onFileError: (message) => validator.fileError(message),
  });
  const { format, records, errors } = validator.finish();
  const finishedAt = () => new Date().toISOString();

  return writeInTurn(sqlite, turn, async (): Promise<ReferenceAccepted | RejectedOutcome> => {
    // With no memberships yet, a listing starts at the first contract year, so earlier months can be loaded.
    let fromPeriod = options.fromPeriod;
    if (!fromPeriod) {
      const years = await listContractYears(db);
      fromPeriod = (await countMemberships(db)) === 0 && years.length ? years[0]!.firstPeriod : periodOfDate(options.now);
    }
    const reject = (list: ValidationError[]): RejectedOutcome => {
      const storedBytes = storeSubmissionFile(sqlite, id, file, context.rejectedBytesMax);
      finishSubmission(sqlite, id, { status: 'rejected', sizeBytes: read.sizeBytes, storedBytes, sha256: read.sha256, format, summary: null, errors: list.slice(0, 1000), errorCount: list.length, finishedAt: finishedAt(), periodGiven: fromPeriod });
      return { id, status: 'rejected', format, errorCount: list.length, errors: list.slice(0, 1000) };
    };
    if (errors.length || !format) return reject(errors);
    const latest = await latestMembershipChange(db);
    if (latest && fromPeriod <= latest) {
      return reject([{ row: null, column: 'fromPeriod', value: fromPeriod, message: `memberships already change in ${latest}; give a fromPeriod after it, the month the changes in this file take effect` }]);
    }
    let result: ReferenceChangeCounts;
    try {
      result = applyReferenceRecords(sqlite, records, fromPeriod, format === 'nhs-mapping', options.now.toISOString());
    } catch (e) {
      if (e instanceof ReferenceConflictError) return reject([{ row: null, column: 'fromPeriod', value: fromPeriod, message: e.message }]);
      throw e;
    }
    const accepted: ReferenceAccepted = { id, status: 'accepted', format, fromPeriod, practices: records.length, ...result };
    const storedBytes = storeSubmissionFile(sqlite, id, file, Number.POSITIVE_INFINITY);
    finishSubmission(sqlite, id, { status: 'accepted', sizeBytes: read.sizeBytes, storedBytes, sha256: read.sha256, format, summary: accepted, errors: [], errorCount: 0, finishedAt: finishedAt(), periodGiven: fromPeriod });
    return accepted;
  });
}
