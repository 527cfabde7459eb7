import { describe, expect, it } from 'vitest';
import { membershipSpans } from '../../server/domain/membership-timeline';

const YEARS = ['2019-20', '2020-21', '2021-22'];

describe('membership spans from year mappings and dated relationships', () => {
  it('dates a merger by the relationship file when the year file shows it a year early', () => {
    const spans = membershipSpans(
      [
        { year: '2019-20', practice: 'P1', network: 'N4' },
        { year: '2020-21', practice: 'P1', network: 'N3' },
        { year: '2021-22', practice: 'P1', network: 'N3' },
      ],
      [
        { practice: 'P1', network: 'N4', start: '2019-10-01', end: '2021-03-31' },
        { practice: 'P1', network: 'N3', start: '2021-04-01', end: null },
      ],
      YEARS,
    );
    expect(spans).toEqual([
      { practice: 'P1', network: 'N4', fromPeriod: '2019-04', toPeriod: '2021-03' },
      { practice: 'P1', network: 'N3', fromPeriod: '2021-04', toPeriod: null },
    ]);
  });
  it('an unallocated year breaks the membership even where the dated file says otherwise', () => {
    const spans = membershipSpans(
      [
        { year: '2019-20', practice: 'P2', network: 'N6' },
        { year: '2020-21', practice: 'P2', network: 'N6' },
        { year: '2021-22', practice: 'P2', network: 'U' },
      ],
      [{ practice: 'P2', network: 'N6', start: '2019-10-01', end: '2022-06-30' }],
      YEARS,
    );
    expect(spans).toEqual([{ practice: 'P2', network: 'N6', fromPeriod: '2019-04', toPeriod: '2021-03' }]);
  });
  it('a practice closing part-way through a year stays a member until the month its relationship ends', () => {
    // The relationship ends on 1 July: the practice is not a member at the end of July.
    const spans = membershipSpans(
      [
        { year: '2019-20', practice: 'P3', network: 'N3' },
        { year: '2020-21', practice: 'P3', network: 'N3' },
        { year: '2021-22', practice: 'PX', network: 'N3' },
      ],
      [{ practice: 'P3', network: 'N3', start: '2019-10-01', end: '2021-07-01' }],
      YEARS,
    );
    expect(spans.filter((s) => s.practice === 'P3')).toEqual([
      { practice: 'P3', network: 'N3', fromPeriod: '2019-04', toPeriod: '2021-06' },
    ]);
  });
  it('a practice missing from a year file is placed by its dated relationship, and after the last file nothing new is inferred', () => {
    const spans = membershipSpans(
      [{ year: '2020-21', practice: 'P4', network: 'N3' }],
      [
        { practice: 'P4', network: 'N4', start: '2019-10-01', end: '2021-03-31' },
        { practice: 'P4', network: 'N3', start: '2021-04-01', end: null },
        { practice: 'P5', network: 'N1', start: '2019-10-01', end: null },
      ],
      YEARS,
    );
    // 2019-20 has no file row for P4, so its dated relationship places it from October 2019; 2021-22 is after
    // the last file, where the last file's mapping (Network 3) is carried on, dated by the relationship.
    expect(spans).toEqual([
      { practice: 'P4', network: 'N4', fromPeriod: '2019-10', toPeriod: '2021-03' },
      { practice: 'P4', network: 'N3', fromPeriod: '2021-04', toPeriod: null },
      // P5 is in no year file: placed by its relationship while files exist, and not carried past the last.
      { practice: 'P5', network: 'N1', fromPeriod: '2019-10', toPeriod: '2021-03' },
    ]);
  });
});
