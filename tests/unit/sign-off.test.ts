/** When a contract year may be signed off or reopened (server/domain/sign-off.ts), by person, lock and date. */
import { describe, expect, it } from 'vitest';
import type { RoleInNetwork } from '../../server/domain/access';
import { reopenRefusal, signOffRefusal, yearEnded } from '../../server/domain/sign-off';

const admin: RoleInNetwork = { role: 'admin', networkCode: null };
const commissioner: RoleInNetwork = { role: 'commissioner', networkCode: null };
const manager: RoleInNetwork = { role: 'manager', networkCode: 'N1' };
const gp: RoleInNetwork = { role: 'gp', networkCode: 'N1' };

describe('a year has ended once its last month is before the current month', () => {
  it.each([
    ['2026-03', '2026-04', true],
    ['2026-03', '2026-03', false], // March's figures are still coming in during March
    ['2026-03', '2025-11', false],
    ['2026-03', '2027-01', true],
  ])('last %s, now %s: %s', (last, now, ended) => {
    expect(yearEnded(last, now)).toBe(ended);
  });
});

describe('sign-off: role, lock, then the year’s end', () => {
  const open2025 = { lastPeriod: '2026-03', locked: false };
  const locked2025 = { lastPeriod: '2026-03', locked: true };
  const open2026 = { lastPeriod: '2027-03', locked: false };
  it.each([
    // person, year, current period → refusal
    ['commissioner, ended open year', commissioner, open2025, '2026-11', null],
    ['admin, ended open year', admin, open2025, '2026-11', null],
    ['commissioner, year ending this month', commissioner, open2025, '2026-03', 'year-not-ended'],
    ['commissioner, year still running', commissioner, open2026, '2026-11', 'year-not-ended'],
    ['commissioner, year already signed off', commissioner, locked2025, '2026-11', 'already-signed-off'],
    ['manager', manager, open2025, '2026-11', 'forbidden'],
    ['gp', gp, locked2025, '2026-11', 'forbidden'],
  ] as const)('%s → %s', (_name, who, year, now, refusal) => {
    expect(signOffRefusal(who, year, now)).toBe(refusal);
  });
});

describe('reopen: role, then a sign-off to undo', () => {
  it.each([
    ['commissioner, signed off', commissioner, true, null],
    ['admin, signed off', admin, true, null],
    ['commissioner, not signed off', commissioner, false, 'not-signed-off'],
    ['manager, signed off', manager, true, 'forbidden'],
    ['gp, not signed off', gp, false, 'forbidden'],
  ] as const)('%s → %s', (_name, who, locked, refusal) => {
    expect(reopenRefusal(who, { locked })).toBe(refusal);
  });
});
