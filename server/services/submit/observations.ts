/**
 * Submit a file of figures, end to end, as the upload worker runs it (services/submit/thread.ts): read and
 * check the whole file without writing anything (ingest/csv.ts parses, domain/submission validates against
 * the reference data loaded here), then, in the worker's write turn, write everything in one transaction:
 * for a file with no error its rows, its bytes and the accepted submission; otherwise only the rejected
 * submission, its report and at most the first `rejectedBytesMax` bytes of the file.
 */
import type { Db } from '../../db/database';
import { findYearLock, listReferenceContractYears } from '../../db/repositories/contract-years';
import { listReferencePractices } from '../../db/repositories/networks';
import { analyseAfterBulkLoad } from '../../db/repositories/maintenance';
import { listMissingPractices, networksOfPractices, writeObservations } from '../../db/repositories/observations';
import { finishSubmission } from '../../db/repositories/submissions';
import { writeInTurn, type WriteTurn } from '../../db/write-turn';
import { mayNamePracticesOf } from '../../domain/access';
import { contractYearOf, periodOfDate } from '../../domain/periods';
import { SubmissionValidator, type Uploader, type ValidationError } from '../../domain/submission';
import type { SubmissionFormat } from '../../domain/submission-layout';
import type { AcceptedOutcome, RejectedOutcome } from '../../domain/upload-outcome';
import { readCsv } from '../../ingest/csv';
import { readFileStream, storeSubmissionFile } from './stored-file';

/** New rows from one upload above which the planner's statistics are refreshed (maintenance.ts). */
const BULK_LOAD_ROWS = 10_000;

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

export async function submitObservations(
  db: Db,
  file: string,
  options: SubmitOptions,
  context: SubmitContext,
  turn: WriteTurn,
): Promise<AcceptedOutcome | RejectedOutcome> {
  const id = context.submissionId;
  const [practices, contractYears] = await Promise.all([listReferencePractices(db), listReferenceContractYears(db)]);
  const validator = new SubmissionValidator(
    { practices, contractYears },
    {
      uploader: options.uploader,
      format: options.format,
      period: options.period,
      currentPeriod: periodOfDate(options.now),
    },
  );
  const read = await readCsv(readFileStream(file), {
    onHeader: (cells) => validator.header(cells),
    onRow: (cells, row) => validator.row(cells, row),
    onFileError: (message) => validator.fileError(message),
  });
  const outcome = validator.finish();
  const finishedAt = () => new Date().toISOString();
  const reject = async (
    db: Db,
    format: SubmissionFormat | null,
    errors: ValidationError[],
    errorCount: number,
  ): Promise<void> => {
    const storedBytes = await storeSubmissionFile(db, id, file, context.rejectedBytesMax);
    await finishSubmission(db, id, {
      status: 'rejected',
      sizeBytes: read.sizeBytes,
      storedBytes,
      sha256: read.sha256,
      format,
      summary: null,
      errors,
      errorCount,
      finishedAt: finishedAt(),
    });
  };

  if (outcome.errorCount > 0 || outcome.format === null) {
    await writeInTurn(db, turn, (trx) => reject(trx, outcome.format, outcome.errors, outcome.errorCount));
    return {
      id,
      status: 'rejected',
      format: outcome.format,
      errorCount: outcome.errorCount,
      errors: outcome.errors,
      locked: outcome.locked,
    };
  }

  const { batch } = outcome;
  const format = outcome.format;
  const practiceIds = [...new Set(batch.practiceId.subarray(0, batch.length))];
  const periods = [...batch.periods].sort();
  const base = {
    id,
    status: 'accepted' as const,
    format,
    rows: outcome.records,
    observations: batch.length,
    periods,
    practices: practiceIds.length,
    indicators: batch.indicatorCodes.length,
    skipped: outcome.skipped,
  };

  // The batch's practice ids were read from the practices table a moment ago and nothing deletes practices;
  // foreign-key checks would only repeat that for every row (a tenth of a national upload), so they are off
  // for this one write, on this worker's own connection.
  return writeInTurn(
    db,
    turn,
    async (trx): Promise<AcceptedOutcome | RejectedOutcome> => {
      // A commissioner may have signed off a year while the file was being checked: the locks are read again
      // inside the write, where no sign-off can interleave.
      for (const period of periods) {
        const year = contractYearOf(period);
        const lock = await findYearLock(trx, year, { forUpdate: true });
        if (lock) {
          const by = lock.lockedBy ?? 'a commissioner';
          const message = `period ${period} was locked by ${by}'s sign-off while the file was being checked; a commissioner must reopen the year first`;
          const errors: ValidationError[] = [{ row: null, column: 'period', value: period, message }];
          await reject(trx, format, errors, 1);
          return {
            id,
            status: 'rejected',
            format,
            errorCount: 1,
            errors,
            locked: [{ year, lockedBy: lock.lockedBy, lockedAt: lock.lockedAt }],
          };
        }
      }
      const storedBytes = await storeSubmissionFile(trx, id, file, Number.POSITIVE_INFINITY);
      const written = await writeObservations(trx, id, batch);
      // A bulk load (a national file is 1.7 million rows) changes the tables' sizes enough to mislead the planner.
      if (written.inserted >= BULK_LOAD_ROWS) await analyseAfterBulkLoad(trx);
      const networks = await networksOfPractices(trx, practiceIds, periods);
      // Only practices the uploader may name: a practice that moved networks in the file's months can bring in another network.
      const missing = (await listMissingPractices(trx, periods, networks)).filter((m) =>
        mayNamePracticesOf(options.uploader, m.network),
      );
      const accepted: AcceptedOutcome = { ...base, ...written, missing };
      await finishSubmission(trx, id, {
        status: 'accepted',
        sizeBytes: read.sizeBytes,
        storedBytes,
        sha256: read.sha256,
        format,
        summary: accepted,
        errors: [],
        errorCount: 0,
        finishedAt: finishedAt(),
      });
      return accepted;
    },
    { foreignKeyChecks: false },
  );
}
