/**
 * Which rules apply when: a past month is always judged by the rules of the contract year it falls in, never
 * by a later year's (SPEC section 2). Every screen that draws months from several years (the series, the
 * practice page, the overview's comparison, meeting mode) looks rules up here.
 */

/** A rule of one contract year, carrying the year's first and last period. */
export interface YearRule {
  year: string;
  code: string;
  firstPeriod: string;
  lastPeriod: string;
}

/**
 * The rule of an indicator in force at a month, looked up in every contract year's catalogue; null when no
 * year in force then has the indicator.
 */
export function ruleLookup<R extends Omit<YearRule, 'year'>>(
  all: readonly R[],
): (code: string, period: string) => R | null {
  return (code, period) =>
    all.find((r) => r.code === code && r.firstPeriod <= period && period <= r.lastPeriod) ?? null;
}

/**
 * The current catalogue: the latest contract year's rules, in its order (the indicators the screens list).
 * `all` holds every year's rules, years in order.
 */
export function latestCatalogue<R extends Pick<YearRule, 'year'>>(all: readonly R[]): R[] {
  const latestYear = all.at(-1)?.year;
  return all.filter((r) => r.year === latestYear);
}

/**
 * The period a period is compared with: the latest period with data before it (the month before, or the
 * quarter before for quarterly data); null when there is none. `periods` are the periods with data.
 */
export function previousPeriodWithData(periods: readonly string[], period: string): string | null {
  let previous: string | null = null;
  for (const p of periods) if (p < period && (previous === null || p > previous)) previous = p;
  return previous;
}
