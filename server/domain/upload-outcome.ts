/**
 * What an upload's outcome says: for a file of figures, what it changed (or every problem that rejected it);
 * for a practice-to-network listing, the joins, moves and leaves it recorded. The accepted outcome is kept
 * with the submission as its summary and read back by `storedUploadSummary`, which also reads summaries
 * written by earlier versions (fields added since get their empty value).
 */
import type { ReferenceFormat } from './reference-file';
import type { SkippedRows } from './submission';
import type { SubmissionFormat, ValidationError } from './submission-layout';

/** A member practice with no figure yet for a period. */
export interface MissingPractice {
  period: string;
  network: string;
  practiceCode: string;
  practiceName: string;
}

/** What an accepted file of figures changed. */
export interface AcceptedOutcome {
  id: number;
  status: 'accepted';
  format: SubmissionFormat;
  /** Data rows read from the file. */
  rows: number;
  /** Values the file gives (a wide row holds several). */
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
  format: SubmissionFormat | ReferenceFormat | null;
  errorCount: number;
  errors: ValidationError[];
  /** Signed-off contract years the file tried to change (refused with 409 period-locked). */
  locked?: { year: string; lockedBy: string | null; lockedAt: string }[];
}

/** What applying a listing changed, counted. */
export interface ReferenceChangeCounts {
  networksCreated: number;
  practicesCreated: number;
  practicesRenamed: number;
  joined: number;
  moved: number;
  left: number;
  unchanged: number;
  unallocated: number;
  listSizes: number;
}

export interface ReferenceAccepted extends ReferenceChangeCounts {
  id: number;
  status: 'accepted';
  format: ReferenceFormat;
  fromPeriod: string;
  /** Practices the listing names. */
  practices: number;
}

/** An accepted upload's stored summary, saying which kind of upload it was. */
export type UploadSummary = ({ kind: 'observations' } & AcceptedOutcome) | ({ kind: 'reference' } & ReferenceAccepted);

const FORMATS: readonly SubmissionFormat[] = ['long', 'wide', 'qof', 'cover'];
const REFERENCE_FORMATS: readonly ReferenceFormat[] = ['template', 'nhs-mapping'];

const integer = (v: unknown): number => (typeof v === 'number' && Number.isInteger(v) ? v : 0);
const list = <T>(v: unknown): T[] => (Array.isArray(v) ? (v as T[]) : []);

/**
 * The summary stored with an accepted submission (parsed JSON), as an UploadSummary; null when there is
 * none (a rejected, interrupted or failed upload) or it is not an object.
 */
export function storedUploadSummary(
  kind: 'observations' | 'reference',
  submission: { id: number; periodGiven: string | null },
  stored: unknown,
): UploadSummary | null {
  if (stored === null || typeof stored !== 'object' || Array.isArray(stored)) return null;
  const s = stored as Record<string, unknown>;
  if (kind === 'observations') {
    const format = FORMATS.find((f) => f === s.format) ?? 'long';
    return {
      kind,
      id: submission.id,
      status: 'accepted',
      format,
      rows: integer(s.rows),
      observations: integer(s.observations),
      periods: list<string>(s.periods),
      practices: integer(s.practices),
      indicators: integer(s.indicators),
      inserted: integer(s.inserted),
      superseded: integer(s.superseded),
      unchanged: integer(s.unchanged),
      missing: list<MissingPractice>(s.missing),
      skipped: list<SkippedRows>(s.skipped),
    };
  }
  return {
    kind,
    id: submission.id,
    status: 'accepted',
    format: REFERENCE_FORMATS.find((f) => f === s.format) ?? 'template',
    // A listing's submission records its fromPeriod as the period given, so an older summary without it has it there.
    fromPeriod: typeof s.fromPeriod === 'string' ? s.fromPeriod : (submission.periodGiven ?? ''),
    practices: integer(s.practices),
    networksCreated: integer(s.networksCreated),
    practicesCreated: integer(s.practicesCreated),
    practicesRenamed: integer(s.practicesRenamed),
    joined: integer(s.joined),
    moved: integer(s.moved),
    left: integer(s.left),
    unchanged: integer(s.unchanged),
    unallocated: integer(s.unallocated),
    listSizes: integer(s.listSizes),
  };
}

/** What the list of uploads needs to know about one to say whether its file can be downloaded. */
export interface KeptFileFacts {
  status: 'processing' | 'accepted' | 'rejected' | 'interrupted' | 'failed';
  /** Bytes of the file as uploaded (for an interrupted upload, the bytes that arrived). */
  sizeBytes: number;
  /** Bytes of it kept: all of an accepted file, the beginning of a large rejected one. */
  storedBytes: number;
}

/**
 * Why none of an upload's file can be offered, or null when its bytes (all, or the first part of a large
 * rejected file) are kept: an interrupted or failed upload keeps nothing (part of a file is not the
 * original), one still being processed has no outcome yet, and a file over the upload limit was never read.
 */
export function fileNotKept(s: KeptFileFacts): string | null {
  if (s.status === 'interrupted') {
    return 'This upload stopped before the whole file arrived, so none of it was kept (part of a file is not the original). Upload the file again.';
  }
  if (s.status === 'failed')
    return 'The server could not finish processing this upload, so none of it was kept. Upload the file again.';
  if (s.status === 'processing')
    return 'This file is still being processed; its bytes can be downloaded once it has been accepted or rejected.';
  if (s.storedBytes === 0 && s.sizeBytes > 0)
    return 'This file was over the upload limit, so none of it was read or kept.';
  return null;
}
