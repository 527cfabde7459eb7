import { describe, expect, it } from 'vitest';
import { ReferenceValidator } from '../../server/domain/reference-file';

function validate(lines: string[][]) {
  const v = new ReferenceValidator();
  if (lines.length) v.header(lines[0]!);
  lines.slice(1).forEach((cells, i) => v.row(cells, i + 2));
  return v.finish();
}

describe('practice listings', () => {
  it("reads the product's template with list sizes", () => {
    const r = validate([
      ['network_code', 'network_name', 'practice_code', 'practice_name', 'list_size'],
      ['n1', 'Riverside', 'f84001', 'One Surgery', '10,250'],
    ]);
    expect(r.errors).toEqual([]);
    expect(r.format).toBe('template');
    expect(r.records).toEqual([
      {
        practiceCode: 'F84001',
        practiceName: 'One Surgery',
        postcode: null,
        networkCode: 'N1',
        networkName: 'Riverside',
        listSize: 10250,
      },
    ]);
  });
  it("reads NHS Digital's mapping file, where U or blank means unallocated", () => {
    const header = ['PUBLICATION', 'PRACTICE_CODE', 'PRACTICE_NAME', 'PRACTICE_POSTCODE', 'PCN_CODE', 'PCN_NAME'];
    const r = validate([
      header,
      ['x', 'A81001', 'THE SURGERY', 'TS18 1HU', 'U89141', 'STOCKTON PCN'],
      ['x', 'A81002', 'OTHER', 'TS1 1AA', 'U', 'Unallocated'],
      ['x', 'A81003', 'THIRD', '', '', ''],
    ]);
    expect(r.errors).toEqual([]);
    expect(r.format).toBe('nhs-mapping');
    expect(r.records.map((x) => [x.practiceCode, x.networkCode, x.postcode])).toEqual([
      ['A81001', 'U89141', 'TS18 1HU'],
      ['A81002', null, 'TS1 1AA'],
      ['A81003', null, null],
    ]);
  });
  it('refuses bad codes, a practice listed twice, and a missing column', () => {
    const r = validate([
      ['network_code', 'network_name', 'practice_code', 'practice_name'],
      ['N1', 'A', 'F84001', 'One'],
      ['N1', 'A', 'F84001', 'Again'],
      ['N 1', 'A', '84001', ''],
    ]);
    expect(r.errors.map((e) => [e.row, e.column])).toEqual([
      [3, 'practice_code'],
      [4, 'practice_code'],
      [4, 'practice_name'],
      [4, 'network_code'],
    ]);
    expect(validate([['practice_code', 'practice_name']]).errors.map((e) => e.column)).toEqual([
      'network_code',
      'network_name',
    ]);
  });
});
