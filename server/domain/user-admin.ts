/**
 * Rules for administering users: which roles belong to a network, and how the screens name each role.
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
