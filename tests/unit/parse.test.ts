import { describe, expect, it } from 'vitest';
import {
  bpToPercentText,
  parsePercentToBp,
  parsePoundsToPence,
  penceToPoundsText,
} from '../../web/src/lib/format/parse';

describe('admin form parsing is exact', () => {
  it('percentages to basis points', () => {
    expect(parsePercentToBp('85')).toBe(8500);
    expect(parsePercentToBp('85.5')).toBe(8550);
    expect(parsePercentToBp('85.25%')).toBe(8525);
    expect(parsePercentToBp('0.01')).toBe(1);
    expect(parsePercentToBp('100')).toBe(10000);
    for (const bad of ['101', '85.555', '-5', 'abc', '', '1e2']) expect(parsePercentToBp(bad)).toBeNull();
    expect(bpToPercentText(8550)).toBe('85.5');
    expect(bpToPercentText(8525)).toBe('85.25');
    expect(bpToPercentText(9500)).toBe('95');
    for (const bp of [0, 1, 10, 99, 8505, 10000]) expect(parsePercentToBp(bpToPercentText(bp))).toBe(bp);
  });
  it('pounds to pence, never through floating point', () => {
    expect(parsePoundsToPence('£250,000.50')).toBe(25_000_050);
    expect(parsePoundsToPence('250000')).toBe(25_000_000);
    expect(parsePoundsToPence('0.1')).toBe(10);
    expect(parsePoundsToPence('1.15')).toBe(115); // 1.15 × 100 is 114.99999999999999 in floating point
    for (const bad of ['£1,00', '1.234', 'ten', '-5', '']) expect(parsePoundsToPence(bad)).toBeNull();
    expect(penceToPoundsText(25_000_050)).toBe('250000.50');
    expect(parsePoundsToPence(penceToPoundsText(199))).toBe(199);
  });
});
