import { Type, type Static } from 'typebox';
import { ContractYearCodeSchema, NoMembersSinceSchema, Nullable, PeriodSchema } from './common';
import { REASON_MIN_LENGTH } from '../domain/sign-off';

export const PracticeAttainmentSchema = Type.Object({
  code: Type.String(),
  name: Type.String(),
  numerator: Nullable(Type.Integer()),
  denominator: Nullable(Type.Integer()),
  exceptions: Nullable(Type.Integer()),
  rate: Nullable(Type.Number({ description: '0–1; null with no figure or a zero denominator (not applicable)' })),
  met: Nullable(Type.Boolean()),
  patientsNeeded: Nullable(Type.Integer()),
});

const SignificanceSchema = Type.Union([
  Type.Literal('high-99.8'),
  Type.Literal('high-95'),
  Type.Literal('low-99.8'),
  Type.Literal('low-95'),
  Type.Literal('not-significant'),
]);

/** A funnel plot's limits at each denominator drawn (rates 0–1). */
const FunnelCurveSchema = Type.Array(
  Type.Object({
    denominator: Type.Integer(),
    lower95: Type.Number(),
    upper95: Type.Number(),
    lower998: Type.Number(),
    upper998: Type.Number(),
  }),
);

export const IndicatorAttainmentSchema = Type.Object({
  code: Type.String(),
  domain: Type.String(),
  domainName: Type.String({ description: "The domain's name in the contract year" }),
  title: Type.String(),
  numerator: Type.Integer(),
  denominator: Type.Integer(),
  exceptions: Type.Integer(),
  rate: Nullable(Type.Number()),
  targetBp: Type.Integer(),
  lowerBp: Nullable(Type.Integer()),
  met: Type.Boolean(),
  complete: Type.Boolean(),
  state: Type.Union([
    Type.Literal('met'),
    Type.Literal('not-met'),
    Type.Literal('incomplete'),
    Type.Literal('not-applicable'),
  ]),
  missingPractices: Type.Array(Type.String(), {
    description:
      'Codes of the member practices with no figure yet; empty where the user may not see the network’s practices (missingCount still counts them)',
  }),
  missingCount: Type.Integer({ description: 'How many member practices have no figure yet' }),
  patientsNeeded: Type.Integer(),
  practices: Type.Array(PracticeAttainmentSchema, {
    description: 'Empty for a network whose practice figures the user may not see',
  }),
  funnel: Type.Union(
    [
      Type.Object({
        centre: Type.Number({ description: "The network's pooled rate" }),
        curve: FunnelCurveSchema,
        practices: Type.Array(
          Type.Object({
            code: Type.String(),
            significance: SignificanceSchema,
            lower95: Type.Number({ description: "The practice rate's Wilson 95% interval" }),
            upper95: Type.Number(),
          }),
        ),
        method: Type.Union([Type.Literal('wilson'), Type.Literal('additive-random-effects')], {
          description:
            'Which limits are drawn and classify the practices: Wilson (chance variation only) or allowing for over-dispersion',
        }),
        phi: Nullable(
          Type.Number({ description: 'The dispersion ratio φ over the practices plotted; null with none to compare' }),
        ),
        tau2: Nullable(Type.Number({ description: 'The between-practice variance τ² (arcsine square-root scale)' })),
        adjustedOffered: Type.Boolean({
          description:
            'Whether limits allowing for over-dispersion may be asked for (φ > 1 with two or more practices)',
        }),
        statement: Type.String({ description: 'Which limits the chart shows and φ, in one sentence to print on it' }),
      }),
      Type.Null(),
    ],
    {
      description:
        'Funnel plot limits around the network rate and each practice’s position; null without practice figures or a rate',
    },
  ),
});

export const DomainStandingSchema = Type.Object({
  code: Type.String(),
  name: Type.String(),
  status: Type.Union([
    Type.Literal('met'),
    Type.Literal('not-met'),
    Type.Literal('incomplete'),
    Type.Literal('not-applicable'),
  ]),
  met: Type.Integer({ description: 'Indicators met' }),
  applicable: Type.Integer({ description: 'Indicators with a denominator above 0' }),
  total: Type.Integer({ description: 'Indicators of the domain in the contract year' }),
});

export const AttainmentSchema = Type.Object({
  network: Type.String(),
  networkName: Type.String(),
  period: PeriodSchema,
  contractYear: ContractYearCodeSchema,
  noMembersSince: NoMembersSinceSchema,
  domains: Type.Array(DomainStandingSchema, {
    description: "The contract year's domains in order, each with its standing",
  }),
  indicators: Type.Array(IndicatorAttainmentSchema),
});
export type Attainment = Static<typeof AttainmentSchema>;

export const AttainmentQuerySchema = Type.Object({
  network: Type.String({ minLength: 1, maxLength: 20 }),
  period: Type.Optional(PeriodSchema),
  limits: Type.Optional(
    Type.Union([Type.Literal('wilson'), Type.Literal('adjusted')], {
      description:
        'Funnel limits: Wilson (default) or adjusted for over-dispersion between practices (used only when offered)',
    }),
  ),
});
export type AttainmentQuery = Static<typeof AttainmentQuerySchema>;

const StatusSchema = Type.Union([
  Type.Literal('earned'),
  Type.Literal('partial'),
  Type.Literal('not-earned'),
  Type.Literal('incomplete'),
  Type.Literal('not-assessable'),
]);

export const IndicatorPaymentSchema = Type.Object({
  code: Type.String(),
  title: Type.String(),
  mode: Type.Union([Type.Literal('threshold'), Type.Literal('sliding')]),
  weight: Type.Integer(),
  numerator: Type.Integer(),
  denominator: Type.Integer(),
  rate: Nullable(Type.Number()),
  targetBp: Type.Integer(),
  lowerBp: Nullable(Type.Integer()),
  met: Type.Boolean(),
  complete: Type.Boolean(),
  state: Type.Union([
    Type.Literal('met'),
    Type.Literal('not-met'),
    Type.Literal('incomplete'),
    Type.Literal('not-applicable'),
  ]),
  missingPractices: Type.Array(Type.String()),
  potPence: Type.Integer(),
  fraction: Nullable(Type.Number()),
  fractionExact: Nullable(Type.String()),
  earnedPence: Type.Integer(),
  rateText: Nullable(
    Type.String({
      description:
        'The rate as a percentage, with as many decimals as it takes never to read on the wrong side of the target ("79.96%" beside 80%); null when not applicable',
    }),
  ),
  exactText: Nullable(Type.String({ description: 'The exact figure, "2,282 / 2,854"; null when not applicable' })),
  why: Type.String({ description: 'What this line means for the money, in words (SPEC 11.2)' }),
});

export const UnmetIndicatorSchema = Type.Object({
  code: Type.String(),
  patientsNeeded: Type.Integer({ description: 'More patients the network needs to reach the target (SPEC 4.4)' }),
  complete: Type.Boolean({ description: 'False: incomplete, counted as not met' }),
  missingPractices: Type.Array(Type.String()),
  potPence: Type.Integer(),
  practices: Type.Array(
    Type.Object({
      code: Type.String(),
      name: Type.String(),
      numerator: Nullable(Type.Integer()),
      denominator: Nullable(Type.Integer()),
      patientsNeeded: Nullable(Type.Integer({ description: "The practice's own gap to the target" })),
    }),
    { description: 'Empty on a frozen (signed-off) statement' },
  ),
});

export const DomainPaymentSchema = Type.Object({
  code: Type.String(),
  name: Type.String(),
  shareBp: Type.Integer(),
  potPence: Type.Integer(),
  earnedPence: Type.Integer(),
  status: StatusSchema,
  releasablePence: Type.Integer({
    description:
      'How much more the domain would earn at this period if every unmet indicator reached its target (SPEC 11.1)',
  }),
  patientsNeeded: Type.Integer({ description: "Σ of the unmet indicators' network patients needed" }),
  unmet: Type.Array(UnmetIndicatorSchema, { description: 'Applicable indicators not met (incomplete ones included)' }),
  why: Type.String({ description: 'Why the domain has its status, in words' }),
  indicators: Type.Array(IndicatorPaymentSchema),
});

/** A network's figures, in its full statement and in the list of every network's. */
const networkFigures = {
  code: Type.String(),
  name: Type.String(),
  contractValuePence: Type.Integer(),
  prospectivePence: Type.Integer(),
  retrospectivePotPence: Type.Integer(),
  earnedPence: Type.Integer(),
  heldPence: Type.Integer({ description: 'Pots of not-assessable domains, held for the commissioner' }),
  status: StatusSchema,
  incompleteIndicators: Type.Array(Type.String()),
  inputHash: Type.String(),
  releasablePence: Type.Integer({ description: "Σ of the domains' releasablePence" }),
  patientsNeeded: Type.Integer(),
};

export const NetworkStatementSchema = Type.Object({
  ...networkFigures,
  releasableOrder: Type.Array(Type.String(), {
    description: 'Codes of the domains that release something, the one releasing most for fewest patients first',
  }),
  heldText: Nullable(Type.String({ description: 'Why money is held, when any is' })),
  domains: Type.Array(DomainPaymentSchema),
  practiceSplit: Type.Array(
    Type.Object({ code: Type.String(), listSize: Nullable(Type.Integer()), pence: Type.Integer() }),
    {
      description: 'A suggested split of the earned payment between member practices, pro rata to list size',
    },
  ),
});

export const SignOffInfoSchema = Type.Object({
  signedAt: Type.String(),
  signedBy: Type.String(),
  overrideReason: Nullable(Type.String()),
  inputHash: Type.String(),
});

/** What every payments response carries beside its networks. */
const paymentsHead = {
  year: ContractYearCodeSchema,
  period: PeriodSchema,
  final: Type.Boolean({
    description:
      "True for the contract year's last period; otherwise a provisional statement, as if the year ended now",
  }),
  locked: Type.Boolean(),
  signOff: Nullable(SignOffInfoSchema),
  inputHash: Type.String({ description: 'SHA-256 of the rules, memberships, contract values and observations used' }),
  rules: Type.Object(
    {
      retrospectiveShareBp: Type.Integer(),
      domainRule: Type.Union([Type.Literal('all-indicators'), Type.Literal('per-indicator')]),
      domainRuleText: Type.String({ description: 'The domain rule in words' }),
      basisText: Type.String({ description: 'Final or provisional, in words' }),
    },
    {
      description:
        "The year's payment rules the statement applied (domain shares and indicator thresholds are on each line)",
    },
  ),
  totals: Type.Object(
    {
      contractValuePence: Type.Integer(),
      prospectivePence: Type.Integer({ description: 'Paid in advance: contract value less the retrospective pot' }),
      retrospectivePotPence: Type.Integer(),
      earnedPence: Type.Integer(),
      heldPence: Type.Integer(),
      releasablePence: Type.Integer(),
    },
    { description: 'Sums over the networks returned' },
  ),
};

export const PaymentsSchema = Type.Object({
  ...paymentsHead,
  networks: Type.Array(NetworkStatementSchema),
});
export type Payments = Static<typeof PaymentsSchema>;

/**
 * One network's statement in the list of every network's: the figures SPEC section 7 and 11 name, without the
 * evidence (reasons, titles, rules on each line, per-practice figures), which `?network=` gives for one network.
 */
export const NetworkSummarySchema = Type.Object({
  ...networkFigures,
  domains: Type.Array(
    Type.Object({
      code: Type.String(),
      potPence: Type.Integer(),
      earnedPence: Type.Integer(),
      status: StatusSchema,
      releasablePence: Type.Integer(),
      patientsNeeded: Type.Integer(),
      unmet: Type.Array(Type.Object({ code: Type.String(), patientsNeeded: Type.Integer(), complete: Type.Boolean() })),
      indicators: Type.Array(
        Type.Object({
          code: Type.String(),
          state: IndicatorPaymentSchema.properties.state,
          met: Type.Boolean(),
          complete: Type.Boolean(),
          potPence: Type.Integer(),
          fraction: Nullable(Type.Number()),
          earnedPence: Type.Integer(),
        }),
      ),
    }),
  ),
});
export type NetworkSummary = Static<typeof NetworkSummarySchema>;

/** Every network's statement in brief: the head and totals of PaymentsSchema, each network as NetworkSummarySchema. */
export const PaymentsListSchema = Type.Object({
  ...paymentsHead,
  networks: Type.Array(NetworkSummarySchema),
});
export type PaymentsList = Static<typeof PaymentsListSchema>;

export const PaymentsQuerySchema = Type.Object({
  year: ContractYearCodeSchema,
  period: Type.Optional(PeriodSchema),
  network: Type.Optional(
    Type.String({
      minLength: 1,
      maxLength: 20,
      description:
        "One network's statement with all its evidence (reasons, per-practice figures); without it, every network's in brief",
    }),
  ),
});
export type PaymentsQuery = Static<typeof PaymentsQuerySchema>;

export const SignOffBodySchema = Type.Object({
  overrideReason: Type.Optional(
    Type.String({
      minLength: REASON_MIN_LENGTH,
      maxLength: 2000,
      description: 'Required to sign off while an indicator is incomplete at the final period',
    }),
  ),
});
export type SignOffBody = Static<typeof SignOffBodySchema>;
export const ReopenBodySchema = Type.Object({ reason: Type.String({ minLength: REASON_MIN_LENGTH, maxLength: 2000 }) });
export type ReopenBody = Static<typeof ReopenBodySchema>;

export const PeerComparisonQuerySchema = Type.Object({
  network: Type.String({ minLength: 1, maxLength: 20 }),
  indicator: Type.String({ minLength: 1, maxLength: 30 }),
  period: Type.Optional(PeriodSchema),
  limits: Type.Optional(Type.Union([Type.Literal('wilson'), Type.Literal('adjusted')])),
});

export const PeerComparisonSchema = Type.Object({
  network: Type.String(),
  indicator: Type.String(),
  period: PeriodSchema,
  networks: Type.Integer({ description: 'How many networks with members the practices plotted come from' }),
  funnel: Nullable(
    Type.Object({
      centre: Type.Number({ description: 'The pooled rate of every practice of every network plotted' }),
      curve: FunnelCurveSchema,
      method: Type.Union([Type.Literal('wilson'), Type.Literal('additive-random-effects')]),
      phi: Nullable(Type.Number()),
      tau2: Nullable(Type.Number()),
      adjustedOffered: Type.Boolean(),
      statement: Type.String(),
      practices: Type.Array(
        Type.Object({
          code: Nullable(Type.String({ description: "Null for another network's practice (never named)" })),
          name: Nullable(Type.String()),
          numerator: Type.Integer(),
          denominator: Type.Integer(),
          significance: SignificanceSchema,
          lower95: Type.Number(),
          upper95: Type.Number(),
        }),
      ),
    }),
  ),
});
export type PeerComparison = Static<typeof PeerComparisonSchema>;

export const WhatIfBodySchema = Type.Object({
  network: Type.String({ minLength: 1, maxLength: 20 }),
  year: ContractYearCodeSchema,
  period: PeriodSchema,
  adjustments: Type.Array(
    Type.Object({
      indicator: Type.String({ minLength: 1, maxLength: 40 }),
      practice: Type.Optional(
        Nullable(Type.String({ minLength: 1, maxLength: 20, description: 'A member practice; absent: network-wide' })),
      ),
      extraNumerator: Type.Integer({ minimum: 0, description: 'More patients reaching the standard' }),
    }),
    { minItems: 1, maxItems: 100 },
  ),
});
export type WhatIfBody = Static<typeof WhatIfBodySchema>;

const LineStateSchema = Type.Object({
  numerator: Type.Integer(),
  denominator: Type.Integer(),
  rate: Nullable(Type.Number()),
  met: Type.Boolean(),
  state: Type.String(),
  fractionExact: Nullable(Type.String()),
  earnedPence: Type.Integer(),
  rateText: Nullable(Type.String({ description: 'The rate as the statement writes it beside its target' })),
});

export const WhatIfSchema = Type.Intersect([
  NetworkStatementSchema,
  Type.Object({
    year: ContractYearCodeSchema,
    period: PeriodSchema,
    applied: Type.Array(
      Type.Object({
        indicator: Type.String(),
        practice: Nullable(Type.String()),
        extraNumerator: Type.Integer(),
        spread: Type.Array(Type.Object({ practice: Type.String(), extra: Type.Integer() }), {
          description: 'Where the patients went (a network-wide change is spread by patients not yet counted)',
        }),
      }),
    ),
    changes: Type.Object(
      {
        earnedPence: Type.Object({ before: Type.Integer(), after: Type.Integer() }),
        domains: Type.Array(
          Type.Object({
            domain: Type.String(),
            before: Type.Object({ earnedPence: Type.Integer(), status: StatusSchema }),
            after: Type.Object({ earnedPence: Type.Integer(), status: StatusSchema }),
          }),
        ),
        lines: Type.Array(
          Type.Object({
            domain: Type.String(),
            indicator: Type.String(),
            before: LineStateSchema,
            after: LineStateSchema,
          }),
        ),
      },
      { description: 'What changed from the real statement at the period, line by line' },
    ),
  }),
]);
export type WhatIf = Static<typeof WhatIfSchema>;
