/** Pure parsing of what people type into admin forms: percentages to basis points, pounds to pence, exactly. */
import { must } from '../must';

/** '85' → 8500, '85.5' → 8550, '85.25%' → 8525; null for anything else or outside 0–100%. */
export function parsePercentToBp(text: string): number | null {
  const m = /^\s*(\d{1,3})(?:\.(\d{1,2}))?\s*%?\s*$/.exec(text);
  if (!m) return null;
  const bp = Number(m[1]) * 100 + Number((m[2] ?? '').padEnd(2, '0'));
  return bp <= 10000 ? bp : null;
}

/** 8550 → '85.5' (for an input's value). */
export function bpToPercentText(bp: number): string {
  const whole = Math.floor(bp / 100);
  const frac = bp % 100;
  return frac === 0 ? String(whole) : `${whole}.${String(frac).padStart(2, '0').replace(/0$/, '')}`;
}

/** '£250,000.50' → 25000050, '250000' → 25000000; null for anything else. */
export function parsePoundsToPence(text: string): number | null {
  const m = /^\s*£?\s*(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d{1,2}))?\s*$/.exec(text);
  if (!m) return null;
  const pounds = must(m[1], 'the pounds group of the pattern');
  const pence = Number(pounds.replaceAll(',', '')) * 100 + Number((m[2] ?? '').padEnd(2, '0'));
  return Number.isSafeInteger(pence) ? pence : null;
}

/** 25000050 → '250000.50' (for an input's value). */
export function penceToPoundsText(pence: number): string {
  return `${Math.floor(pence / 100)}.${String(pence % 100).padStart(2, '0')}`;
}
