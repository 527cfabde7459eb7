import { Type, type Static } from 'typebox';
import { ContractYearCodeSchema, Nullable, PeriodSchema, ValidationErrorSchema } from './common';

export const NetworkSchema = Type.Object({
  code: Type.String(),
  name: Type.String(),
  practices: Type.Array(Type.Object({ code: Type.String(), name: Type.String(), listSize: Nullable(Type.Integer()) }), {
    description: 'Member practices at the period; empty for networks whose practice figures the user may not see',
  }),
});
export type Network = Static<typeof NetworkSchema>;
export const NetworksQuerySchema = Type.Object({ period: Type.Optional(PeriodSchema) });
export type NetworksQuery = Static<typeof NetworksQuerySchema>;

export const DomainRuleSchema = Type.Union([Type.Literal('all-indicators'), Type.Literal('per-indicator')]);
export const ContractYearSchema = Type.Object({
  code: ContractYearCodeSchema,
  firstPeriod: PeriodSchema,
  lastPeriod: PeriodSchema,
  retrospectiveShareBp: Type.Integer(),
  domainRule: DomainRuleSchema,
  locked: Type.Boolean(),
  lockedAt: Nullable(Type.String()),
  lockedBy: Nullable(Type.String()),
  domains: Type.Array(Type.Object({ code: Type.String(), name: Type.String(), shareBp: Type.Integer() })),
  periods: Type.Array(PeriodSchema, { description: 'Every month of the year, in order' }),
  ended: Type.Boolean({ description: "Its last period is before the current period (the server's clock)" }),
  canSignOff: Type.Boolean({ description: 'This user may sign it off now (role, not yet signed off, ended)' }),
  canReopen: Type.Boolean({ description: 'This user may reopen it now (role, signed off)' }),
  reasonMinLength: Type.Integer({
    description: 'The fewest characters a sign-off override reason or a reopening reason may have',
  }),
  isDefault: Type.Boolean({
    description: 'The year the screens open on: the one holding the latest period with data, else the last year',
  }),
});
export type ContractYear = Static<typeof ContractYearSchema>;

export const IndicatorSchema = Type.Object({
  code: Type.String(),
  domain: Type.String(),
  title: Type.String(),
  numeratorLabel: Type.String(),
  denominatorLabel: Type.String(),
  targetBp: Type.Integer(),
  lowerBp: Nullable(Type.Integer()),
  mode: Type.Union([Type.Literal('threshold'), Type.Literal('sliding')]),
  weight: Type.Integer(),
});
export type Indicator = Static<typeof IndicatorSchema>;

export const ReferenceUploadAcceptedSchema = Type.Object({
  id: Type.Integer(),
  status: Type.Literal('accepted'),
  format: Type.Union([Type.Literal('template'), Type.Literal('nhs-mapping')]),
  fromPeriod: PeriodSchema,
  practices: Type.Integer(),
  networksCreated: Type.Integer(),
  practicesCreated: Type.Integer(),
  practicesRenamed: Type.Integer(),
  joined: Type.Integer(),
  moved: Type.Integer(),
  left: Type.Integer(),
  unchanged: Type.Integer(),
  unallocated: Type.Integer(),
  listSizes: Type.Integer(),
});
export type ReferenceUploadAccepted = Static<typeof ReferenceUploadAcceptedSchema>;

export const RejectedUploadSchema = Type.Object({
  id: Type.Integer(),
  status: Type.Literal('rejected'),
  format: Nullable(Type.String()),
  errorCount: Type.Integer(),
  errors: Type.Array(ValidationErrorSchema),
});
export type RejectedUpload = Static<typeof RejectedUploadSchema>;

export const StatusSchema = Type.Object({
  demo: Type.Boolean({ description: 'The database holds the synthetic demo data' }),
  currentPeriod: PeriodSchema,
  latestPeriod: Nullable(PeriodSchema),
  maxUploadBytes: Type.Integer(),
  periods: Type.Array(PeriodSchema, { description: 'Every period with data, oldest first' }),
  frequency: Type.Union([Type.Literal('monthly'), Type.Literal('quarterly')], {
    description: 'Quarterly when every period with data ends a quarter',
  }),
  attribution: Nullable(Type.String({ description: 'Licence attribution every screen must show for this dataset' })),
  demoAccounts: Type.Array(
    Type.Object({ username: Type.String(), role: Type.String(), networkCode: Nullable(Type.String()) }),
    {
      description:
        'The demo accounts (published passwords) this database still has, so the sign-in screen can list them',
    },
  ),
});
export type Status = Static<typeof StatusSchema>;
