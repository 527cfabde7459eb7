/** Failed sign-in limits (server/domain/sign-in-limits.ts): 5 per username, 20 per address, 15 minutes. */
import { describe, expect, it } from 'vitest';
import { refusalMessage, SIGN_IN_LIMITS, signInRefusal, windowStart } from '../../server/domain/sign-in-limits';

describe('signInRefusal', () => {
  it.each([
    [0, 0, null],
    [4, 0, null],
    [5, 0, 'username'],
    [40, 0, 'username'],
    [0, 19, null],
    [4, 19, null],
    [0, 20, 'address'],
    [5, 20, 'username'],
  ] as const)('%d failures for the username, %d from the address → %s', (byUsername, byAddress, because) => {
    const refusal = signInRefusal({ byUsername, byAddress });
    expect(refusal?.because ?? null).toBe(because);
    if (refusal) expect(refusal.retryAfterSeconds).toBe(900);
  });

  it('follows the limits it is given', () => {
    expect(signInRefusal({ byUsername: 2, byAddress: 0 }, { perUsername: 2, perAddress: 3, windowMinutes: 1 })).toEqual(
      { because: 'username', retryAfterSeconds: 60 },
    );
    expect(signInRefusal({ byUsername: 1, byAddress: 3 }, { perUsername: 2, perAddress: 3, windowMinutes: 1 })).toEqual(
      { because: 'address', retryAfterSeconds: 60 },
    );
  });
});

describe('the window and the message', () => {
  it('starts 15 minutes before now', () => {
    expect(SIGN_IN_LIMITS).toEqual({ perUsername: 5, perAddress: 20, windowMinutes: 15 });
    expect(windowStart(new Date('2026-11-21T10:00:00Z'))).toBe('2026-11-21T09:45:00.000Z');
  });

  it('says whose limit was reached and what to do', () => {
    expect(refusalMessage({ because: 'username', retryAfterSeconds: 900 })).toBe(
      'Too many sign-in attempts for this username in the last 15 minutes (failed, or still being checked). Wait up to 15 minutes and try again, or ask an admin to reset your password.',
    );
    expect(refusalMessage({ because: 'address', retryAfterSeconds: 900 })).toContain('from this address');
  });
});
