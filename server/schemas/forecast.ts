import { Type, type Static } from 'typebox';
import { ContractYearCodeSchema, Nullable, PeriodSchema } from './common';

const Rate = (description: string) => Nullable(Type.Number({ minimum: 0, maximum: 1, description }));

export const ForecastQuerySchema = Type.Object({
  network: Type.String({ minLength: 1, maxLength: 20 }),
  year: ContractYearCodeSchema,
  asOf: Type.Optional(PeriodSchema),
});
export type ForecastQuery = Static<typeof ForecastQuerySchema>;

export const ForecastSchema = Type.Object({
  network: Type.String(),
  year: ContractYearCodeSchema,
  asOf: PeriodSchema,
  lastPeriod: PeriodSchema,
  method: Type.String({ description: 'The forecasting method in words' }),
  indicators: Type.Array(
    Type.Object({
      code: Type.String(),
      domain: Type.String(),
      title: Type.String(),
      targetBp: Type.Integer(),
      state: Type.Union([Type.Literal('forecast'), Type.Literal('not-applicable'), Type.Literal('no-data')]),
      latestPeriod: Nullable(PeriodSchema),
      latestRate: Rate('The latest network rate known at asOf'),
      forecastRate: Rate("The forecast rate at the year's last period"),
      lower80: Rate('The 80% interval'),
      upper80: Rate('The 80% interval'),
      probabilityMet: Rate("The probability of meeting the target at the year's last period"),
      path: Type.Array(
        Type.Object({
          period: PeriodSchema,
          forecastRate: Type.Number(),
          lower80: Type.Number(),
          upper80: Type.Number(),
        }),
        {
          description:
            "The forecast band from the latest figure to the year's last period, on the data's own spacing (for charts)",
        },
      ),
    }),
  ),
  retrospectivePotPence: Nullable(Type.Integer()),
  expectedEarnedPence: Nullable(
    Type.Integer({ description: 'Expected retrospective payment; null for a viewer who sees no payments (a GP)' }),
  ),
  p10EarnedPence: Nullable(Type.Integer()),
  p90EarnedPence: Nullable(Type.Integer()),
});
export type Forecast = Static<typeof ForecastSchema>;

export const OutlookQuerySchema = Type.Object({ year: ContractYearCodeSchema });
export type OutlookQuery = Static<typeof OutlookQuerySchema>;

export const PaymentsOutlookSchema = Type.Object({
  year: ContractYearCodeSchema,
  period: PeriodSchema,
  final: Type.Boolean(),
  networks: Type.Array(
    Type.Object({
      code: Type.String(),
      name: Type.String(),
      retrospectivePotPence: Type.Integer(),
      earnedPence: Type.Integer({ description: 'Earned if the year ended at the period (the provisional statement)' }),
      releasablePence: Type.Integer({ description: 'More that unmet indicators would release at their targets' }),
      atRiskPence: Type.Integer({
        description:
          "Earned now but expected lost by the year's end: Σ over domains of max(0, earned now − forecast expected earnings)",
      }),
      expectedEarnedPence: Type.Integer(),
      heldPence: Type.Integer(),
    }),
  ),
});
export type PaymentsOutlook = Static<typeof PaymentsOutlookSchema>;
