/**
 * The year-end forecast drawn onto an SPC chart's time axis (SPEC 11.3): the axis runs on from the last
 * observed period to the contract year's last period; the forecast is a dashed line with hollow points inside a
 * shaded 80% band, and the periods still to come sit on a lightly shaded background labelled "Forecast", so
 * forecast and observed data never look alike. The target line runs on to the year's end. Pure: takes the
 * chart's configuration (from buildSpcConfig) and returns a new one; the input is not changed.
 */
import type { ChartConfiguration } from 'chart.js';
import { COLOURS } from './palette';
import { shortPeriod } from './build-spc-config';

export interface ForecastBandPoint {
  period: string;
  forecastRate: number;
  lower80: number;
  upper80: number;
}

export const FORECAST_LABELS = { centre: 'Forecast', band: 'Forecast 80% interval', lower: 'Forecast lower' } as const;
export const FORECAST_COLOUR = '#41b6e6';
export const FORECAST_FILL = 'rgba(65, 182, 230, 0.25)';

type LineConfig = ChartConfiguration<'line'>;

export function withForecastBand(
  config: LineConfig,
  observed: readonly string[],
  band: readonly ForecastBandPoint[],
  frequency: 'monthly' | 'quarterly' = 'monthly',
): LineConfig {
  const last = observed.at(-1);
  if (!last || band.length === 0) return config;
  const future = band.filter((p) => p.period > last).map((p) => p.period);
  if (future.length === 0) return config;
  const periods = [...observed, ...future];
  const pct = (v: number) => +(v * 100).toFixed(3);
  const along = (value: (p: ForecastBandPoint) => number) =>
    periods.map((period) => {
      const p = band.find((b) => b.period === period);
      return p ? pct(value(p)) : null;
    });
  const padding = future.map(() => null);
  const datasets = config.data.datasets.map((d) => {
    const data = d.data as (number | null)[];
    // The target is a level, not an observation: it runs on to the year's end.
    const carried = d.label === 'Target' ? future.map(() => data.at(-1) ?? null) : padding;
    return { ...d, data: [...data, ...carried] };
  });
  datasets.push(
    {
      label: FORECAST_LABELS.band,
      data: along((p) => p.upper80),
      borderColor: FORECAST_COLOUR,
      borderWidth: 1,
      backgroundColor: FORECAST_FILL,
      pointRadius: 0,
      fill: '+1',
      spanGaps: true,
    },
    {
      label: FORECAST_LABELS.lower,
      data: along((p) => p.lower80),
      borderColor: FORECAST_COLOUR,
      borderWidth: 1,
      pointRadius: 0,
      fill: false,
      spanGaps: true,
    },
    {
      label: FORECAST_LABELS.centre,
      data: along((p) => p.forecastRate),
      borderColor: COLOURS.network,
      borderWidth: 2,
      borderDash: [5, 4],
      pointRadius: 4,
      pointStyle: 'circle',
      pointBackgroundColor: '#ffffff',
      pointBorderColor: COLOURS.network,
      fill: false,
      spanGaps: true,
    },
  );
  const bandValues = band.flatMap((p) => [pct(p.lower80), pct(p.upper80)]);
  const y = config.options?.scales?.y ?? {};
  const suggestedMin = Math.max(0, Math.min(Number(y.suggestedMin ?? 100), Math.floor(Math.min(...bandValues) - 2)));
  const suggestedMax = Math.min(100, Math.max(Number(y.suggestedMax ?? 0), Math.ceil(Math.max(...bandValues) + 2)));
  const plugins = config.options?.plugins ?? {};
  const legendLabels = plugins.legend?.labels ?? {};
  const baseFilter = legendLabels.filter;
  const annotation = (plugins as { annotation?: { annotations?: Record<string, unknown> } }).annotation;
  return {
    ...config,
    data: { ...config.data, labels: periods.map((p) => shortPeriod(p, frequency)), datasets },
    options: {
      ...config.options,
      scales: { ...config.options?.scales, y: { ...y, suggestedMin, suggestedMax } },
      plugins: {
        ...plugins,
        legend: {
          ...plugins.legend,
          labels: {
            ...legendLabels,
            filter: (item, data) => item.text !== FORECAST_LABELS.lower && (baseFilter ? baseFilter(item, data) : true),
          },
        },
        annotation: {
          ...annotation,
          annotations: {
            ...annotation?.annotations,
            forecastZone: {
              type: 'box',
              xMin: observed.length - 0.5,
              xMax: periods.length - 0.5,
              backgroundColor: 'rgba(33, 43, 50, 0.05)',
              borderWidth: 0,
              label: {
                display: true,
                content: FORECAST_LABELS.centre,
                position: { x: 'center', y: 'start' },
                color: '#4c6272',
                font: { size: 11, weight: 'normal' },
              },
            },
          },
        },
      } as NonNullable<LineConfig['options']>['plugins'],
    },
  };
}

/** The band in one sentence: "Forecast for March 2027: 72.5% (80% interval 69.0% to 76.0%)." */
export function forecastSummary(band: readonly ForecastBandPoint[], label: (period: string) => string): string {
  const end = band.at(-1);
  if (!end) return '';
  const p = (r: number) => `${(r * 100).toFixed(1)}%`;
  return `Forecast for ${label(end.period)}: ${p(end.forecastRate)} (80% interval ${p(end.lower80)} to ${p(end.upper80)}).`;
}
