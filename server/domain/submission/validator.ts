/**
 * Validation of an uploaded file of figures, record by record, against the reference data it is handed.
 * The header decides the layout (domain/submission-layout.ts) and so the reader its rows go to (long.ts,
 * wide.ts, qof.ts, cover.ts, behind the one LayoutReader interface); the checks every layout shares are
 * here. Every problem is collected (up to a listing limit, all of them counted); valid rows go into an
 * ObservationBatch that is written only when the whole file has no error. No I/O, no clock.
 */
import { ObservationBatch } from '../observation-batch';
import { contractYearOf, isPeriod, periodLabel } from '../periods';
import { planLayout, type LayoutPlan, type ValidationError } from '../submission-layout';
import { parseCount } from '../text';
import { coverReader } from './cover';
import type { LayoutReader, RowChecks } from './layout-reader';
import { longReader } from './long';
import { uploadMembership, type UploadMembership } from './membership';
import { qofReader } from './qof';
import {
  MAX_LISTED_ERRORS,
  type ReferenceContractYear,
  type ReferencePractice,
  type SkippedRows,
  type SubmissionOptions,
  type SubmissionReference,
  type Uploader,
  type ValidationOutcome,
} from './types';
import { wideReader } from './wide';

export class SubmissionValidator implements RowChecks {
  private plan: LayoutPlan | null = null;
  private reader: LayoutReader | null = null;
  private headerWidth = 0;
  private records = 0;
  private readonly errors: ValidationError[] = [];
  private errorCount = 0;
  private readonly batch = new ObservationBatch();
  private readonly practicesByCode: Map<string, ReferencePractice>;
  private readonly practiceSlot = new Map<number, number>();
  private readonly yearsByCode: Map<string, ReferenceContractYear>;
  private readonly indicatorSlot = new Map<string, number>();
  /** First row of each (period, practice, indicator) key seen, to report duplicates. */
  private readonly seen = new Map<string, Int32Array>();
  private readonly skipped = new Map<SkippedRows['reason'], SkippedRows>();
  private readonly periodProblems = new Map<string, string | null>();
  private readonly indicatorsByPeriod = new Map<string, Set<string>>();
  /** The last practice cell read and its membership at the last period: files come grouped by practice. */
  private lastPractice: {
    raw: string;
    period: string | null;
    practice: ReferencePractice | undefined;
    membership: UploadMembership | null;
  } | null = null;
  private headerDone = false;
  private readonly lockedYears = new Map<string, { year: string; lockedBy: string | null; lockedAt: string }>();
  readonly uploader: Uploader;

  constructor(
    private readonly reference: SubmissionReference,
    private readonly options: SubmissionOptions,
  ) {
    this.uploader = options.uploader;
    this.practicesByCode = new Map(reference.practices.map((p) => [p.code, p]));
    reference.practices.forEach((p, i) => this.practiceSlot.set(p.id, i));
    this.yearsByCode = new Map(reference.contractYears.map((y) => [y.code, y]));
    for (const year of reference.contractYears) {
      for (const code of year.indicatorCodes) {
        if (!this.indicatorSlot.has(code)) this.indicatorSlot.set(code, this.indicatorSlot.size);
      }
    }
  }

  error(row: number | null, column: string | null, value: string | null, message: string): void {
    this.errorCount++;
    if (this.errors.length < MAX_LISTED_ERRORS) this.errors.push({ row, column, value, message });
  }

  /** A problem with the file as a whole (empty, not text, too large), reported before or instead of rows. */
  fileError(message: string): void {
    this.error(null, null, null, message);
  }

  header(cells: readonly string[]): void {
    this.headerDone = true;
    this.headerWidth = cells.length;
    const { plan, errors } = planLayout(cells, [...this.indicatorSlot.keys()], this.options.format);
    for (const e of errors) this.error(e.row, e.column, e.value, e.message);
    this.reader = plan ? this.readerFor(plan) : null;
    // A layout whose reader cannot start (a QOF file without a period it can take) reads no rows.
    this.plan = this.reader ? plan : null;
  }

  /** The reader of a layout; null when the file cannot be read in it (the errors say why). */
  private readerFor(plan: LayoutPlan): LayoutReader | null {
    switch (plan.format) {
      case 'long':
        return longReader(plan, this);
      case 'wide':
        return wideReader(plan, this);
      case 'cover':
        return coverReader(plan, this);
      case 'qof': {
        const period = this.options.period;
        if (!period) {
          const message =
            'the QOF achievement file has no period column: choose the period it reports (for example the March that ends the QOF year) when you upload it';
          this.error(null, 'period', null, message);
          return null;
        }
        const problem = this.periodProblem(period);
        const year = this.yearsByCode.get(contractYearOf(period));
        if (problem || !year) {
          this.error(null, 'period', period, problem ?? `no contract year covers ${period}`);
          return null;
        }
        return qofReader(plan, this, period, year);
      }
    }
  }

  row(cells: readonly string[], rowNumber: number): void {
    this.records++;
    const reader = this.reader;
    if (!reader) return; // the header was wrong: rows cannot be read, and the header errors say why
    if (cells.length !== this.headerWidth) {
      const values = `${cells.length} value${cells.length === 1 ? '' : 's'}`;
      this.error(
        rowNumber,
        null,
        null,
        `row ${rowNumber} has ${values} but the header has ${this.headerWidth} columns; check for a stray separator or a missing value`,
      );
      return;
    }
    reader.row(cells, rowNumber);
  }

  finish(): ValidationOutcome {
    if (!this.headerDone && this.errorCount === 0)
      this.fileError('the file is empty: export the figures again and upload the CSV file');
    else if (this.headerDone && this.records === 0 && this.errorCount === 0) {
      this.fileError('the file has a header row but no data rows: export the figures again with the rows included');
    }
    this.reader?.finish();
    return {
      format: this.plan?.format ?? this.options.format ?? null,
      records: this.records,
      errors: this.errors,
      errorCount: this.errorCount,
      batch: this.batch,
      skipped: [...this.skipped.values()],
      locked: [...this.lockedYears.values()],
    };
  }

  // --- the checks every layout shares (RowChecks) ---------------------------------------------------

  skip(reason: SkippedRows['reason'], example: string | null): void {
    let entry = this.skipped.get(reason);
    if (!entry) {
      entry = { reason, rows: 0, examples: [] };
      this.skipped.set(reason, entry);
    }
    entry.rows++;
    if (example !== null && entry.examples.length < 20 && !entry.examples.includes(example))
      entry.examples.push(example);
  }

  /** Memoised: a file has few periods. */
  periodProblem(period: string): string | null {
    const cached = this.periodProblems.get(period);
    if (cached !== undefined) return cached;
    let problem: string | null = null;
    if (!isPeriod(period)) {
      problem = `period "${period}" is not a month written YYYY-MM (for example 2025-11)`;
    } else if (period > this.options.currentPeriod) {
      problem = `period ${period} is in the future; data can be uploaded once the month has ended`;
    } else {
      const year = this.yearsByCode.get(contractYearOf(period));
      const years = this.reference.contractYears.map((y) => y.code).sort();
      if (!year) {
        problem = years.length
          ? `period ${period} is outside the contract years set up (${years[0]} to ${years[years.length - 1]}); ask an admin to add contract year ${contractYearOf(period)} first`
          : `no contract year is set up yet; ask an admin to add contract year ${contractYearOf(period)} first`;
      } else if (year.lockedAt) {
        this.lockedYears.set(year.code, { year: year.code, lockedBy: year.lockedBy, lockedAt: year.lockedAt });
        problem = `period ${period} belongs to contract year ${year.code}, which ${year.lockedBy ?? 'a commissioner'} signed off on ${year.lockedAt.slice(0, 10)}; a commissioner must reopen the year before data for it can change`;
      }
    }
    this.periodProblems.set(period, problem);
    return problem;
  }

  readPeriod(raw: string, rowNumber: number, column: string): string | null {
    const period = raw.trim();
    if (period === '') {
      this.error(rowNumber, column, raw, `row ${rowNumber}: the period is missing; write it as YYYY-MM`);
      return null;
    }
    const problem = this.periodProblem(period);
    if (problem) {
      this.error(rowNumber, column, raw, `row ${rowNumber}: ${problem}`);
      return null;
    }
    return period;
  }

  practice(code: string): ReferencePractice | undefined {
    return this.practicesByCode.get(code);
  }

  membership(practice: ReferencePractice, period: string): UploadMembership {
    return uploadMembership(practice, period, this.uploader);
  }

  readPractice(raw: string, period: string | null, rowNumber: number, column: string): ReferencePractice | null {
    const code = raw.trim().toUpperCase();
    if (code === '') {
      this.error(rowNumber, column, raw, `row ${rowNumber}: the practice code is missing`);
      return null;
    }
    const last = this.lastPractice;
    const practice = last && last.raw === raw ? last.practice : this.practicesByCode.get(code);
    if (!practice) {
      this.error(
        rowNumber,
        column,
        raw,
        `row ${rowNumber}: practice ${code} is not a known practice; check the ODS code, or ask an admin to add the practice`,
      );
      return null;
    }
    if (period === null) return practice;
    const membership =
      last && last.raw === raw && last.period === period && last.membership
        ? last.membership
        : this.membership(practice, period);
    this.lastPractice = { raw, period, practice, membership };
    if (membership.ok) return practice;
    if (membership.why === 'no-network') {
      const message = `row ${rowNumber}: practice ${code} is not a member of any network in ${periodLabel(period)}; check the period, or ask an admin to record its membership`;
      this.error(rowNumber, column, raw, message);
    } else {
      // Which network it does belong to is not said: that is another network's business.
      const network = this.uploader.networkCode ?? '';
      const message = `row ${rowNumber}: practice ${code} is not a member of your network ${network} in ${periodLabel(period)}; remove its rows, or ask the manager of its network to upload them`;
      this.error(rowNumber, column, raw, message);
    }
    return null;
  }

  knowsIndicator(period: string, code: string): boolean {
    let codes = this.indicatorsByPeriod.get(period);
    if (!codes) {
      codes = new Set(this.yearsByCode.get(contractYearOf(period))?.indicatorCodes ?? []);
      this.indicatorsByPeriod.set(period, codes);
    }
    return codes.has(code);
  }

  isIndicator(code: string): boolean {
    return this.indicatorSlot.has(code);
  }

  readCount(raw: string | undefined, rowNumber: number, column: string, what: string): number | null {
    const result = parseCount(raw ?? '');
    if (result.ok) return result.value;
    const shown = (raw ?? '').trim();
    this.error(
      rowNumber,
      column,
      raw ?? '',
      `row ${rowNumber}: ${what} ${shown === '' ? '' : `"${shown}" `}${result.problem}`,
    );
    return null;
  }

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
  ): void {
    if (numerator > denominator) {
      const message = `row ${row}: numerator ${numerator} is greater than denominator ${denominator} for ${code} at ${practice.code}; the numerator counts patients inside the denominator, so check both figures`;
      this.error(row, column, value, message);
      return;
    }
    const practiceSlot = this.practiceSlot.get(practice.id);
    const indicatorSlot = this.indicatorSlot.get(code);
    if (practiceSlot === undefined || indicatorSlot === undefined) {
      throw new Error(`accept() was given ${practice.code} or ${code}, which the reference data does not hold`);
    }
    let firstRows = this.seen.get(period);
    if (!firstRows) {
      firstRows = new Int32Array(this.reference.practices.length * this.indicatorSlot.size);
      this.seen.set(period, firstRows);
    }
    const key = practiceSlot * this.indicatorSlot.size + indicatorSlot;
    const first = firstRows[key] ?? 0;
    if (first !== 0) {
      const message = `row ${row}: ${code} for ${practice.code} in ${period} is already given in row ${first}; keep one of the two rows`;
      this.error(row, column, value, message);
      return;
    }
    firstRows[key] = row;
    this.batch.push({
      period,
      practiceId: practice.id,
      indicatorCode: code,
      numerator,
      denominator,
      exceptions,
      row,
    });
  }
}
