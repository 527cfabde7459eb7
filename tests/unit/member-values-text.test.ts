/** Reading the month read's text in place (db/repositories/statements.ts readMemberValues). */
import { describe, expect, it } from 'vitest';
import { readMemberValues } from '../../server/db/repositories/statements';

type Value = [id: number, code: string, numerator: number, denominator: number, exceptions: number];
const readAll = (text: string): Value[] => {
  const out: Value[] = [];
  readMemberValues(text, (...value) => out.push(value));
  return out;
};

describe('readMemberValues', () => {
  it('reads each [id,"code",n,d,e] array, exceptions null as -1', () => {
    expect(readAll('[12,"DM-BP",70,100,3],[12,"DM-CP",0,0,null]')).toEqual([
      [12, 'DM-BP', 70, 100, 3],
      [12, 'DM-CP', 0, 0, -1],
    ]);
  });

  it('an empty text holds no value', () => {
    expect(readAll('')).toEqual([]);
  });

  it('large whole numbers exactly, and a code with an escape or a comma decoded as JSON', () => {
    expect(readAll('[1,"A\\"B,C",9007199254740991,9007199254740991,0]')).toEqual([
      [1, 'A"B,C', Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER, 0],
    ]);
    expect(readAll('[2,"X\\\\",1,2,null],[3,"Y",4,5,6]')).toEqual([
      [2, 'X\\', 1, 2, -1],
      [3, 'Y', 4, 5, 6],
    ]);
  });

  it('gives what JSON.parse gives for the same values', () => {
    const values = Array.from({ length: 300 }, (_, i) => [i, `IND-${i % 22}`, i * 7, i * 11, i % 5 ? i : null]);
    const text = values.map((v) => JSON.stringify(v)).join(',');
    expect(readAll(text)).toEqual(values.map(([id, code, n, d, e]) => [id, code, n, d, e ?? -1]));
  });

  it('refuses a text of another shape rather than misreading it', () => {
    expect(() => readAll('[1,"A",2.5,3,null]')).toThrow(/unexpected member values/);
    expect(() => readAll('[1,"A",2,3]')).toThrow(/unexpected member values/);
    expect(() => readAll('[1,"A,2,3,4]')).toThrow(/unexpected member values/);
    expect(() => readAll('1,2,3,4,5')).toThrow(/unexpected member values/);
  });
});
