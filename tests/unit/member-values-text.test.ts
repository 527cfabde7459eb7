/** Reading the month read's text in place into columns (db/repositories/statements.ts readMemberValues). */
import { describe, expect, it } from 'vitest';
import { readMemberValues } from '../../server/db/repositories/statements';

type Value = [id: number, code: string, numerator: number, denominator: number, exceptions: number];
const CODES = ['DM-BP', 'DM-CP', 'A"B,C', 'X\\'];

/** Reads `text` for practices 12, 1, 2 and 3 (rows 0–3) and CODES, and gives back every value sent. */
function readAll(text: string, codes = CODES): Value[] {
  const rowOfId = new Map([12, 1, 2, 3].map((id, row) => [id, row]));
  const columns = new Map(codes.map((code, column) => [code, column]));
  const width = codes.length;
  const into = {
    width,
    numerator: new Float64Array(4 * width),
    denominator: new Float64Array(4 * width).fill(-1),
    exceptions: new Float64Array(4 * width).fill(-1),
  };
  readMemberValues(text, rowOfId, columns, into);
  const out: Value[] = [];
  for (const [id, row] of rowOfId)
    codes.forEach((code, column) => {
      const at = row * width + column;
      if ((into.denominator[at] as number) >= 0)
        out.push([id, code, into.numerator[at]!, into.denominator[at]!, into.exceptions[at]!]);
    });
  return out;
}

describe('readMemberValues', () => {
  it('puts each [id,"code",n,d,e] at its practice and indicator, exceptions null as -1', () => {
    expect(readAll('[12,"DM-BP",70,100,3],[12,"DM-CP",0,0,null]')).toEqual([
      [12, 'DM-BP', 70, 100, 3],
      [12, 'DM-CP', 0, 0, -1],
    ]);
  });

  it('an empty text holds no value', () => {
    expect(readAll('')).toEqual([]);
  });

  it('skips a practice or an indicator not asked for', () => {
    expect(
      readAll('[99,"DM-BP",1,2,3],[1,"DM-XX",1,2,3],[1,"DM-B",1,2,3],[1,"DM-BPX",1,2,3],[1,"DM-BP",4,5,6]'),
    ).toEqual([[1, 'DM-BP', 4, 5, 6]]);
  });

  it('large whole numbers exactly, and a code with an escape or a comma decoded as JSON', () => {
    expect(readAll('[1,"A\\"B,C",9007199254740991,9007199254740991,0],[2,"X\\\\",1,2,null],[3,"DM-CP",4,5,6]')).toEqual(
      [
        [1, 'A"B,C', Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER, 0],
        [2, 'X\\', 1, 2, -1],
        [3, 'DM-CP', 4, 5, 6],
      ],
    );
  });

  it('codes whose characters hash alike are told apart ("Aa" and "BB" fold to the same number)', () => {
    expect(readAll('[1,"BB",1,2,3],[2,"Aa",4,5,6]', ['Aa', 'BB'])).toEqual([
      [1, 'BB', 1, 2, 3],
      [2, 'Aa', 4, 5, 6],
    ]);
  });

  it('gives what JSON.parse gives for the same values', () => {
    const values: [number, string, number, number, number | null][] = [];
    for (const id of [12, 1, 2, 3])
      CODES.forEach((code, i) => values.push([id, code, id * 7 + i, id * 11 + i, i % 2 ? i : null]));
    const text = values.map((v) => JSON.stringify(v)).join(',');
    expect(readAll(text)).toEqual(values.map(([id, code, n, d, e]) => [id, code, n, d, e ?? -1]));
  });

  it('refuses a text of another shape rather than misreading it', () => {
    for (const text of [
      '[1,"DM-BP",2.5,3,null]',
      '[1,"DM-BP",2,3]',
      '[1,"DM-BP,2,3,4]',
      '1,2,3,4,5',
      '[1,"DM-BP",1,2,nul]',
    ])
      expect(() => readAll(text), text).toThrow(/unexpected member values/);
  });
});
