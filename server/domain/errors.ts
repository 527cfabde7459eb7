/**
 * Every error the API can answer with, as a typed code. Rules and services throw a DomainError with one of
 * these codes and a message that says what to do next; plugins/errors.ts maps each code to its HTTP status
 * in one table and writes the {"error": {"code", "message", "details"}} body.
 */
export type ErrorCode =
  // 400: the request is malformed or breaks a rule about its own content
  | 'bad-request'
  | 'weak-password'
  | 'same-password'
  | 'malformed-upload'
  | 'upload-interrupted'
  // 401: not signed in, or the sign-in failed
  | 'not-signed-in'
  | 'sign-in-failed'
  // 403: signed in but not allowed
  | 'forbidden'
  | 'cross-site'
  | 'wrong-password'
  // 404: nothing there (or nothing this person may know is there)
  | 'not-found'
  | 'file-not-kept'
  // 409: the request conflicts with the stored state
  | 'already-signed-off'
  | 'year-not-ended'
  | 'incomplete'
  | 'not-signed-off'
  | 'period-locked'
  | 'year-locked'
  | 'year-exists'
  | 'username-taken'
  | 'own-account'
  | 'last-admin'
  | 'network-exists'
  | 'membership-conflict'
  | 'figures-changed'
  // 413, 415, 422, 429
  | 'too-large'
  | 'unsupported-media-type'
  | 'invalid-rules'
  | 'too-many-attempts'
  | 'too-many-requests'
  // 500: the server could not finish; the message gives a reference, never internals
  | 'upload-failed'
  | 'internal';

export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details: unknown[] = [],
    /** For a refusal that ends by itself (too many attempts): when to try again. */
    readonly retryAfterSeconds: number | null = null,
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

export const badRequest = (message: string, details: unknown[] = []) =>
  new DomainError('bad-request', message, details);
export const notFound = (message: string) => new DomainError('not-found', message);
export const forbidden = (message: string) => new DomainError('forbidden', message);
