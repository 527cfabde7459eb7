import { describe, expect, it } from 'vitest';
import { FORECAST_LABELS, forecastSummary, withForecastBand } from '../../web/src/lib/charts/build-forecast-band';
import { buildSpcConfig } from '../../web/src/lib/charts/build-spc-config';

const observed = ['2026-08', '2026-09', '2026-10'];
const spc = buildSpcConfig({
  periods: observed.map((period, i) => ({ period, rate: 0.7 + i * 0.01, complete: true, spc: null })),
  targetBp: 7500,
});
// October's 72% then November to March, widening by a point each side a month.
const band = [
  { period: '2026-10', forecastRate: 0.72, lower80: 0.72, upper80: 0.72 },
  ...['2026-11', '2026-12', '2027-01', '2027-02', '2027-03'].map((period, i) => ({
    period,
    forecastRate: 0.73 + i * 0.01,
    lower80: 0.72 - i * 0.01,
    upper80: 0.74 + i * 0.03,
  })),
];
const data = (config: ReturnType<typeof withForecastBand>, label: string) =>
  config.data.datasets.find((d) => d.label === label)?.data;

describe('withForecastBand: the forecast on the SPC chart time axis', () => {
  const config = withForecastBand(spc, observed, band);

  it('runs the axis on to the year-end', () => {
    expect(config.data.labels).toEqual([
      'Aug 26',
      'Sep 26',
      'Oct 26',
      'Nov 26',
      'Dec 26',
      'Jan 27',
      'Feb 27',
      'Mar 27',
    ]);
  });

  it('observed lines stop at the last observed period; the target runs on', () => {
    expect(data(config, 'Network rate')).toEqual([70, 71, 72, null, null, null, null, null]);
    expect(data(config, 'Target')).toEqual([75, 75, 75, 75, 75, 75, 75, 75]);
  });

  it('draws the forecast from the latest figure, dashed with hollow points, in a filled band', () => {
    expect(data(config, FORECAST_LABELS.centre)).toEqual([null, null, 72, 73, 74, 75, 76, 77]);
    expect(data(config, FORECAST_LABELS.band)).toEqual([null, null, 72, 74, 77, 80, 83, 86]);
    expect(data(config, FORECAST_LABELS.lower)).toEqual([null, null, 72, 72, 71, 70, 69, 68]);
    const centre = config.data.datasets.find((d) => d.label === FORECAST_LABELS.centre) as unknown as Record<
      string,
      unknown
    >;
    expect(centre.borderDash).toEqual([5, 4]);
    expect(centre.pointBackgroundColor).toBe('#ffffff');
    const upper = config.data.datasets.find((d) => d.label === FORECAST_LABELS.band) as unknown as Record<
      string,
      unknown
    >;
    expect(upper.fill).toBe('+1'); // filled down to the lower edge, the next dataset
  });

  it('shades the periods to come and keeps the y axis wide enough for the band', () => {
    const zone = (
      config.options?.plugins as { annotation: { annotations: Record<string, { xMin: number; xMax: number }> } }
    ).annotation.annotations.forecastZone!;
    expect([zone.xMin, zone.xMax]).toEqual([2.5, 7.5]);
    expect(config.options?.scales?.y?.suggestedMax).toBe(88);
    expect(config.options?.scales?.y?.suggestedMin).toBe(66);
  });

  it('changes nothing with no band, or a band with nothing after the last observed period', () => {
    expect(withForecastBand(spc, observed, [])).toBe(spc);
    expect(withForecastBand(spc, observed, band.slice(0, 1))).toBe(spc);
    expect(spc.data.labels).toEqual(['Aug 26', 'Sep 26', 'Oct 26']);
  });

  it('quarterly labels and a one-line summary', () => {
    const q = withForecastBand(spc, observed, [band[0]!, { ...band[5]!, period: '2027-03' }], 'quarterly');
    expect(q.data.labels?.at(-1)).toBe('Jan–Mar 27');
    expect(forecastSummary(band, (p) => p)).toBe('Forecast for 2027-03: 77.0% (80% interval 68.0% to 86.0%).');
  });
});
