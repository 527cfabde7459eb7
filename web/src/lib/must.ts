/**
 * For a value the surrounding code guarantees is there (an index inside the array, the practice a ranked row
 * came from): returns it, or throws an error naming what was expected, so a broken guarantee fails at the
 * place it broke instead of as an undefined further on. The server keeps its own (server/domain/must.ts):
 * the web app imports only types from the server.
 */
export function must<T>(value: T | null | undefined, expected: string): T {
  if (value === undefined || value === null) throw new Error(`Internal error: expected ${expected}`);
  return value;
}
