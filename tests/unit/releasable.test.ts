/**
 * What it would take (SPEC 11.1): releasable pence and the unmet indicators with their patients needed, worked by
 * hand on the small year of tests/helpers/small-year.ts (pot 300,000p: DM 180,000p = DM-BP 60,000p + DM-CP
 * 120,000p; IMM 120,000p).
 */
import { describe, expect, it } from 'vitest';
import { sortByValuePerPatient, whatItWouldTake } from '../../server/domain/releasable';
import { computeStatement } from '../../server/domain/statement';
import type { DomainRule } from '../../server/domain/payment';
import { BASE, observations, smallNetwork, smallYear, type Mode } from '../helpers/small-year';

function toTake(
  rule: DomainRule,
  values = BASE,
  modes: { bp?: Mode; cp?: Mode; mmr?: Mode } = {},
  contractValuePence?: number,
) {
  const rules = smallYear(rule, modes);
  const { statement, attainment } = computeStatement(rules, smallNetwork(contractValuePence), observations(values));
  return { statement, take: whatItWouldTake(statement, attainment, rule) };
}

describe('releasable pence under the all-indicators rule', () => {
  it('DM earns nothing while DM-CP (75 / 100, 85% target) is unmet: it would release the whole 180,000p pot', () => {
    const { take } = toTake('all-indicators');
    const dm = take.domains.find((d) => d.code === 'DM')!;
    expect(dm).toMatchObject({ potPence: 180_000, earnedPence: 0, releasablePence: 180_000, patientsNeeded: 10 });
    expect(dm.unmet.map((u) => [u.code, u.patientsNeeded, u.complete])).toEqual([['DM-CP', 10, true]]);
  });
  it("per practice, each practice's own gap to the target: A 35 / 50 needs 8 (to 43 of 50), B 40 / 50 needs 3", () => {
    const { take } = toTake('all-indicators');
    const cp = take.domains[0]!.unmet[0]!;
    expect(cp.practices.map((p) => [p.code, p.patientsNeeded])).toEqual([
      ['A', 8],
      ['B', 3],
    ]);
  });
  it('a met domain releases nothing and lists nothing; the network releases the sum of its domains', () => {
    const { take } = toTake('all-indicators');
    expect(take.domains.find((d) => d.code === 'IMM')).toMatchObject({
      earnedPence: 120_000,
      releasablePence: 0,
      unmet: [],
    });
    expect(take).toMatchObject({ code: 'N1', releasablePence: 180_000, patientsNeeded: 10 });
  });
});

describe('releasable pence under the per-indicator rule', () => {
  it('threshold: DM-BP earns its 60,000p, DM-CP earns 0, so reaching DM-CP releases its 120,000p pot × (1 − 0)', () => {
    const { take } = toTake('per-indicator');
    expect(take.domains[0]).toMatchObject({ earnedPence: 60_000, releasablePence: 120_000 });
    expect(take.releasablePence).toBe(120_000);
  });
  it('sliding: DM-CP at 75% between 70% and 85% earns 1/3 of 120,000p = 40,000p; reaching the target (f = 1) releases 80,000p', () => {
    const { statement, take } = toTake('per-indicator', BASE, { cp: 'sliding' });
    expect(statement.domains[0]!.indicators[1]).toMatchObject({
      code: 'DM-CP',
      fractionExact: '1/3',
      earnedPence: 40_000,
    });
    expect(take.domains[0]).toMatchObject({ earnedPence: 100_000, releasablePence: 80_000 });
  });
  it('to the penny the statement would add: a 5p pot earning ½ pays 3p (2.5 rounded half up), so reaching the target adds 2p, not 3p', () => {
    // contract value 83p: pot 24.9 → 25p; DM 15p (DM-BP 5p, DM-CP 10p), IMM 10p
    const values = {
      A: { ...BASE.A!, 'DM-BP': [30, 50] as [number, number], 'DM-CP': [43, 50] as [number, number] },
      B: { ...BASE.B!, 'DM-BP': [30, 50] as [number, number], 'DM-CP': [43, 50] as [number, number] },
    };
    const { statement, take } = toTake('per-indicator', values, { bp: 'sliding' }, 83);
    expect(statement.domains[0]!.indicators.map((i) => [i.code, i.potPence, i.fractionExact, i.earnedPence])).toEqual([
      ['DM-BP', 5, '1/2', 3],
      ['DM-CP', 10, '1/1', 10],
    ]);
    expect(take.domains[0]).toMatchObject({ potPence: 15, earnedPence: 13, releasablePence: 2 });
  });
});

describe('incomplete, not applicable, not assessable', () => {
  it('an incomplete indicator counts as not met and is named incomplete, with the missing practice; its patients needed are from the figures so far', () => {
    // B has not sent IMM-MMR; A's 20 / 20 already reaches 95%, so no patients are needed, only B's figures
    const values = {
      A: { ...BASE.A!, 'IMM-MMR': [20, 20] as [number, number] },
      B: { 'DM-BP': BASE.B!['DM-BP']!, 'DM-CP': BASE.B!['DM-CP']! },
    };
    const { take } = toTake('all-indicators', values);
    const imm = take.domains.find((d) => d.code === 'IMM')!;
    expect(imm).toMatchObject({ status: 'incomplete', earnedPence: 0, releasablePence: 120_000, patientsNeeded: 0 });
    expect(imm.unmet).toHaveLength(1);
    expect(imm.unmet[0]).toMatchObject({
      code: 'IMM-MMR',
      complete: false,
      patientsNeeded: 0,
      missingPractices: ['B'],
    });
    expect(imm.unmet[0]!.practices.map((p) => [p.code, p.patientsNeeded])).toEqual([
      ['A', 0],
      ['B', null],
    ]);
  });
  it('a not-applicable indicator is never unmet; under per-indicator its pot goes to DM-CP, which then releases all 180,000p', () => {
    const values = {
      A: { ...BASE.A!, 'DM-BP': [0, 0] as [number, number] },
      B: { ...BASE.B!, 'DM-BP': [0, 0] as [number, number] },
    };
    const { take } = toTake('per-indicator', values);
    expect(take.domains[0]!.unmet.map((u) => u.code)).toEqual(['DM-CP']);
    expect(take.domains[0]).toMatchObject({ potPence: 180_000, earnedPence: 0, releasablePence: 180_000 });
  });
  it('a not-assessable domain releases nothing: its 120,000p is held for the commissioner, whatever any patient does', () => {
    const values = {
      A: { ...BASE.A!, 'IMM-MMR': [0, 0] as [number, number] },
      B: { ...BASE.B!, 'IMM-MMR': [0, 0] as [number, number] },
    };
    for (const rule of ['all-indicators', 'per-indicator'] as const) {
      const { statement, take } = toTake(rule, values);
      expect(statement.heldPence).toBe(120_000);
      expect(take.domains.find((d) => d.code === 'IMM')).toMatchObject({
        status: 'not-assessable',
        releasablePence: 0,
        unmet: [],
      });
    }
  });
});

describe('domains ordered by pence released per patient needed', () => {
  const d = (code: string, releasablePence: number, patientsNeeded: number) => ({
    code,
    releasablePence,
    patientsNeeded,
  });
  it('most per patient first: 120,000p for 2 (60,000 each) before 180,000p for 10 (18,000 each)', () => {
    expect(sortByValuePerPatient([d('DM', 180_000, 10), d('IMM', 120_000, 2)]).map((x) => x.code)).toEqual([
      'IMM',
      'DM',
    ]);
  });
  it('a domain needing no patients (only figures to send) comes first; domains releasing nothing come last in catalogue order', () => {
    const order = sortByValuePerPatient([
      d('DM', 0, 0),
      d('CVD', 180_000, 10),
      d('COPD', 0, 4),
      d('IMM', 50_000, 0),
      d('EOL', 120_000, 2),
    ]);
    expect(order.map((x) => x.code)).toEqual(['IMM', 'EOL', 'CVD', 'DM', 'COPD']);
  });
  it('equal pence per patient: the larger amount first; equal in every way: catalogue order', () => {
    expect(sortByValuePerPatient([d('A', 100, 1), d('B', 200, 2)]).map((x) => x.code)).toEqual(['B', 'A']);
    expect(sortByValuePerPatient([d('A', 100, 1), d('B', 100, 1)]).map((x) => x.code)).toEqual(['A', 'B']);
  });
  it('does not change its input', () => {
    const input = [d('DM', 1, 10), d('IMM', 10, 1)];
    sortByValuePerPatient(input);
    expect(input.map((x) => x.code)).toEqual(['DM', 'IMM']);
  });
});
