/** Pure formatting for the screens: numbers, rates, money, periods and dates, in British English. */

const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];

export function formatCount(n: number): string {
  return n.toLocaleString('en-GB');
}

export type Frequency = 'monthly' | 'quarterly';

/** '2026-03' → 'March 2026'; for quarterly data, the quarter it ends: 'January–March 2026'. */
export function formatPeriod(period: string, frequency: Frequency = 'monthly'): string {
  const [y, m] = period.split('-');
  const month = Number(m);
  const name = MONTHS[month - 1];
  if (!name) return period;
  if (frequency === 'quarterly') return `${MONTHS[month - 3]}–${name} ${y}`;
  return `${name} ${y}`;
}

/**
 * A dissolved network's standing, from the server's noMembersSince: 'No members since April 2021', or for
 * quarterly data 'No members since the quarter April–June 2021'.
 */
export function noMembersText(since: string, frequency: Frequency = 'monthly'): string {
  return `No members since ${frequency === 'quarterly' ? 'the quarter ' : ''}${formatPeriod(since, frequency)}`;
}

/** 3_000 bp → '30%'; 8_550 → '85.5%'. */
export function formatBp(bp: number): string {
  return `${(bp / 100).toLocaleString('en-GB', { maximumFractionDigits: 2 })}%`;
}

/** A rate 0–1 as a percentage with one decimal place. */
export function formatRate(rate: number | null): string {
  return rate === null ? '–' : `${(rate * 100).toFixed(1)}%`;
}

/** Integer pence → '£1,234.56'. */
export function formatPence(pence: number): string {
  const sign = pence < 0 ? '-' : '';
  const abs = Math.abs(pence);
  const pounds = Math.floor(abs / 100);
  return `${sign}£${pounds.toLocaleString('en-GB')}.${String(abs % 100).padStart(2, '0')}`;
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} bytes`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/** An ISO timestamp as '21 Nov 2026, 09:30' in the viewer's time zone. */
export function formatDateTime(iso: string): string {
  const d = new Date(iso);
  return d.toLocaleString('en-GB', {
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
  });
}

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${formatCount(n)} ${n === 1 ? one : many}`;
}

/**
 * The practices with no figure yet: their codes where the server names them, else how many (the server
 * names only the practices of networks the viewer may see practice by practice).
 */
export function missingPracticesText(codes: readonly string[], count: number): string {
  return codes.length ? codes.join(', ') : plural(count, 'practice');
}
