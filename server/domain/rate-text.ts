/**
 * How a rate is written beside its target (SPEC section 11.2): never so rounded that it reads on the wrong
 * side of the target. A rate is shown to one decimal place of a percent; when that rounding would put a
 * not-met rate at or above its target (2,282 / 2,854 = 79.957…% → "80.0%" beside 80%), or a met rate below it,
 * decimals are added until the figure shown is on the same side as the exact comparison: "79.96%". Exact
 * integer arithmetic throughout (BigInt), so the rule holds for any denominator.
 */
import { meetsTarget } from './attainment';

/** n / d as a percentage rounded half up to `decimals` places, in units of 10^−decimals percent. */
function scaledPercent(numerator: bigint, denominator: bigint, decimals: number): bigint {
  const scale = 100n * 10n ** BigInt(decimals);
  return (2n * numerator * scale + denominator) / (2n * denominator);
}

function withDecimals(units: bigint, decimals: number): string {
  const digits = units.toString().padStart(decimals + 1, '0');
  const whole = digits.slice(0, digits.length - decimals);
  return decimals === 0 ? whole : `${whole}.${digits.slice(digits.length - decimals)}`;
}

/**
 * "79.96%": n / d as a percentage with `minDecimals` places (1 by default), or more when needed to keep the
 * figure shown on the right side of `targetBp`. Null when the denominator is 0 (not applicable).
 */
export function rateText(
  numerator: number,
  denominator: number,
  targetBp: number | null = null,
  minDecimals = 1,
): string | null {
  if (denominator <= 0) return null;
  const n = BigInt(numerator);
  const d = BigInt(denominator);
  const met = targetBp !== null && meetsTarget(numerator, denominator, targetBp);
  for (let decimals = minDecimals; ; decimals++) {
    const units = scaledPercent(n, d, decimals);
    // shown ≥ target  ⇔  units / 10^decimals ≥ targetBp / 100  ⇔  100 × units ≥ targetBp × 10^decimals
    const shownReaches = targetBp !== null && 100n * units >= BigInt(targetBp) * 10n ** BigInt(decimals);
    if (targetBp === null || shownReaches === met) return `${withDecimals(units, decimals)}%`;
  }
}

/** A whole number with thousands separators: 2282 → "2,282". */
export function countText(n: number): string {
  const sign = n < 0 ? '-' : '';
  return sign + String(Math.abs(n)).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** The exact figure behind a rate: "2,282 / 2,854". */
export function fractionText(numerator: number, denominator: number): string {
  return `${countText(numerator)} / ${countText(denominator)}`;
}

/** A target in basis points as a percentage: 8000 → "80%", 8550 → "85.5%", 6525 → "65.25%". */
export function targetText(bp: number): string {
  const whole = Math.floor(bp / 100);
  const cents = bp % 100;
  if (cents === 0) return `${whole}%`;
  return `${whole}.${String(cents).padStart(2, '0').replace(/0$/, '')}%`;
}

/** Integer pence as "£1,234.56". */
export function penceText(pence: number): string {
  const sign = pence < 0 ? '-' : '';
  const abs = Math.abs(pence);
  return `${sign}£${countText(Math.floor(abs / 100))}.${String(abs % 100).padStart(2, '0')}`;
}
