/** Small text helpers shared by the validation rules. */
import { must } from './must';

/** Header names are matched case-insensitively, ignoring spaces, dashes, underscores and a byte-order mark. */
export function normaliseHeader(name: string): string {
  return name
    .replace(/^\uFEFF/, '')
    .toLowerCase()
    .replace(/[\s\-_]+/g, '');
}

/** Levenshtein edit distance, for "did you mean" suggestions on misspelt columns. */
export function editDistance(a: string, b: string): number {
  // One row of the table at a time: prev[j] is the distance between the first i characters of a and the first
  // j of b; `left` is the cell just written in this row, `diagonal` the one above-left of the next.
  const prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  let distance = b.length;
  for (let i = 1; i <= a.length; i++) {
    let diagonal = i - 1;
    let left = i;
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = must(prev[j], 'a cell of the previous row');
      left = Math.min(above + 1, left + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev[j] = left;
      diagonal = above;
    }
    distance = left;
  }
  return distance;
}

/** The closest candidate within a small distance, or null. */
export function closest(value: string, candidates: readonly string[]): string | null {
  let best: string | null = null;
  let bestDistance = Math.max(2, Math.floor(value.length / 4)) + 1;
  for (const candidate of candidates) {
    const d = editDistance(value, candidate);
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return best;
}

export type CountResult = { ok: true; value: number } | { ok: false; problem: string };

const SUPPRESSED = new Set(['*', 'c', 'x', '[c]', '[x]', '[z]', '[note1]', '-', '..']);
const MAX_COUNT = 2_000_000_000;

/**
 * A count of patients: a whole number ≥ 0, with thousands separators allowed ("1,234", as spreadsheets
 * quote them). Suppression markers get their own message because the fix is different (ask for the
 * unsuppressed extract), as do blanks, negatives and decimals.
 */
export function parseCount(raw: string): CountResult {
  // Fast path for the common case, plain digits: a national file has millions of these.
  const length = raw.length;
  if (length > 0 && length < 10) {
    let value = 0;
    let i = 0;
    for (; i < length; i++) {
      const c = raw.charCodeAt(i) - 48;
      if (c < 0 || c > 9) break;
      value = value * 10 + c;
    }
    if (i === length) return { ok: true, value };
  }
  const text = raw.trim();
  if (text === '') return { ok: false, problem: 'is missing' };
  if (/^\d+$/.test(text) || /^\d{1,3}(,\d{3})+$/.test(text)) {
    const value = Number(text.replaceAll(',', ''));
    if (value > MAX_COUNT) return { ok: false, problem: 'is too large to be a count of patients' };
    return { ok: true, value };
  }
  if (SUPPRESSED.has(text.toLowerCase())) {
    return {
      ok: false,
      problem: 'is a suppression marker; the upload needs the actual count, so export the unsuppressed figures',
    };
  }
  if (/^-\s*\d[\d,]*(\.\d+)?$/.test(text)) return { ok: false, problem: 'is negative; counts cannot be below zero' };
  if (/^\d[\d,]*\.\d+$/.test(text)) return { ok: false, problem: 'is not a whole number; give a count of patients' };
  return { ok: false, problem: 'is not a number; give a whole number of patients' };
}
