/** Meeting mode's deck: slide order, the opening domain, and the words for actions and movements. */
import { describe, expect, it } from 'vitest';
import { actionStatus, deckSlides, movementText, openingDomain } from '../../web/src/lib/state/deck';

describe('the slides of a meeting', () => {
  it('without a meeting: opening, one slide per indicator, closing', () => {
    expect(
      deckSlides({ indicators: ['A', 'B'], meeting: false, previousActions: 3, changes: 2, hasPrevious: true }).map(
        (s) => s.kind,
      ),
    ).toEqual(['opening', 'indicator', 'indicator', 'closing']);
  });
  it("a first meeting (none before): no carried actions or changes, and this meeting's actions before the close", () => {
    expect(
      deckSlides({ indicators: ['A'], meeting: true, previousActions: 0, changes: 0, hasPrevious: false }).map(
        (s) => s.kind,
      ),
    ).toEqual(['opening', 'indicator', 'actions', 'closing']);
  });
  it('9 carried actions take 3 slides of 4, 4 and 1; no changes still shows one slide saying so', () => {
    const slides = deckSlides({ indicators: ['A'], meeting: true, previousActions: 9, changes: 0, hasPrevious: true });
    expect(slides.map((s) => s.kind)).toEqual([
      'opening',
      'previous-actions',
      'previous-actions',
      'previous-actions',
      'changes',
      'indicator',
      'actions',
      'closing',
    ]);
    expect(slides.slice(1, 4)).toEqual([
      { kind: 'previous-actions', part: 1, parts: 3, from: 0, to: 4 },
      { kind: 'previous-actions', part: 2, parts: 3, from: 4, to: 8 },
      { kind: 'previous-actions', part: 3, parts: 3, from: 8, to: 9 },
    ]);
    expect(slides[4]).toEqual({ kind: 'changes', part: 1, parts: 1, from: 0, to: 0 });
  });
});

describe('the domain the deck opens on', () => {
  const domains = [
    { code: 'DM', total: 2 },
    { code: 'IMM', total: 1 },
    { code: 'EMPTY', total: 0 },
  ];
  it.each([
    { name: 'the one asked for', asked: 'IMM', dmDenominator: 10, expected: 'IMM' },
    { name: 'the first with figures when none is asked', asked: null, dmDenominator: 10, expected: 'DM' },
    {
      name: 'skipping a domain with no patients (Tower Hamlets: no diabetes)',
      asked: null,
      dmDenominator: 0,
      expected: 'IMM',
    },
    { name: 'not a domain without indicators', asked: 'EMPTY', dmDenominator: 10, expected: 'DM' },
  ])('$name: $expected', ({ asked, dmDenominator, expected }) => {
    const indicators = [
      { domain: 'DM', denominator: dmDenominator },
      { domain: 'DM', denominator: null },
      { domain: 'IMM', denominator: 25 },
    ];
    expect(openingDomain(asked, domains, indicators)).toBe(expected);
  });
});

describe('words', () => {
  it.each([
    [{ before: { rate: 0.812 }, after: { rate: 0.82 }, direction: 'improved' as const }, '81.2% → 82.0% ▲ improved'],
    [{ before: { rate: 0.5 }, after: { rate: 0.45 }, direction: 'worsened' as const }, '50.0% → 45.0% ▼ worsened'],
    [{ before: { rate: 0.5 }, after: { rate: 0.5 }, direction: 'unchanged' as const }, '50.0% → 50.0% = unchanged'],
    [{ before: null, after: { rate: 0.5 }, direction: 'not-comparable' as const }, '– → 50.0% (not comparable)'],
  ])('movement %j reads "%s"', (m, text) => {
    expect(movementText(m)).toBe(text);
  });
  it('an action reads Done, Dropped, Open or Overdue, each with its own mark', () => {
    expect(actionStatus({ status: 'done', overdue: false })).toMatchObject({ mark: '✓', text: 'Done' });
    expect(actionStatus({ status: 'dropped', overdue: false })).toMatchObject({ mark: '–', text: 'Dropped' });
    expect(actionStatus({ status: 'open', overdue: false })).toMatchObject({ mark: '○', text: 'Open' });
    expect(actionStatus({ status: 'open', overdue: true })).toMatchObject({ mark: '!', text: 'Overdue' });
  });
});
