/**
 * Administering users: create, change role, network or disabled state, reset a password. The rules (which
 * roles need a network, what a change leaves as it was, who may not lose admin access) are in
 * server/domain/user-admin.ts; every change is audited.
 */
import {
  countActiveAdmins,
  findUserById,
  findUserByUsername,
  insertUser,
  listUsers as loadUsers,
  networkIdOf,
  setPassword,
  updateUser,
} from '../db/repositories/users';
import type { Role } from '../domain/access';
import { badRequest, DomainError, notFound } from '../domain/errors';
import {
  ADMIN_LOSS_TEXT,
  adminLossLock,
  adminLossRefusal,
  changedUser,
  roleList,
  userNetworkProblem,
} from '../domain/user-admin';
import type { NewUserBody, RoleInfo, User, UserChangeBody } from '../schemas/admin';
import { hashPassword, newPasswordProblem } from '../security/passwords';
import { appendAudit } from '../db/repositories/audit';
import { audit, type Actor, type Deps } from './context';

export function listRoles(): RoleInfo[] {
  return roleList();
}

type StoredUser = Omit<User, 'adminLock'>;

/** Users as the acting admin sees them: each with what the admin-access rule would refuse them. */
async function asSeenBy(deps: Deps, actor: Actor, users: StoredUser[]): Promise<User[]> {
  const activeAdmins = await countActiveAdmins(deps.db);
  return users.map((u) => {
    const lock = adminLossLock(u, actor.user.id, activeAdmins);
    return { ...u, adminLock: lock ? ADMIN_LOSS_TEXT[lock] : null };
  });
}

export async function listUsers(deps: Deps, actor: Actor): Promise<User[]> {
  return asSeenBy(deps, actor, await loadUsers(deps.db));
}

async function oneSeenBy(deps: Deps, actor: Actor, user: StoredUser): Promise<User> {
  const [seen] = await asSeenBy(deps, actor, [user]);
  if (!seen) throw notFound(`There is no user ${user.id}.`);
  return seen;
}

/** The stored id of the network a role is given (null for a role without one), refusing a wrong pairing. */
async function networkFor(deps: Deps, role: Role, networkCode: string | null | undefined): Promise<number | null> {
  const problem = userNetworkProblem(role, networkCode);
  if (problem) throw badRequest(problem);
  if (!networkCode) return null;
  const id = await networkIdOf(deps.db, networkCode);
  if (id === null) throw badRequest(`There is no network ${networkCode}.`);
  return id;
}

async function requireUserById(deps: Deps, id: number): Promise<StoredUser> {
  const user = await findUserById(deps.db, id);
  if (!user) throw notFound(`There is no user ${id}.`);
  return user;
}

export async function createUser(deps: Deps, actor: Actor, body: NewUserBody): Promise<User> {
  const { username, password, role } = body;
  const networkCode = body.networkCode ?? null;
  await networkFor(deps, role, networkCode);
  const problem = newPasswordProblem(password, username);
  if (problem) throw new DomainError('weak-password', problem, [{ field: 'password' }]);
  if (await findUserByUsername(deps.db, username)) {
    throw new DomainError('username-taken', `There is already a user "${username}"; choose another username.`);
  }
  const id = await insertUser(
    deps.db,
    { username, passwordHash: await hashPassword(password), role, networkCode },
    deps.now().toISOString(),
  );
  await audit(deps, actor, 'user-created', { userId: id, username, role, networkCode });
  return oneSeenBy(deps, actor, await requireUserById(deps, id));
}

/** Changes a user's role, network or disabled state; their sessions end. */
export async function changeUser(deps: Deps, actor: Actor, id: number, change: UserChangeBody): Promise<User> {
  const before = await requireUserById(deps, id);
  const after = changedUser(before, change);
  const networkId = await networkFor(deps, after.role, after.networkCode);
  const refusal = adminLossRefusal(before, after, actor.user.id, await countActiveAdmins(deps.db));
  if (refusal) throw new DomainError(refusal, ADMIN_LOSS_TEXT[refusal]);
  const now = deps.now().toISOString();
  await updateUser(deps.db, before.id, { role: after.role, networkId, disabledAt: after.disabled ? now : null }, now);
  const stored = await requireUserById(deps, before.id);
  const state = (u: StoredUser) => ({ role: u.role, networkCode: u.networkCode, disabled: u.disabled });
  await audit(deps, actor, after.disabled && !before.disabled ? 'user-disabled' : 'user-updated', {
    userId: before.id,
    username: before.username,
    before: state(before),
    after: state(stored),
  });
  return oneSeenBy(deps, actor, stored);
}

/** Sets a new password for a user (their sessions end). */
export async function resetPassword(deps: Deps, actor: Actor, id: number, password: string): Promise<void> {
  const user = await requireUserById(deps, id);
  const problem = newPasswordProblem(password, user.username);
  if (problem) throw new DomainError('weak-password', problem, [{ field: 'password' }]);
  await setPassword(deps.db, user.id, await hashPassword(password), deps.now().toISOString());
  await audit(deps, actor, 'password-reset', { userId: user.id, username: user.username });
}

/**
 * Creates an admin from the command line (`npm run create-admin`, the first admin of a database for real
 * use): the same password rule as the API's, audited as done there.
 */
export async function createAdminAccount(deps: Deps, username: string, password: string): Promise<number> {
  const problem = newPasswordProblem(password, username);
  if (problem) throw new DomainError('weak-password', problem, [{ field: 'password' }]);
  if (await findUserByUsername(deps.db, username))
    throw new DomainError('username-taken', `There is already a user "${username}".`);
  const now = deps.now().toISOString();
  const id = await insertUser(
    deps.db,
    { username, passwordHash: await hashPassword(password), role: 'admin', networkCode: null },
    now,
  );
  await appendAudit(deps.db, {
    at: now,
    userId: null,
    username: 'create-admin (command line)',
    action: 'user-created',
    ip: null,
    detail: { userId: id, username, role: 'admin' },
  });
  return id;
}
