/** Every validation rule of an observations upload, on small in-memory files. */
import { describe, expect, it } from 'vitest';
import {
  SubmissionValidator,
  MAX_LISTED_ERRORS,
  type SubmissionOptions,
  type SubmissionReference,
} from '../../server/domain/submission';

const REFERENCE: SubmissionReference = {
  practices: [
    { id: 1, code: 'F84001', name: 'One', spans: [{ networkCode: 'N1', fromPeriod: '2025-04', toPeriod: null }] },
    {
      id: 2,
      code: 'F84002',
      name: 'Two',
      spans: [
        { networkCode: 'N1', fromPeriod: '2025-04', toPeriod: '2025-09' },
        { networkCode: 'N2', fromPeriod: '2025-10', toPeriod: null },
      ],
    },
    { id: 3, code: 'F84003', name: 'Three', spans: [] },
  ],
  contractYears: [
    {
      code: '2025-26',
      firstPeriod: '2025-04',
      lastPeriod: '2026-03',
      lockedAt: null,
      lockedBy: null,
      indicatorCodes: ['DM-BP', 'DM-CP'],
      aliases: { DM036: 'DM-BP' },
    },
    {
      code: '2024-25',
      firstPeriod: '2024-04',
      lastPeriod: '2025-03',
      lockedAt: '2025-06-30T12:00:00Z',
      lockedBy: 'commissioner',
      indicatorCodes: ['DM-BP'],
      aliases: {},
    },
  ],
};
const ADMIN: SubmissionOptions = {
  uploader: { username: 'a', role: 'admin', networkCode: null },
  currentPeriod: '2026-01',
};
const MANAGER: SubmissionOptions = { ...ADMIN, uploader: { username: 'm', role: 'manager', networkCode: 'N1' } };

function validate(lines: string[][], options: SubmissionOptions = ADMIN) {
  const v = new SubmissionValidator(REFERENCE, options);
  if (lines.length) v.header(lines[0]!);
  lines.slice(1).forEach((cells, i) => v.row(cells, i + 2));
  return v.finish();
}
const LONG = ['period', 'practice_code', 'indicator_code', 'numerator', 'denominator', 'exceptions'];
const messages = (o: ReturnType<typeof validate>) => o.errors.map((e) => e.message);

describe('a valid long file', () => {
  it('turns every row into an observation', () => {
    const o = validate([
      LONG,
      ['2025-10', 'F84001', 'DM-BP', '50', '80', '3'],
      ['2025-10', 'f84002', 'dm-cp', '0', '0', ''],
    ]);
    expect(o.errors).toEqual([]);
    expect(o.format).toBe('long');
    expect(o.records).toBe(2);
    expect(o.batch.length).toBe(2);
    expect(o.batch.get(0)).toEqual({
      period: '2025-10',
      practiceId: 1,
      indicatorCode: 'DM-BP',
      numerator: 50,
      denominator: 80,
      exceptions: 3,
      row: 2,
    });
    expect(o.batch.get(1)).toEqual({
      period: '2025-10',
      practiceId: 2,
      indicatorCode: 'DM-CP',
      numerator: 0,
      denominator: 0,
      exceptions: null,
      row: 3,
    });
  });
});

describe('row rules', () => {
  it('numerator greater than denominator', () => {
    expect(messages(validate([LONG, ['2025-10', 'F84001', 'DM-BP', '120', '98', '']]))).toEqual([
      'row 2: numerator 120 is greater than denominator 98 for DM-BP at F84001; the numerator counts patients inside the denominator, so check both figures',
    ]);
  });
  it('the same key twice names both rows', () => {
    const o = validate([
      LONG,
      ['2025-10', 'F84001', 'DM-BP', '1', '2', ''],
      ['2025-11', 'F84001', 'DM-BP', '1', '2', ''],
      ['2025-10', 'F84001', 'DM-BP', '1', '3', ''],
    ]);
    expect(messages(o)).toEqual([
      'row 4: DM-BP for F84001 in 2025-10 is already given in row 2; keep one of the two rows',
    ]);
  });
  it('unknown practice, and a practice in no network at the period', () => {
    const o = validate([
      LONG,
      ['2025-10', 'F89999', 'DM-BP', '1', '2', ''],
      ['2025-10', 'F84003', 'DM-BP', '1', '2', ''],
      ['2025-10', '', 'DM-BP', '1', '2', ''],
    ]);
    expect(o.errors.map((e) => [e.row, e.column, e.value])).toEqual([
      [2, 'practice_code', 'F89999'],
      [3, 'practice_code', 'F84003'],
      [4, 'practice_code', ''],
    ]);
    expect(messages(o)[1]).toContain('not a member of any network in Oct 2025');
  });
  it("a network manager may send only their own network's practices, as membership stood at the period", () => {
    const o = validate(
      [LONG, ['2025-09', 'F84002', 'DM-BP', '1', '2', ''], ['2025-10', 'F84002', 'DM-BP', '1', '2', '']],
      MANAGER,
    );
    expect(o.errors.map((e) => e.row)).toEqual([3]);
    expect(messages(o)[0]).toContain('practice F84002 is not a member of your network N1 in Oct 2025');
    expect(messages(o)[0]).not.toContain('N2'); // the network it does belong to is not the manager's business
  });
  it('unknown indicator for the contract year of the period', () => {
    const o = validate([LONG, ['2025-10', 'F84001', 'DM-XX', '1', '2', ''], ['2025-10', 'F84001', '', '1', '2', '']]);
    expect(messages(o)).toEqual([
      'row 2: DM-XX is not an indicator of contract year 2025-26; check the code against the template',
      'row 3: the indicator code is missing',
    ]);
  });
  it('periods: malformed, missing, outside the contract years, in the future, locked by sign-off', () => {
    const o = validate([
      LONG,
      ['Oct-25', 'F84001', 'DM-BP', '1', '2', ''],
      ['', 'F84001', 'DM-BP', '1', '2', ''],
      ['2023-10', 'F84001', 'DM-BP', '1', '2', ''],
      ['2026-02', 'F84001', 'DM-BP', '1', '2', ''],
      ['2025-03', 'F84001', 'DM-BP', '1', '2', ''],
    ]);
    expect(o.errors.map((e) => e.column)).toEqual(['period', 'period', 'period', 'period', 'period']);
    expect(messages(o)).toEqual([
      'row 2: period "Oct-25" is not a month written YYYY-MM (for example 2025-11)',
      'row 3: the period is missing; write it as YYYY-MM',
      'row 4: period 2023-10 is outside the contract years set up (2024-25 to 2025-26); ask an admin to add contract year 2023-24 first',
      'row 5: period 2026-02 is in the future; data can be uploaded once the month has ended',
      'row 6: period 2025-03 belongs to contract year 2024-25, which commissioner signed off on 2025-06-30; a commissioner must reopen the year before data for it can change',
    ]);
  });
  it('counts: suppressed, negative, decimal, missing, text, and bad exceptions', () => {
    const o = validate([
      LONG,
      ['2025-10', 'F84001', 'DM-BP', '*', '2', ''],
      ['2025-10', 'F84001', 'DM-CP', '1', '-2', ''],
      ['2025-11', 'F84001', 'DM-BP', '1.5', '2', ''],
      ['2025-11', 'F84001', 'DM-CP', '1', '', 'x'],
    ]);
    expect(o.errors.map((e) => [e.row, e.column, e.value])).toEqual([
      [2, 'numerator', '*'],
      [3, 'denominator', '-2'],
      [4, 'numerator', '1.5'],
      [5, 'denominator', ''],
      [5, 'exceptions', 'x'],
    ]);
    expect(o.batch.length).toBe(0);
  });
  it('a row with the wrong number of values', () => {
    expect(messages(validate([LONG, ['2025-10', 'F84001', 'DM-BP', '1', '2']]))).toEqual([
      'row 2 has 5 values but the header has 6 columns; check for a stray separator or a missing value',
    ]);
  });
  it('lists the first errors and counts them all', () => {
    const rows = Array.from({ length: MAX_LISTED_ERRORS + 50 }, () => ['2025-10', 'F89999', 'DM-BP', '1', '2', '']);
    const o = validate([LONG, ...rows]);
    expect(o.errors).toHaveLength(MAX_LISTED_ERRORS);
    expect(o.errorCount).toBe(MAX_LISTED_ERRORS + 50);
  });
});

describe('file rules', () => {
  it('an empty file and a header with no rows', () => {
    expect(messages(validate([]))).toEqual(['the file is empty: export the figures again and upload the CSV file']);
    expect(messages(validate([LONG]))).toEqual([
      'the file has a header row but no data rows: export the figures again with the rows included',
    ]);
  });
  it('rows after a bad header are not read, so only the header errors are reported', () => {
    const o = validate([
      ['period', 'practise_code', 'indicator_code', 'numerator', 'denominator'],
      ['2025-10', 'F84001', 'DM-BP', '1', '2'],
    ]);
    expect(o.errors.map((e) => e.row)).toEqual([1, 1]);
    expect(o.records).toBe(1);
  });
});

describe('the wide layout', () => {
  it('reads one observation per indicator column pair, and reports each bad cell by its column', () => {
    const header = [
      'period',
      'practice_code',
      'DM-BP_numerator',
      'DM-BP_denominator',
      'DM-CP_numerator',
      'DM-CP_denominator',
    ];
    const o = validate([header, ['2025-10', 'F84001', '5', '8', '9', '7']]);
    expect(o.errors).toEqual([
      {
        row: 2,
        column: 'DM-CP_numerator',
        value: '9',
        message:
          'row 2: numerator 9 is greater than denominator 7 for DM-CP at F84001; the numerator counts patients inside the denominator, so check both figures',
      },
    ]);
    const ok = validate([header, ['2025-10', 'F84001', '5', '8', '6', '7']]);
    expect(ok.batch.length).toBe(2);
  });
});

describe('the QOF layout', () => {
  const QOF = ['PRACTICE_CODE', 'INDICATOR_CODE', 'MEASURE', 'VALUE'];
  const withPeriod = { ...ADMIN, period: '2025-12' };
  it('needs the period given with the upload', () => {
    expect(messages(validate([QOF, ['F84001', 'DM036', 'NUMERATOR', '1']]))[0]).toContain('choose the period');
  });
  it('joins the measures of a practice and indicator, maps QOF codes and counts what it skips', () => {
    const o = validate(
      [
        QOF,
        ['F84001', 'DM036', 'NUMERATOR', '40'],
        ['F84001', 'DM036', 'PCAS', '4'],
        ['F84001', 'DM036', 'DENOMINATOR', '60'],
        ['F84001', 'DM036', 'POINTS', '3'],
        ['F84001', 'AST001', 'NUMERATOR', '1'],
        ['Y00000', 'DM036', 'NUMERATOR', '1'],
      ],
      withPeriod,
    );
    expect(o.errors).toEqual([]);
    expect(o.batch.get(0)).toEqual({
      period: '2025-12',
      practiceId: 1,
      indicatorCode: 'DM-BP',
      numerator: 40,
      denominator: 60,
      exceptions: 4,
      row: 2,
    });
    expect(o.skipped).toEqual([
      { reason: 'other-measure', rows: 1, examples: ['POINTS'] },
      { reason: 'unknown-indicator', rows: 1, examples: ['AST001'] },
      { reason: 'outside-networks', rows: 1, examples: ['Y00000'] },
    ]);
  });
  it('reports a missing denominator and a repeated measure', () => {
    const o = validate(
      [QOF, ['F84001', 'DM036', 'NUMERATOR', '40'], ['F84001', 'DM036', 'NUMERATOR', '41']],
      withPeriod,
    );
    expect(messages(o)).toEqual([
      'row 3: NUMERATOR for DM036 at F84001 is already given in row 2; keep one of the two rows',
      'DM-BP at F84001 has no DENOMINATOR row; the file needs both the numerator and the denominator',
    ]);
  });
});
