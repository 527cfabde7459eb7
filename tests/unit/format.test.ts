import { describe, expect, it } from 'vitest';
import {
  formatBp,
  formatBytes,
  formatPence,
  formatPeriod,
  formatRate,
  missingPracticesText,
  noMembersText,
  plural,
} from '../../web/src/lib/format/format';

describe('web formatting', () => {
  it('money from integer pence, never via floating point', () => {
    expect(formatPence(0)).toBe('£0.00');
    expect(formatPence(5)).toBe('£0.05');
    expect(formatPence(25_012_345)).toBe('£250,123.45');
    expect(formatPence(-199)).toBe('-£1.99');
  });
  it('thresholds, rates, periods, sizes and plurals', () => {
    expect(formatBp(9500)).toBe('95%');
    expect(formatBp(8550)).toBe('85.5%');
    expect(formatRate(0.58)).toBe('58.0%');
    expect(formatRate(null)).toBe('–');
    expect(formatPeriod('2026-03')).toBe('March 2026');
    expect(formatBytes(2048)).toBe('2.0 KB');
    expect(plural(1, 'row')).toBe('1 row');
    expect(plural(1200, 'row')).toBe('1,200 rows');
  });
  it("a dissolved network's standing, worded for monthly and quarterly data", () => {
    expect(noMembersText('2021-04')).toBe('No members since April 2021');
    expect(noMembersText('2021-06', 'quarterly')).toBe('No members since the quarter April–June 2021');
  });
  it('missing practices: named where the server names them, else counted', () => {
    expect(missingPracticesText(['Z00001', 'Z00003'], 2)).toBe('Z00001, Z00003');
    expect(missingPracticesText([], 1)).toBe('1 practice');
    expect(missingPracticesText([], 3)).toBe('3 practices');
  });
});
