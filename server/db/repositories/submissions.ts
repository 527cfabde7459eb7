/** Submissions: one row per uploaded file, its original bytes in chunks, its outcome and report. */
import { closeSync, openSync, readSync } from 'node:fs';
import type SQLite from 'better-sqlite3';
import type { Db } from '../database';
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
export function insertSubmission(sqlite: SQLite.Database, s: NewSubmission): number {
  return Number(
    sqlite
      .prepare(
        `INSERT INTO submissions (uploaded_at, user_id, uploader, kind, filename, format, period_given, status)
         VALUES (?, ?, ?, ?, ?, ?, ?, 'processing')`,
      )
      .run(s.uploadedAt, s.userId, s.uploader, s.kind, s.filename, s.format, s.periodGiven).lastInsertRowid,
  );
}

/**
 * An upload that ended before it could be processed: 'interrupted' when the file never fully arrived, or
 * 'rejected' when it was over the size limit. None of its bytes are kept (they are not the original file).
 */
export function insertStoppedSubmission(
  sqlite: SQLite.Database,
  s: NewSubmission & { status: 'interrupted' | 'rejected'; receivedBytes: number; message: string; finishedAt: string },
): number {
  const errors: ValidationError[] = [{ row: null, column: null, value: null, message: s.message }];
  return Number(
    sqlite
      .prepare(
        `INSERT INTO submissions (uploaded_at, user_id, uploader, kind, filename, format, period_given, status, size_bytes, errors_json, error_count, finished_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?)`,
      )
      .run(s.uploadedAt, s.userId, s.uploader, s.kind, s.filename, s.format, s.periodGiven, s.status, s.receivedBytes, JSON.stringify(errors), s.finishedAt).lastInsertRowid,
  );
}

/** Pieces the stored bytes are written in: no upload is held whole in memory. */
const CHUNK_BYTES = 4 * 1024 * 1024;

/**
 * Keeps the first `maxBytes` of a file (all of it when it is shorter) as the submission's original bytes,
 * a few megabytes per row. Returns how many bytes were kept.
 */
export function storeSubmissionFile(sqlite: SQLite.Database, submissionId: number, file: string, maxBytes: number): number {
  const insert = sqlite.prepare('INSERT INTO submission_chunks (submission_id, seq, bytes) VALUES (?, ?, ?)');
  const fd = openSync(file, 'r');
  try {
    const buffer = Buffer.allocUnsafe(CHUNK_BYTES);
    let stored = 0;
    for (let seq = 0; stored < maxBytes; seq++) {
      const read = readSync(fd, buffer, 0, Math.min(CHUNK_BYTES, maxBytes - stored), stored);
      if (read === 0) break;
      insert.run(submissionId, seq, buffer.subarray(0, read));
      stored += read;
    }
    return stored;
  } finally {
    closeSync(fd);
  }
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

export function finishSubmission(sqlite: SQLite.Database, id: number, f: SubmissionFinish): void {
  sqlite
    .prepare(
      `UPDATE submissions SET status = ?, size_bytes = ?, stored_bytes = ?, sha256 = ?, format = ?, summary_json = ?, errors_json = ?,
         error_count = ?, finished_at = ?, period_given = coalesce(?, period_given) WHERE id = ?`,
    )
    .run(f.status, f.sizeBytes, f.storedBytes, f.sha256, f.format, JSON.stringify(f.summary ?? null), JSON.stringify(f.errors), f.errorCount, f.finishedAt, f.periodGiven ?? null, id);
}

/** A submission whose processing could not finish (its worker stopped): nothing of it was saved. */
export function failSubmission(sqlite: SQLite.Database, id: number, message: string, finishedAt: string): void {
  const errors: ValidationError[] = [{ row: null, column: null, value: null, message }];
  sqlite.transaction(() => {
    sqlite.prepare('DELETE FROM submission_chunks WHERE submission_id = ?').run(id);
    sqlite
      .prepare(`UPDATE submissions SET status = 'failed', stored_bytes = 0, errors_json = ?, error_count = 1, finished_at = ? WHERE id = ? AND status = 'processing'`)
      .run(JSON.stringify(errors), finishedAt, id);
  })();
}

/** Submissions left 'processing' by a server that stopped are closed as failed, so none is taken for data. */
export function closeInterruptedSubmissions(sqlite: SQLite.Database, now: string): number {
  const stale = sqlite.prepare<[], { id: number }>(`SELECT id FROM submissions WHERE status = 'processing'`).all();
  for (const { id } of stale) failSubmission(sqlite, id, 'the server stopped while it was processing this file, so nothing of it was saved; upload the file again', now);
  return stale.length;
}

function toView(r: {
  id: number; uploaded_at: string; uploader: string; kind: 'observations' | 'reference'; filename: string; size_bytes: number; stored_bytes: number;
  sha256: string | null; format: string | null; period_given: string | null; status: SubmissionStatus;
  error_count: number; summary_json: string | null; errors_json: string | null; finished_at: string | null;
}, withErrors: boolean): SubmissionView {
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
    summary: r.status === 'accepted' && r.summary_json ? storedUploadSummary(r.kind, { id: r.id, periodGiven: r.period_given }, JSON.parse(r.summary_json)) : null,
    errors: withErrors && r.errors_json ? (JSON.parse(r.errors_json) as ValidationError[]) : [],
    finishedAt: r.finished_at,
  };
}

const COLUMNS = ['id', 'uploaded_at', 'uploader', 'kind', 'filename', 'size_bytes', 'stored_bytes', 'sha256', 'format', 'period_given', 'status', 'error_count', 'summary_json', 'errors_json', 'finished_at'] as const;

export async function listSubmissions(db: Db, options: { limit: number; userId?: number; uploaders?: string[] }): Promise<SubmissionView[]> {
  let q = db.selectFrom('submissions').select([...COLUMNS]).orderBy('id', 'desc').limit(options.limit);
  if (options.userId !== undefined) q = q.where('user_id', '=', options.userId);
  const rows = await q.execute();
  return rows.map((r) => toView(r, false));
}

export async function findSubmission(db: Db, id: number): Promise<(SubmissionView & { userId: number | null }) | null> {
  const r = await db.selectFrom('submissions').select([...COLUMNS, 'user_id']).where('id', '=', id).executeTakeFirst();
  return r ? { ...toView(r, true), userId: r.user_id } : null;
}

/**
 * The original bytes, chunk by chunk, in order. Each chunk is its own query (no open iterator), so other
 * requests can use the connection while a large file streams out.
 */
export function* readSubmissionFile(sqlite: SQLite.Database, id: number): Generator<Buffer> {
  const seqs = sqlite.prepare<[number], { seq: number }>('SELECT seq FROM submission_chunks WHERE submission_id = ? ORDER BY seq').all(id);
  const chunk = sqlite.prepare<[number, number], { bytes: Buffer }>('SELECT bytes FROM submission_chunks WHERE submission_id = ? AND seq = ?');
  for (const { seq } of seqs) yield chunk.get(id, seq)!.bytes;
}
