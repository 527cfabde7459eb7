/**
 * Membership changes, planned (server/domain/membership-plan.ts): a listing loaded from a month, or one
 * practice moved, becomes ends, starts and counts a person can check against the listing by hand.
 */
import { describe, expect, it } from 'vitest';
import {
  defaultListingStart,
  listingStartProblem,
  planMembershipChange,
  planReferenceLoad,
  type CurrentReference,
} from '../../server/domain/membership-plan';
import type { ReferenceRecord } from '../../server/domain/reference-file';

/** Now: N1 has P1 and P2 (since April 2025), N2 has P3 (since October 2025); P4 exists in no network. */
const NOW: CurrentReference = {
  networks: new Map([
    ['N1', 'Riverside'],
    ['N2', 'Hillside'],
  ]),
  practices: new Map([
    ['P1', 'One Surgery'],
    ['P2', 'Two Surgery'],
    ['P3', 'Three Surgery'],
    ['P4', 'Four Surgery'],
  ]),
  openMemberships: new Map([
    ['P1', { networkCode: 'N1', fromPeriod: '2025-04' }],
    ['P2', { networkCode: 'N1', fromPeriod: '2025-04' }],
    ['P3', { networkCode: 'N2', fromPeriod: '2025-10' }],
  ]),
};

const row = (
  practiceCode: string,
  networkCode: string | null,
  extra: Partial<ReferenceRecord> = {},
): ReferenceRecord => ({
  practiceCode,
  practiceName: NOW.practices.get(practiceCode) ?? `${practiceCode} Surgery`,
  postcode: null,
  networkCode,
  networkName: networkCode === null ? null : (NOW.networks.get(networkCode) ?? `${networkCode} network`),
  listSize: null,
  ...extra,
});

describe('a listing loaded from January 2026', () => {
  it('counts joins, moves, leaves and the unchanged, and ends memberships the month before', () => {
    // P1 stays in N1, P2 moves to N2, P4 joins N1, P5 is new and joins N2; P3 (N2) is not listed.
    const planned = planReferenceLoad(
      NOW,
      [row('P1', 'N1'), row('P2', 'N2'), row('P4', 'N1'), row('P5', 'N2')],
      '2026-01',
      false,
    );
    if (!planned.ok) throw new Error(planned.conflict);
    const { plan } = planned;
    expect(plan.counts).toMatchObject({
      joined: 2,
      moved: 1,
      left: 1,
      unchanged: 1,
      practicesCreated: 1,
      networksCreated: 0,
      unallocated: 0,
    });
    expect(plan.closes).toEqual([
      { practiceCode: 'P2', toPeriod: '2025-12' },
      { practiceCode: 'P3', toPeriod: '2025-12' },
    ]);
    expect(plan.opens).toEqual([
      { practiceCode: 'P2', networkCode: 'N2', fromPeriod: '2026-01' },
      { practiceCode: 'P4', networkCode: 'N1', fromPeriod: '2026-01' },
      { practiceCode: 'P5', networkCode: 'N2', fromPeriod: '2026-01' },
    ]);
    expect(plan.practicesToCreate).toEqual([{ code: 'P5', name: 'P5 Surgery', postcode: null }]);
  });

  it('a partial listing leaves other networks alone; the national file (complete) ends every unlisted membership', () => {
    const partial = planReferenceLoad(NOW, [row('P1', 'N1'), row('P2', 'N1')], '2026-01', false);
    expect(partial.ok && partial.plan.closes).toEqual([]); // P3's network N2 is not named, so P3 stays
    const national = planReferenceLoad(NOW, [row('P1', 'N1'), row('P2', 'N1')], '2026-01', true);
    expect(national.ok && national.plan.closes).toEqual([{ practiceCode: 'P3', toPeriod: '2025-12' }]);
    expect(national.ok && national.plan.counts.left).toBe(1);
  });

  it('an unallocated practice leaves its network; new networks are created once and renamed networks renamed', () => {
    const planned = planReferenceLoad(
      NOW,
      [
        row('P1', null),
        row('P2', 'N3', { networkName: 'Lakeside' }),
        row('P3', 'N3', { networkName: 'Lakeside' }),
        row('P4', 'N1', { networkName: 'Riverside PCN' }),
      ],
      '2026-01',
      false,
    );
    if (!planned.ok) throw new Error(planned.conflict);
    expect(planned.plan.counts).toMatchObject({ unallocated: 1, left: 1, moved: 2, joined: 1, networksCreated: 1 });
    expect(planned.plan.networksToCreate).toEqual([{ code: 'N3', name: 'Lakeside' }]);
    expect(planned.plan.networksToRename).toEqual([{ code: 'N1', name: 'Riverside PCN' }]);
  });

  it('renames practices and keeps list sizes as at the month', () => {
    const planned = planReferenceLoad(
      NOW,
      [row('P1', 'N1', { practiceName: 'One Medical Centre', postcode: 'E1 1AA', listSize: 10250 })],
      '2026-01',
      false,
    );
    expect(planned.ok && planned.plan.practicesToRename).toEqual([
      { code: 'P1', name: 'One Medical Centre', postcode: 'E1 1AA' },
    ]);
    expect(planned.ok && planned.plan.listSizes).toEqual([{ practiceCode: 'P1', listSize: 10250 }]);
    expect(planned.ok && planned.plan.counts.listSizes).toBe(1);
  });

  it('refuses a load that would end a membership before it started', () => {
    // P3 joined N2 in October 2025: moving it from September 2025 would end it in August, before it began.
    const planned = planReferenceLoad(NOW, [row('P3', 'N1')], '2025-09', false);
    expect(planned).toEqual({
      ok: false,
      conflict: 'a membership already starts in 2025-10, after 2025-08; load the file from a later period',
    });
  });
});

describe('where a listing starts', () => {
  it.each([
    [false, '2025-04', '2026-11', '2025-04'], // no memberships yet: the first contract year's first month
    [false, null, '2026-11', '2026-11'], // no contract year either: the current month
    [true, '2025-04', '2026-11', '2026-11'], // later listings: the current month
  ] as const)('memberships %s, first year from %s, now %s → %s', (has, first, now, start) => {
    expect(defaultListingStart(has, first, now)).toBe(start);
  });
  it('must come after the latest change of any membership', () => {
    expect(listingStartProblem('2026-01', null)).toBeNull();
    expect(listingStartProblem('2026-01', '2025-12')).toBeNull();
    expect(listingStartProblem('2026-01', '2026-01')).toMatch(
      /memberships already change in 2026-01; give a fromPeriod after it/,
    );
  });
});

describe('moving one practice', () => {
  const spans = [
    { networkCode: 'N5', fromPeriod: '2025-04', toPeriod: '2025-09' },
    { networkCode: 'N6', fromPeriod: '2025-10', toPeriod: null },
  ];
  it.each([
    ['to another network', spans, 'N1', { result: 'moved', closeAt: '2025-12', open: true }],
    ['to the network it is in', spans, 'N6', { result: 'unchanged', closeAt: null, open: false }],
    ['out of every network', spans, null, { result: 'left', closeAt: '2025-12', open: false }],
    ['into a network, from none', [], 'N1', { result: 'joined', closeAt: null, open: true }],
    ['out of every network, from none', [], null, { result: 'unchanged', closeAt: null, open: false }],
  ] as const)('%s', (_name, given, network, plan) => {
    expect(planMembershipChange(given, network, '2026-01', 'Z00022')).toEqual({ ok: true, plan });
  });
  it('is refused at or before its latest change', () => {
    expect(planMembershipChange(spans, 'N1', '2025-10', 'Z00022')).toEqual({
      ok: false,
      conflict: "Z00022's membership already changes in 2025-10; choose a later month",
    });
  });
});
