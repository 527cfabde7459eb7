/**
 * A period's figures in columns (PeriodValues, issue 14) give exactly what the per-value maps give: the same
 * attainment, statement and input hash, with the practices' own figures only where asked for. Small worked
 * examples that can be checked by hand.
 */
import { describe, expect, it } from 'vitest';
import {
  missingMembersOfValues,
  networkAttainment,
  networkAttainmentOfValues,
  pooledStanding,
  pooledTotalsOfValues,
  valueAt,
  type IndicatorRule,
  type ObservationValue,
  type PeriodValues,
} from '../../server/domain/attainment';
import type { ContractYearRules } from '../../server/domain/payment';
import { computeStatement, computeStatementOfValues } from '../../server/domain/statement';
import { networkInputHash, networkInputHashOfValues } from '../../server/domain/statement-hash';

const rule = (code: string, targetBp: number): IndicatorRule => ({
  code,
  domain: 'DM',
  targetBp,
  lowerBp: null,
  mode: 'threshold',
  weight: 1,
});
const RULES = [rule('DM-BP', 7000), rule('DM-CP', 8000), rule('DM-EYE', 5000)];

/** Practice → indicator → [n, d, exceptions]; an indicator left out was not sent. */
const FIGURES: Record<string, Record<string, [number, number, number | null]>> = {
  A1: { 'DM-BP': [70, 100, 3], 'DM-CP': [10, 20, null], 'DM-EYE': [0, 0, null] },
  A2: { 'DM-BP': [20, 50, 1], 'DM-CP': [30, 30, 2] }, // no DM-EYE
  A3: { 'DM-BP': [9, 10, null], 'DM-CP': [5, 10, 0], 'DM-EYE': [0, 0, 4] },
};
const members = ['A1', 'A2', 'A3'].map((code) => ({ code, name: `Practice ${code}`, listSize: 1000 }));

function asMaps(): Map<string, Map<string, ObservationValue>> {
  return new Map(
    Object.entries(FIGURES).map(([practice, byIndicator]) => [
      practice,
      new Map(
        Object.entries(byIndicator).map(([code, [n, d, e]]) => [code, { numerator: n, denominator: d, exceptions: e }]),
      ),
    ]),
  );
}

function asColumns(): PeriodValues {
  const rows = new Map(Object.keys(FIGURES).map((code, i) => [code, i]));
  const columns = new Map(RULES.map((r, i) => [r.code, i]));
  const width = columns.size;
  const numerator = new Float64Array(rows.size * width);
  const denominator = new Float64Array(rows.size * width).fill(-1);
  const exceptions = new Float64Array(rows.size * width).fill(-1);
  for (const [practice, byIndicator] of Object.entries(FIGURES))
    for (const [code, [n, d, e]] of Object.entries(byIndicator)) {
      const at = (rows.get(practice) as number) * width + (columns.get(code) as number);
      numerator[at] = n;
      denominator[at] = d;
      exceptions[at] = e ?? -1;
    }
  return { rows, columns, width, numerator, denominator, exceptions };
}

describe('PeriodValues: the same figures as the per-value maps', () => {
  it('valueAt reads a value back, with null exceptions and a value not sent', () => {
    const v = asColumns();
    expect(valueAt(v, 'A1', 'DM-CP')).toEqual({ numerator: 10, denominator: 20, exceptions: null });
    expect(valueAt(v, 'A3', 'DM-EYE')).toEqual({ numerator: 0, denominator: 0, exceptions: 4 });
    expect(valueAt(v, 'A2', 'DM-EYE')).toBeUndefined();
    expect(valueAt(v, 'Z9', 'DM-BP')).toBeUndefined();
    expect(valueAt(v, 'A1', 'NOPE')).toBeUndefined();
  });

  it('pools the same totals: DM-BP 99/160 (61.9%, 13 short of 70%), DM-CP 45/60 (not met), DM-EYE incomplete (A2 sent none)', () => {
    const pooled = networkAttainmentOfValues(RULES, members, asColumns(), 'none');
    expect(pooled.map((a) => [a.code, a.numerator, a.denominator, a.exceptions, a.state, a.patientsNeeded])).toEqual([
      ['DM-BP', 99, 160, 4, 'not-met', 13],
      ['DM-CP', 45, 60, 2, 'not-met', 3],
      ['DM-EYE', 0, 0, 4, 'incomplete', 0],
    ]);
    expect(pooled[2]!.missingPractices).toEqual(['A2']);
    expect(pooled.every((a) => a.practices.length === 0)).toBe(true);
  });

  it("with every practice's figures it equals networkAttainment exactly", () => {
    expect(networkAttainmentOfValues(RULES, members, asColumns(), 'all')).toEqual(
      networkAttainment(RULES, members, asMaps()),
    );
  });

  it('with the unmet practices only, met and not-applicable indicators carry none', () => {
    const met = [rule('DM-BP', 6000), rule('DM-CP', 8000)]; // 99/160 = 61.9% meets 60%
    const a = networkAttainmentOfValues(met, members, asColumns(), 'unmet');
    expect(a.map((x) => [x.code, x.met, x.practices.length])).toEqual([
      ['DM-BP', true, 0],
      ['DM-CP', false, 3],
    ]);
    expect(a[1]).toEqual(networkAttainment(met, members, asMaps())[1]);
  });

  it('gives the same statement and the same input hash', () => {
    const rules: ContractYearRules = {
      code: '2025-26',
      firstPeriod: '2025-04',
      lastPeriod: '2026-03',
      retrospectiveShareBp: 3000,
      domainRule: 'per-indicator',
      domains: [{ code: 'DM', name: 'Diabetes', shareBp: 10000 }],
      indicators: RULES,
    };
    const network = { code: 'N1', name: 'North', contractValuePence: 1_000_000, practices: members };
    expect(computeStatementOfValues(rules, network, asColumns()).statement).toEqual(
      computeStatement(rules, network, asMaps()).statement,
    );
    const codes = RULES.map((r) => r.code);
    const hash = networkInputHashOfValues('{}', '2026-03', 'N1', 1_000_000, members, asColumns(), codes);
    expect(hash).toBe(networkInputHash('{}', '2026-03', 'N1', 1_000_000, members, asMaps(), codes));
    expect(hash).not.toBe(networkInputHashOfValues('{}', '2026-03', 'N1', 1_000_001, members, asColumns(), codes));
  });
});

describe("every network's pooled totals at once (the overview)", () => {
  const codes = RULES.map((r) => r.code);
  // North: A1 and A2; South: A3 and Z9 (a member with no figures at all); East: no members.
  const networks = [members.slice(0, 2), [members[2]!, { code: 'Z9' }], []];

  it('Σn, Σd and how many members sent nothing, per network and indicator', () => {
    const t = pooledTotalsOfValues(codes, networks, asColumns());
    // North: DM-BP 70+20 / 100+50, DM-CP 10+30 / 20+30, DM-EYE 0/0 with A2 missing.
    // South: DM-BP 9/10, DM-CP 5/10, DM-EYE 0/0, Z9 missing from each. East: nothing, nobody missing.
    expect([...t.numerator]).toEqual([90, 40, 0, 9, 5, 0, 0, 0, 0]);
    expect([...t.denominator]).toEqual([150, 50, 0, 10, 10, 0, 0, 0, 0]);
    expect([...t.missing]).toEqual([0, 0, 1, 1, 1, 1, 0, 0, 0]);
  });

  it('an indicator the figures do not hold is missing from every member', () => {
    const t = pooledTotalsOfValues(['DM-BP', 'NOPE'], [members], asColumns());
    expect([...t.missing]).toEqual([0, 3]);
    expect([...t.numerator]).toEqual([99, 0]);
  });

  it('gives the standing, rate and missing practices networkAttainmentOfValues gives', () => {
    const values = asColumns();
    const t = pooledTotalsOfValues(codes, networks, values);
    networks.forEach((network, x) => {
      const expected = networkAttainmentOfValues(
        RULES,
        network.map((m) => ({ name: m.code, ...m })),
        values,
        'none',
      );
      RULES.forEach((rule, i) => {
        const cell = x * RULES.length + i;
        const a = expected[i]!;
        expect([t.numerator[cell], t.denominator[cell], t.missing[cell]]).toEqual([
          a.numerator,
          a.denominator,
          a.missingPractices.length,
        ]);
        expect(pooledStanding(rule.targetBp, a.numerator, a.denominator, t.missing[cell]!)).toEqual({
          rate: a.rate,
          met: a.met,
          complete: a.complete,
          state: a.state,
        });
        expect(missingMembersOfValues(values, network, rule.code)).toEqual(a.missingPractices);
      });
    });
  });

  it('standing from totals: 90/150 against 70% not met, 7/10 met exactly, 0/0 not applicable, one missing incomplete', () => {
    expect(pooledStanding(7000, 90, 150, 0)).toEqual({ rate: 0.6, met: false, complete: true, state: 'not-met' });
    expect(pooledStanding(7000, 7, 10, 0)).toEqual({ rate: 0.7, met: true, complete: true, state: 'met' });
    expect(pooledStanding(7000, 0, 0, 0)).toEqual({ rate: null, met: false, complete: true, state: 'not-applicable' });
    expect(pooledStanding(7000, 9, 10, 1)).toEqual({ rate: 0.9, met: false, complete: false, state: 'incomplete' });
  });
});
