/**
 * Load the reference file (a practice-to-network listing), end to end, as the upload worker runs it: check
 * every row without writing (ingest/csv.ts parses, domain/reference-file.ts validates), then, in the worker's
 * write turn, plan the joins, moves and leaves from `fromPeriod` (domain/membership-plan.ts) and apply the
 * plan in one transaction, or record the file as rejected (with at most the first `rejectedBytesMax` bytes).
 */
import type { Db } from '../../db/database';
import { listContractYears } from '../../db/repositories/contract-years';
import { countMemberships, latestMembershipChange } from '../../db/repositories/networks';
import { applyReferencePlan, loadCurrentReference } from '../../db/repositories/reference-load';
import { finishSubmission } from '../../db/repositories/submissions';
import { writeInTurn, type WriteTurn } from '../../db/write-turn';
import { defaultListingStart, listingStartProblem, planReferenceLoad } from '../../domain/membership-plan';
import { periodOfDate } from '../../domain/periods';
import { ReferenceValidator } from '../../domain/reference-file';
import type { ValidationError } from '../../domain/submission-layout';
import type { ReferenceAccepted, RejectedOutcome } from '../../domain/upload-outcome';
import { readCsv } from '../../ingest/csv';
import type { SubmitContext } from './observations';
import { readFileStream, storeSubmissionFile } from './stored-file';

export interface ReferenceOptions {
  userId: number | null;
  username: string;
  filename: string;
  fromPeriod?: string;
  now: Date;
}

export async function submitReference(
  db: Db,
  file: string,
  options: ReferenceOptions,
  context: SubmitContext,
  turn: WriteTurn,
): Promise<ReferenceAccepted | RejectedOutcome> {
  const id = context.submissionId;
  const validator = new ReferenceValidator();
  const read = await readCsv(readFileStream(file), {
    onHeader: (cells) => validator.header(cells),
    onRow: (cells, row) => validator.row(cells, row),
    onFileError: (message) => validator.fileError(message),
  });
  const { format, records, errors } = validator.finish();
  const finishedAt = () => new Date().toISOString();

  return writeInTurn(db, turn, async (trx): Promise<ReferenceAccepted | RejectedOutcome> => {
    let fromPeriod = options.fromPeriod;
    if (!fromPeriod) {
      const [years, memberships] = await Promise.all([listContractYears(trx), countMemberships(trx)]);
      fromPeriod = defaultListingStart(memberships > 0, years[0]?.firstPeriod ?? null, periodOfDate(options.now));
    }
    const periodGiven = fromPeriod;
    const reject = async (list: ValidationError[]): Promise<RejectedOutcome> => {
      const storedBytes = await storeSubmissionFile(trx, id, file, context.rejectedBytesMax);
      const listed = list.slice(0, 1000);
      await finishSubmission(trx, id, {
        status: 'rejected',
        sizeBytes: read.sizeBytes,
        storedBytes,
        sha256: read.sha256,
        format,
        summary: null,
        errors: listed,
        errorCount: list.length,
        finishedAt: finishedAt(),
        periodGiven,
      });
      return { id, status: 'rejected', format, errorCount: list.length, errors: listed };
    };
    if (errors.length || !format) return reject(errors);
    const startProblem = listingStartProblem(fromPeriod, await latestMembershipChange(trx));
    if (startProblem) return reject([{ row: null, column: 'fromPeriod', value: fromPeriod, message: startProblem }]);
    const planned = planReferenceLoad(await loadCurrentReference(trx), records, fromPeriod, format === 'nhs-mapping');
    if (!planned.ok) return reject([{ row: null, column: 'fromPeriod', value: fromPeriod, message: planned.conflict }]);
    await applyReferencePlan(trx, planned.plan, fromPeriod, options.now.toISOString());
    const accepted: ReferenceAccepted = {
      id,
      status: 'accepted',
      format,
      fromPeriod,
      practices: records.length,
      ...planned.plan.counts,
    };
    const storedBytes = await storeSubmissionFile(trx, id, file, Number.POSITIVE_INFINITY);
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
      periodGiven,
    });
    return accepted;
  });
}
