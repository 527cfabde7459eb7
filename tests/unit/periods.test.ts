import { describe, expect, it } from 'vitest';
import {
  addMonths,
  contractYearOf,
  contractYearPeriods,
  defaultContractYear,
  isContractYearCode,
  isPeriod,
  periodRange,
  spanCovers,
} from '../../server/domain/periods';

describe('periods and contract years', () => {
  it('recognises months written YYYY-MM only', () => {
    expect(['2025-04', '2026-12'].every(isPeriod)).toBe(true);
    expect(['2025-4', '2025-13', '2025-00', '25-04', '2025-04-30'].some(isPeriod)).toBe(false);
  });
  it('puts April in the new contract year and March in the old', () => {
    expect(contractYearOf('2025-03')).toBe('2024-25');
    expect(contractYearOf('2025-04')).toBe('2025-26');
    expect(contractYearOf('2026-03')).toBe('2025-26');
    expect(contractYearOf('1999-12')).toBe('1999-00');
    expect(contractYearPeriods('2025-26')).toEqual({ firstPeriod: '2025-04', lastPeriod: '2026-03' });
    expect(isContractYearCode('2025-26')).toBe(true);
    expect(isContractYearCode('2025-27')).toBe(false);
    expect(isContractYearCode('1999-00')).toBe(true);
  });
  it('steps across year ends', () => {
    expect(addMonths('2025-12', 1)).toBe('2026-01');
    expect(addMonths('2026-01', -1)).toBe('2025-12');
    expect(periodRange('2025-11', '2026-02')).toEqual(['2025-11', '2025-12', '2026-01', '2026-02']);
  });
  it('membership spans include both ends and run on when open', () => {
    expect(spanCovers({ fromPeriod: '2025-04', toPeriod: '2025-09' }, '2025-09')).toBe(true);
    expect(spanCovers({ fromPeriod: '2025-04', toPeriod: '2025-09' }, '2025-10')).toBe(false);
    expect(spanCovers({ fromPeriod: '2025-10', toPeriod: null }, '2030-01')).toBe(true);
    expect(spanCovers({ fromPeriod: '2025-10', toPeriod: null }, '2025-09')).toBe(false);
  });
  it('opens the screens on the year holding the latest period with data, else the last year', () => {
    const years = [
      { code: '2025-26', firstPeriod: '2025-04', lastPeriod: '2026-03' },
      { code: '2026-27', firstPeriod: '2026-04', lastPeriod: '2027-03' },
    ];
    expect(defaultContractYear(years, '2026-03')).toBe('2025-26');
    expect(defaultContractYear(years, '2026-10')).toBe('2026-27');
    expect(defaultContractYear(years, '2024-01')).toBe('2026-27'); // data before every year: the last year
    expect(defaultContractYear(years, null)).toBe('2026-27');
    expect(defaultContractYear([], '2026-10')).toBeNull();
  });
});
