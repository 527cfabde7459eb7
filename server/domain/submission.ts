/**
 * Validation of an uploaded observations file, record by record, against the reference data it is handed.
 * Every problem is collected (up to a listing limit, all of them counted); valid rows go into an
 * ObservationBatch that is written only when the whole file has no error. No I/O, no clock.
 */
import { mayUploadFor, type Role } from './access';
import { ObservationBatch } from './observation-batch';
import { contractYearOf, isPeriod, periodLabel, spanCovers } from './periods';
import { planLayout, type LayoutPlan, type SubmissionFormat, type ValidationError } from './submission-layout';
import { parseCount } from './text';
import { classifyCoverColumn, COVER_INDICATORS, coverNumerator, quarterEndPeriod, readCoverValue, type CoverAge } from './cover';

interface CoverCell {
  raw: string;
  row: number;
  column: string;
}

interface CoverEntry {
  practiceCode: string;
  period: string;
  denominators: Partial<Record<CoverAge, CoverCell>>;
  percents: Map<string, CoverCell>;
}

export type { ValidationError } from './submission-layout';

export type { Role };

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

/** Rows of the QOF file that are not errors but are not loaded either, counted for the report. */
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
const QOF_MEASURES = { NUMERATOR: 0, DENOMINATOR: 1, PCAS: 2 } as const;

interface QofEntry {
  practice: ReferencePractice;
  code: string;
  period: string;
  values: [number | null, number | null, number | null];
  rows: [number, number, number];
}

export class SubmissionValidator {
  private plan: LayoutPlan | null = null;
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
  private readonly qof = new Map<string, QofEntry>();
  private readonly cover = new Map<string, CoverEntry>();
  private readonly skipped = new Map<SkippedRows['reason'], SkippedRows>();
  private readonly periodProblems = new Map<string, string | null>();
  private readonly indicatorsByPeriod = new Map<string, Set<string>>();
  /** The last practice read and the network it belonged to at the last period: files come grouped by practice. */
  private lastPractice: { raw: string; period: string | null; practice: ReferencePractice | null; span: ReferenceSpan | undefined } | null = null;
  private headerDone = false;
  private readonly lockedYears = new Map<string, { year: string; lockedBy: string | null; lockedAt: string }>();

  constructor(
    private readonly reference: SubmissionReference,
    private readonly options: SubmissionOptions,
  ) {
    this.practicesByCode = new Map(reference.practices.map((p) => [p.code, p]));
    reference.practices.forEach((p, i) => this.practiceSlot.set(p.id, i));
    this.yearsByCode = new Map(reference.contractYears.map((y) => [y.code, y]));
    for (const year of reference.contractYears) {
      for (const code of year.indicatorCodes) {
        if (!this.indicatorSlot.has(code)) this.indicatorSlot.set(code, this.indicatorSlot.size);
      }
    }
  }

  private error(row: number | null, column: string | null, value: string | null, message: string): void {
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
    this.plan = plan;
    if (plan?.format === 'qof') {
      const period = this.options.period;
      if (!period) {
        this.error(null, 'period', null, 'the QOF achievement file has no period column: choose the period it reports (for example the March that ends the QOF year) when you upload it');
        this.plan = null;
      } else {
        const problem = this.periodProblem(period);
        if (problem) {
          this.error(null, 'period', period, problem);
          this.plan = null;
        }
      }
    }
  }

  row(cells: readonly string[], rowNumber: number): void {
    this.records++;
    const plan = this.plan;
    if (!plan) return; // the header was wrong: rows cannot be read, and the header errors say why
    if (cells.length !== this.headerWidth) {
      this.error(rowNumber, null, null, `row ${rowNumber} has ${cells.length} value${cells.length === 1 ? '' : 's'} but the header has ${this.headerWidth} columns; check for a stray separator or a missing value`);
      return;
    }
    if (plan.format === 'long') this.longRow(plan, cells, rowNumber);
    else if (plan.format === 'wide') this.wideRow(plan, cells, rowNumber);
    else if (plan.format === 'cover') this.coverRow(plan, cells, rowNumber);
    else this.qofRow(plan, cells, rowNumber);
  }

  finish(): ValidationOutcome {
    if (!this.headerDone && this.errorCount === 0) this.fileError('the file is empty: export the figures again and upload the CSV file');
    else if (this.headerDone && this.records === 0 && this.errorCount === 0) this.fileError('the file has a header row but no data rows: export the figures again with the rows included');
    if (this.plan?.format === 'qof') this.finishQof();
    if (this.plan?.format === 'cover') this.finishCover();
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

  // --- shared checks ---------------------------------------------------------------------------

  /** Null when a period can take data, else the message. Memoised: a file has few periods. */
  private periodProblem(period: string): string | null {
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

  private readPeriod(raw: string, rowNumber: number, column: string): string | null {
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

  /** The practice, if known and (for a network manager) a member of their network at the period. */
  private readPractice(raw: string, period: string | null, rowNumber: number, column: string): ReferencePractice | null {
    const code = raw.trim().toUpperCase();
    if (code === '') {
      this.error(rowNumber, column, raw, `row ${rowNumber}: the practice code is missing`);
      return null;
    }
    const last = this.lastPractice;
    const practice = last && last.raw === raw ? last.practice : this.practicesByCode.get(code);
    if (!practice) {
      this.error(rowNumber, column, raw, `row ${rowNumber}: practice ${code} is not a known practice; check the ODS code, or ask an admin to add the practice`);
      return null;
    }
    if (period === null) return practice;
    const span = last && last.raw === raw && last.period === period ? last.span : practice.spans.find((s) => spanCovers(s, period));
    this.lastPractice = { raw, period, practice, span };
    const { uploader } = this.options;
    if (!span) {
      this.error(rowNumber, column, raw, `row ${rowNumber}: practice ${code} is not a member of any network in ${periodLabel(period)}; check the period, or ask an admin to record its membership`);
      return null;
    }
    if (!mayUploadFor(uploader, span.networkCode)) {
      // Which network it does belong to is not said: that is another network's business.
      this.error(rowNumber, column, raw, `row ${rowNumber}: practice ${code} is not a member of your network ${uploader.networkCode ?? ''} in ${periodLabel(period)}; remove its rows, or ask the manager of its network to upload them`);
      return null;
    }
    return practice;
  }

  private knowsIndicator(period: string, code: string): boolean {
    let codes = this.indicatorsByPeriod.get(period);
    if (!codes) {
      codes = new Set(this.yearsByCode.get(contractYearOf(period))?.indicatorCodes ?? []);
      this.indicatorsByPeriod.set(period, codes);
    }
    return codes.has(code);
  }

  private readCount(raw: string | undefined, rowNumber: number, column: string, what: string): number | null {
    const result = parseCount(raw ?? '');
    if (result.ok) return result.value;
    const shown = (raw ?? '').trim();
    this.error(rowNumber, column, raw ?? '', `row ${rowNumber}: ${what} ${shown === '' ? '' : `"${shown}" `}${result.problem}`);
    return null;
  }

  /** Checks the counts and the key, and adds the observation to the batch. */
  private accept(
    period: string,
    practice: ReferencePractice,
    code: string,
    numerator: number,
    denominator: number,
    exceptions: number | null,
    rowNumber: number,
    column: string,
    value: string,
  ): void {
    if (numerator > denominator) {
      this.error(rowNumber, column, value, `row ${rowNumber}: numerator ${numerator} is greater than denominator ${denominator} for ${code} at ${practice.code}; the numerator counts patients inside the denominator, so check both figures`);
      return;
    }
    let firstRows = this.seen.get(period);
    if (!firstRows) {
      firstRows = new Int32Array(this.reference.practices.length * this.indicatorSlot.size);
      this.seen.set(period, firstRows);
    }
    const key = this.practiceSlot.get(practice.id)! * this.indicatorSlot.size + this.indicatorSlot.get(code)!;
    const first = firstRows[key]!;
    if (first !== 0) {
      this.error(rowNumber, column, value, `row ${rowNumber}: ${code} for ${practice.code} in ${period} is already given in row ${first}; keep one of the two rows`);
      return;
    }
    firstRows[key] = rowNumber;
    this.batch.push({ period, practiceId: practice.id, indicatorCode: code, numerator, denominator, exceptions, row: rowNumber });
  }

  // --- layouts -------------------------------------------------------------------------------------

  private longRow(plan: Extract<LayoutPlan, { format: 'long' }>, cells: readonly string[], rowNumber: number): void {
    const period = this.readPeriod(cells[plan.period]!, rowNumber, 'period');
    const practice = this.readPractice(cells[plan.practice]!, period, rowNumber, 'practice_code');
    const rawCode = cells[plan.indicator]!;
    const code = rawCode.trim().toUpperCase();
    let indicatorOk = true;
    if (code === '') {
      this.error(rowNumber, 'indicator_code', rawCode, `row ${rowNumber}: the indicator code is missing`);
      indicatorOk = false;
    } else if (period !== null && !this.knowsIndicator(period, code)) {
      this.error(rowNumber, 'indicator_code', rawCode, `row ${rowNumber}: ${code} is not an indicator of contract year ${contractYearOf(period)}; check the code against the template`);
      indicatorOk = false;
    } else if (period === null && !this.indicatorSlot.has(code)) {
      this.error(rowNumber, 'indicator_code', rawCode, `row ${rowNumber}: ${code} is not an indicator of any contract year; check the code against the template`);
      indicatorOk = false;
    }
    const numerator = this.readCount(cells[plan.numerator], rowNumber, 'numerator', 'numerator');
    const denominator = this.readCount(cells[plan.denominator], rowNumber, 'denominator', 'denominator');
    let exceptions: number | null = null;
    let exceptionsOk = true;
    if (plan.exceptions !== null && cells[plan.exceptions]!.trim() !== '') {
      exceptions = this.readCount(cells[plan.exceptions], rowNumber, 'exceptions', 'exceptions');
      exceptionsOk = exceptions !== null;
    }
    if (period === null || practice === null || !indicatorOk || numerator === null || denominator === null || !exceptionsOk) return;
    this.accept(period, practice, code, numerator, denominator, exceptions, rowNumber, 'numerator', cells[plan.numerator]!);
  }

  private wideRow(plan: Extract<LayoutPlan, { format: 'wide' }>, cells: readonly string[], rowNumber: number): void {
    const period = this.readPeriod(cells[plan.period]!, rowNumber, 'period');
    const practice = this.readPractice(cells[plan.practice]!, period, rowNumber, 'practice_code');
    for (const ind of plan.indicators) {
      if (period !== null && !this.knowsIndicator(period, ind.code)) {
        this.error(rowNumber, `${ind.code}_numerator`, null, `row ${rowNumber}: ${ind.code} is not an indicator of contract year ${contractYearOf(period)}; remove its columns or split the file by year`);
        continue;
      }
      const numerator = this.readCount(cells[ind.numerator], rowNumber, `${ind.code}_numerator`, `${ind.code} numerator`);
      const denominator = this.readCount(cells[ind.denominator], rowNumber, `${ind.code}_denominator`, `${ind.code} denominator`);
      let exceptions: number | null = null;
      let exceptionsOk = true;
      if (ind.exceptions !== null && cells[ind.exceptions]!.trim() !== '') {
        exceptions = this.readCount(cells[ind.exceptions], rowNumber, `${ind.code}_exceptions`, `${ind.code} exceptions`);
        exceptionsOk = exceptions !== null;
      }
      if (period === null || practice === null || numerator === null || denominator === null || !exceptionsOk) continue;
      this.accept(period, practice, ind.code, numerator, denominator, exceptions, rowNumber, `${ind.code}_numerator`, cells[ind.numerator]!);
    }
  }

  /** Counts a skipped row; `example` names it in the report, or null where naming it would say too much. */
  private skip(reason: SkippedRows['reason'], example: string | null): void {
    let entry = this.skipped.get(reason);
    if (!entry) {
      entry = { reason, rows: 0, examples: [] };
      this.skipped.set(reason, entry);
    }
    entry.rows++;
    if (example !== null && entry.examples.length < 20 && !entry.examples.includes(example)) entry.examples.push(example);
  }

  private qofRow(plan: Extract<LayoutPlan, { format: 'qof' }>, cells: readonly string[], rowNumber: number): void {
    const period = this.options.period!;
    const year = this.yearsByCode.get(contractYearOf(period))!;
    const measure = cells[plan.measure]!.trim().toUpperCase() as keyof typeof QOF_MEASURES;
    const slot = QOF_MEASURES[measure];
    if (slot === undefined) {
      this.skip('other-measure', measure);
      return;
    }
    const qofCode = cells[plan.indicator]!.trim().toUpperCase();
    const code = year.aliases[qofCode];
    if (!code) {
      this.skip('unknown-indicator', qofCode);
      return;
    }
    const practiceCode = cells[plan.practice]!.trim().toUpperCase();
    const practice = this.practicesByCode.get(practiceCode);
    const span = practice?.spans.find((s) => spanCovers(s, period));
    if (!practice || !span) {
      this.skip('outside-networks', practiceCode);
      return;
    }
    if (!mayUploadFor(this.options.uploader, span.networkCode)) {
      this.skip('other-network', null); // counted, never named: those are another network's practices
      return;
    }
    const value = this.readCount(cells[plan.value], rowNumber, 'VALUE', `${measure} for ${qofCode} at ${practiceCode}`);
    if (value === null) return;
    const key = `${practiceCode}|${code}`;
    let entry = this.qof.get(key);
    if (!entry) {
      entry = { practice, code, period, values: [null, null, null], rows: [0, 0, 0] };
      this.qof.set(key, entry);
    }
    if (entry.values[slot] !== null) {
      this.error(rowNumber, 'MEASURE', measure, `row ${rowNumber}: ${measure} for ${qofCode} at ${practiceCode} is already given in row ${entry.rows[slot]}; keep one of the two rows`);
      return;
    }
    entry.values[slot] = value;
    entry.rows[slot] = rowNumber;
  }

  private finishQof(): void {
    for (const entry of this.qof.values()) {
      const [numerator, denominator, exceptions] = entry.values;
      const row = Math.max(...entry.rows);
      if (numerator === null || denominator === null) {
        const missing = numerator === null ? 'NUMERATOR' : 'DENOMINATOR';
        this.error(row, 'MEASURE', null, `${entry.code} at ${entry.practice.code} has no ${missing} row; the file needs both the numerator and the denominator`);
        continue;
      }
      this.accept(entry.period, entry.practice, entry.code, numerator, denominator, exceptions, entry.rows[0], 'VALUE', String(numerator));
    }
  }

  // --- UKHSA COVER (see domain/cover.ts) --------------------------------------------------------------

  private coverRow(plan: Extract<LayoutPlan, { format: 'cover' }>, cells: readonly string[], rowNumber: number): void {
    const column = cells[plan.column]!.trim();
    const kind = classifyCoverColumn(column);
    if (!kind) {
      this.skip('other-measure', column);
      return;
    }
    const quarter = cells[plan.quarter]!.trim();
    const period = quarterEndPeriod(quarter);
    if (!period) {
      this.error(rowNumber, 'quarter', quarter, `row ${rowNumber}: "${quarter}" is not a quarter label like q01_Apr19Jun19`);
      return;
    }
    const problem = this.periodProblem(period);
    if (problem) {
      this.error(rowNumber, 'quarter', quarter, `row ${rowNumber}: quarter ${quarter} ends in ${period}: ${problem}`);
      return;
    }
    const practiceCode = cells[plan.practice]!.trim().toUpperCase();
    const key = `${period}|${practiceCode}`;
    let entry = this.cover.get(key);
    if (!entry) {
      entry = { practiceCode, period, denominators: {}, percents: new Map() };
      this.cover.set(key, entry);
    }
    const cell = { raw: cells[plan.value]!, row: rowNumber, column };
    const earlier = kind.kind === 'denominator' ? entry.denominators[kind.age] : entry.percents.get(kind.indicator.code);
    if (earlier) {
      this.error(rowNumber, 'source_column', column, `row ${rowNumber}: ${column} for ${practiceCode} in ${quarter} is already given in row ${earlier.row}; keep one of the two rows`);
      return;
    }
    if (kind.kind === 'denominator') entry.denominators[kind.age] = cell;
    else entry.percents.set(kind.indicator.code, cell);
  }

  private finishCover(): void {
    for (const entry of this.cover.values()) {
      const practice = this.practicesByCode.get(entry.practiceCode);
      const span = practice?.spans.find((s) => spanCovers(s, entry.period));
      const where = `${entry.practiceCode} in ${entry.period}`;
      if (!practice || !span) {
        this.skip('outside-networks', where);
        continue;
      }
      if (!mayUploadFor(this.options.uploader, span.networkCode)) {
        this.skip('other-network', null); // counted, never named: those are another network's practices
        continue;
      }
      for (const indicator of COVER_INDICATORS) {
        if (!this.knowsIndicator(entry.period, indicator.code)) {
          this.skip('unknown-indicator', indicator.code);
          continue;
        }
        const den = entry.denominators[indicator.age];
        const pct = entry.percents.get(indicator.code);
        const denValue = den ? readCoverValue(den.raw) : { ok: false as const, suppressed: true };
        const pctValue = pct ? readCoverValue(pct.raw) : { ok: false as const, suppressed: true };
        for (const [cell, value] of [[den, denValue], [pct, pctValue]] as const) {
          if (cell && !value.ok && !value.suppressed) {
            this.error(cell.row, 'value', cell.raw, `row ${cell.row}: ${cell.column} for ${entry.practiceCode} is "${cell.raw.trim()}", which is neither a number nor a suppression marker`);
          }
        }
        if (!denValue.ok || !pctValue.ok) {
          if ((!den || (!denValue.ok && denValue.suppressed)) || (!pct || (!pctValue.ok && pctValue.suppressed))) this.skip('suppressed', `${indicator.code} ${where}`);
          continue;
        }
        if (!Number.isInteger(denValue.value) || pctValue.value > 100) {
          this.error(pct!.row, 'value', pct!.raw, `row ${pct!.row}: ${indicator.code} for ${entry.practiceCode} has denominator ${den!.raw.trim()} and percentage ${pct!.raw.trim()}, which cannot both be right`);
          continue;
        }
        const { numerator, offBy } = coverNumerator(pctValue.value, denValue.value);
        if (offBy > 0.05) {
          this.error(pct!.row, 'value', pct!.raw, `row ${pct!.row}: ${pct!.raw.trim()}% of ${den!.raw.trim()} children is not close to a whole number of children for ${indicator.code} at ${entry.practiceCode}; check the published figures`);
          continue;
        }
        this.accept(entry.period, practice, indicator.code, numerator, denValue.value, null, pct!.row, 'value', pct!.raw);
      }
    }
  }
}
