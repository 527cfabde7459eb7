/**
 * Validation of a practice-to-network listing: the product's template
 * (network_code, network_name, practice_code, practice_name, list_size) or NHS Digital's mapping file
 * (PRACTICE_CODE, PRACTICE_NAME, PCN_CODE, PCN_NAME, …; a PCN code of U or blank means unallocated).
 */
import type { ValidationError } from './submission-layout';
import { normaliseHeader, parseCount } from './text';
import { must } from './must';

export type ReferenceFormat = 'template' | 'nhs-mapping';

export interface ReferenceRecord {
  practiceCode: string;
  practiceName: string;
  postcode: string | null;
  /** Null when the practice is unallocated. */
  networkCode: string | null;
  networkName: string | null;
  listSize: number | null;
}

export const REFERENCE_TEMPLATE_HEADER = [
  'network_code',
  'network_name',
  'practice_code',
  'practice_name',
  'list_size',
];

const PRACTICE_CODE = /^[A-Z]\d{5}$/;
const NETWORK_CODE = /^[A-Z0-9][A-Z0-9-]{0,15}$/;
const UNALLOCATED = new Set(['', 'U', 'UNALLOCATED']);

interface Plan {
  format: ReferenceFormat;
  practiceCode: number;
  practiceName: number;
  networkCode: number;
  networkName: number;
  listSize: number | null;
  postcode: number | null;
}

/** The cell of a row at a column the header found: every row checked here has the header's width. */
function cellAt(cells: readonly string[], column: number): string {
  return must(cells[column], 'a cell inside the header width');
}

export class ReferenceValidator {
  private plan: Plan | null = null;
  private width = 0;
  readonly records: ReferenceRecord[] = [];
  readonly errors: ValidationError[] = [];
  private readonly seen = new Map<string, number>();
  private rows = 0;
  private headerSeen = false;

  header(cells: readonly string[]): void {
    this.headerSeen = true;
    this.width = cells.length;
    const names = cells.map(normaliseHeader);
    const at = (name: string): number | null => {
      const i = names.indexOf(normaliseHeader(name));
      return i === -1 ? null : i;
    };
    const nhs = at('PCN_CODE') !== null;
    const required = nhs
      ? ['PRACTICE_CODE', 'PRACTICE_NAME', 'PCN_CODE', 'PCN_NAME']
      : ['network_code', 'network_name', 'practice_code', 'practice_name'];
    const missing = required.filter((n) => at(n) === null);
    for (const name of missing) {
      this.errors.push({
        row: 1,
        column: name,
        value: null,
        message: `the header row has no "${name}" column; use the practice template (${REFERENCE_TEMPLATE_HEADER.join(', ')}) or NHS Digital's practice-to-network mapping file`,
      });
    }
    if (missing.length) return;
    const column = (name: string) => must(at(name), `a "${name}" column (the header check found every required one)`);
    this.plan = nhs
      ? {
          format: 'nhs-mapping',
          practiceCode: column('PRACTICE_CODE'),
          practiceName: column('PRACTICE_NAME'),
          networkCode: column('PCN_CODE'),
          networkName: column('PCN_NAME'),
          listSize: null,
          postcode: at('PRACTICE_POSTCODE'),
        }
      : {
          format: 'template',
          practiceCode: column('practice_code'),
          practiceName: column('practice_name'),
          networkCode: column('network_code'),
          networkName: column('network_name'),
          listSize: at('list_size'),
          postcode: null,
        };
  }

  row(cells: readonly string[], row: number): void {
    this.rows++;
    const plan = this.plan;
    if (!plan) return;
    if (cells.length !== this.width) {
      this.errors.push({
        row,
        column: null,
        value: null,
        message: `row ${row} has ${cells.length} values but the header has ${this.width} columns`,
      });
      return;
    }
    const practiceCode = cellAt(cells, plan.practiceCode).trim().toUpperCase();
    const practiceName = cellAt(cells, plan.practiceName).trim();
    const networkCodeRaw = cellAt(cells, plan.networkCode).trim().toUpperCase();
    const networkName = cellAt(cells, plan.networkName).trim();
    let ok = true;
    if (!PRACTICE_CODE.test(practiceCode)) {
      this.errors.push({
        row,
        column: 'practice_code',
        value: cellAt(cells, plan.practiceCode),
        message: `row ${row}: "${practiceCode}" is not an ODS practice code (one letter and five digits, e.g. F84003)`,
      });
      ok = false;
    }
    if (practiceName === '') {
      this.errors.push({
        row,
        column: 'practice_name',
        value: '',
        message: `row ${row}: the practice name is missing`,
      });
      ok = false;
    }
    const unallocated = UNALLOCATED.has(networkCodeRaw) && plan.format === 'nhs-mapping';
    if (!unallocated && !NETWORK_CODE.test(networkCodeRaw)) {
      this.errors.push({
        row,
        column: 'network_code',
        value: cellAt(cells, plan.networkCode),
        message: `row ${row}: "${networkCodeRaw}" is not a network code (letters, digits and dashes, up to 16)`,
      });
      ok = false;
    }
    let listSize: number | null = null;
    if (plan.listSize !== null && cellAt(cells, plan.listSize).trim() !== '') {
      const parsed = parseCount(cellAt(cells, plan.listSize));
      if (parsed.ok) listSize = parsed.value;
      else {
        this.errors.push({
          row,
          column: 'list_size',
          value: cellAt(cells, plan.listSize),
          message: `row ${row}: list size "${cellAt(cells, plan.listSize).trim()}" ${parsed.problem}`,
        });
        ok = false;
      }
    }
    const first = this.seen.get(practiceCode);
    if (first !== undefined) {
      this.errors.push({
        row,
        column: 'practice_code',
        value: practiceCode,
        message: `row ${row}: practice ${practiceCode} is already listed in row ${first}; a practice belongs to one network`,
      });
      ok = false;
    }
    if (!ok) return;
    this.seen.set(practiceCode, row);
    this.records.push({
      practiceCode,
      practiceName,
      postcode: plan.postcode === null ? null : cellAt(cells, plan.postcode).trim() || null,
      networkCode: unallocated ? null : networkCodeRaw,
      networkName: unallocated ? null : networkName || networkCodeRaw,
      listSize,
    });
  }

  fileError(message: string): void {
    this.errors.push({ row: null, column: null, value: null, message });
  }

  finish(): { format: ReferenceFormat | null; records: ReferenceRecord[]; errors: ValidationError[] } {
    if (!this.headerSeen) this.fileError('the file is empty');
    else if (this.rows === 0 && this.errors.length === 0) this.fileError('the file has a header row but no practices');
    return { format: this.plan?.format ?? null, records: this.records, errors: this.errors };
  }
}
