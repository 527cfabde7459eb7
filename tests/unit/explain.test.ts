/**
 * Say why (SPEC 11.2): the rule in words, each line's reason, and rates that never read on the wrong side of
 * their target.
 */
import { describe, expect, it } from 'vitest';
import { domainRuleInWords, explainStatement, listInWords } from '../../server/domain/explain';
import { countText, fractionText, penceText, rateText, targetText } from '../../server/domain/rate-text';
import { computeStatement } from '../../server/domain/statement';
import type { DomainRule } from '../../server/domain/payment';
import { BASE, observations, smallNetwork, smallYear, type Mode } from '../helpers/small-year';

describe('rates beside their targets', () => {
  it.each([
    // numerator, denominator, target bp, shown, why
    [2282, 2854, 8000, '79.96%', '79.957…%: one decimal would show 80.0%, which reads as met'],
    [2283, 2854, 8000, '79.99%', '79.992…%: 80.0% at one decimal, 79.99% at two'],
    [2284, 2854, 8000, '80.0%', '80.028…%: met, one decimal is enough'],
    [29, 50, 5800, '58.0%', 'exactly on the target is met'],
    [7999999, 10000000, 8000, '79.99999%', 'as many decimals as it takes'],
    [8551, 10000, 8551, '85.51%', 'met, but 85.5% at one decimal would read below 85.51%'],
    [1, 3, null, '33.3%', 'no target: one decimal'],
    [2, 3, 5000, '66.7%', 'well clear of the target: one decimal'],
  ] as const)('%i / %i against %s bp is shown as %s (%s)', (n, d, t, shown, _why) => {
    expect(rateText(n, d, t)).toBe(shown);
  });
  it('a not-met rate is always shown strictly below its target, a met one at or above it', () => {
    for (let d = 1; d <= 400; d += 7) {
      for (let n = 0; n <= d; n++) {
        for (const t of [5000, 8000, 8500, 9500, 6667]) {
          const shown = Number(rateText(n, d, t)!.replace('%', ''));
          const met = n * 10000 >= t * d;
          if (met) expect(shown * 100).toBeGreaterThanOrEqual(t - 1e-9);
          else expect(shown * 100).toBeLessThan(t);
        }
      }
    }
  });
  it('no rate when the denominator is 0 (not applicable)', () => expect(rateText(0, 0, 8000)).toBeNull());
  it('the exact figure, targets and money are written out in full', () => {
    expect(fractionText(2282, 2854)).toBe('2,282 / 2,854');
    expect(countText(1234567)).toBe('1,234,567');
    expect(targetText(8000)).toBe('80%');
    expect(targetText(8550)).toBe('85.5%');
    expect(targetText(6525)).toBe('65.25%');
    expect(penceText(180_000)).toBe('£1,800.00');
    expect(penceText(5)).toBe('£0.05');
  });
});

describe('the domain rule in words', () => {
  it('all-indicators: the pot only when every applicable indicator is met', () => {
    expect(domainRuleInWords('all-indicators')).toMatch(
      /^All-indicators rule: a domain's pot is paid in full only when every applicable indicator/,
    );
  });
  it('per-indicator: each indicator its own share, sliding fractions explained', () => {
    expect(domainRuleInWords('per-indicator')).toMatch(
      /^Per-indicator rule: each indicator earns its own share.*sliding mode, the fraction of the way its rate has climbed from the lower threshold to the target/,
    );
  });
  it('lists are written as words', () => {
    expect(listInWords(['DM-CP'])).toBe('DM-CP');
    expect(listInWords(['DM-CP', 'DM-CHOL'])).toBe('DM-CP and DM-CHOL');
    expect(listInWords(['A', 'B', 'C'])).toBe('A, B and C');
  });
});

// DM with three indicators: DM-BP 70 / 100 (met at 70%), DM-CP 75 / 100 (85%: not met, 10 needed),
// DM-CHOL 50 / 100 (60%: not met, 10 needed); IMM-MMR 38 / 40 (met).
const CHOL = { code: 'DM-CHOL', domain: 'DM', targetBp: 6000, lowerBp: 4000, mode: 'threshold' as const, weight: 1 };
const WITH_CHOL = {
  A: { ...BASE.A!, 'DM-CHOL': [25, 50] as [number, number] },
  B: { ...BASE.B!, 'DM-CHOL': [25, 50] as [number, number] },
};
function explain(
  rule: DomainRule,
  values: Record<string, Record<string, [number, number]>> = WITH_CHOL,
  period = '2025-11',
  modes: { cp?: Mode } = {},
) {
  const rules = smallYear(rule, modes, [CHOL]);
  const { statement } = computeStatement(rules, smallNetwork(), observations(values));
  return explainStatement(statement, rules, period);
}
const line = (e: ReturnType<typeof explain>, code: string) =>
  e.domains.flatMap((d) => d.indicators).find((i) => i.code === code)!;

describe('why each line of a statement reads as it does', () => {
  it('carries the rule in words and whether it is provisional or final', () => {
    expect(explain('all-indicators').rule).toBe(domainRuleInWords('all-indicators'));
    expect(explain('all-indicators').basis).toMatch(/^Provisional/);
    expect(explain('all-indicators', WITH_CHOL, '2026-03').basis).toMatch(/^Final/);
  });
  it('a met indicator in a domain that earns nothing names the indicators holding the domain back', () => {
    expect(line(explain('all-indicators'), 'DM-BP')).toEqual({
      code: 'DM-BP',
      rateText: '70.0%',
      exactText: '70 / 100',
      targetText: '70%',
      text: 'met: 70.0% (70 / 100) reaches the 70% target; under the all-indicators rule the domain pays only when DM-CP and DM-CHOL are met too',
    });
  });
  it('an unmet indicator says how far it is from the target, and the domain why it earns nothing', () => {
    const e = explain('all-indicators');
    expect(line(e, 'DM-CP').text).toBe(
      'not met: 75.0% (75 / 100) is below the 85% target; 10 more patients needed. The domain earns nothing until it is met',
    );
    expect(e.domains[0]!.text).toBe(
      'not earned: DM-CP and DM-CHOL are below target, and the pot of £1,800.00 is paid only when every applicable indicator is met',
    );
    expect(e.domains[1]!.text).toBe(
      'earned: every applicable indicator meets its target, so the whole pot of £1,200.00 is paid',
    );
  });
  it('an incomplete indicator names the practice missing; the met one names it as holding the domain back', () => {
    const values = { A: WITH_CHOL.A, B: { ...BASE.B! } }; // B has not sent DM-CHOL
    const e = explain('all-indicators', values, '2026-03');
    expect(line(e, 'DM-CHOL').text).toBe(
      'incomplete: no figures yet from B; it counts as not met until every member practice has sent them; the figures received so far give 50.0% (25 / 50)',
    );
    expect(line(e, 'DM-BP').text).toMatch(/pays only when DM-CP and DM-CHOL \(incomplete\) are met too$/);
    expect(e.domains[0]!.text).toMatch(
      /^incomplete: DM-CHOL \(no figures from B\); .*blocks sign-off until the figures arrive or the commissioner records an override/,
    );
  });
  it('not applicable and not assessable are explained, and the held money is named', () => {
    const values = {
      A: { ...WITH_CHOL.A, 'DM-CHOL': [0, 0] as [number, number], 'IMM-MMR': [0, 0] as [number, number] },
      B: { ...WITH_CHOL.B, 'DM-CHOL': [0, 0] as [number, number], 'IMM-MMR': [0, 0] as [number, number] },
    };
    const all = explain('all-indicators', values);
    expect(line(all, 'DM-CHOL')).toMatchObject({
      rateText: null,
      exactText: null,
      text: 'not applicable: no patients in the denominator across the network, so the domain is judged on its other indicators',
    });
    expect(line(explain('per-indicator', values), 'DM-CHOL').text).toBe(
      "not applicable: no patients in the denominator across the network, so its share of the pot goes to the domain's other indicators",
    );
    expect(all.domains[1]!.text).toBe(
      'not assessable: none of its indicators has any patients in its denominator, so its pot of £1,200.00 is held for the commissioner to decide; it is neither paid nor withheld',
    );
    expect(all.held).toBe(
      '£1,200.00 is held for the commissioner to decide: the pot of IMM, which has no applicable indicator.',
    );
    expect(explain('all-indicators').held).toBeNull();
  });
  it('per-indicator: a met line earns its share, a sliding line says what fraction it earns', () => {
    // DM pot 180,000p by weights 1:2:1 → DM-BP 45,000p, DM-CP 90,000p, DM-CHOL 45,000p
    const e = explain('per-indicator', WITH_CHOL, '2025-11', { cp: 'sliding' });
    expect(line(e, 'DM-BP').text).toBe(
      'met: 70.0% (70 / 100) reaches the 70% target and earns its full share, £450.00',
    );
    expect(line(e, 'DM-CP').text).toBe(
      'not met: 75.0% (75 / 100) is below the 85% target; 10 more patients needed. On the sliding scale from 70% to 85% it earns 1/3 of its share: £300.00 of £900.00',
    );
    expect(line(e, 'DM-CHOL').text).toBe(
      'not met: 50.0% (50 / 100) is below the 60% target; 10 more patients needed. It earns nothing of its share (£450.00) until it is met',
    );
    expect(e.domains[0]!.text).toBe('partial: earns £750.00 of £1,800.00; DM-CP and DM-CHOL are below target');
  });
  it('a sliding line at or below its lower threshold says it earns nothing', () => {
    const values = {
      A: { ...WITH_CHOL.A, 'DM-CP': [30, 50] as [number, number] },
      B: { ...WITH_CHOL.B, 'DM-CP': [35, 50] as [number, number] },
    };
    expect(line(explain('per-indicator', values, '2025-11', { cp: 'sliding' }), 'DM-CP').text).toMatch(
      /^not met: 65.0% \(65 \/ 100\) is below the 85% target; 20 more patients needed. It is at or below the lower threshold of 70%, so on the sliding scale from 70% to 85% it earns nothing$/,
    );
  });
  it('a rate just under its target is written with the decimals that show it is under', () => {
    const values = {
      A: { ...WITH_CHOL.A, 'DM-CP': [1141, 1427] as [number, number] },
      B: { ...WITH_CHOL.B, 'DM-CP': [1141, 1427] as [number, number] },
    };
    const rules = smallYear('all-indicators', {}, [{ ...CHOL }]);
    rules.indicators[1] = { ...rules.indicators[1]!, targetBp: 8000 };
    const { statement } = computeStatement(rules, smallNetwork(), observations(values));
    const cp = explainStatement(statement, rules).domains[0]!.indicators[1]!;
    // 2,282 / 2,854 = 79.957…%
    expect(cp).toMatchObject({ rateText: '79.96%', exactText: '2,282 / 2,854' });
    expect(cp.text).toMatch(/^not met: 79.96% \(2,282 \/ 2,854\) is below the 80% target; 2 more patients needed/); // 80% of 2,854 = 2,283.2, so 2,284
  });
});
