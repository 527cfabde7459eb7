import { describe, expect, it } from 'vitest';
import { planLayout, templateHeader } from '../../server/domain/submission-layout';

const CODES = ['DM-BP', 'DM-CP', 'COPD-FLU'];

describe('layout detection from the header row', () => {
  it('detects the long layout, in any column order and spelling', () => {
    const { plan, errors } = planLayout(
      ['Practice Code', 'PERIOD', 'indicator-code', 'Denominator', 'numerator', 'Exceptions'],
      CODES,
    );
    expect(errors).toEqual([]);
    expect(plan).toEqual({
      format: 'long',
      period: 1,
      practice: 0,
      indicator: 2,
      numerator: 4,
      denominator: 3,
      exceptions: 5,
    });
  });

  it('detects the wide layout and groups columns by indicator', () => {
    const { plan, errors } = planLayout(
      [
        'period',
        'practice_code',
        'DM-BP_numerator',
        'DM-BP_denominator',
        'dm_bp_exceptions',
        'COPD-FLU numerator',
        'COPD-FLU denominator',
      ],
      CODES,
    );
    expect(errors).toEqual([]);
    expect(plan).toEqual({
      format: 'wide',
      period: 0,
      practice: 1,
      indicators: [
        { code: 'DM-BP', numerator: 2, denominator: 3, exceptions: 4 },
        { code: 'COPD-FLU', numerator: 5, denominator: 6, exceptions: null },
      ],
    });
  });

  it('detects the NHS Digital QOF layout and ignores its other columns', () => {
    const { plan, errors } = planLayout(
      ['REGION_ODS_CODE', 'PRACTICE_CODE', 'INDICATOR_CODE', 'MEASURE', 'VALUE'],
      CODES,
    );
    expect(errors).toEqual([]);
    expect(plan).toEqual({ format: 'qof', practice: 1, indicator: 2, measure: 3, value: 4 });
  });

  it('names a misspelt column with a suggestion, and the column it stands for as missing', () => {
    const { plan, errors } = planLayout(
      ['period', 'practice_code', 'indicator_code', 'numerator', 'denominater'],
      CODES,
    );
    expect(plan).toBeNull();
    expect(errors).toEqual([
      {
        row: 1,
        column: 'denominater',
        value: 'denominater',
        message: 'unknown column "denominater"; did you mean "denominator"?',
      },
      {
        row: 1,
        column: 'denominator',
        value: null,
        message: 'the long layout needs a column "denominator", and the header row has none',
      },
    ]);
  });

  it('refuses duplicate and unnamed columns', () => {
    const { errors } = planLayout(
      ['period', 'practice_code', 'indicator_code', 'numerator', 'denominator', 'Numerator', ''],
      CODES,
    );
    expect(errors.map((e) => e.message)).toEqual([
      'column "Numerator" appears twice in the header row; keep one of them',
      'column 7 has no name in the header row; name it or delete the column',
    ]);
  });

  it('refuses a wide column for an unknown indicator, and a numerator with no denominator', () => {
    const { errors } = planLayout(
      ['period', 'practice_code', 'DM-BPP_numerator', 'DM-BPP_denominator', 'DM-CP_numerator'],
      CODES,
    );
    expect(errors.map((e) => e.message)).toEqual([
      'column "DM-BPP_numerator" names no indicator of the catalogue; did you mean DM-BP?',
      'column "DM-BPP_denominator" names no indicator of the catalogue; did you mean DM-BP?',
      'DM-CP has a column for part of its figures but no "DM-CP_denominator" column; add it or remove the others',
    ]);
  });

  it('says which layouts it reads when a header matches none', () => {
    const { plan, errors } = planLayout(['name', 'address'], CODES);
    expect(plan).toBeNull();
    expect(errors[0]!.message).toMatch(/does not match any layout.*long template.*wide template.*QOF/);
  });

  it('uses the layout the uploader chose, and reports what that layout lacks', () => {
    const { errors } = planLayout(
      ['period', 'practice_code', 'indicator_code', 'numerator', 'denominator'],
      CODES,
      'qof',
    );
    expect(errors.map((e) => e.column)).toEqual(['MEASURE', 'VALUE']);
  });

  it('builds template headers that it detects again', () => {
    for (const format of ['long', 'wide', 'qof'] as const) {
      expect(planLayout(templateHeader(format, CODES), CODES).plan?.format).toBe(format);
    }
  });
});
