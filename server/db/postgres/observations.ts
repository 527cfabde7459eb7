/**
 * The upload's bulk write on PostgreSQL: the validated batch goes to a temporary staging table with
 * `COPY … FROM STDIN` (pg-copy-streams, text format), then three set-based statements do what SQLite's
 * row-by-row write does: values equal to the current ones are left alone (and counted as unchanged), the
 * current values the file changes are superseded by this submission, and the staged values are inserted.
 * Everything runs in the upload's one transaction (db/postgres/pinned.ts): a rejected, failed or killed
 * upload leaves nothing behind, the staging table included (ON COMMIT DROP, and temporary tables die with
 * their session).
 */
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { from as copyFrom } from 'pg-copy-streams';
import type { Kysely } from 'kysely';
import type { ObservationBatch } from '../../domain/observation-batch';
import type { Database } from '../schema';
import { pgClientOf } from './pinned';

export interface PostgresWriteResult {
  inserted: number;
  superseded: number;
  unchanged: number;
}

/** COPY's text format: backslash, tab, newline and carriage return escaped; null is \N. */
function copyText(value: string): string {
  return /[\\\t\n\r]/.test(value)
    ? value.replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n').replace(/\r/g, '\\r')
    : value;
}

/** The batch as COPY text lines, about 256 KiB at a time. */
function* copyChunks(batch: ObservationBatch): Generator<string> {
  const periods = batch.periods.map(copyText);
  const indicators = batch.indicatorCodes.map(copyText);
  let chunk = '';
  for (let i = 0; i < batch.length; i++) {
    const exc = batch.exceptions[i] as number;
    chunk += `${batch.practiceId[i]}\t${indicators[batch.indicatorSlot[i] as number]}\t${periods[batch.periodSlot[i] as number]}\t${batch.numerator[i]}\t${batch.denominator[i]}\t${exc < 0 ? '\\N' : exc}\n`;
    if (chunk.length >= 256 * 1024) {
      yield chunk;
      chunk = '';
    }
  }
  if (chunk) yield chunk;
}

export async function writeObservationsPostgres(
  trx: Kysely<Database>,
  submissionId: number,
  batch: ObservationBatch,
): Promise<PostgresWriteResult> {
  const client = pgClientOf(trx);
  await client.query(
    `CREATE TEMPORARY TABLE observation_staging (
       practice_id bigint NOT NULL, indicator_code text NOT NULL, period text NOT NULL,
       numerator bigint NOT NULL, denominator bigint NOT NULL, exceptions bigint) ON COMMIT DROP`,
  );
  await pipeline(
    Readable.from(copyChunks(batch)),
    client.query(
      copyFrom(
        'COPY observation_staging (practice_id, indicator_code, period, numerator, denominator, exceptions) FROM STDIN',
      ),
    ),
  );
  // Values equal to the current ones change nothing: they leave the staging table first.
  const unchanged = await client.query(
    `DELETE FROM observation_staging s USING observations o
     WHERE o.superseded_by IS NULL AND o.practice_id = s.practice_id AND o.period = s.period
       AND o.indicator_code = s.indicator_code AND o.numerator = s.numerator AND o.denominator = s.denominator
       AND o.exceptions IS NOT DISTINCT FROM s.exceptions`,
  );
  const superseded = await client.query(
    `UPDATE observations o SET superseded_by = $1
     FROM observation_staging s
     WHERE o.superseded_by IS NULL AND o.practice_id = s.practice_id AND o.period = s.period
       AND o.indicator_code = s.indicator_code`,
    [submissionId],
  );
  const inserted = await client.query(
    `INSERT INTO observations (submission_id, practice_id, indicator_code, period, numerator, denominator, exceptions)
     SELECT $1, practice_id, indicator_code, period, numerator, denominator, exceptions FROM observation_staging`,
    [submissionId],
  );
  await client.query(
    `INSERT INTO submission_periods (period, submission_id) SELECT unnest($1::text[]), $2 ON CONFLICT DO NOTHING`,
    [batch.periods, submissionId],
  );
  await client.query('DROP TABLE observation_staging');
  return {
    inserted: inserted.rowCount ?? 0,
    superseded: superseded.rowCount ?? 0,
    unchanged: unchanged.rowCount ?? 0,
  };
}
