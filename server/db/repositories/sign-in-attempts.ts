/**
 * Sign-in attempts, reserved before the password is checked. Counting the earlier attempts and reserving
 * this one happen in one transaction that takes the write lock at once (immediateTransaction), so no other
 * request, and no other connection, can slip in between the count and the reservation.
 */
import type { AttemptCounts } from '../../domain/sign-in-limits';
import { immediateTransaction, type Db } from '../database';

export interface AttemptKey {
  username: string;
  ip: string;
}

export type Reservation<R> = { ok: true; attemptId: number } | { ok: false; refusal: R; counts: AttemptCounts };

/**
 * Counts the failed and unfinished attempts since `since` for the username and for the address, asks `refuse`
 * whether one more may go ahead and, if so, records it as pending. Attempts older than `since` are pruned.
 */
export async function reserveSignInAttempt<R>(
  db: Db,
  key: AttemptKey,
  at: string,
  since: string,
  refuse: (counts: AttemptCounts) => R | null,
): Promise<Reservation<R>> {
  return immediateTransaction(db, async (trx): Promise<Reservation<R>> => {
    await trx.deleteFrom('sign_in_attempts').where('at', '<', since).execute();
    const count = async (column: 'username' | 'ip', value: string) => {
      const row = await trx
        .selectFrom('sign_in_attempts')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where(column, '=', value)
        .where('at', '>=', since)
        .where('outcome', 'in', ['pending', 'failed'])
        .executeTakeFirstOrThrow();
      return Number(row.n);
    };
    const counts = { byUsername: await count('username', key.username), byAddress: await count('ip', key.ip) };
    const refusal = refuse(counts);
    if (refusal !== null) return { ok: false, refusal, counts };
    const r = await trx
      .insertInto('sign_in_attempts')
      .values({ username: key.username, ip: key.ip, at, outcome: 'pending' })
      .returning('id')
      .executeTakeFirstOrThrow();
    return { ok: true, attemptId: r.id };
  });
}

/** Records how a reserved attempt ended. */
export async function finishSignInAttempt(db: Db, attemptId: number, outcome: 'failed' | 'succeeded'): Promise<void> {
  await db
    .updateTable('sign_in_attempts')
    .set({ outcome })
    .where('id', '=', attemptId)
    .where('outcome', '=', 'pending')
    .execute();
}
