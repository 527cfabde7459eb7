/**
 * One upload of observations, end to end: keep the bytes, parse, validate every row, and only if the file
 * has no error write it in one transaction. Used by the upload route, the demo seeding and the importers.
 */
import type { DbHandle } from '../db/database';
import { listReferenceContractYears } from '../db/repositories/contract-years';
import { listMissingPractices, networksOfPractices, writeObservations } from '../db/repositories/observations';
import { listReferencePractices } from '../db/repositories/reference';
import { ChunkWriter, finishSubmission, insertSubmission, rejectPartialUpload } from '../db/repositories/submissions';
import { mayNamePracticesOf } from '../domain/access';
import { contractYearOf, periodOfDate } from '../domain/periods';
import { SubmissionValidator, type SkippedRows, type Uploader, type ValidationError } from '../domain/submission';
import type { SubmissionFormat } from '../domain/submission-layout';
import type { MissingPractice } from '../db/repositories/observations';
import { readCsv } from './csv';

export interface SubmitOptions {
  uploader: Uploader & { userId: number | null };
  filename: string;
  format?: SubmissionFormat;
  period?: string;
  now: Date;
  /** True when the transport cut the file short at its size limit (checked once the stream ends). */
  truncated?: () => boolean;
}

export interface AcceptedOutcome {
  id: number;
  status: 'accepted';
  format: SubmissionFormat;
  rows: number;
  observations: number;
  periods: string[];
  practices: number;
  indicators: number;
  inserted: number;
  superseded: number;
  unchanged: number;
  missing: MissingPractice[];
  skipped: SkippedRows[];
}

export interface RejectedOutcome {
  id: number;
  status: 'rejected';
  format: SubmissionFormat | null;
  errorCount: number;
  errors: ValidationError[];
  /** Signed-off contract years the file tried to change (the route answers 409 for these). */
  locked?: { year: string; lockedBy: string | null; lockedAt: string }[];
}

/** Thrown (after the rejection is recorded) when the upload stream ends in an error such as the size limit. */
export class UploadStreamError extends Error {
  constructor(readonly submissionId: number, override readonly cause: unknown) {
    super('upload stream failed');
  }
}

export class FileTooLargeError extends Error {
  readonly code = 'FST_REQ_FILE_TOO_LARGE';
  constructor() {
    super('file too large');
  }
}


export async function submitObservations(
  handle: DbHandle,
  source: AsyncIterable<Buffer | string>,
  options: SubmitOptions,
): Promise<AcceptedOutcome | RejectedOutcome> {
  const { db, sqlite } = handle;
  const [practices, contractYears] = await Promise.all([listReferencePractices(db), listReferenceContractYears(db)]);
  const validator = new SubmissionValidator(
    { practices, contractYears },
    { uploader: options.uploader, format: options.format, period: options.period, currentPeriod: periodOfDate(options.now) },
  );
  const id = insertSubmission(sqlite, {
    uploadedAt: options.now.toISOString(),
    userId: options.uploader.userId,
    uploader: options.uploader.username,
    kind: 'observations',
    filename: options.filename,
    periodGiven: options.period ?? null,
    format: options.format ?? null,
  });
  const chunks = new ChunkWriter(sqlite, id);
  let read;
  try {
    read = await readCsv(source, {
      onBytes: (bytes) => chunks.write(bytes),
      onHeader: (cells) => validator.header(cells),
      onRow: (cells, row) => validator.row(cells, row),
      onFileError: (message) => validator.fileError(message),
    });
    if (options.truncated?.()) throw new FileTooLargeError();
    chunks.flush();
  } catch (cause) {
    const tooLarge = cause instanceof FileTooLargeError || (cause as { code?: string }).code === 'FST_REQ_FILE_TOO_LARGE';
    rejectPartialUpload(sqlite, id, tooLarge ? 'the file is larger than the upload limit, so it was not read or kept; split it (for example one month per file)' : 'the upload stopped before the whole file arrived; upload it again');
    throw new UploadStreamError(id, cause);
  }
  const outcome = validator.finish();
  const finishedAt = () => new Date().toISOString();

  if (outcome.errorCount > 0 || outcome.format === null) {
    finishSubmission(sqlite, id, {
      status: 'rejected', sizeBytes: read.sizeBytes, sha256: read.sha256, format: outcome.format, summary: null,
      errors: outcome.errors, errorCount: outcome.errorCount, finishedAt: finishedAt(),
    });
    return { id, status: 'rejected', format: outcome.format, errorCount: outcome.errorCount, errors: outcome.errors, locked: outcome.locked };
  }

  const { batch } = outcome;
  const practiceIds = [...new Set(batch.practiceId.subarray(0, batch.length))];
  const periods = [...batch.periods].sort();
  const base = {
    id, status: 'accepted' as const, format: outcome.format, rows: outcome.records, observations: batch.length, periods,
    practices: practiceIds.length, indicators: batch.indicatorCodes.length, skipped: outcome.skipped,
  };

  // Sign-off may have happened while the file streamed in: check the locks again inside the transaction.
  const lockedYearOf = sqlite.prepare<[string], { locked_by: string | null; locked_at: string }>(
    'SELECT locked_by, locked_at FROM contract_years WHERE code = ? AND locked_at IS NOT NULL',
  );
  let lockError: ValidationError | null = null;
  let lockedYear: { year: string; lockedBy: string | null; lockedAt: string } | null = null;
  // The batch's practice ids were read from the practices table a moment ago and the submission row was written
  // above; nothing deletes either. Foreign-key checks would only repeat that for every row (a tenth of a
  // national upload), so they are off for this one synchronous transaction — no other request can run inside it.
  const withoutForeignKeyChecks = <T>(write: () => T): T => {
    sqlite.pragma('foreign_keys = OFF');
    try {
      return write();
    } finally {
      sqlite.pragma('foreign_keys = ON');
    }
  };
  const written = withoutForeignKeyChecks(sqlite.transaction(() => {
    for (const period of periods) {
      const lock = lockedYearOf.get(contractYearOf(period));
      if (lock) {
        lockedYear = { year: contractYearOf(period), lockedBy: lock.locked_by, lockedAt: lock.locked_at };
        lockError = { row: null, column: 'period', value: period, message: `period ${period} was locked by ${lock.locked_by ?? 'a commissioner'}'s sign-off while the file was being checked; a commissioner must reopen the year first` };
        return null;
      }
    }
    const result = writeObservations(sqlite, id, batch);
    finishSubmission(sqlite, id, {
      status: 'accepted', sizeBytes: read.sizeBytes, sha256: read.sha256, format: outcome.format,
      summary: { ...base, ...result, missing: [] }, errors: [], errorCount: 0, finishedAt: finishedAt(),
    });
    return result;
  }));
  if (!written) {
    const errors = [lockError!];
    finishSubmission(sqlite, id, { status: 'rejected', sizeBytes: read.sizeBytes, sha256: read.sha256, format: outcome.format, summary: null, errors, errorCount: 1, finishedAt: finishedAt() });
    return { id, status: 'rejected', format: outcome.format, errorCount: 1, errors, locked: lockedYear ? [lockedYear] : [] };
  }

  const networks = await networksOfPractices(db, practiceIds, periods);
  // Only practices the uploader may name: a practice that moved networks in the file's months can bring in another network.
  const missing = (await listMissingPractices(db, periods, networks)).filter((m) => mayNamePracticesOf(options.uploader, m.network));
  const accepted: AcceptedOutcome = { ...base, ...written, missing };
  sqlite.prepare('UPDATE submissions SET summary_json = ? WHERE id = ?').run(JSON.stringify(accepted), id);
  return accepted;
}
