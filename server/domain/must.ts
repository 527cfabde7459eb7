/**
 * For a value the surrounding code guarantees is there (an index inside the array's length, a key put in the
 * map a few lines above, a column the header check already found): returns it, or throws an internal error
 * naming what was expected, so a broken guarantee fails loudly at the place it broke instead of as an
 * undefined further on. Not for input a person supplied: that gets a DomainError with what to do next.
 */
export function must<T>(value: T | null | undefined, expected: string): T {
  if (value === undefined || value === null) throw new Error(`Internal error: expected ${expected}`);
  return value;
}
