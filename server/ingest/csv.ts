/**
 * Bytes → CSV records, streamed. The upload is read chunk by chunk: each chunk is hashed, handed on to be
 * kept (the original file is stored whatever the outcome), decoded as UTF-8 and parsed by papaparse's
 * parser, carrying an unfinished row over to the next chunk. Nothing holds the whole file.
 *
 * Accepts comma, semicolon or tab separators (chosen from the header row), UTF-8 with or without a
 * byte-order mark, Windows or Unix line endings and quoted fields.
 */
import { createHash } from 'node:crypto';
import Papa from 'papaparse';

export interface CsvHandlers {
  /** Raw bytes as they arrive, for storage. */
  onBytes?(bytes: Buffer): void;
  onHeader(cells: string[]): void;
  /** rowNumber counts records as a spreadsheet numbers rows: the header is row 1. */
  onRow(cells: string[], rowNumber: number): void;
  /** The file cannot be read as CSV text; reading stops. */
  onFileError(message: string): void;
}

export interface CsvReadSummary {
  sizeBytes: number;
  sha256: string;
  delimiter: string | null;
  /** False when reading stopped at a file error. */
  readable: boolean;
}

/** A quoted value longer than this is taken as an unmatched quote rather than held in memory. */
const MAX_PENDING_CHARS = 4 * 1024 * 1024;

function detectDelimiter(headerLine: string): string {
  let best = ',';
  let bestCount = 0;
  for (const candidate of [',', ';', '\t']) {
    let count = 0;
    let quoted = false;
    for (const ch of headerLine) {
      if (ch === '"') quoted = !quoted;
      else if (!quoted && ch === candidate) count++;
    }
    if (count > bestCount) {
      best = candidate;
      bestCount = count;
    }
  }
  return best;
}

function looksBinary(bytes: Buffer): boolean {
  const sample = bytes.subarray(0, 8192);
  if (sample.includes(0)) return true;
  // Well-known binary signatures: ZIP (xlsx, docx), PDF, the old Excel format, PNG, GZIP.
  const signatures = [
    [0x50, 0x4b, 0x03, 0x04],
    [0x25, 0x50, 0x44, 0x46],
    [0xd0, 0xcf, 0x11, 0xe0],
    [0x89, 0x50, 0x4e, 0x47],
    [0x1f, 0x8b],
  ];
  return signatures.some((sig) => sig.every((b, i) => sample[i] === b));
}

const NOT_UTF8 =
  'the file is not UTF-8 text; in Excel use "Save As" → "CSV UTF-8 (comma delimited)" and upload that file';

/** The text of the next bytes (or, with none, of what the decoder still holds); null when they are not UTF-8. */
function decodeUtf8(decoder: TextDecoder, bytes?: Buffer): string | null {
  try {
    return bytes ? decoder.decode(bytes, { stream: true }) : decoder.decode();
  } catch (e) {
    // A fatal decoder throws a TypeError for bytes that are not UTF-8; anything else is not ours to hide.
    if (e instanceof TypeError) return null;
    throw e;
  }
}

export async function readCsv(source: AsyncIterable<Buffer | string>, handlers: CsvHandlers): Promise<CsvReadSummary> {
  const hash = createHash('sha256');
  const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });
  let sizeBytes = 0;
  let failed = false;
  let firstBytes = true;
  let pending = '';
  let parser: Papa.Parser | null = null;
  let delimiter: string | null = null;
  let rowNumber = 0;

  const fail = (message: string): void => {
    if (failed) return;
    failed = true;
    handlers.onFileError(message);
  };

  const emit = (rows: string[][]): void => {
    for (const cells of rows) {
      if (cells.length === 1 && cells[0]?.trim() === '') continue; // blank line
      rowNumber++;
      if (rowNumber === 1) handlers.onHeader(cells);
      else handlers.onRow(cells, rowNumber);
    }
  };

  const parse = (text: string, last: boolean): void => {
    pending += text;
    if (!parser) {
      // Wait for the whole header line, then choose the separator and line ending from it.
      const end = pending.search(/\r\n|\n|\r/);
      // A '\r' at the very end may be the first half of '\r\n': wait for the next chunk to tell.
      if ((end === -1 || (end === pending.length - 1 && pending[end] === '\r')) && !last) {
        if (pending.length > MAX_PENDING_CHARS)
          fail(
            'the first line of the file is over 4 MB long, so it is not a CSV header row; upload the CSV export of the figures',
          );
        return;
      }
      const headerLine = end === -1 ? pending : pending.slice(0, end);
      const newline: '\n' | '\r' | '\r\n' =
        end === -1 ? '\n' : pending.startsWith('\r\n', end) ? '\r\n' : pending[end] === '\r' ? '\r' : '\n';
      delimiter = detectDelimiter(headerLine);
      parser = new Papa.Parser({ delimiter, newline, quoteChar: '"' });
    }
    const result = parser.parse(pending, 0, !last) as Papa.ParseResult<string[]>;
    const cursor = result.meta.cursor;
    pending = last ? '' : pending.slice(cursor);
    emit(result.data);
    if (pending.length > MAX_PENDING_CHARS) {
      fail(
        `a quoted value after row ${rowNumber} runs on for over 4 MB; check the file for a quote mark (") that is never closed`,
      );
    }
  };

  for await (const chunk of source) {
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    sizeBytes += bytes.length;
    hash.update(bytes);
    handlers.onBytes?.(bytes);
    if (failed) continue; // keep reading so the whole file is hashed and kept
    if (firstBytes && bytes.length > 0) {
      firstBytes = false;
      if (looksBinary(bytes)) {
        fail(
          'the file is not CSV text (it looks like a spreadsheet, PDF or other binary file); in Excel use "Save As" → "CSV UTF-8" and upload that',
        );
        continue;
      }
    }
    const text = decodeUtf8(decoder, bytes);
    if (text === null) {
      fail(NOT_UTF8);
      continue;
    }
    parse(text, false);
  }
  if (!failed) {
    const rest = decodeUtf8(decoder);
    if (rest === null) fail(NOT_UTF8);
    else parse(rest, true);
  }
  return { sizeBytes, sha256: hash.digest('hex'), delimiter, readable: !failed };
}
