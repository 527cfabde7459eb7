import { describe, expect, it } from 'vitest';
import { noMembersSince } from '../../server/domain/no-members';

const span = (fromPeriod: string, toPeriod: string | null) => ({ fromPeriod, toPeriod });

describe('noMembersSince: since when a network has had no member practices', () => {
  it.each([
    // spans, period, frequency, expected
    ['a member covers the period', [span('2019-04', null)], '2024-09', 'monthly', null],
    ['never had a member', [], '2024-09', 'monthly', null],
    ['its only members start later', [span('2025-04', null)], '2024-09', 'monthly', null],
    ['last member left in March 2021 (monthly)', [span('2019-04', '2021-03')], '2024-09', 'monthly', '2021-04'],
    ['last member left in March 2021 (quarterly)', [span('2019-04', '2021-03')], '2024-09', 'quarterly', '2021-06'],
    ['left mid-quarter, in April 2021 (quarterly)', [span('2019-04', '2021-04')], '2024-09', 'quarterly', '2021-06'],
    [
      'the latest of several ends',
      [span('2019-04', '2020-06'), span('2019-04', '2021-01')],
      '2021-03',
      'monthly',
      '2021-02',
    ],
    [
      'left, came back, left again',
      [span('2019-04', '2020-03'), span('2020-06', '2020-09')],
      '2021-03',
      'monthly',
      '2020-10',
    ],
    ['the period just after the last', [span('2019-04', '2021-03')], '2021-04', 'monthly', '2021-04'],
  ] as const)('%s', (_, spans, period, frequency, expected) => {
    expect(noMembersSince(spans, period, frequency)).toBe(expected);
  });
});
