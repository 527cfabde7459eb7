/** The one membership check of an upload, whatever its layout (server/domain/submission/membership.ts). */
import { describe, expect, it } from 'vitest';
import { uploadMembership, type ReferencePractice, type Uploader } from '../../server/domain/submission';

// Z00022 was in N5 until September 2025 and has been in N6 since October 2025.
const MOVER: ReferencePractice = {
  id: 22,
  code: 'Z00022',
  name: 'Mover Surgery',
  spans: [
    { networkCode: 'N5', fromPeriod: '2025-04', toPeriod: '2025-09' },
    { networkCode: 'N6', fromPeriod: '2025-10', toPeriod: null },
  ],
};
const managerOf = (networkCode: string | null): Uploader => ({ username: 'm', role: 'manager', networkCode });
const admin: Uploader = { username: 'a', role: 'admin', networkCode: null };

describe('whether an uploader may give a practice’s figures for a month', () => {
  it.each([
    ['N5’s manager, September 2025', managerOf('N5'), '2025-09', { ok: true, span: MOVER.spans[0] }],
    ['N5’s manager, October 2025 (it has moved)', managerOf('N5'), '2025-10', { ok: false, why: 'other-network' }],
    ['N6’s manager, October 2025', managerOf('N6'), '2025-10', { ok: true, span: MOVER.spans[1] }],
    ['N6’s manager, September 2025 (not yet theirs)', managerOf('N6'), '2025-09', { ok: false, why: 'other-network' }],
    ['an admin, any month with a membership', admin, '2026-03', { ok: true, span: MOVER.spans[1] }],
    ['an admin, before it joined any network', admin, '2025-03', { ok: false, why: 'no-network' }],
    ['a manager with no network', managerOf(null), '2025-09', { ok: false, why: 'other-network' }],
  ] as const)('%s', (_name, uploader, period, answer) => {
    expect(uploadMembership(MOVER, period, uploader)).toEqual(answer);
  });
});
