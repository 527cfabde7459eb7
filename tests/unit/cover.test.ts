import { describe, expect, it } from 'vitest';
import { classifyCoverColumn, coverNumerator, quarterEndPeriod, readCoverValue } from '../../server/domain/cover';

describe('COVER file reading', () => {
  it('maps every published spelling of the four indicators and their denominators', () => {
    const code = (c: string) => {
      const k = classifyCoverColumn(c);
      return k === null ? null : k.kind === 'denominator' ? `den ${k.age}` : k.indicator.code;
    };
    expect(['12m Denominator', '12m denominator', '12 month denominator'].map(code)).toEqual([
      'den 12m',
      'den 12m',
      'den 12m',
    ]);
    expect(['24m Denominator', '24 month denominator', '5y Denominator', '5 year denominator'].map(code)).toEqual([
      'den 24m',
      'den 24m',
      'den 5y',
      'den 5y',
    ]);
    expect(
      ['12m DTaP/IPV/Hib %', '12m DTaP/IPV/Hib/HepB %', '12mDTaPIPVHibHepB%', '12 month DTaP/IPV/Hib/HepB%'].map(code),
    ).toEqual(Array(4).fill('IMM-DTAP-12M'));
    expect(['24m MMR1%', '24 month MMR1%'].map(code)).toEqual(['IMM-MMR1-24M', 'IMM-MMR1-24M']);
    expect(['5y MMR2%', '5 year MMR2%'].map(code)).toEqual(['IMM-MMR2-5Y', 'IMM-MMR2-5Y']);
    expect(['5y DTaPIPV%', '5 year DTaPIPV%'].map(code)).toEqual(['IMM-DTAPIPV-5Y', 'IMM-DTAPIPV-5Y']);
    // Similar-looking columns that are other measures.
    expect(
      ['5y DTaP/IPV/Hib%', '24m DTaP/IPV/Hib(Hep) %', '5y MMR1%', '12m MenB%', 'CCG code', '24m Hib/MenC%'].map(code),
    ).toEqual(Array(6).fill(null));
  });
  it('records each quarter at its last month', () => {
    expect(quarterEndPeriod('q01_Apr19Jun19')).toBe('2019-06');
    expect(quarterEndPeriod('q04_Jan20Mar20')).toBe('2020-03');
    expect(quarterEndPeriod('q22_Jul24Sept24')).toBe('2024-09');
    expect(quarterEndPeriod('Q3 2020')).toBeNull();
  });
  it('treats suppressed cells as missing, never zero', () => {
    for (const s of ['*', '[note1]', '[note 1]', '', '  '])
      expect(readCoverValue(s)).toEqual({ ok: false, suppressed: true });
    expect(readCoverValue('90.909090909090907')).toEqual({ ok: true, value: 90.909090909090907 });
    expect(readCoverValue('0')).toEqual({ ok: true, value: 0 });
    expect(readCoverValue('n/a')).toEqual({ ok: false, suppressed: false });
  });
  it('derives numerators from the published percentages: 90.909…% of 33 is 30', () => {
    expect(coverNumerator(90.909090909090907, 33)).toEqual({ numerator: 30, offBy: expect.closeTo(0, 9) });
    expect(coverNumerator(85.714285714285708, 35).numerator).toBe(30);
    expect(coverNumerator(100, 30).numerator).toBe(30);
  });
});
