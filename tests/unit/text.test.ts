import { describe, expect, it } from 'vitest';
import { closest, editDistance, normaliseHeader, parseCount } from '../../server/domain/text';

describe('normaliseHeader', () => {
  it.each([
    ['practice_code', 'practicecode'],
    ['Practice Code', 'practicecode'],
    ['PRACTICE-CODE', 'practicecode'],
    ['\uFEFFperiod', 'period'],
    [' Indicator_Code ', 'indicatorcode'],
    ['DM-BP_numerator', 'dmbpnumerator'],
  ])('%j → %j', (input, expected) => expect(normaliseHeader(input)).toBe(expected));
});

describe('parseCount', () => {
  it.each([
    ['0', 0],
    ['42', 42],
    [' 42 ', 42],
    ['1,234', 1234],
    ['12,345,678', 12345678],
  ])('reads %j as %d', (raw, value) => expect(parseCount(raw)).toEqual({ ok: true, value }));

  it.each([
    ['', 'is missing'],
    ['   ', 'is missing'],
    ['*', 'suppression marker'],
    ['c', 'suppression marker'],
    ['X', 'suppression marker'],
    ['[note1]', 'suppression marker'],
    ['-3', 'negative'],
    ['12.5', 'not a whole number'],
    ['1,23', 'not a number'],
    ['twelve', 'not a number'],
    ['9999999999', 'too large'],
  ])('refuses %j: %s', (raw, problem) => {
    const r = parseCount(raw);
    expect(r.ok).toBe(false);
    expect(!r.ok && r.problem).toContain(problem);
  });
});

describe('closest', () => {
  it('suggests a near spelling and nothing for a far one', () => {
    expect(editDistance('denominater', 'denominator')).toBe(1);
    expect(closest('denominater', ['numerator', 'denominator'])).toBe('denominator');
    expect(closest('banana', ['numerator', 'denominator'])).toBeNull();
  });
});
