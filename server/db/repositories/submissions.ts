/** Submissions: one row per uploaded file, its original bytes in chunks, its outcome and report. */
import type SQLite from 'better-sqlite3';
import type { Db } from '../database';
import type { ValidationError } from '../../domain/submission-layout';

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
  sha256: string | null;
  format: string | null;
  periodGiven: string | null;
  status: 'processing' | 'accepted' | 'rejected';
  errorCount: number;
  summary: unknown;
  errors: ValidationError[];
  finishedAt: string | null;
}

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

/** Keeps the original bytes as they stream in, a few megabytes per row, so no upload is held whole. */
export class ChunkWriter {
  private seq = 0;
  private parts: Buffer[] = [];
  private size = 0;
  private readonly insert: SQLite.Statement;
  constructor(sqlite: SQLite.Database, private readonly submissionId: number, private readonly flushBytes = 4 * 1024 * 1024) {
    this.insert = sqlite.prepare('INSERT INTO submission_chunks (submission_id, seq, bytes) VALUES (?, ?, ?)');
  }
  write(bytes: Buffer): void {
    this.parts.push(bytes);
    this.size += bytes.length;
    if (this.size >= this.flushBytes) this.flush();
  }
  flush(): void {
    if (this.size === 0) return;
    this.insert.run(this.submissionId, this.seq++, Buffer.concat(this.parts, this.size));
    this.parts = [];
    this.size = 0;
  }
}

export interface SubmissionFinish {
  status: 'accepted' | 'rejected';
  sizeBytes: number;
  sha256: string | null;
  format: string | null;
  summary: unknown;
  errors: ValidationError[];
  errorCount: number;
  finishedAt: string;
}

export function finishSubmission(sqlite: SQLite.Database, id: number, f: SubmissionFinish): void {
  sqlite
    .prepare(
      `UPDATE submissions SET status = ?, size_bytes = ?, sha256 = ?, format = ?, summary_json = ?, errors_json = ?,
         error_count = ?, finished_at = ? WHERE id = ?`,
    )
    .run(f.status, f.sizeBytes, f.sha256, f.format, JSON.stringify(f.summary ?? null), JSON.stringify(f.errors), f.errorCount, f.finishedAt, id);
}

/** An upload that never fully arrived: its partial bytes are not the original, so they go; the rejection stays. */
export function rejectPartialUpload(sqlite: SQLite.Database, id: number, message: string): void {
  sqlite.transaction(() => {
    sqlite.prepare('DELETE FROM submission_chunks WHERE submission_id = ?').run(id);
    finishSubmission(sqlite, id, {
      status: 'rejected', sizeBytes: 0, sha256: null, format: null, summary: null, errorCount: 1, finishedAt: new Date().toISOString(),
      errors: [{ row: null, column: null, value: null, message }],
    });
  })();
}

/** A submission left 'processing' by a stopped server is closed as rejected, so it is never taken for data. */
export function closeInterruptedSubmissions(sqlite: SQLite.Database, now: string): number {
  const errors: ValidationError[] = [{ row: null, column: null, value: null, message: 'processing of this file was interrupted (the server stopped); upload the file again' }];
  return sqlite
    .prepare(`UPDATE submissions SET status = 'rejected', errors_json = ?, error_count = 1, finished_at = ? WHERE status = 'processing'`)
    .run(JSON.stringify(errors), now).changes;
}

function toView(r: {
  id: number; uploaded_at: string; uploader: string; kind: 'observations' | 'reference'; filename: string; size_bytes: number;
  sha256: string | null; format: string | null; period_given: string | null; status: 'processing' | 'accepted' | 'rejected';
  error_count: number; summary_json: string | null; errors_json: string | null; finished_at: string | null;
}, withErrors: boolean): SubmissionView {
  return {
    id: r.id,
    uploadedAt: r.uploaded_at,
    uploader: r.uploader,
    kind: r.kind,
    filename: r.filename,
    sizeBytes: r.size_bytes,
    sha256: r.sha256,
    format: r.format,
    periodGiven: r.period_given,
    status: r.status,
    errorCount: r.error_count,
    summary: r.summary_json ? JSON.parse(r.summary_json) : null,
    errors: withErrors && r.errors_json ? (JSON.parse(r.errors_json) as ValidationError[]) : [],
    finishedAt: r.finished_at,
  };
}

const COLUMNS = ['id', 'uploaded_at', 'uploader', 'kind', 'filename', 'size_bytes', 'sha256', 'format', 'period_given', 'status', 'error_count', 'summary_json', 'errors_json', 'finished_at'] as const;

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
