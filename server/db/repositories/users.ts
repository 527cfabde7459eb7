/** Users and their sessions. */
import type { Role } from '../../domain/access';
import type { Db } from '../database';

export type { Role };

export interface UserRecord {
  id: number;
  username: string;
  passwordHash: string;
  role: Role;
  networkCode: string | null;
  disabled: boolean;
  isDemo: boolean;
}

export interface SessionUser {
  id: number;
  username: string;
  role: Role;
  networkCode: string | null;
}

export async function findUserByUsername(db: Db, username: string): Promise<UserRecord | null> {
  const row = await db
    .selectFrom('users as u')
    .leftJoin('networks as n', 'n.id', 'u.network_id')
    .select(['u.id', 'u.username', 'u.password_hash', 'u.role', 'n.code as networkCode', 'u.disabled_at', 'u.is_demo'])
    .where('u.username', '=', username)
    .executeTakeFirst();
  if (!row) return null;
  return {
    id: row.id,
    username: row.username,
    passwordHash: row.password_hash,
    role: row.role,
    networkCode: row.networkCode ?? null,
    disabled: row.disabled_at !== null,
    isDemo: row.is_demo === 1,
  };
}

export async function insertUser(
  db: Db,
  user: { username: string; passwordHash: string; role: Role; networkCode: string | null; isDemo?: boolean },
  now: string,
): Promise<number> {
  let networkId: number | null = null;
  if (user.networkCode) {
    const n = await db.selectFrom('networks').select('id').where('code', '=', user.networkCode).executeTakeFirst();
    if (!n) throw new Error(`no network ${user.networkCode}`);
    networkId = n.id;
  }
  const r = await db
    .insertInto('users')
    .values({
      username: user.username,
      password_hash: user.passwordHash,
      role: user.role,
      network_id: networkId,
      is_demo: user.isDemo ? 1 : 0,
      created_at: now,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return r.id;
}

export async function countDemoUsers(db: Db): Promise<number> {
  const r = await db
    .selectFrom('users')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('is_demo', '=', 1)
    .where('disabled_at', 'is', null)
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

export async function insertSession(
  db: Db,
  s: { idHash: string; userId: number; now: string; ip: string | null; userAgent: string | null },
): Promise<void> {
  await db
    .insertInto('sessions')
    .values({
      id_hash: s.idHash,
      user_id: s.userId,
      created_at: s.now,
      last_seen_at: s.now,
      ip: s.ip,
      user_agent: s.userAgent,
    })
    .execute();
}

export interface SessionRecord {
  user: SessionUser;
  createdAt: string;
  lastSeenAt: string;
}

/** A live session: not ended, and its user not disabled. Time-outs are the caller's to judge. */
export async function findLiveSession(db: Db, idHash: string): Promise<SessionRecord | null> {
  const row = await db
    .selectFrom('sessions as s')
    .innerJoin('users as u', 'u.id', 's.user_id')
    .leftJoin('networks as n', 'n.id', 'u.network_id')
    .select(['u.id', 'u.username', 'u.role', 'n.code as networkCode', 's.created_at', 's.last_seen_at'])
    .where('s.id_hash', '=', idHash)
    .where('s.ended_at', 'is', null)
    .where('u.disabled_at', 'is', null)
    .executeTakeFirst();
  if (!row) return null;
  return {
    user: { id: row.id, username: row.username, role: row.role, networkCode: row.networkCode ?? null },
    createdAt: row.created_at,
    lastSeenAt: row.last_seen_at,
  };
}

export async function touchSession(db: Db, idHash: string, now: string): Promise<void> {
  await db.updateTable('sessions').set({ last_seen_at: now }).where('id_hash', '=', idHash).execute();
}

export async function endSession(db: Db, idHash: string, now: string): Promise<void> {
  await db
    .updateTable('sessions')
    .set({ ended_at: now })
    .where('id_hash', '=', idHash)
    .where('ended_at', 'is', null)
    .execute();
}

export interface UserView {
  id: number;
  username: string;
  role: Role;
  networkCode: string | null;
  disabled: boolean;
  isDemo: boolean;
  createdAt: string;
}

export async function listUsers(db: Db): Promise<UserView[]> {
  const rows = await db
    .selectFrom('users as u')
    .leftJoin('networks as n', 'n.id', 'u.network_id')
    .select(['u.id', 'u.username', 'u.role', 'n.code as networkCode', 'u.disabled_at', 'u.is_demo', 'u.created_at'])
    .orderBy('u.username')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    username: r.username,
    role: r.role,
    networkCode: r.networkCode ?? null,
    disabled: r.disabled_at !== null,
    isDemo: r.is_demo === 1,
    createdAt: r.created_at,
  }));
}

export async function findUserById(db: Db, id: number): Promise<UserView | null> {
  return (await listUsers(db)).find((u) => u.id === id) ?? null;
}

export async function countActiveAdmins(db: Db): Promise<number> {
  const r = await db
    .selectFrom('users')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('role', '=', 'admin')
    .where('disabled_at', 'is', null)
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

/** Changes role, network or disabled state; disabling (or any change of role or network) ends the user's sessions. */
export async function updateUser(
  db: Db,
  id: number,
  change: { role: Role; networkId: number | null; disabledAt: string | null },
  now: string,
): Promise<void> {
  await db
    .updateTable('users')
    .set({ role: change.role, network_id: change.networkId, disabled_at: change.disabledAt })
    .where('id', '=', id)
    .execute();
  await endSessionsOfUser(db, id, now);
}

/**
 * Sets a user's password hash and ends their sessions, except `keepSession` (the session of a user changing
 * their own password). Returns how many sessions were ended.
 */
export async function setPassword(
  db: Db,
  id: number,
  passwordHash: string,
  now: string,
  keepSession: string | null = null,
): Promise<number> {
  await db.updateTable('users').set({ password_hash: passwordHash }).where('id', '=', id).execute();
  return endSessionsOfUser(db, id, now, keepSession);
}

/** Ends a user's live sessions, except `keepSession` when given; returns how many were ended. */
export async function endSessionsOfUser(
  db: Db,
  userId: number,
  now: string,
  keepSession: string | null = null,
): Promise<number> {
  let q = db.updateTable('sessions').set({ ended_at: now }).where('user_id', '=', userId).where('ended_at', 'is', null);
  if (keepSession !== null) q = q.where('id_hash', '!=', keepSession);
  const r = await q.executeTakeFirst();
  return Number(r.numUpdatedRows);
}

export async function networkIdOf(db: Db, code: string): Promise<number | null> {
  const r = await db.selectFrom('networks').select('id').where('code', '=', code).executeTakeFirst();
  return r?.id ?? null;
}
