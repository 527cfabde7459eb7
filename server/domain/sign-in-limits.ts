/**
 * Failed sign-in limits (SPEC section 8). Within a window, a username may have so many failed or unfinished
 * password checks, and an address so many, before further attempts are refused without checking the
 * password. An attempt counts from the moment it is reserved, before its password is checked, so guesses sent
 * at once cannot all pass the count. A password change's check of the current password counts the same way.
 * Pure: counts and times in, a decision out.
 */

export interface SignInLimits {
  /** Failed (or unfinished) attempts for one username within the window before refusing. */
  perUsername: number;
  /** Failed (or unfinished) attempts from one address within the window before refusing. */
  perAddress: number;
  /** The window, and how long a refusal lasts at most, in minutes. */
  windowMinutes: number;
}

export const SIGN_IN_LIMITS: SignInLimits = { perUsername: 5, perAddress: 20, windowMinutes: 15 };

export interface AttemptCounts {
  /** Failed and unfinished attempts for the username within the window. */
  byUsername: number;
  /** Failed and unfinished attempts from the address within the window. */
  byAddress: number;
}

export type SignInRefusal = { because: 'username' | 'address'; retryAfterSeconds: number };

/** Whether one more attempt may be checked, given the attempts already counted in the window. */
export function signInRefusal(counts: AttemptCounts, limits: SignInLimits = SIGN_IN_LIMITS): SignInRefusal | null {
  const retryAfterSeconds = limits.windowMinutes * 60;
  if (counts.byUsername >= limits.perUsername) return { because: 'username', retryAfterSeconds };
  if (counts.byAddress >= limits.perAddress) return { because: 'address', retryAfterSeconds };
  return null;
}

/** The start of the window that ends at `now` (ISO 8601, UTC). */
export function windowStart(now: Date, limits: SignInLimits = SIGN_IN_LIMITS): string {
  return new Date(now.getTime() - limits.windowMinutes * 60_000).toISOString();
}

/** The message a refused person reads. */
export function refusalMessage(refusal: SignInRefusal, limits: SignInLimits = SIGN_IN_LIMITS): string {
  const who = refusal.because === 'username' ? 'for this username' : 'from this address';
  // The count holds failed attempts and attempts still being checked, so the message does not call them all failed.
  return `Too many sign-in attempts ${who} in the last ${limits.windowMinutes} minutes (failed, or still being checked). Wait up to ${limits.windowMinutes} minutes and try again, or ask an admin to reset your password.`;
}
