/**
 * Rules for administering users: which roles belong to a network, what a change leaves unchanged, and the
 * changes that would lock the admins out (their own admin access, or the last active admin's).
 */
import { ROLES, type Role } from './access';

/** A network manager and a GP belong to one network; an admin and a commissioner work across all of them. */
export function roleNeedsNetwork(role: Role): boolean {
  return role === 'manager' || role === 'gp';
}

export const ROLE_LABELS: Readonly<Record<Role, string>> = {
  admin: 'Admin',
  commissioner: 'Commissioner',
  manager: 'Network manager',
  gp: 'GP / clinician',
};

/** Every role, in order, with its label and whether it needs a network (GET /api/roles). */
export function roleList(): { role: Role; label: string; needsNetwork: boolean }[] {
  return ROLES.map((role) => ({ role, label: ROLE_LABELS[role], needsNetwork: roleNeedsNetwork(role) }));
}

/** What is wrong with giving a role this network (null: nothing); whether the network exists is checked apart. */
export function userNetworkProblem(role: Role, networkCode: string | null | undefined): string | null {
  if (!roleNeedsNetwork(role)) {
    return networkCode ? `A ${role} works across networks, so has no network; leave the network empty.` : null;
  }
  return networkCode ? null : `A ${role === 'gp' ? 'GP' : 'network manager'} belongs to one network; choose it.`;
}

export interface UserState {
  role: Role;
  networkCode: string | null;
  disabled: boolean;
}

/**
 * A user as a change leaves them: what the change does not give stays as it was, except that a user whose
 * new role works across networks has none.
 */
export function changedUser(
  before: UserState,
  change: { role?: Role; networkCode?: string | null; disabled?: boolean },
): UserState {
  const role = change.role ?? before.role;
  const networkCode =
    change.networkCode !== undefined ? change.networkCode : roleNeedsNetwork(role) ? before.networkCode : null;
  return { role, networkCode, disabled: change.disabled ?? before.disabled };
}

/**
 * Why a change may not be made, or null: an admin may not remove their own admin access or disable
 * themselves (another admin must), and the last active admin may not lose admin access.
 */
export function adminLossRefusal(
  user: UserState & { id: number },
  after: UserState,
  actingUserId: number,
  activeAdmins: number,
): 'own-account' | 'last-admin' | null {
  const losesAdmin = user.role === 'admin' && !user.disabled && (after.role !== 'admin' || after.disabled);
  if (!losesAdmin) return null;
  if (user.id === actingUserId) return 'own-account';
  return activeAdmins <= 1 ? 'last-admin' : null;
}

/** What a refused loss of admin access tells the person who tried. */
export const ADMIN_LOSS_TEXT: Record<'own-account' | 'last-admin', string> = {
  'own-account': 'You cannot remove your own admin access or disable yourself; ask another admin.',
  'last-admin': 'This is the last active admin; create another admin first.',
};

/**
 * Why this person may not now take admin access away from a user or disable them (their own account, or the
 * last active admin), or null when they may: the same rule changedUser requests are refused by.
 */
export function adminLossLock(
  user: UserState & { id: number },
  actingUserId: number,
  activeAdmins: number,
): 'own-account' | 'last-admin' | null {
  return adminLossRefusal(user, { ...user, disabled: true }, actingUserId, activeAdmins);
}
