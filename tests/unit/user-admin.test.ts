/** Rules for administering users (server/domain/user-admin.ts), case by case. */
import { describe, expect, it } from 'vitest';
import {
  adminLossLock,
  adminLossRefusal,
  changedUser,
  roleNeedsNetwork,
  userNetworkProblem,
  type UserState,
} from '../../server/domain/user-admin';

describe('which roles belong to a network', () => {
  it.each([
    ['admin', false],
    ['commissioner', false],
    ['manager', true],
    ['gp', true],
  ] as const)('%s: %s', (role, needs) => expect(roleNeedsNetwork(role)).toBe(needs));

  it.each([
    ['manager', 'N1', null],
    ['gp', 'N2', null],
    ['admin', null, null],
    ['commissioner', undefined, null],
    ['manager', null, 'A network manager belongs to one network; choose it.'],
    ['gp', '', 'A GP belongs to one network; choose it.'],
    ['commissioner', 'N1', 'A commissioner works across networks, so has no network; leave the network empty.'],
  ] as const)('%s with network %j: %j', (role, network, problem) =>
    expect(userNetworkProblem(role, network)).toBe(problem),
  );
});

describe('a change leaves the rest of the user as it was', () => {
  const gp: UserState = { role: 'gp', networkCode: 'N1', disabled: false };
  it.each([
    ['disable only', { disabled: true }, { role: 'gp', networkCode: 'N1', disabled: true }],
    ['GP to manager keeps the network', { role: 'manager' }, { role: 'manager', networkCode: 'N1', disabled: false }],
    [
      'GP to commissioner drops it',
      { role: 'commissioner' },
      { role: 'commissioner', networkCode: null, disabled: false },
    ],
    ['a new network', { networkCode: 'N2' }, { role: 'gp', networkCode: 'N2', disabled: false }],
  ] as const)('%s', (_name, change, after) => expect(changedUser(gp, change)).toEqual(after));
});

describe('admins cannot lock themselves or everyone out', () => {
  const admin = { id: 1, role: 'admin', networkCode: null, disabled: false } as const;
  const asCommissioner: UserState = { role: 'commissioner', networkCode: null, disabled: false };
  const disabled: UserState = { role: 'admin', networkCode: null, disabled: true };
  it.each([
    // user changed, after, acting admin, active admins → refusal
    ['an admin demoting another, with two admins', asCommissioner, 2, 2, null],
    ['an admin disabling another, with two admins', disabled, 2, 2, null],
    ['an admin demoting themselves', asCommissioner, 1, 2, 'own-account'],
    ['an admin disabling themselves', disabled, 1, 2, 'own-account'],
    ['demoting the last active admin', asCommissioner, 2, 1, 'last-admin'],
    ['a change that keeps admin access', { role: 'admin', networkCode: null, disabled: false }, 1, 1, null],
  ] as const)('%s: %s', (_name, after, acting, admins, refusal) => {
    expect(adminLossRefusal(admin, after, acting, admins)).toBe(refusal);
  });
  it.each([
    // the user, the acting admin, active admins → what the users list says of them
    ['their own account', admin, 1, 2, 'own-account'],
    ['their own account, the last admin', admin, 1, 1, 'own-account'],
    ['another admin, with two admins', admin, 2, 2, null],
    ['another admin, the last active one', admin, 2, 1, 'last-admin'],
    ['a disabled admin', { ...admin, disabled: true }, 2, 1, null],
    ['a commissioner', { ...admin, role: 'commissioner' }, 2, 1, null],
  ] as const)('the lock shown beside %s', (_name, user, acting, admins, lock) => {
    expect(adminLossLock(user, acting, admins)).toBe(lock);
  });
  it('a disabled admin being demoted loses nothing', () => {
    expect(
      adminLossRefusal({ ...admin, disabled: true }, { role: 'gp', networkCode: 'N1', disabled: true }, 1, 0),
    ).toBeNull();
  });
});
