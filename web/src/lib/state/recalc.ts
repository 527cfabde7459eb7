/**
 * The learning set's per-indicator SPC recalculations in the address: `recalc=DM-HBA1C:2026-07,CVD-HYP-BP:2026-05`
 * (each indicator's limits recalculated from its own month; the server's `recalculate` parameter takes the same
 * text). Entries not of the form CODE:YYYY-MM are ignored.
 */
const ENTRY = /^([A-Za-z0-9][A-Za-z0-9-]*):(\d{4}-(?:0[1-9]|1[0-2]))$/;

export function parseRecalc(value: string | null): Map<string, string> {
  const map = new Map<string, string>();
  for (const entry of (value ?? '').split(',')) {
    const m = ENTRY.exec(entry);
    if (m) map.set(m[1] as string, m[2] as string);
  }
  return map;
}

/** The address's value with one indicator's month set (or, with null, removed); null when none is left. */
export function withRecalc(value: string | null, indicator: string, period: string | null): string | null {
  const map = parseRecalc(value);
  if (period === null) map.delete(indicator);
  else map.set(indicator, period);
  return map.size ? [...map].map(([code, p]) => `${code}:${p}`).join(',') : null;
}
