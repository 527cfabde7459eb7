/** The practice page's spine chart: one row per indicator, range, network average, target and the practice. */
import { describe, expect, it } from 'vitest';
import { buildSpineConfig, spineLabel } from '../../web/src/lib/charts/build-spine-config';
import { COLOURS } from '../../web/src/lib/charts/palette';

const rows = [
  {
    code: 'DM-CP',
    title: 'Care plan',
    rate: 0.95,
    networkRate: 0.82,
    lowest: 0.71,
    highest: 0.95,
    targetBp: 8500,
    met: true,
  },
  {
    code: 'DA-REF',
    title: 'Referral',
    rate: 0.875,
    networkRate: 0.86,
    lowest: 0.85,
    highest: 1,
    targetBp: 9000,
    met: false,
  },
  {
    code: 'EOL-REG',
    title: 'Register',
    rate: null,
    networkRate: null,
    lowest: null,
    highest: null,
    targetBp: 5000,
    met: null,
  },
];

describe('spine chart', () => {
  it('draws each indicator as a row: the range as a bar, then the network average, the target and the practice', () => {
    const c = buildSpineConfig(rows);
    expect(c.data.labels).toEqual(['✓ DM-CP', '✗ DA-REF', '– EOL-REG']);
    expect(spineLabel(rows[0]!)).toBe('✓ DM-CP');
    expect(c.data.datasets.map((d) => d.label)).toEqual([
      "Range of the network's practices",
      'Network average',
      'Target',
      'This practice',
    ]);
    expect(c.data.datasets[0]!.data).toEqual([[71, 95], [85, 100], null]);
    expect(c.data.datasets[1]!.data).toEqual([{ x: 82, y: '✓ DM-CP' }, { x: 86, y: '✗ DA-REF' }, null]);
    expect(c.data.datasets[2]!.data).toEqual([
      { x: 85, y: '✓ DM-CP' },
      { x: 90, y: '✗ DA-REF' },
      { x: 50, y: '– EOL-REG' },
    ]);
    const practice = c.data.datasets[3] as unknown as { data: unknown[]; pointBackgroundColor: string[] };
    expect(practice.data).toEqual([{ x: 95, y: '✓ DM-CP' }, { x: 87.5, y: '✗ DA-REF' }, null]);
    expect(practice.pointBackgroundColor).toEqual([COLOURS.met, COLOURS.notMet, COLOURS.notApplicable]);
    expect(c.options?.scales?.x).toMatchObject({ min: 0, max: 100 });
  });
});
