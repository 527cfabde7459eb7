/**
 * Small-number suppression for exports that leave the network (SPEC section 8): a count of 1–7 is published
 * as "*", any other count rounded to the nearest 5 (0 stays 0). Nothing else in a suppressed export may be
 * more precise than the published counts allow, or the rounding could be undone: an exact rate beside
 * rounded counts pins the counts down (round(n/5)·5 = 45 and round(n/d, 4) = 0.4565 leave only 21 / 46).
 * So the rate is computed from the published counts, and a met / not met standing is given only where every
 * pair of counts that publishes the same way agrees on it. Payment figures are never suppressed.
 */

export type PublishedCount = number | '*';

/** The count as a suppressed export publishes it. */
export function publishCount(n: number): PublishedCount {
  if (n === 0) return 0;
  if (n >= 1 && n <= 7) return '*';
  // n / 5 never ends in .5 for a whole n, so rounding to the nearest 5 has no ties.
  return Math.round(n / 5) * 5;
}

/** Every exact count that is published as `published`: from lo to hi inclusive. */
export function countRange(published: PublishedCount): { lo: number; hi: number } {
  if (published === '*') return { lo: 1, hi: 7 };
  if (published === 0) return { lo: 0, hi: 0 };
  // 8 is the smallest count that is rounded rather than starred (8 → 10).
  return { lo: Math.max(8, published - 2), hi: published + 2 };
}

/** A rate as exports write it: 0–1 to 4 decimal places. */
export function exportRate(numerator: number, denominator: number): number | null {
  return denominator === 0 ? null : Math.round((numerator / denominator) * 10000) / 10000;
}

/** The rate from the published counts: none where either is "*" or the denominator is 0. */
export function publishedRate(numerator: PublishedCount, denominator: PublishedCount): number | null {
  if (numerator === '*' || denominator === '*') return null;
  return exportRate(numerator, denominator);
}

export type PublishedStanding = 'met' | 'not met' | 'not applicable' | 'suppressed';

/**
 * Whether the target is met, as far as the published counts tell: 'met' when every pair of exact counts
 * that publishes this way meets it (numerator ≤ denominator, denominator > 0), 'not met' when none does,
 * 'suppressed' when the pairs disagree (the counts are within rounding of the target), and 'not applicable'
 * for a denominator of 0.
 */
export function publishedStanding(
  numerator: PublishedCount,
  denominator: PublishedCount,
  targetBp: number,
): PublishedStanding {
  const n = countRange(numerator);
  const d = countRange(denominator);
  if (d.hi === 0) return 'not applicable';
  const dLo = Math.max(d.lo, 1);
  // The lowest rate of all the pairs: fewest achieving over most patients.
  const worstMet = n.lo * 10000 >= targetBp * d.hi;
  // The highest: 100% when some numerator can equal some denominator, else most achieving over fewest patients.
  const bestMet = n.hi >= dLo ? targetBp <= 10000 : n.hi * 10000 >= targetBp * dLo;
  if (worstMet) return 'met';
  if (!bestMet) return 'not met';
  return 'suppressed';
}

/** The figures of one row of a suppressed export. */
export function publishFigures(
  numerator: number,
  denominator: number,
  targetBp: number,
): { numerator: PublishedCount; denominator: PublishedCount; rate: number | null; standing: PublishedStanding } {
  const n = publishCount(numerator);
  const d = publishCount(denominator);
  return { numerator: n, denominator: d, rate: publishedRate(n, d), standing: publishedStanding(n, d, targetBp) };
}
