/** Submissions: one row per uploaded file, its original bytes in chunks, its outcome and report. */
import { isPostgres, poolOf, type Db } from '../database';
import { uploadLeasesOf, whenUploadAbandoned } from '../postgres/upload-leases';
import type { SubmissionStatus } from '../schema';
import type { ValidationError } from '../../domain/submission-layout';
import { storedUploadSummary, type UploadSummary } from '../../domain/upload-outcome';

export interface NewSubmission {
  uploadedAt: string;
  userId: number | null;
  uploader: string;
  kind: 'observations' | 'reference';
  filename: string;
  periodGiven: string | null;
  format: string | null;
}

export interface SubmissionView {
  id: number;
  uploadedAt: string;
  uploader: string;
  kind: 'observations' | 'reference';
  filename: string;
  sizeBytes: number;
  storedBytes: number;
  sha256: string | null;
  format: string | null;
  periodGiven: string | null;
  status: SubmissionStatus;
  errorCount: number;
  summary: UploadSummary | null;
  errors: ValidationError[];
  finishedAt: string | null;
}

/** A new submission, 'processing' until its worker finishes it. */
export async function insertSubmission(db: Db, s: NewSubmission): Promise<number> {
  const r = await db
    .insertInto('submissions')
    .values({
      uploaded_at: s.uploadedAt,
      user_id: s.userId,
      uploader: s.uploader,
      kind: s.kind,
      filename: s.filename,
      format: s.format,
      period_given: s.periodGiven,
      status: 'processing',
      size_bytes: 0,
      error_count: 0,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return r.id;
}

/**
 * An upload that ended before it could be processed: 'interrupted' when the file never fully arrived, or
 * 'rejected' when it was over the size limit. None of its bytes are kept (they are not the original file).
 */
export async function insertStoppedSubmission(
  db: Db,
  s: NewSubmission & { status: 'interrupted' | 'rejected'; receivedBytes: number; message: string; finishedAt: string },
): Promise<number> {
  const errors: ValidationError[] = [{ row: null, column: null, value: null, message: s.message }];
  const r = await db
    .insertInto('submissions')
    .values({
      uploaded_at: s.uploadedAt,
      user_id: s.userId,
      uploader: s.uploader,
      kind: s.kind,
      filename: s.filename,
      format: s.format,
      period_given: s.periodGiven,
      status: s.status,
      size_bytes: s.receivedBytes,
      errors_json: JSON.stringify(errors),
      error_count: 1,
      finished_at: s.finishedAt,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return r.id;
}

/** One piece of a submission's original bytes (pieces are numbered from 0, in order). */
export async function insertSubmissionChunk(db: Db, submissionId: number, seq: number, bytes: Buffer): Promise<void> {
  await db.insertInto('submission_chunks').values({ submission_id: submissionId, seq, bytes }).execute();
}

export interface SubmissionFinish {
  status: 'accepted' | 'rejected';
  sizeBytes: number;
  storedBytes: number;
  sha256: string | null;
  format: string | null;
  summary: unknown;
  errors: ValidationError[];
  errorCount: number;
  finishedAt: string;
  /** The period the file was read for, when it was worked out while processing (a listing's fromPeriod). */
  periodGiven?: string;
}

export async function finishSubmission(db: Db, id: number, f: SubmissionFinish): Promise<void> {
  await db
    .updateTable('submissions')
    .set((eb) => ({
      status: f.status,
      size_bytes: f.sizeBytes,
      stored_bytes: f.storedBytes,
      sha256: f.sha256,
      format: f.format,
      summary_json: JSON.stringify(f.summary ?? null),
      errors_json: JSON.stringify(f.errors),
      error_count: f.errorCount,
      finished_at: f.finishedAt,
      period_given: f.periodGiven ?? eb.ref('period_given'),
    }))
    .where('id', '=', id)
    .execute();
}

/** A submission whose processing could not finish (its worker stopped): nothing of it was saved. */
export async function failSubmission(db: Db, id: number, message: string, finishedAt: string): Promise<void> {
  const errors: ValidationError[] = [{ row: null, column: null, value: null, message }];
  await db.transaction().execute(async (trx) => {
    await trx.deleteFrom('submission_chunks').where('submission_id', '=', id).execute();
    await trx
      .updateTable('submissions')
      .set({
        status: 'failed',
        stored_bytes: 0,
        errors_json: JSON.stringify(errors),
        error_count: 1,
        finished_at: finishedAt,
      })
      .where('id', '=', id)
      .where('status', '=', 'processing')
      .execute();
  });
}

/**
 * Marks a 'processing' submission as this instance's until the returned function is called. Only PostgreSQL,
 * where several instances may share the database, needs it (db/postgres/upload-leases.ts); on SQLite one
 * server owns the file and it does nothing.
 */
export async function holdSubmission(db: Db, id: number): Promise<() => Promise<void>> {
  if (!isPostgres(db)) return async () => undefined;
  return uploadLeasesOf(db, poolOf(db)).hold(id);
}

/**
 * Submissions left 'processing' by a server that stopped are closed as failed, so none is taken for data. On
 * PostgreSQL only those no live instance holds (holdSubmission): another instance's upload in progress is its own.
 */
export async function closeInterruptedSubmissions(db: Db, now: string): Promise<number> {
  const stale = await db.selectFrom('submissions').select('id').where('status', '=', 'processing').execute();
  const message =
    'the server stopped while it was processing this file, so nothing of it was saved; upload the file again';
  let closed = 0;
  for (const { id } of stale) {
    if (!isPostgres(db)) {
      await failSubmission(db, id, message, now);
      closed++;
    } else if (await whenUploadAbandoned(poolOf(db), id, () => failSubmission(db, id, message, now))) {
      closed++;
    }
  }
  return closed;
}

function toView(
  r: {
    id: number;
    uploaded_at: string;
    uploader: string;
    kind: 'observations' | 'reference';
    filename: string;
    size_bytes: number;
    stored_bytes: number;
    sha256: string | null;
    format: string | null;
    period_given: string | null;
    status: SubmissionStatus;
    error_count: number;
    summary_json: string | null;
    errors_json: string | null;
    finished_at: string | null;
  },
  withErrors: boolean,
): SubmissionView {
  return {
    id: r.id,
    uploadedAt: r.uploaded_at,
    uploader: r.uploader,
    kind: r.kind,
    filename: r.filename,
    sizeBytes: r.size_bytes,
    storedBytes: r.stored_bytes,
    sha256: r.sha256,
    format: r.format,
    periodGiven: r.period_given,
    status: r.status,
    errorCount: r.error_count,
    summary:
      r.status === 'accepted' && r.summary_json
        ? storedUploadSummary(r.kind, { id: r.id, periodGiven: r.period_given }, JSON.parse(r.summary_json))
        : null,
    errors: withErrors && r.errors_json ? (JSON.parse(r.errors_json) as ValidationError[]) : [],
    finishedAt: r.finished_at,
  };
}

const COLUMNS = [
  'id',
  'uploaded_at',
  'uploader',
  'kind',
  'filename',
  'size_bytes',
  'stored_bytes',
  'sha256',
  'format',
  'period_given',
  'status',
  'error_count',
  'summary_json',
  'errors_json',
  'finished_at',
] as const;

export async function listSubmissions(
  db: Db,
  options: { limit: number; userId?: number; uploaders?: string[] },
): Promise<SubmissionView[]> {
  let q = db
    .selectFrom('submissions')
    .select([...COLUMNS])
    .orderBy('id', 'desc')
    .limit(options.limit);
  if (options.userId !== undefined) q = q.where('user_id', '=', options.userId);
  const rows = await q.execute();
  return rows.map((r) => toView(r, false));
}

export async function findSubmission(db: Db, id: number): Promise<(SubmissionView & { userId: number | null }) | null> {
  const r = await db
    .selectFrom('submissions')
    .select([...COLUMNS, 'user_id'])
    .where('id', '=', id)
    .executeTakeFirst();
  return r ? { ...toView(r, true), userId: r.user_id } : null;
}

/**
 * The original bytes, chunk by chunk, in order. Each chunk is its own query (no open cursor), so other
 * requests can use the connection while a large file streams out.
 */
export async function* readSubmissionFile(db: Db, id: number): AsyncGenerator<Buffer> {
  const seqs = await db
    .selectFrom('submission_chunks')
    .select('seq')
    .where('submission_id', '=', id)
    .orderBy('seq')
    .execute();
  for (const { seq } of seqs) {
    const chunk = await db
      .selectFrom('submission_chunks')
      .select('bytes')
      .where('submission_id', '=', id)
      .where('seq', '=', seq)
      .executeTakeFirst();
    if (chunk) yield chunk.bytes;
  }
}
