import { describe, expect, it } from 'vitest';
import { must } from '../../server/domain/must';

describe('must', () => {
  it.each([
    [0, 0],
    ['', ''],
    [false, false],
    [[], []],
  ])('returns a present value unchanged, falsy ones included (%j)', (value, expected) => {
    expect(must(value, 'a value')).toEqual(expected);
  });

  it.each([undefined, null])('throws an internal error naming what was expected when the value is %s', (value) => {
    expect(() => must(value, 'the practice column')).toThrow('Internal error: expected the practice column');
  });
});
