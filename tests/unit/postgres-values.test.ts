import { describe, expect, it } from 'vitest';
import { parseInt8, parseNumeric, UnsafeNumberError } from '../../server/db/postgres/connect';
import { databaseTextProblem } from '../../server/db/postgres/migrate';

// PostgreSQL sends int8 and numeric results as text; these turn them into numbers, or refuse.
describe('int8 results read as numbers', () => {
  it.each([
    ['0', 0],
    ['42', 42],
    ['-42', -42],
    ['2147483648', 2_147_483_648], // 2^31: past integer, well within a number
    ['9007199254740991', Number.MAX_SAFE_INTEGER],
    ['-9007199254740991', -Number.MAX_SAFE_INTEGER],
  ])('%s is %d', (text, value) => {
    expect(parseInt8(text)).toBe(value);
  });

  it.each(['9007199254740992', '9007199254740993', '-9007199254740992', '9223372036854775807'])(
    '%s is refused: a number cannot hold it exactly',
    (text) => {
      expect(() => parseInt8(text)).toThrow(UnsafeNumberError);
      expect(() => parseInt8(text)).toThrow(`bigint ${text}`);
    },
  );
});

describe('numeric results read as numbers', () => {
  it.each([
    ['0', 0],
    ['6442450944', 6_442_450_944], // three sums of 2^31 pence
    ['9007199254740991', Number.MAX_SAFE_INTEGER],
    ['0.5000000000000000', 0.5],
    ['-1.25', -1.25],
    ['2282.0000', 2282],
  ])('%s is %d', (text, value) => {
    expect(parseNumeric(text)).toBe(value);
  });

  it.each(['9007199254740992', '9007199254740991.5', '-12345678901234567890', 'NaN', 'Infinity', '-Infinity'])(
    '%s is refused',
    (text) => {
      expect(() => parseNumeric(text)).toThrow(UnsafeNumberError);
    },
  );
});

describe('the database must keep text as UTF-8 and sort it byte by byte, as SQLite does', () => {
  it.each([
    [{ encoding: 'UTF8', provider: 'c', collate: 'C' }, null],
    [{ encoding: 'UTF8', provider: 'c', collate: 'C.UTF-8' }, null],
    [{ encoding: 'UTF8', provider: 'c', collate: 'C.utf8' }, null],
    [{ encoding: 'UTF8', provider: 'c', collate: 'POSIX' }, null],
    [{ encoding: 'UTF8', provider: 'b', collate: 'C' }, null],
  ])('%o is accepted', (text, problem) => {
    expect(databaseTextProblem(text)).toBe(problem);
  });

  it.each([
    [
      { encoding: 'LATIN1', provider: 'c', collate: 'C' },
      "encoding is LATIN1, not UTF8; create the database with: CREATE DATABASE <name> TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C' LC_CTYPE 'C.UTF-8'",
    ],
    [
      { encoding: 'UTF8', provider: 'c', collate: 'en_GB.UTF-8' },
      'sorts text by the collation en_GB.UTF-8, not byte by byte',
    ],
    [{ encoding: 'UTF8', provider: 'i', collate: 'C' }, 'sorts text by an ICU collation, not byte by byte'],
  ])('%o is refused, saying how to create it', (text, problem) => {
    const said = databaseTextProblem(text);
    expect(said).toContain(problem);
    expect(said).toContain('CREATE DATABASE');
  });
});
