/**
 * Sign-in, sign-out and a user's change of their own password. The session cookie itself is the auth
 * plugin's (HTTP); this decides who may sign in and records it.
 *
 * Every password check (a sign-in, or the current password of a change) is first reserved in
 * sign_in_attempts, in the same transaction that counts the earlier failed and unfinished ones
 * (server/domain/sign-in-limits.ts): guesses sent at once get at most the limit's number of checks.
 */
import { appendAudit } from '../db/repositories/audit';
import { finishSignInAttempt, reserveSignInAttempt } from '../db/repositories/sign-in-attempts';
import { findUserByUsername, setPassword, type SessionUser } from '../db/repositories/users';
import { capabilities } from '../domain/access';
import { DomainError } from '../domain/errors';
import { MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH, PASSWORD_RULE } from '../domain/password-policy';
import { refusalMessage, signInRefusal, windowStart } from '../domain/sign-in-limits';
import type { Me, PasswordChangeBody, PasswordPolicy } from '../schemas/auth';
import { hashPassword, newPasswordProblem, verifyAgainstNothing, verifyPassword } from '../security/passwords';
import { audit, type Actor, type Deps } from './context';

/** The signed-in user as the API describes them, with what they may do. */
export function describeUser(user: SessionUser): Me {
  return { username: user.username, role: user.role, networkCode: user.networkCode, capabilities: capabilities(user) };
}

export function passwordPolicy(): PasswordPolicy {
  return { minLength: MIN_PASSWORD_LENGTH, maxLength: MAX_PASSWORD_LENGTH, rule: PASSWORD_RULE };
}

/**
 * Reserves one password check for a username from an address, or refuses it (429, audited as
 * `refusedAction`) when the limits are reached. Returns the attempt to finish once the password is checked.
 */
async function reserveCheck(
  deps: Deps,
  who: { username: string; userId: number | null; ip: string },
  refusedAction: 'sign-in-throttled' | 'password-change-throttled',
): Promise<number> {
  const now = deps.now();
  const reservation = await reserveSignInAttempt(
    deps.db,
    { username: who.username, ip: who.ip },
    now.toISOString(),
    windowStart(now),
    signInRefusal,
  );
  if (reservation.ok) return reservation.attemptId;
  await appendAudit(deps.db, {
    at: now.toISOString(),
    userId: who.userId,
    username: who.username,
    action: refusedAction,
    ip: who.ip,
    detail: { failuresForUser: reservation.counts.byUsername, failuresFromAddress: reservation.counts.byAddress },
  });
  throw new DomainError(
    'too-many-attempts',
    refusalMessage(reservation.refusal),
    [],
    reservation.refusal.retryAfterSeconds,
  );
}

/** Checks a username and password; returns the user, or refuses (401, or 429 past the limits). Audited either way. */
export async function signIn(
  deps: Deps,
  credentials: { username: string; password: string },
  ip: string,
): Promise<SessionUser> {
  const name = credentials.username.trim().toLowerCase().slice(0, 100);
  const attempt = await reserveCheck(deps, { username: name, userId: null, ip }, 'sign-in-throttled');
  let user: Awaited<ReturnType<typeof findUserByUsername>>;
  let ok = false;
  try {
    user = await findUserByUsername(deps.db, name);
    ok =
      user && !user.disabled
        ? await verifyPassword(credentials.password, user.passwordHash)
        : await verifyAgainstNothing(credentials.password);
  } finally {
    await finishSignInAttempt(deps.db, attempt, ok ? 'succeeded' : 'failed');
  }
  const at = deps.now().toISOString();
  if (!ok || !user) {
    const reason = user?.disabled ? 'account disabled' : user ? 'wrong password' : 'unknown username';
    await appendAudit(deps.db, {
      at,
      userId: user?.id ?? null,
      username: name,
      action: 'sign-in-failed',
      ip,
      detail: { reason },
    });
    throw new DomainError(
      'sign-in-failed',
      'That username and password do not match an active account. Check them and try again, or ask an admin to reset your password.',
    );
  }
  await appendAudit(deps.db, { at, userId: user.id, username: user.username, action: 'sign-in', ip, detail: {} });
  return { id: user.id, username: user.username, role: user.role, networkCode: user.networkCode };
}

export async function recordSignOut(deps: Deps, actor: Actor): Promise<void> {
  await audit(deps, actor, 'sign-out', {});
}

/**
 * Changes the actor's own password, after checking the current one (counted like a sign-in); their other
 * sessions end, the one in use (`sessionHash`) goes on.
 */
export async function changeOwnPassword(
  deps: Deps,
  actor: Actor,
  body: PasswordChangeBody,
  sessionHash: string | null,
): Promise<void> {
  const me = actor.user;
  const { currentPassword, newPassword } = body;
  const problem = newPasswordProblem(newPassword, me.username);
  if (problem) throw new DomainError('weak-password', problem, [{ field: 'newPassword' }]);
  const attempt = await reserveCheck(
    deps,
    { username: me.username.toLowerCase(), userId: me.id, ip: actor.ip },
    'password-change-throttled',
  );
  let ok = false;
  let record: Awaited<ReturnType<typeof findUserByUsername>>;
  try {
    record = await findUserByUsername(deps.db, me.username);
    ok = record ? await verifyPassword(currentPassword, record.passwordHash) : false;
  } finally {
    await finishSignInAttempt(deps.db, attempt, ok ? 'succeeded' : 'failed');
  }
  if (!ok || !record) {
    await audit(deps, actor, 'password-change-failed', { reason: 'wrong current password' });
    throw new DomainError(
      'wrong-password',
      'Your current password is not right, so the password was not changed. Type it again; if you have forgotten it, ask an admin to reset it.',
      [{ field: 'currentPassword' }],
    );
  }
  if (await verifyPassword(newPassword, record.passwordHash)) {
    throw new DomainError('same-password', 'The new password is the same as the current one; choose a different one.', [
      { field: 'newPassword' },
    ]);
  }
  const ended = await setPassword(
    deps.db,
    me.id,
    await hashPassword(newPassword),
    deps.now().toISOString(),
    sessionHash,
  );
  await audit(deps, actor, 'password-changed', { otherSessionsEnded: ended });
}
