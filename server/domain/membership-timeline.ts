/**
 * Membership spans from two published sources that disagree at the edges (issue: the Tower Hamlets networks):
 *
 *   - a per-year mapping (NHS Digital's QOF geography files): each practice's network, or "U" (unallocated),
 *     for each financial year; a practice missing from a year's file has no row that year;
 *   - dated relationships (NHS Digital's ePCN file): practice, network, start and end date.
 *
 * A practice is a member of a network at the end of a month when:
 *   1. the year's mapping says "U": it is unallocated that year, whatever the dated file says;
 *   2. the year's mapping names a network: the dated relationship in force at the month's end decides which
 *      network, when there is one (it dates the merger of Network 4 into Network 3 at 1 April 2021, which the
 *      year-level files show a year early); otherwise the year's network;
 *   3. the year's mapping has no row for it: a dated relationship in force then (a practice closing part-way
 *      through a year, or listed under another CCG in the year file); otherwise no network;
 *   4. a year after the last mapping file: the last file's mapping, with rule 2 (nothing new is inferred).
 * Months are judged at their last day, as periods are ("the position at the end of the month").
 */
import { contractYearPeriods, periodRange } from './periods';

export interface YearMapping {
  /** '2019-20' */
  year: string;
  practice: string;
  /** A network code, or 'U' for unallocated. */
  network: string;
}

export interface DatedRelationship {
  practice: string;
  network: string;
  /** 'YYYY-MM-DD' */
  start: string;
  end: string | null;
}

export interface Span {
  practice: string;
  network: string;
  fromPeriod: string;
  toPeriod: string | null;
}

function lastDay(period: string): string {
  const [y, m] = period.split('-').map(Number) as [number, number];
  const day = new Date(Date.UTC(y, m, 0)).getUTCDate();
  return `${period}-${String(day).padStart(2, '0')}`;
}

export function membershipSpans(
  mappings: readonly YearMapping[],
  relationships: readonly DatedRelationship[],
  years: readonly string[],
): Span[] {
  const fileYears = [...new Set(mappings.map((m) => m.year))].sort();
  const lastFileYear = fileYears.at(-1);
  const byYear = new Map<string, Map<string, string>>();
  for (const m of mappings) {
    let practices = byYear.get(m.year);
    if (!practices) byYear.set(m.year, (practices = new Map()));
    practices.set(m.practice, m.network);
  }
  const practices = [...new Set([...mappings.map((m) => m.practice), ...relationships.map((r) => r.practice)])].sort();
  const months = [...years].sort().flatMap((y) => {
    const { firstPeriod, lastPeriod } = contractYearPeriods(y);
    return periodRange(firstPeriod, lastPeriod).map((period) => ({ year: y, period }));
  });

  const spans: Span[] = [];
  for (const practice of practices) {
    let open: Span | null = null;
    let previous: string | null = null;
    for (const { year, period } of months) {
      const after = lastFileYear !== undefined && year > lastFileYear;
      const mapped = byYear.get(after ? lastFileYear : year)?.get(practice);
      const end = lastDay(period);
      const dated =
        relationships.find((r) => r.practice === practice && r.start <= end && (r.end === null || r.end >= end))
          ?.network ?? null;
      let network: string | null;
      if (mapped === 'U') network = null;
      else if (mapped !== undefined) network = dated ?? mapped;
      else network = after ? null : dated;

      if (open && network !== open.network) {
        open.toPeriod = previous;
        open = null;
      }
      if (network && !open) {
        open = { practice, network, fromPeriod: period, toPeriod: null };
        spans.push(open);
      }
      previous = period;
    }
  }
  return spans;
}
