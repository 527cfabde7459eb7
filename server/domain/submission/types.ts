/** What an upload is checked against and what the check gives back (server/domain/submission/). */
import type { ObservationBatch } from '../observation-batch';
import type { Role } from '../access';
import type { SubmissionFormat, ValidationError } from '../submission-layout';

export type { Role, ValidationError };

export interface ReferenceSpan {
  networkCode: string;
  fromPeriod: string;
  toPeriod: string | null;
}

export interface ReferencePractice {
  id: number;
  code: string;
  name: string;
  spans: ReferenceSpan[];
}

export interface ReferenceContractYear {
  code: string;
  firstPeriod: string;
  lastPeriod: string;
  lockedAt: string | null;
  lockedBy: string | null;
  indicatorCodes: string[];
  /** QOF code → catalogue code. */
  aliases: Record<string, string>;
}

export interface SubmissionReference {
  practices: ReferencePractice[];
  contractYears: ReferenceContractYear[];
}

export interface Uploader {
  username: string;
  role: Role;
  networkCode: string | null;
}

export interface SubmissionOptions {
  uploader: Uploader;
  /** The layout the uploader chose; detected from the header when absent. */
  format?: SubmissionFormat;
  /** The period a file without a period column (the QOF file) reports. */
  period?: string;
  /** This month, so a period in the future can be refused. */
  currentPeriod: string;
}

/** Rows that are not errors but are not loaded either (QOF and COVER files), counted for the report. */
export interface SkippedRows {
  reason: 'unknown-indicator' | 'outside-networks' | 'other-network' | 'other-measure' | 'suppressed';
  rows: number;
  /** Up to 20 example codes. */
  examples: string[];
}

export interface ValidationOutcome {
  format: SubmissionFormat | null;
  /** Data records read (not counting the header). */
  records: number;
  errors: ValidationError[];
  /** All errors, including those beyond the listing limit. */
  errorCount: number;
  batch: ObservationBatch;
  skipped: SkippedRows[];
  /** Signed-off contract years the file tried to change. */
  locked: { year: string; lockedBy: string | null; lockedAt: string }[];
}

export const MAX_LISTED_ERRORS = 1000;
