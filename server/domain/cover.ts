/**
 * UKHSA "COVER" GP-level childhood vaccination coverage, in the long form the published quarterly files are
 * reshaped to: quarter, source_csv, practice_code, source_column, value.
 *
 * The published column headers change spelling, spacing and case between quarters ("12m Denominator",
 * "12 month denominator"; "12m DTaP/IPV/Hib %", "12mDTaPIPVHibHepB%"), so a header is matched after
 * lower-casing and dropping everything but letters and digits. Four indicators are read, each exactly as
 * published; every other column (MenB, PCV, Rota, Hib/MenC, the geography columns) is not used.
 * Numerators are not published: numerator = percentage × denominator / 100, rounded to a whole number.
 * Suppressed cells ("*", "[note1]", "[note 1]", or empty) are missing, never zero.
 */
import type { CatalogueIndicator } from './catalogue';
import { must } from './must';

export type CoverAge = '12m' | '24m' | '5y';

export interface CoverIndicator extends CatalogueIndicator {
  age: CoverAge;
  /** Normalised header of the percentage column. */
  pattern: RegExp;
}

function imm(
  code: string,
  age: CoverAge,
  title: string,
  numeratorLabel: string,
  denominatorLabel: string,
  pattern: RegExp,
): CoverIndicator {
  return {
    code,
    domain: 'IMM',
    title,
    numeratorLabel,
    denominatorLabel,
    targetBp: 9500,
    lowerBp: null,
    mode: 'threshold',
    weight: 1,
    age,
    pattern,
  };
}

export const COVER_INDICATORS: readonly CoverIndicator[] = [
  imm(
    'IMM-DTAP-12M',
    '12m',
    '12 months: DTaP/IPV/Hib(/HepB) primary course',
    'Children completing the primary course by their 1st birthday',
    'Children reaching their 1st birthday in the quarter',
    /^(12m|12month)dtapipvhib(hepb)?$/,
  ),
  imm(
    'IMM-MMR1-24M',
    '24m',
    '24 months: MMR1',
    'Children with a first MMR dose by their 2nd birthday',
    'Children reaching their 2nd birthday in the quarter',
    /^(24m|24month)mmr1$/,
  ),
  imm(
    'IMM-MMR2-5Y',
    '5y',
    '5 years: MMR2',
    'Children with two MMR doses by their 5th birthday',
    'Children reaching their 5th birthday in the quarter',
    /^(5y|5year)mmr2$/,
  ),
  imm(
    'IMM-DTAPIPV-5Y',
    '5y',
    '5 years: DTaP/IPV pre-school booster',
    'Children with the DTaP/IPV pre-school booster by their 5th birthday',
    'Children reaching their 5th birthday in the quarter',
    /^(5y|5year)dtapipv$/,
  ),
];

export const COVER_HEADER = ['quarter', 'source_csv', 'practice_code', 'source_column', 'value'];

export function normaliseCoverColumn(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]/g, '');
}

export type CoverColumn = { kind: 'denominator'; age: CoverAge } | { kind: 'percent'; indicator: CoverIndicator };

/** What a published column holds, or null for a column the product does not use. */
export function classifyCoverColumn(column: string): CoverColumn | null {
  const n = normaliseCoverColumn(column);
  const den = /^(12m|12month|24m|24month|5y|5year)denominator$/.exec(n);
  if (den) {
    const span = must(den[1], 'the span group of the denominator pattern');
    return { kind: 'denominator', age: span.startsWith('12') ? '12m' : span.startsWith('24') ? '24m' : '5y' };
  }
  const indicator = COVER_INDICATORS.find((i) => i.pattern.test(n));
  return indicator ? { kind: 'percent', indicator } : null;
}

const MONTHS: Record<string, number> = {
  jan: 1,
  feb: 2,
  mar: 3,
  apr: 4,
  may: 5,
  jun: 6,
  jul: 7,
  aug: 8,
  sep: 9,
  sept: 9,
  oct: 10,
  nov: 11,
  dec: 12,
};

/** A quarter label "q01_Apr19Jun19" (or "q22_Jul24Sept24") → the period of its last month, "2019-06". */
export function quarterEndPeriod(label: string): string | null {
  const m = /^q\d+_([A-Za-z]{3,4})(\d{2})([A-Za-z]{3,4})(\d{2})$/.exec(label.trim());
  if (!m) return null;
  const month = MONTHS[must(m[3], 'the end month group of the quarter pattern').toLowerCase()];
  if (!month) return null;
  return `20${m[4]}-${String(month).padStart(2, '0')}`;
}

export type CoverValue = { ok: true; value: number } | { ok: false; suppressed: boolean };

/** A published cell: a number, or a suppressed or missing cell (never read as zero). */
export function readCoverValue(raw: string): CoverValue {
  const text = raw.trim();
  if (text === '' || text === '*' || /^\[\s*note\s*\d+\s*\]$/i.test(text)) return { ok: false, suppressed: true };
  if (!/^\d+(\.\d+)?$/.test(text)) return { ok: false, suppressed: false };
  return { ok: true, value: Number(text) };
}

/** numerator = percentage × denominator / 100, rounded; with how far the product was from a whole number. */
export function coverNumerator(percent: number, denominator: number): { numerator: number; offBy: number } {
  const exact = (percent * denominator) / 100;
  const numerator = Math.round(exact);
  return { numerator, offBy: Math.abs(exact - numerator) };
}
