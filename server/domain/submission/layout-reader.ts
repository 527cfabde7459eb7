/**
 * One interface for the four upload layouts (long, wide, QOF, COVER): each layout's reader turns its rows
 * into observations through the checks every layout shares (RowChecks, implemented by the validator), so a
 * period, a practice's membership, an indicator and a count are checked the same way whatever the layout.
 */
import type { ReferencePractice, SkippedRows, Uploader } from './types';
import type { UploadMembership } from './membership';

export interface LayoutReader {
  /** One data row, already checked to have as many cells as the header. */
  row(cells: readonly string[], rowNumber: number): void;
  /** After the last row: what was gathered across rows (QOF measures, COVER cells) is checked and accepted. */
  finish(): void;
}

export interface RowChecks {
  readonly uploader: Uploader;
  /** Records a problem (listed up to the limit, always counted). */
  error(row: number | null, column: string | null, value: string | null, message: string): void;
  /** Counts a row that is not loaded; `example` names it in the report, or null where naming it would say too much. */
  skip(reason: SkippedRows['reason'], example: string | null): void;
  /** Null when a period can take data, else why not. */
  periodProblem(period: string): string | null;
  /** A period cell, checked; null (and an error recorded) when it cannot take data. */
  readPeriod(raw: string, rowNumber: number, column: string): string | null;
  /** A known practice by code. */
  practice(code: string): ReferencePractice | undefined;
  /** The practice of a cell, known and (at the period) a member of a network the uploader may upload for; else an error. */
  readPractice(raw: string, period: string | null, rowNumber: number, column: string): ReferencePractice | null;
  /** The membership check (membership.ts), for layouts that skip rather than refuse. */
  membership(practice: ReferencePractice, period: string): UploadMembership;
  /** Whether the contract year of a period has the indicator. */
  knowsIndicator(period: string, code: string): boolean;
  /** Whether any contract year has the indicator. */
  isIndicator(code: string): boolean;
  /** A count cell: a whole number of patients, or null (and an error recorded). */
  readCount(raw: string | undefined, rowNumber: number, column: string, what: string): number | null;
  /**
   * Checks the counts and that the key is new in the file, and adds the observation; `row`, `column` and
   * `value` say where a problem is reported. Positional, with no object per call: it runs for every value of
   * a national file.
   */
  accept(
    period: string,
    practice: ReferencePractice,
    code: string,
    numerator: number,
    denominator: number,
    exceptions: number | null,
    row: number,
    column: string,
    value: string,
  ): void;
}

/** A cell of a row whose width was checked against the header: every column of the plan is there. */
export function cell(cells: readonly string[], index: number): string {
  return cells[index] ?? '';
}
