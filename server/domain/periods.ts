/** Periods are calendar months 'YYYY-MM'; contract years are NHS financial years, April to March, '2025-26'. */

const PERIOD = /^(\d{4})-(0[1-9]|1[0-2])$/;
const CONTRACT_YEAR = /^(\d{4})-(\d{2})$/;

/** The period (calendar month, UTC) a moment falls in; the caller passes the moment, so this stays pure. */
export function periodOfDate(date: Date): string {
  return periodFromIndex(date.getUTCFullYear() * 12 + date.getUTCMonth());
}

export function isPeriod(value: string): boolean {
  return PERIOD.test(value);
}

/** Months since year 0, so periods can be compared and stepped as integers. */
export function periodIndex(period: string): number {
  const m = PERIOD.exec(period);
  if (!m) throw new RangeError(`not a period: ${period}`);
  return Number(m[1]) * 12 + Number(m[2]) - 1;
}

export function periodFromIndex(index: number): string {
  const year = Math.floor(index / 12);
  const month = (index % 12) + 1;
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}`;
}

export function addMonths(period: string, months: number): string {
  return periodFromIndex(periodIndex(period) + months);
}

/** Every period from first to last inclusive. */
export function periodRange(first: string, last: string): string[] {
  const out: string[] = [];
  for (let i = periodIndex(first); i <= periodIndex(last); i++) out.push(periodFromIndex(i));
  return out;
}

/** The contract year code ('2025-26') a period falls in: April starts a year. */
export function contractYearOf(period: string): string {
  const index = periodIndex(period);
  const year = Math.floor(index / 12);
  const month = (index % 12) + 1;
  const start = month >= 4 ? year : year - 1;
  return `${start}-${String((start + 1) % 100).padStart(2, '0')}`;
}

export function isContractYearCode(code: string): boolean {
  const m = CONTRACT_YEAR.exec(code);
  return !!m && (Number(m[1]) + 1) % 100 === Number(m[2]);
}

/** First and last period of a contract year: '2025-26' → 2025-04 … 2026-03. */
export function contractYearPeriods(code: string): { firstPeriod: string; lastPeriod: string } {
  if (!isContractYearCode(code)) throw new RangeError(`not a contract year: ${code}`);
  const start = Number(code.slice(0, 4));
  return { firstPeriod: `${start}-04`, lastPeriod: `${start + 1}-03` };
}

/** A membership span covers a period when from ≤ period ≤ to (to open-ended when null). */
export function spanCovers(span: { fromPeriod: string; toPeriod: string | null }, period: string): boolean {
  return span.fromPeriod <= period && (span.toPeriod === null || period <= span.toPeriod);
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** 'Nov 2025' for a period, for messages. */
export function periodLabel(period: string): string {
  const index = periodIndex(period);
  return `${MONTHS[index % 12]} ${Math.floor(index / 12)}`;
}

/**
 * Whether a set of periods with data is monthly or quarterly: quarterly when every period is a quarter's last
 * month (March, June, September, December) and they step by whole quarters. Quarterly data (published
 * coverage figures, for instance) is labelled by quarter on the screens.
 */
export function periodFrequency(periods: readonly string[]): 'monthly' | 'quarterly' {
  if (periods.length < 2) return 'monthly';
  const sorted = [...periods].sort();
  const quarterEnds = sorted.every((p) => periodIndex(p) % 3 === 2);
  let steps = true;
  let previous: string | null = null;
  for (const p of sorted) {
    if (previous !== null && (periodIndex(p) - periodIndex(previous)) % 3 !== 0) steps = false;
    previous = p;
  }
  return quarterEnds && steps ? 'quarterly' : 'monthly';
}

/**
 * The contract year the screens open on: the one holding the latest period with data, else the last year
 * (or null when there are none). Years come in order.
 */
export function defaultContractYear(
  years: readonly { code: string; firstPeriod: string; lastPeriod: string }[],
  latestPeriod: string | null,
): string | null {
  const holding = latestPeriod
    ? years.find((y) => y.firstPeriod <= latestPeriod && latestPeriod <= y.lastPeriod)
    : undefined;
  return holding?.code ?? years.at(-1)?.code ?? null;
}
