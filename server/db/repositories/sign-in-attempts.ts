/**
 * Sign-in attempts, reserved before the password is checked. Counting the earlier attempts and reserving
 * this one happen in one synchronous better-sqlite3 transaction (BEGIN IMMEDIATE, so another process
 * cannot slip in between either): no other request can run between the count and the reservation.
 */
import type SQLite from 'better-sqlite3';
import type { AttemptCounts } from '../../domain/sign-in-limits';

export interface AttemptKey {
  username: string;
  ip: string;
}

export type Reservation<R> = { ok: true; attemptId: number } | { ok: false; refusal: R; counts: AttemptCounts };

/**
 * Counts the failed and unfinished attempts since `since` for the username and for the address, asks `refuse`
 * whether one more may go ahead and, if so, records it as pending. Attempts older than `since` are pruned.
 */
export function reserveSignInAttempt<R>(
  sqlite: SQLite.Database,
  key: AttemptKey,
  at: string,
  since: string,
  refuse: (counts: AttemptCounts) => R | null,
): Reservation<R> {
  const reserve = sqlite.transaction((): Reservation<R> => {
    sqlite.prepare('DELETE FROM sign_in_attempts WHERE at < ?').run(since);
    const count = (column: 'username' | 'ip', value: string) =>
      (sqlite.prepare(`SELECT count(*) AS n FROM sign_in_attempts WHERE ${column} = ? AND at >= ? AND outcome IN ('pending', 'failed')`).get(value, since) as { n: number }).n;
    const counts = { byUsername: count('username', key.username), byAddress: count('ip', key.ip) };
    const refusal = refuse(counts);
    if (refusal !== null) return { ok: false, refusal, counts };
    const r = sqlite.prepare("INSERT INTO sign_in_attempts (username, ip, at, outcome) VALUES (?, ?, ?, 'pending')").run(key.username, key.ip, at);
    return { ok: true, attemptId: Number(r.lastInsertRowid) };
  });
  return reserve.immediate();
}

/** Records how a reserved attempt ended. */
export function finishSignInAttempt(sqlite: SQLite.Database, attemptId: number, outcome: 'failed' | 'succeeded'): void {
  sqlite.prepare("UPDATE sign_in_attempts SET outcome = ? WHERE id = ? AND outcome = 'pending'").run(outcome, attemptId);
}
