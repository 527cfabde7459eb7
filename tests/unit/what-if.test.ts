/**
 * What-if (SPEC 11.4): patients added to a practice or spread over the network, the statement recomputed by the
 * same functions as the real one, line by line, nothing changed in the figures handed in.
 * Base figures (tests/helpers/small-year.ts): DM-CP A 35 / 50, B 40 / 50 = 75 / 100 against 85%.
 */
import { describe, expect, it } from 'vitest';
import { networkAttainment } from '../../server/domain/attainment';
import { networkStatement } from '../../server/domain/payment';
import { applyAdjustments, whatIf, WhatIfError, type WhatIfAdjustment } from '../../server/domain/what-if';
import { BASE, observations, smallNetwork, smallYear } from '../helpers/small-year';

const rules = smallYear('all-indicators');
const network = smallNetwork();

function refused(adjustments: WhatIfAdjustment[], values = BASE): WhatIfError {
  try {
    whatIf(rules, network, observations(values), adjustments);
  } catch (e) {
    if (e instanceof WhatIfError) return e;
    throw e;
  }
  throw new Error('the what-if was not refused');
}

describe('adding patients to one practice', () => {
  it('A + 8 and B + 2 on DM-CP: 85 / 100 meets 85%, so DM is paid: 120,000p → 300,000p', () => {
    const r = whatIf(rules, network, observations(BASE), [
      { indicator: 'DM-CP', practice: 'A', extraNumerator: 8 },
      { indicator: 'DM-CP', practice: 'B', extraNumerator: 2 },
    ]);
    const cp = r.after.attainment.find((a) => a.code === 'DM-CP')!;
    expect(cp).toMatchObject({ numerator: 85, denominator: 100, met: true, patientsNeeded: 0 });
    expect(cp.practices.map((p) => [p.code, p.numerator])).toEqual([
      ['A', 43],
      ['B', 42],
    ]);
    expect(r.changes.earnedPence).toEqual({ before: 120_000, after: 300_000 });
    expect(r.changes.domains).toEqual([
      {
        domain: 'DM',
        before: { earnedPence: 0, status: 'not-earned' },
        after: { earnedPence: 180_000, status: 'earned' },
      },
    ]);
    // line by line: DM-CP's figure and standing changed; DM-BP's figure did not, but its payment did (the domain is now paid)
    expect(
      r.changes.lines.map((l) => [
        l.indicator,
        l.before.numerator,
        l.after.numerator,
        l.before.earnedPence,
        l.after.earnedPence,
      ]),
    ).toEqual([
      ['DM-BP', 70, 70, 0, 60_000],
      ['DM-CP', 75, 85, 0, 120_000],
    ]);
    // each line's rate as the statement writes it beside its target: 75 / 100 → "75.0%", 85 / 100 → "85.0%"
    expect(r.changes.lines.map((l) => [l.indicator, l.before.rateText, l.after.rateText])).toEqual([
      ['DM-BP', '70.0%', '70.0%'],
      ['DM-CP', '75.0%', '85.0%'],
    ]);
    expect(r.toTake.releasablePence).toBe(0);
  });
  it('A + 8 alone is not enough: 83 / 100 still needs 2, the statement is unchanged except DM-CP', () => {
    const r = whatIf(rules, network, observations(BASE), [{ indicator: 'DM-CP', practice: 'A', extraNumerator: 8 }]);
    expect(r.changes.earnedPence).toEqual({ before: 120_000, after: 120_000 });
    expect(r.changes.domains).toEqual([]);
    expect(r.changes.lines.map((l) => l.indicator)).toEqual(['DM-CP']);
    expect(r.toTake.domains[0]!.unmet[0]).toMatchObject({ code: 'DM-CP', patientsNeeded: 2 });
  });
});

describe('adding patients network-wide', () => {
  it('+10 on DM-CP is spread by the patients each practice has left (A 15, B 10): A + 6, B + 4', () => {
    const r = whatIf(rules, network, observations(BASE), [{ indicator: 'DM-CP', extraNumerator: 10 }]);
    expect(r.applied).toEqual([
      {
        indicator: 'DM-CP',
        practice: null,
        extraNumerator: 10,
        spread: [
          { practice: 'A', extra: 6 },
          { practice: 'B', extra: 4 },
        ],
      },
    ]);
    expect(r.after.attainment.find((a) => a.code === 'DM-CP')).toMatchObject({ numerator: 85, met: true });
  });
  it('+7 splits 4.2 : 2.8 → 4 and 2, the leftover patient to the larger remainder (B): 4 and 3', () => {
    const { applied } = applyAdjustments(rules, network, observations(BASE), [
      { indicator: 'DM-CP', extraNumerator: 7 },
    ]);
    expect(applied[0]!.spread).toEqual([
      { practice: 'A', extra: 4 },
      { practice: 'B', extra: 3 },
    ]);
  });
  it('only practices with a figure take patients: B has not sent IMM-MMR, so all go to A', () => {
    const values = {
      A: { ...BASE.A!, 'IMM-MMR': [10, 20] as [number, number] },
      B: { 'DM-BP': BASE.B!['DM-BP']!, 'DM-CP': BASE.B!['DM-CP']! },
    };
    const { applied } = applyAdjustments(rules, network, observations(values), [
      { indicator: 'IMM-MMR', extraNumerator: 5 },
    ]);
    expect(applied[0]!.spread).toEqual([{ practice: 'A', extra: 5 }]);
  });
});

describe('refused adjustments name what is wrong', () => {
  it('a numerator above its denominator at a practice: B 40 + 11 > 50', () => {
    const e = refused([{ indicator: 'DM-CP', practice: 'B', extraNumerator: 11 }]);
    expect(e.code).toBe('what-if-rejected');
    expect(e.problems).toEqual([
      {
        index: 0,
        indicator: 'DM-CP',
        practice: 'B',
        message: 'DM-CP at B: 40 + 11 patients would exceed the denominator of 50; at most 10 more can be added',
      },
    ]);
  });
  it("network-wide above the network's denominator: 75 + 26 > 100", () => {
    expect(refused([{ indicator: 'DM-CP', extraNumerator: 26 }]).problems[0]!.message).toBe(
      "DM-CP across N1: 75 + 26 patients would exceed the network's denominator of 100; at most 25 more can be added",
    );
  });
  it('adjustments add up: A + 15 fills A, so 11 more network-wide is refused (only B’s 10 are left)', () => {
    const e = refused([
      { indicator: 'DM-CP', practice: 'A', extraNumerator: 15 },
      { indicator: 'DM-CP', extraNumerator: 11 },
    ]);
    expect(e.problems.map((p) => [p.index, p.message])).toEqual([
      [
        1,
        "DM-CP across N1: 90 + 11 patients would exceed the network's denominator of 100; at most 10 more can be added",
      ],
    ]);
  });
  it('every problem at once: unknown indicator, practice outside the network, practice with no figure, not a whole number', () => {
    const values = { A: BASE.A!, B: { 'DM-BP': BASE.B!['DM-BP']!, 'DM-CP': BASE.B!['DM-CP']! } };
    const e = refused(
      [
        { indicator: 'DM-XX', extraNumerator: 1 },
        { indicator: 'DM-CP', practice: 'Z99999', extraNumerator: 1 },
        { indicator: 'IMM-MMR', practice: 'B', extraNumerator: 1 },
        { indicator: 'DM-CP', extraNumerator: 1.5 },
        { indicator: 'DM-CP', extraNumerator: -2 },
      ],
      values,
    );
    expect(e.problems.map((p) => [p.index, p.indicator, p.practice])).toEqual([
      [0, 'DM-XX', null],
      [1, 'DM-CP', 'Z99999'],
      [2, 'IMM-MMR', 'B'],
      [3, 'DM-CP', null],
      [4, 'DM-CP', null],
    ]);
    expect(e.problems[0]!.message).toBe(
      'DM-XX is not an indicator of contract year 2025-26; choose one of its indicators',
    );
    expect(e.problems[1]!.message).toMatch(/^Z99999 is not a member of N1 at this period/);
    expect(e.problems[2]!.message).toMatch(/^IMM-MMR at B: the practice has sent no figure for this period/);
    expect(e.problems[3]!.message).toBe(
      'DM-CP across N1: the extra patients must be a whole number, 0 or more (got 1.5)',
    );
    expect(e.message).toContain('DM-XX is not an indicator');
  });
});

describe('nothing saved, same rules', () => {
  it('the observations handed in are not changed', () => {
    const obs = observations(BASE);
    const snapshot = JSON.stringify([...obs].map(([p, m]) => [p, [...m]]));
    whatIf(rules, network, obs, [
      { indicator: 'DM-CP', extraNumerator: 10 },
      { indicator: 'DM-BP', practice: 'A', extraNumerator: 3 },
    ]);
    expect(JSON.stringify([...obs].map(([p, m]) => [p, [...m]]))).toBe(snapshot);
  });
  it('with no adjustments the statement is exactly the real one: network attainment then the payment rules', () => {
    const obs = observations(BASE);
    const r = whatIf(rules, network, obs, []);
    const members = network.practices.map((p) => ({ code: p.code, name: p.name }));
    const real = networkStatement(
      rules,
      { ...network, practices: network.practices.map((p) => ({ code: p.code, listSize: p.listSize })) },
      networkAttainment(rules.indicators, members, obs),
    );
    expect(r.after.statement).toEqual(real);
    expect(r.before.statement).toEqual(real);
    expect(r.changes).toEqual({ earnedPence: { before: 120_000, after: 120_000 }, domains: [], lines: [] });
  });
});
