/** The streaming CSV reader: separators, encodings, line endings, quoting, and chunk boundaries anywhere. */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { readCsv } from '../../server/ingest/csv';

async function read(input: Buffer | string, chunkSize = 1 << 16) {
  const bytes = Buffer.isBuffer(input) ? input : Buffer.from(input, 'utf8');
  const chunks: Buffer[] = [];
  for (let i = 0; i < bytes.length; i += chunkSize) chunks.push(bytes.subarray(i, i + chunkSize));
  const rows: [number, string[]][] = [];
  const errors: string[] = [];
  const stored: Buffer[] = [];
  const summary = await readCsv(
    (async function* () {
      yield* chunks;
    })(),
    {
      onBytes: (b) => stored.push(b),
      onHeader: (cells) => rows.push([1, cells]),
      onRow: (cells, n) => rows.push([n, cells]),
      onFileError: (m) => errors.push(m),
    },
  );
  return { rows, errors, summary, stored: Buffer.concat(stored) };
}

const EXPECTED: [number, string[]][] = [
  [1, ['period', 'practice_code', 'numerator']],
  [2, ['2025-10', 'F84001', '1,234']],
  [3, ['2025-10', 'F84002', '7']],
];

describe('readCsv', () => {
  it.each([
    ['commas', 'period,practice_code,numerator\n2025-10,F84001,"1,234"\n2025-10,F84002,7\n'],
    ['semicolons', 'period;practice_code;numerator\n2025-10;F84001;1,234\n2025-10;F84002;7\n'],
    ['tabs', 'period\tpractice_code\tnumerator\n2025-10\tF84001\t1,234\n2025-10\tF84002\t7\n'],
    [
      'CRLF and a byte-order mark',
      '\uFEFFperiod,practice_code,numerator\r\n2025-10,F84001,"1,234"\r\n2025-10,F84002,7\r\n',
    ],
    [
      'no final newline and blank lines',
      'period,practice_code,numerator\n\n2025-10,F84001,"1,234"\n\n2025-10,F84002,7',
    ],
  ])('reads %s', async (_name, text) => {
    for (const size of [1, 2, 3, 7, 1 << 16]) {
      const r = await read(text, size);
      expect(r.errors).toEqual([]);
      expect(r.rows).toEqual(EXPECTED);
    }
  });

  it('keeps quoted separators, quotes and line breaks inside a value, across chunk boundaries', async () => {
    const text = 'code,name\nF84001,"Smith, Jones ""and"" Partners\nSurgery"\n';
    for (const size of [1, 5, 100]) {
      const r = await read(text, size);
      expect(r.rows).toEqual([
        [1, ['code', 'name']],
        [2, ['F84001', 'Smith, Jones "and" Partners\nSurgery']],
      ]);
    }
  });

  it('decodes a multi-byte character split between chunks', async () => {
    const r = await read('code,name\nF84001,Café £5 — ok\n', 1);
    expect(r.rows[1]![1]).toEqual(['F84001', 'Café £5 — ok']);
  });

  it('hashes and hands on every byte, whatever happens', async () => {
    const text = 'a,b\n1,2\n';
    const r = await read(text, 3);
    expect(r.summary.sizeBytes).toBe(8);
    expect(r.summary.sha256).toBe(createHash('sha256').update(text).digest('hex'));
    expect(r.stored.toString()).toBe(text);
    expect(r.summary.delimiter).toBe(',');
  });

  it('refuses a spreadsheet or other binary file', async () => {
    const r = await read(Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x14, 0x00, 0x06, 0x00]));
    expect(r.errors[0]).toContain('not CSV text');
    expect(r.rows).toEqual([]);
    expect(r.summary.readable).toBe(false);
  });

  it('refuses text that is not UTF-8 (e.g. saved as Windows-1252), saying how to re-save it', async () => {
    const r = await read(Buffer.from('code,name\nF84001,Caf\xe9\n', 'latin1'));
    expect(r.errors).toEqual([
      'the file is not UTF-8 text; in Excel use "Save As" → "CSV UTF-8 (comma delimited)" and upload that file',
    ]);
  });
});
