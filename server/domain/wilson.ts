/**
 * The Wilson score interval for a proportion, as the national public health profiles compute it:
 *
 *   lower, upper = (2O + z² ∓ z·√(z² + 4O(1 − O/n))) / (2(n + z²))
 *
 * with O the numerator, n the denominator, and z = 1.959964 (95%) or 3.090232 (99.8%, two-sided).
 * Proportions are 0–1. A zero denominator carries no information: the interval is the whole of 0–1.
 */
export const Z: Record<0.95 | 0.998, number> = {
  0.95: 1.959963984540054,
  0.998: 3.090232306167813,
};

export function wilsonInterval(
  numerator: number,
  denominator: number,
  confidence: 0.95 | 0.998 = 0.95,
): { lower: number; upper: number } {
  if (!(denominator > 0)) return { lower: 0, upper: 1 };
  if (numerator < 0 || numerator > denominator)
    throw new RangeError(`numerator ${numerator} is outside 0–${denominator}`);
  const z = Z[confidence];
  const z2 = z * z;
  const spread = z * Math.sqrt(z2 + 4 * numerator * (1 - numerator / denominator));
  const divisor = 2 * (denominator + z2);
  return {
    lower: Math.max(0, (2 * numerator + z2 - spread) / divisor),
    upper: Math.min(1, (2 * numerator + z2 + spread) / divisor),
  };
}
