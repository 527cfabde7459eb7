/** Reading a group_concat of numbers one at a time (db/repositories/statements.ts, the month read). */
import { describe, expect, it } from 'vitest';
import { IntegerReader } from '../../server/db/repositories/statements';

const readAll = (text: string): number[] => {
  const reader = new IntegerReader(text);
  const out: number[] = [];
  while (!reader.done) out.push(reader.next());
  return out;
};

describe('IntegerReader', () => {
  it('reads each number between the commas, minus signs included', () => {
    expect(readAll('12,3,0,140,-1')).toEqual([12, 3, 0, 140, -1]);
  });

  it('an empty text holds no number', () => {
    expect(readAll('')).toEqual([]);
    expect(new IntegerReader('').done).toBe(true);
  });

  it('reads a single number and large whole numbers exactly', () => {
    expect(readAll('7')).toEqual([7]);
    expect(readAll('9007199254740991,1000000000000')).toEqual([Number.MAX_SAFE_INTEGER, 1e12]);
  });

  it('gives what JSON.parse gives for the same list', () => {
    const numbers = Array.from({ length: 500 }, (_, i) => (i % 7 === 0 ? -1 : i * 7919));
    const text = numbers.join(',');
    expect(readAll(text)).toEqual(JSON.parse(`[${text}]`));
  });
});
