import { Type, type Static } from 'typebox';
import { NoMembersSinceSchema, Nullable, PeriodSchema } from './common';

export const SpcReadingSchema = Type.Object({
  mean: Type.Number(),
  upperLimit: Nullable(Type.Number()),
  lowerLimit: Nullable(Type.Number()),
  upperTwoSigma: Nullable(Type.Number()),
  lowerTwoSigma: Nullable(Type.Number()),
  special: Nullable(Type.String({ description: 'improvement, concern or neither' })),
  side: Nullable(Type.String()),
  rules: Type.Array(Type.String()),
});

export const SeriesPeriodSchema = Type.Object({
  period: PeriodSchema,
  numerator: Type.Integer(),
  denominator: Type.Integer(),
  rate: Nullable(Type.Number()),
  targetBp: Nullable(Type.Integer()),
  complete: Type.Boolean(),
  met: Type.Boolean(),
  members: Type.Integer(),
  missingPractices: Type.Array(Type.String(), {
    description: 'Empty where the user may not see the network’s practices (missingCount still counts them)',
  }),
  missingCount: Type.Integer({ description: 'How many member practices have no figure yet' }),
  spc: Type.Union([SpcReadingSchema, Type.Null()], {
    description: 'Null for a month with no rate (every denominator 0)',
  }),
});

export const PracticeSeriesSchema = Type.Object({
  code: Type.String(),
  name: Type.String(),
  points: Type.Array(
    Type.Object({
      period: PeriodSchema,
      numerator: Type.Integer(),
      denominator: Type.Integer(),
      rate: Nullable(Type.Number()),
    }),
  ),
});

export const IndicatorSeriesSchema = Type.Object({
  code: Type.String(),
  title: Type.String(),
  domain: Type.String(),
  domainName: Type.String({ description: "The domain's name in the latest contract year" }),
  targetBp: Type.Integer(),
  lowerBp: Nullable(Type.Integer()),
  variation: Nullable(
    Type.String({
      description:
        'Variation icon from the last month: common-cause, improvement-high, concern-low, …; null for a run chart',
    }),
  ),
  assurance: Nullable(Type.String({ description: 'pass, fail or hit-and-miss; null for a run chart' })),
  spcPoints: Type.Integer({
    description: 'Months in the SPC analysis; fewer than minPointsForLimits gives a run chart with the mean only',
  }),
  minPointsForLimits: Type.Integer({
    description: 'The fewest points that get control limits, special causes and icons (fewer: a run chart)',
  }),
  processChange: Nullable(
    Type.Object(
      {
        since: PeriodSchema,
        rule: Type.Union([Type.Literal('shift'), Type.Literal('trend')]),
        side: Type.Union([Type.Literal('high'), Type.Literal('low'), Type.Null()]),
      },
      {
        description:
          'The latest points show a shift or a trend starting at `since`: the limits and assurance describe the earlier process; recalculateFrom=since recalculates them',
      },
    ),
  ),
  recalculatedFrom: Type.Array(PeriodSchema, {
    description:
      'The months this indicator’s SPC limits were recalculated from (recalculateFrom, or its own pairs in recalculate), in order; empty for one set of limits',
  }),
  periods: Type.Array(SeriesPeriodSchema),
  practices: Type.Array(PracticeSeriesSchema, {
    description: "The member practices' own series (empty where the user may not see practice figures)",
  }),
});

export const SeriesSchema = Type.Object({
  network: Type.String(),
  networkName: Type.String(),
  indicators: Type.Array(IndicatorSeriesSchema),
});
export type Series = Static<typeof SeriesSchema>;

export const SeriesQuerySchema = Type.Object({
  network: Type.String({ minLength: 1, maxLength: 20 }),
  indicator: Type.Optional(Type.String({ maxLength: 30 })),
  recalculateFrom: Type.Optional(
    Type.String({
      pattern: '^([0-9]{4}-[0-9]{2})(,[0-9]{4}-[0-9]{2})*$',
      description: 'Months (YYYY-MM, comma-separated) from which every indicator’s SPC limits are recalculated',
    }),
  ),
  recalculate: Type.Optional(
    Type.String({
      maxLength: 2000,
      description:
        'Per indicator: CODE:YYYY-MM pairs, comma-separated (DM-HBA1C:2026-07,CVD-HYP-BP:2026-05), each recalculating that indicator’s SPC limits only from that month',
    }),
  ),
});
export type SeriesQuery = Static<typeof SeriesQuerySchema>;

export const OverviewQuerySchema = Type.Object({ period: Type.Optional(PeriodSchema) });
export type OverviewQuery = Static<typeof OverviewQuerySchema>;

export const OverviewSchema = Type.Object({
  period: PeriodSchema,
  previousPeriod: Nullable(PeriodSchema),
  contractYear: Type.String(),
  networks: Type.Array(
    Type.Object({
      code: Type.String(),
      name: Type.String(),
      noMembersSince: NoMembersSinceSchema,
      overdueActions: Nullable(
        Type.Integer({
          description:
            "Open learning-set actions past their due date (server's clock); null where the user may not see the network's actions",
        }),
      ),
      domains: Type.Array(
        Type.Object({
          code: Type.String(),
          name: Type.String(),
          status: Type.Union([
            Type.Literal('met'),
            Type.Literal('not-met'),
            Type.Literal('incomplete'),
            Type.Literal('not-applicable'),
          ]),
          met: Type.Integer(),
          applicable: Type.Integer(),
          total: Type.Integer(),
          previousMet: Nullable(Type.Integer()),
          change: Nullable(
            Type.Integer({
              description:
                'Indicators met now minus the period before; null when either period is incomplete (missing is not worse) or there is nothing to compare',
            }),
          ),
          indicators: Type.Array(
            Type.Object({
              code: Type.String(),
              title: Type.String(),
              rate: Nullable(Type.Number()),
              targetBp: Type.Integer(),
              state: Type.String(),
              previousRate: Nullable(Type.Number()),
              missingPractices: Type.Array(Type.String(), {
                description: 'Empty where the user may not see the network’s practices',
              }),
              missingPracticeNames: Type.Array(Type.String(), {
                description:
                  'Names of the practices that have not sent, in the order of missingPractices; empty where the user may not see them',
              }),
              missingCount: Type.Integer(),
            }),
          ),
        }),
      ),
    }),
  ),
});
export type Overview = Static<typeof OverviewSchema>;

export const PracticePageSchema = Type.Object({
  practice: Type.Object({
    code: Type.String(),
    name: Type.String(),
    network: Nullable(Type.String()),
    networkName: Nullable(Type.String()),
    listSize: Nullable(Type.Integer()),
  }),
  indicators: Type.Array(
    Type.Object({
      code: Type.String(),
      title: Type.String(),
      domain: Type.String(),
      domainName: Type.String({ description: "The domain's name in the latest contract year" }),
      points: Type.Array(
        Type.Object({
          period: PeriodSchema,
          network: Type.String(),
          numerator: Type.Integer(),
          denominator: Type.Integer(),
          rate: Nullable(Type.Number()),
          networkRate: Nullable(Type.Number()),
          atOrAboveNetwork: Nullable(
            Type.Boolean({
              description: "The practice's rate is at or above its network's pooled rate that period (exact fractions)",
            }),
          ),
          targetBp: Nullable(Type.Integer()),
          met: Nullable(Type.Boolean()),
          patientsNeeded: Nullable(Type.Integer()),
        }),
      ),
    }),
  ),
  spine: Nullable(
    Type.Object(
      {
        period: PeriodSchema,
        network: Type.String(),
        practices: Type.Integer({ description: 'Member practices of the network at the period' }),
        indicators: Type.Array(
          Type.Object({
            code: Type.String(),
            title: Type.String(),
            rate: Nullable(Type.Number({ description: "The practice's rate; null with no figure or no patients" })),
            networkRate: Nullable(Type.Number()),
            lowest: Nullable(Type.Number({ description: "The lowest rate among the network's practices" })),
            highest: Nullable(Type.Number({ description: "The highest rate among the network's practices" })),
            targetBp: Type.Integer(),
            met: Nullable(Type.Boolean()),
            atOrAboveNetwork: Nullable(
              Type.Boolean({
                description:
                  "The practice's rate is at or above the network's pooled rate (exact fractions); null with no figure",
              }),
            ),
          }),
        ),
      },
      {
        description:
          "Every indicator of the practice at the latest period with data, against its current network's practices' range, average and the target",
      },
    ),
  ),
});
export type PracticePage = Static<typeof PracticePageSchema>;
