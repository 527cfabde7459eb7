/** The learning-set loop's rules (server/domain/learning-loop.ts), with examples a person can check by hand. */
import { describe, expect, it } from 'vitest';
import { attainmentState, type IndicatorRule } from '../../server/domain/attainment';
import {
  checkPeriodInData,
  checkText,
  dateInEngland,
  indicatorChanges,
  isCalendarDate,
  isOverdue,
  movement,
  networkStanding,
  previousMeeting,
  readingAt,
  spcSignal,
  validateAction,
  validateAnnotation,
  validateMeeting,
  type PeriodFacts,
} from '../../server/domain/learning-loop';
import { periodRange } from '../../server/domain/periods';
import type { MemberSpan, PracticeValue } from '../../server/domain/series';

describe('dates and overdue', () => {
  it.each([
    ['2026-02-28', true],
    ['2026-02-29', false], // 2026 is not a leap year
    ['2028-02-29', true],
    ['2026-04-31', false],
    ['2026-13-01', false],
    ['2026-1-01', false],
    ['2026-11-21T10:00', false],
    ['', false],
    ['1999-12-31', false],
    ['2000-01-01', true],
    ['2099-12-31', true],
    ['2100-01-01', false],
  ])('%s is a calendar date: %s', (value, ok) => expect(isCalendarDate(value)).toBe(ok));

  it.each([
    ['2026-06-30T23:30:00Z', '2026-07-01'], // BST: 00:30 on 1 July in England
    ['2026-12-31T23:30:00Z', '2026-12-31'], // GMT
    ['2026-10-24T23:30:00Z', '2026-10-25'], // still BST until 01:00 UTC on 25 October
    ['2026-10-25T23:30:00Z', '2026-10-25'], // GMT again
    ['2026-11-21T10:00:00Z', '2026-11-21'],
  ])('at %s it is %s in England', (moment, date) => expect(dateInEngland(new Date(moment))).toBe(date));

  it.each([
    ['open', '2026-11-20', true],
    ['open', '2026-11-21', false], // due today: not yet overdue
    ['open', '2026-12-01', false],
    ['done', '2026-10-01', false],
    ['dropped', '2026-10-01', false],
  ] as const)('an %s action due %s is overdue on 2026-11-21: %s', (status, due, overdue) => {
    expect(isOverdue({ status, due }, '2026-11-21')).toBe(overdue);
  });
});

describe('validation, field by field', () => {
  const facts: PeriodFacts = {
    dataSpan: { first: '2025-04', last: '2026-10' },
    year: { code: '2026-27', indicators: ['DM-CP', 'DM-BP'] },
    members: ['Z00001', 'Z00002'],
  };
  const fields = (errors: { field: string }[]) => errors.map((e) => e.field);

  it('counts characters, not UTF-16 units, and trims', () => {
    expect(checkText('text', 'a'.repeat(500), 500)).toBeNull();
    expect(checkText('text', 'a'.repeat(501), 500)?.message).toBe('text has 501 characters; keep it to 500 or fewer.');
    expect(checkText('text', '😀'.repeat(500), 500)).toBeNull(); // 1,000 UTF-16 units, 500 characters
    expect(checkText('text', `  ${'a'.repeat(500)}  `, 500)).toBeNull();
    expect(checkText('text', '   ', 500)?.message).toBe('text is empty; write a few words.');
    expect(checkText('notes', '', 5000, true)).toBeNull();
  });

  it.each([
    ['2025-04', null],
    ['2026-10', null],
    [
      '2025-03',
      'period 2025-03 is outside the months with figures (2025-04 to 2026-10); choose a month in that range.',
    ],
    [
      '2026-11',
      'period 2026-11 is outside the months with figures (2025-04 to 2026-10); choose a month in that range.',
    ],
    ['Sept 2026', 'period "Sept 2026" is not a month; write it as YYYY-MM, for example 2026-09.'],
  ])('period %s: %s', (period, message) => {
    expect(checkPeriodInData('period', period, facts.dataSpan)?.message ?? null).toBe(message);
  });

  it('a period needs figures to exist at all', () => {
    expect(checkPeriodInData('period', '2026-09', null)?.message).toMatch(/nothing has been uploaded yet/);
  });

  it.each([
    [{ indicator: 'DM-CP', practice: null, period: '2026-09', text: 'Recall drive started' }, []],
    [{ indicator: 'DM-CP', practice: 'Z00002', period: '2026-09', text: 'Recall drive started' }, []],
    [{ indicator: 'DM-CP', practice: null, period: '2026-09', text: 'x'.repeat(501) }, ['text']],
    [{ indicator: 'DM-CHOL', practice: null, period: '2026-09', text: 'ok' }, ['indicator']],
    [{ indicator: '', practice: null, period: '2026-09', text: 'ok' }, ['indicator']],
    [{ indicator: 'DM-CP', practice: 'Z00005', period: '2026-09', text: 'ok' }, ['practice']],
    // A month outside the data is reported alone: its year and members are not known, so they are not checked.
    [{ indicator: 'NOPE', practice: 'Z00005', period: '2027-01', text: '' }, ['text', 'period']],
  ])('annotation %o: errors in %o', (draft, expected) => {
    expect(fields(validateAnnotation(draft, 'N1', facts))).toEqual(expected);
  });

  it('names the contract year and the members in its messages', () => {
    const [indicator] = validateAnnotation(
      { indicator: 'DM-CHOL', practice: null, period: '2026-09', text: 'ok' },
      'N1',
      facts,
    );
    expect(indicator?.message).toBe(
      'indicator DM-CHOL is not an indicator of contract year 2026-27 (the year of 2026-09); GET /api/contract-years/2026-27/indicators lists them.',
    );
    const [practice] = validateAnnotation(
      { indicator: 'DM-CP', practice: 'Z00005', period: '2026-09', text: 'ok' },
      'N1',
      facts,
    );
    expect(practice?.message).toBe(
      'practice Z00005 was not a member of N1 in 2026-09; choose one of its practices then (Z00001, Z00002) or leave it empty.',
    );
    const [noYear] = validateAnnotation({ indicator: 'DM-CP', practice: null, period: '2026-09', text: 'ok' }, 'N1', {
      ...facts,
      year: null,
    });
    expect(noYear?.field).toBe('indicator');
  });

  it.each([
    [{ heldOn: '2026-10-21', period: '2026-09', attendees: '', notes: '' }, []],
    [{ heldOn: '2026-09-01', period: '2026-09', attendees: '', notes: '' }, []], // the month has begun
    [{ heldOn: '2026-08-31', period: '2026-09', attendees: '', notes: '' }, ['heldOn']], // before the month it reviews
    [{ heldOn: '2026-02-30', period: '2026-01', attendees: '', notes: '' }, ['heldOn']],
    [{ heldOn: '21/10/2026', period: '2026-09', attendees: '', notes: '' }, ['heldOn']],
    [{ heldOn: '2026-12-01', period: '2026-11', attendees: '', notes: '' }, ['period']],
    [
      { heldOn: '2026-10-21', period: '2026-09', attendees: 'a'.repeat(1001), notes: 'n'.repeat(5001) },
      ['attendees', 'notes'],
    ],
  ])('meeting %o: errors in %o', (draft, expected) => {
    expect(fields(validateMeeting(draft, facts))).toEqual(expected);
  });

  it.each([
    [
      { indicator: null, practice: null, text: 'Invite the consultant', owner: 'Network manager', due: '2026-12-01' },
      [],
    ],
    [{ indicator: 'DM-CP', practice: 'Z00001', text: 'Recall list', owner: 'Dr Patel', due: '2026-12-01' }, []],
    [{ indicator: null, practice: null, text: '', owner: ' ', due: '2026-12-32' }, ['text', 'owner', 'due']],
    [{ indicator: null, practice: null, text: 'ok', owner: 'o'.repeat(101), due: '2026-12-01' }, ['owner']],
    [
      { indicator: 'COPD-PR', practice: 'Z00009', text: 'ok', owner: 'me', due: '2026-12-01' },
      ['indicator', 'practice'],
    ],
  ])('action %o: errors in %o', (draft, expected) => {
    expect(fields(validateAction(draft, 'N1', '2026-09', facts))).toEqual(expected);
  });

  it('an action’s indicator and practice are not re-checked when a change leaves them alone', () => {
    const draft = { indicator: 'COPD-PR', practice: 'Z00009', text: 'ok', owner: 'me', due: '2026-12-01' };
    expect(validateAction(draft, 'N1', '2026-09', facts, { checkReferences: false })).toEqual([]);
    expect(fields(validateAction(draft, 'N1', null, facts))).toEqual(['indicator', 'practice']); // no figures yet
  });
});

describe('meeting mode', () => {
  it.each([
    // meetings (id, held on), this one, the previous one
    [
      [
        [1, '2026-09-16'],
        [2, '2026-10-21'],
      ],
      2,
      1,
    ],
    [
      [
        [1, '2026-09-16'],
        [2, '2026-10-21'],
      ],
      1,
      null,
    ],
    [
      [
        [5, '2026-10-21'],
        [2, '2026-09-16'],
        [9, '2026-08-19'],
      ],
      5,
      2,
    ], // by date, not by id
    [
      [
        [3, '2026-10-21'],
        [4, '2026-10-21'],
      ],
      4,
      3,
    ], // the same day: the one recorded earlier
    [
      [
        [3, '2026-10-21'],
        [4, '2026-10-21'],
      ],
      3,
      null,
    ],
    [[[7, '2026-11-18']], 7, null],
  ] as const)('meetings %o: before %i comes %o', (list, id, expected) => {
    const meetings = list.map(([i, heldOn]) => ({ id: i, heldOn }));
    expect(
      previousMeeting(
        meetings,
        meetings.find((m) => m.id === id)!,
      )?.id ?? null,
    ).toBe(expected);
  });

  it.each([
    [null, null],
    ['common-cause', 'common-cause'],
    ['improvement-high', 'improvement'],
    ['improvement-low', 'improvement'],
    ['concern-low', 'concern'],
    ['concern-high', 'concern'],
    ['neither-high', 'neither'],
  ] as const)('variation icon %s shows signal %s', (variation, signal) => expect(spcSignal(variation)).toBe(signal));

  it.each([
    [null, { state: 'met', signal: 'common-cause' }, ['new']],
    [{ state: 'met', signal: 'common-cause' }, { state: 'met', signal: 'common-cause' }, []],
    [{ state: 'not-met', signal: 'common-cause' }, { state: 'met', signal: 'common-cause' }, ['standing']],
    [{ state: 'met', signal: 'common-cause' }, { state: 'incomplete', signal: 'common-cause' }, ['standing']],
    [{ state: 'met', signal: 'improvement' }, { state: 'met', signal: 'common-cause' }, ['signal']],
    [{ state: 'met', signal: 'concern' }, { state: 'not-met', signal: 'improvement' }, ['standing', 'signal']],
    [{ state: 'met', signal: null }, { state: 'met', signal: 'common-cause' }, []], // a run chart shows no special cause either
    [{ state: 'met', signal: null }, { state: 'met', signal: 'concern' }, ['signal']],
  ] as const)('%o → %o changes %o', (before, after, changes) =>
    expect(indicatorChanges(before, after)).toEqual(changes),
  );

  it.each([
    [{ numerator: 29, denominator: 50 }, { numerator: 30, denominator: 50 }, 'improved', 0.02],
    [{ numerator: 30, denominator: 50 }, { numerator: 29, denominator: 50 }, 'worsened', -0.02],
    [{ numerator: 1, denominator: 3 }, { numerator: 2, denominator: 6 }, 'unchanged', 0], // equal as fractions
    [
      { numerator: 2156, denominator: 2654 },
      { numerator: 2193, denominator: 2670 },
      'improved',
      2193 / 2670 - 2156 / 2654,
    ],
    [null, { numerator: 1, denominator: 2 }, 'not-comparable', null],
    [{ numerator: 0, denominator: 0 }, { numerator: 1, denominator: 2 }, 'not-comparable', null],
  ] as const)('%o → %o: %s by %s', (before, after, direction, change) => {
    const m = movement(before, after);
    expect(m.direction).toBe(direction);
    if (change === null) expect(m.change).toBeNull();
    else expect(m.change).toBeCloseTo(change, 12);
  });

  describe('readingAt: a network of two practices, 50 of 100 every month from 2025-01, then 60 of 100 in 2026-02', () => {
    // Practice A sends 40/80 and B 10/20 (pooled 50/100 = 0.5) for thirteen months, 2025-01 to 2026-01; then
    // 48/80 and 12/20 (60/100) in 2026-02; in 2026-03 only A sends (48/80). Target 80%, so never met.
    const periods = periodRange('2025-01', '2026-03');
    const spans: MemberSpan[] = [
      { practiceCode: 'A', practiceName: 'A', fromPeriod: '2025-01', toPeriod: null },
      { practiceCode: 'B', practiceName: 'B', fromPeriod: '2025-01', toPeriod: null },
    ];
    const values: PracticeValue[] = periods.flatMap((period) => {
      const jump = period >= '2026-02';
      const v = (practiceCode: string, numerator: number, denominator: number) => ({
        practiceCode,
        indicatorCode: 'X',
        period,
        numerator,
        denominator,
        exceptions: null,
      });
      return period === '2026-03' ? [v('A', 48, 80)] : [v('A', jump ? 48 : 40, 80), v('B', jump ? 12 : 10, 20)];
    });
    const rule: IndicatorRule = {
      code: 'X',
      domain: 'DM',
      targetBp: 8000,
      lowerBp: null,
      mode: 'threshold',
      weight: 1,
    };
    const rules = (p: string) => (p >= '2025-01' && p <= '2026-12' ? rule : null);
    const at = (period: string, list = periods) => readingAt('X', period, list, spans, values, rules);

    it('twelve months are a run chart: no signal yet', () => {
      expect(at('2025-12')).toMatchObject({
        state: 'not-met',
        numerator: 50,
        denominator: 100,
        rate: 0.5,
        variation: null,
        signal: null,
      });
    });
    it('at thirteen identical months every point sits on the mean: common cause', () => {
      expect(at('2026-01')).toMatchObject({
        state: 'not-met',
        rate: 0.5,
        variation: 'common-cause',
        signal: 'common-cause',
      });
    });
    it('the jump to 60/100 is beyond the upper limit (mean 0.50714 + 2.66 × 0.1/13 = 0.52760): improvement', () => {
      expect(at('2026-02')).toMatchObject({
        state: 'not-met',
        numerator: 60,
        denominator: 100,
        variation: 'improvement-high',
        signal: 'improvement',
      });
    });
    it('a later month never changes what an earlier month showed', () => {
      expect(at('2026-01')).toEqual(at('2026-01', periods.slice(0, 13)));
    });
    it('a month a member has not sent is incomplete and names it', () => {
      expect(at('2026-03')).toMatchObject({
        state: 'incomplete',
        numerator: 48,
        denominator: 80,
        missingPractices: ['B'],
      });
    });
    it('a month in which no member sent anything is incomplete with every member missing', () => {
      const gap = readingAt('X', '2026-04', [...periods, '2026-04'], spans, values, rules);
      expect(gap).toEqual({
        period: '2026-04',
        state: 'incomplete',
        numerator: null,
        denominator: null,
        rate: null,
        targetBp: 8000,
        missingPractices: ['A', 'B'],
        variation: null,
        signal: null,
      });
    });
    it('an indicator outside the month’s contract year has no reading', () => {
      expect(readingAt('X', '2027-01', [...periods, '2027-01'], spans, values, rules)).toBeNull();
    });
  });
});

describe('the shared rules the agenda reads with', () => {
  it.each([
    [{ complete: false, denominator: 100, met: false }, 'incomplete'],
    [{ complete: false, denominator: 0, met: false }, 'incomplete'],
    [{ complete: true, denominator: 0, met: false }, 'not-applicable'],
    [{ complete: true, denominator: 100, met: true }, 'met'],
    [{ complete: true, denominator: 100, met: false }, 'not-met'],
  ])('attainmentState(%o) is %s', (a, state) => expect(attainmentState(a)).toBe(state));
});

describe("the network's standing on the opening slide", () => {
  const r = (state: 'met' | 'not-met' | 'incomplete' | 'not-applicable', signal: string | null = null) =>
    ({ state, signal }) as Parameters<typeof networkStanding>[0][number];
  it.each([
    { name: 'nothing', readings: [], text: '0 of 0 met' },
    {
      name: '3 met of 4, one improving and one concern',
      readings: [r('met', 'improvement'), r('met', 'common-cause'), r('met'), r('not-met', 'concern')],
      text: '3 of 4 met; 1 improving; 1 concern',
    },
    {
      name: 'an incomplete and a not-applicable indicator; two concerns',
      readings: [r('met', 'concern'), r('incomplete', 'concern'), r('not-applicable'), r('not-met', 'neither')],
      text: '1 of 3 met; 1 incomplete; 2 concerns; 1 not applicable',
    },
  ])('$name: "$text"', ({ readings, text }) => {
    const s = networkStanding(readings);
    expect(s.text).toBe(text);
    expect(s.total).toBe(readings.length);
    expect(s.met + s.notMet + s.incomplete + s.notApplicable).toBe(readings.length);
  });
});
