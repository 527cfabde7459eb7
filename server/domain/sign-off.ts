/**
 * When a contract year may be signed off or reopened (SPEC section 4.6 and 6), for a person, now. The
 * sign-off and reopen use cases refuse with these answers, and the contract-year list tells the screens the
 * same (`canSignOff`, `canReopen`), so a button is offered exactly when the request would be accepted
 * (an incomplete figure at the final month is not a refusal: it asks for an override reason).
 */
import { ROLE_RULES, type RoleInNetwork } from './access';

/** The fewest characters a recorded reason (a sign-off override, a reopening) may have. */
export const REASON_MIN_LENGTH = 10;

export interface YearLockState {
  /** The year's last period (March). */
  lastPeriod: string;
  /** Whether the year is signed off (its months locked). */
  locked: boolean;
}

/** A year has ended once its last period is before the current one (the app clock's month). */
export function yearEnded(lastPeriod: string, currentPeriod: string): boolean {
  return lastPeriod < currentPeriod;
}

export type SignOffRefusal = 'forbidden' | 'already-signed-off' | 'year-not-ended';
export type ReopenRefusal = 'forbidden' | 'not-signed-off';

/** Why the person may not sign the year off now, or null when they may. */
export function signOffRefusal(
  viewer: RoleInNetwork,
  year: YearLockState,
  currentPeriod: string,
): SignOffRefusal | null {
  if (!ROLE_RULES[viewer.role].signOff) return 'forbidden';
  if (year.locked) return 'already-signed-off';
  if (!yearEnded(year.lastPeriod, currentPeriod)) return 'year-not-ended';
  return null;
}

/** Why the person may not reopen the year, or null when they may. */
export function reopenRefusal(viewer: RoleInNetwork, year: Pick<YearLockState, 'locked'>): ReopenRefusal | null {
  if (!ROLE_RULES[viewer.role].signOff) return 'forbidden';
  if (!year.locked) return 'not-signed-off';
  return null;
}
