/**
 * One file of observations, end to end, as the upload worker runs it (services/submission-worker.ts): read and
 * check the whole file without writing anything, then, in the worker's write turn, write everything in one
 * transaction: for a file with no error its rows, its bytes and the accepted submission; otherwise only the
 * rejected submission, its report and at most the first `rejectedBytesMax` bytes of the file.
 */
import { createReadStream } from 'node:fs';
import type { DbHandle } from '../db/database';
import { listReferenceContractYears } from '../db/repositories/contract-years';
import { listMissingPractices, networksOfPractices, writeObservations } from '../db/repositories/observations';
import { listReferencePractices } from '../db/repositories/reference';
import { finishSubmission, storeSubmissionFile } from '../db/repositories/submissions';
import { writeInTurn, type WriteTurn } from '../db/write-turn';
import { mayNamePracticesOf } from '../domain/access';
import { contractYearOf, periodOfDate } from '../domain/periods';
import { SubmissionValidator, type Uploader, type ValidationError } from '../domain/submission';
import type { SubmissionFormat } from '../domain/submission-layout';
import type { AcceptedOutcome, RejectedOutcome } from '../domain/upload-outcome';
import { readCsv } from './csv';

export interface SubmitOptions {
  uploader: Uploader & { userId: number | null };
  filename: string;
  format?: SubmissionFormat;
  period?: string;
  now: Date;
}

/** What the worker is given besides the file: the submission row it finishes and how much of a rejected file to keep. */
export interface SubmitContext {
  submissionId: number;
  rejectedBytesMax: number;
}

/**
 * Reads a file in 64 KiB pieces. Larger pieces are no faster (the parser is the slow part) and make the
 * worker's memory peak grow with the garbage each piece leaves (a national upload: 315 MB at 64 KiB,
 * 380 MB at 1 MiB).
 */
export function readFileStream(file: string) {
  return createReadStream(file, { highWaterMark: 64 * 1024 });
}

export type { AcceptedOutcome, RejectedOutcome };

export async function submitObservations(
  handle: DbHandle,
  file: string,
  options: SubmitOptions,
  context: SubmitContext,
  turn: WriteTurn,
): Promise<AcceptedOutcome | RejectedOutcome> {
  const { db, sqlite } = handle;
  const id = context.submissionId;
  const [practices, contractYears] = await Promise.all([listReferencePractices(db), listReferenceContractYears(db)]);
  const validator = new SubmissionValidator(
    { practices, contractYears },
    { uploader: options.uploader, format: options.format, period: options.period, currentPeriod: periodOfDate(options.now) },
  );
  const read = await readCsv(readFileStream(file), {
    onHeader: (cells) => validator.header(cells),
    onRow: (cells, row) => validator.row(cells, row),
    onFileError: (message) => validator.fileError(message),
  });
  const outcome = validator.finish();
  const finishedAt = () => new Date().toISOString();
  const reject = (format: SubmissionFormat | null, errors: ValidationError[], errorCount: number): void => {
    const storedBytes = storeSubmissionFile(sqlite, id, file, context.rejectedBytesMax);
    finishSubmission(sqlite, id, { status: 'rejected', sizeBytes: read.sizeBytes, storedBytes, sha256: read.sha256, format, summary: null, errors, errorCount, finishedAt: finishedAt() });
  };

  if (outcome.errorCount > 0 || outcome.format === null) {
    await writeInTurn(sqlite, turn, () => reject(outcome.format, outcome.errors, outcome.errorCount));
    return { id, status: 'rejected', format: outcome.format, errorCount: outcome.errorCount, errors: outcome.errors, locked: outcome.locked };
  }

  const { batch } = outcome;
  const format = outcome.format;
  const practiceIds = [...new Set(batch.practiceId.subarray(0, batch.length))];
  const periods = [...batch.periods].sort();
  const base = {
    id, status: 'accepted' as const, format, rows: outcome.records, observations: batch.length, periods,
    practices: practiceIds.length, indicators: batch.indicatorCodes.length, skipped: outcome.skipped,
  };

  // A commissioner may have signed off a year while the file was being checked: the locks are read again
  // inside the write, where no sign-off can interleave.
  const lockedYearOf = sqlite.prepare<[string], { locked_by: string | null; locked_at: string }>(
    'SELECT locked_by, locked_at FROM contract_years WHERE code = ? AND locked_at IS NOT NULL',
  );
  // The batch's practice ids were read from the practices table a moment ago and nothing deletes practices;
  // foreign-key checks would only repeat that for every row (a tenth of a national upload), so they are off
  // for this one write, on this worker's own connection.
  return writeInTurn(sqlite, turn, async (): Promise<AcceptedOutcome | RejectedOutcome> => {
    for (const period of periods) {
      const lock = lockedYearOf.get(contractYearOf(period));
      if (lock) {
        const year = contractYearOf(period);
        const errors: ValidationError[] = [{ row: null, column: 'period', value: period, message: `period ${period} was locked by ${lock.locked_by ?? 'a commissioner'}'s sign-off while the file was being checked; a commissioner must reopen the year first` }];
        reject(format, errors, 1);
        return { id, status: 'rejected', format, errorCount: 1, errors, locked: [{ year, lockedBy: lock.locked_by, lockedAt: lock.locked_at }] };
      }
    }
    const storedBytes = storeSubmissionFile(sqlite, id, file, Number.POSITIVE_INFINITY);
    const written = writeObservations(sqlite, id, batch);
    const networks = await networksOfPractices(db, practiceIds, periods);
    // Only practices the uploader may name: a practice that moved networks in the file's months can bring in another network.
    const missing = (await listMissingPractices(db, periods, networks)).filter((m) => mayNamePracticesOf(options.uploader, m.network));
    const accepted: AcceptedOutcome = { ...base, ...written, missing };
    finishSubmission(sqlite, id, {
      status: 'accepted', sizeBytes: read.sizeBytes, storedBytes, sha256: read.sha256, format, summary: accepted, errors: [], errorCount: 0, finishedAt: finishedAt(),
    });
    return accepted;
  }, { foreignKeyChecks: false });
}
