/**
 * Exact integer arithmetic for money and thresholds. Every value is a whole number well inside
 * Number.MAX_SAFE_INTEGER (pence × basis points stays below 2^53 for any contract under £9 billion), and
 * every function checks that, so no result ever depends on floating-point rounding.
 */

function assertSafe(...values: number[]): void {
  for (const v of values) {
    if (!Number.isSafeInteger(v)) throw new RangeError(`not a safe integer: ${v}`);
  }
}

/** ⌊a / b⌋ for integers, b > 0, corrected so float division cannot be off by one. */
export function floorDiv(a: number, b: number): number {
  assertSafe(a, b);
  if (b <= 0) throw new RangeError('divisor must be positive');
  let q = Math.floor(a / b);
  while (q * b > a) q--;
  while ((q + 1) * b <= a) q++;
  return q;
}

/** ⌈a / b⌉ for integers, b > 0. */
export function ceilDiv(a: number, b: number): number {
  return -floorDiv(-a, b);
}

/** a × num / den rounded half up to a whole number (a, num ≥ 0; den > 0). */
export function mulDivRoundHalfUp(a: number, num: number, den: number): number {
  assertSafe(a * num, a, num, den);
  return floorDiv(2 * a * num + den, 2 * den);
}

/**
 * Splits a whole number into parts proportional to weights so that the parts add up to the whole exactly:
 * floor every part, then give the leftover units one each to the largest remainders, ties to the earlier
 * part (catalogue order). Zero weights get zero. All weights zero: every part is zero and `unallocated` is
 * the total.
 */
export function largestRemainder(total: number, weights: readonly number[]): { parts: number[]; unallocated: number } {
  assertSafe(total, ...weights);
  if (total < 0 || weights.some((w) => w < 0)) throw new RangeError('total and weights must not be negative');
  const sum = weights.reduce((a, b) => a + b, 0);
  if (sum === 0) return { parts: weights.map(() => 0), unallocated: total };
  assertSafe(total * sum);
  const shares = weights.map((weight, index) => {
    const part = floorDiv(total * weight, sum);
    return { index, weight, part, remainder: total * weight - part * sum };
  });
  let leftover = total - shares.reduce((a, s) => a + s.part, 0);
  const order = [...shares].sort((a, b) => b.remainder - a.remainder || a.index - b.index);
  for (const share of order) {
    if (leftover === 0) break;
    if (share.weight === 0) continue;
    share.part++;
    leftover--;
  }
  return { parts: shares.map((s) => s.part), unallocated: 0 };
}

/** An exact fraction with a positive denominator. */
export interface Fraction {
  num: number;
  den: number;
}

export function compareFraction(a: Fraction, b: Fraction): number {
  assertSafe(a.num * b.den, b.num * a.den);
  return a.num * b.den - b.num * a.den;
}

/** Reduces a fraction to lowest terms, for display and stable hashing. */
export function reduce(f: Fraction): Fraction {
  const gcd = (x: number, y: number): number => (y === 0 ? x : gcd(y, x % y));
  const g = gcd(Math.abs(f.num), Math.abs(f.den)) || 1;
  return { num: f.num / g, den: f.den / g };
}
