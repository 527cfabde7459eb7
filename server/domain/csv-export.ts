/**
 * CSV for exports that leave the product. Text cells a spreadsheet would run as a formula (starting with
 * =, +, -, @, tab or carriage return) are neutralised with a leading apostrophe; numbers are written as
 * numbers. Optional small-number suppression (SPEC section 8): counts 1–7 become "*", other counts are
 * rounded to the nearest 5, and no rate is given from a suppressed count. Payment figures are never suppressed.
 */

export type Cell = string | number | null;

const FORMULA_START = /^[=+\-@\t\r]/;

export function csvCell(value: Cell): string {
  if (value === null) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  let text = value;
  if (FORMULA_START.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export function toCsv(header: readonly string[], rows: readonly (readonly Cell[])[]): string {
  return [header, ...rows].map((r) => r.map(csvCell).join(',')).join('\r\n') + '\r\n';
}

/** A count for an export: exact, or suppressed ("*" for 1–7, else rounded to the nearest 5). */
export function suppressedCount(n: number | null, suppress: boolean): Cell {
  if (n === null) return null;
  if (!suppress || n === 0) return n;
  if (n >= 1 && n <= 7) return '*';
  return Math.round(n / 5) * 5;
}

/** A rate for an export: none when either count is suppressed to "*". */
export function suppressedRate(numerator: number | null, denominator: number | null, suppress: boolean): Cell {
  if (numerator === null || denominator === null || denominator === 0) return null;
  if (suppress && ((numerator >= 1 && numerator <= 7) || (denominator >= 1 && denominator <= 7))) return null;
  return Math.round((numerator / denominator) * 10000) / 10000;
}
