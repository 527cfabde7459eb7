/** A network's members at a period from its membership spans (domain/network-members.ts). */
import { describe, expect, it } from 'vitest';
import { membersAt, spansByNetwork, type MembershipOf } from '../../server/domain/network-members';

const span = (network: string, code: string, fromPeriod: string, toPeriod: string | null): MembershipOf => ({
  network,
  code,
  name: `Practice ${code}`,
  fromPeriod,
  toPeriod,
});
const NETWORKS = [
  { code: 'N1', name: 'North' },
  { code: 'N2', name: 'South' },
  { code: 'N3', name: 'East' },
];
// P2 moves from N2 to N1 at the start of 2025-10; P3 leaves N2 after 2025-06; P9 is in a network not listed.
const MEMBERSHIPS = [
  span('N1', 'P1', '2025-04', null),
  span('N2', 'P2', '2025-04', '2025-09'),
  span('N1', 'P2', '2025-10', null),
  span('N2', 'P3', '2025-04', '2025-06'),
  span('N9', 'P9', '2025-04', null),
];
const codes = (networks: ReturnType<typeof membersAt>) => networks.map((n) => [n.code, n.practices.map((p) => p.code)]);

describe('membersAt', () => {
  it('the spans covering the month, first and last months included, every network listed in order', () => {
    expect(codes(membersAt(NETWORKS, MEMBERSHIPS, '2025-06'))).toEqual([
      ['N1', ['P1']],
      ['N2', ['P2', 'P3']],
      ['N3', []],
    ]);
    expect(codes(membersAt(NETWORKS, MEMBERSHIPS, '2025-09'))).toEqual([
      ['N1', ['P1']],
      ['N2', ['P2']],
      ['N3', []],
    ]);
    expect(codes(membersAt(NETWORKS, MEMBERSHIPS, '2025-10'))).toEqual([
      ['N1', ['P1', 'P2']],
      ['N2', []],
      ['N3', []],
    ]);
  });

  it("carries the practices' names and each network's name", () => {
    const [north] = membersAt(NETWORKS, MEMBERSHIPS, '2025-04');
    expect(north).toEqual({ code: 'N1', name: 'North', practices: [{ code: 'P1', name: 'Practice P1' }] });
  });
});

describe('spansByNetwork', () => {
  it("each network's spans, networks not listed included", () => {
    const spans = spansByNetwork(MEMBERSHIPS);
    expect(spans.get('N2')).toEqual([
      { fromPeriod: '2025-04', toPeriod: '2025-09' },
      { fromPeriod: '2025-04', toPeriod: '2025-06' },
    ]);
    expect(spans.get('N1')).toHaveLength(2);
    expect(spans.get('N9')).toEqual([{ fromPeriod: '2025-04', toPeriod: null }]);
    expect(spans.get('N3')).toBeUndefined();
  });
});
