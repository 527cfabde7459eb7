import { Type, type Static } from 'typebox';
import { ContractYearCodeSchema, Nullable, PeriodSchema, RoleSchema } from './common';

export const UserSchema = Type.Object({
  id: Type.Integer(),
  username: Type.String(),
  role: RoleSchema,
  networkCode: Nullable(Type.String()),
  disabled: Type.Boolean(),
  isDemo: Type.Boolean(),
  createdAt: Type.String(),
  adminLock: Nullable(
    Type.String({
      description:
        'Why the signed-in admin may not take admin access from this user or disable them now (their own account, the last active admin); null when they may',
    }),
  ),
});
export type User = Static<typeof UserSchema>;

const Username = Type.String({
  pattern: '^[A-Za-z0-9._@-]{2,100}$',
  description: '2–100 letters, digits, dots, dashes, underscores or @',
});
// The length and content rule is checked by the handler (server/domain/password-policy.ts), so the refusal
// says exactly what is wrong; GET /api/auth/password-policy states it.
const Password = Type.String({
  minLength: 1,
  maxLength: 1000,
  description: 'A new password: see GET /api/auth/password-policy',
});

export const NewUserSchema = Type.Object({
  username: Username,
  password: Password,
  role: RoleSchema,
  networkCode: Type.Optional(Nullable(Type.String())),
});
export type NewUserBody = Static<typeof NewUserSchema>;
export const UserChangeSchema = Type.Object({
  role: Type.Optional(RoleSchema),
  networkCode: Type.Optional(Nullable(Type.String())),
  disabled: Type.Optional(Type.Boolean()),
});
export type UserChangeBody = Static<typeof UserChangeSchema>;
export const PasswordResetSchema = Type.Object({ password: Password });
export type PasswordResetBody = Static<typeof PasswordResetSchema>;

export const RoleInfoSchema = Type.Object({
  role: RoleSchema,
  label: Type.String({ description: 'The role as the screens name it' }),
  needsNetwork: Type.Boolean({ description: 'A user with this role belongs to one network (and only then)' }),
});
export type RoleInfo = Static<typeof RoleInfoSchema>;

export const NewNetworkSchema = Type.Object({
  code: Type.String({ pattern: '^[A-Z0-9][A-Z0-9-]{0,15}$' }),
  name: Type.String({ minLength: 1, maxLength: 200 }),
});
export type NewNetworkBody = Static<typeof NewNetworkSchema>;
export const NetworkRenameSchema = Type.Object({ name: Type.String({ minLength: 1, maxLength: 200 }) });
export type NetworkRenameBody = Static<typeof NetworkRenameSchema>;

export const PracticeMembershipsSchema = Type.Object({
  code: Type.String(),
  name: Type.String(),
  listSize: Nullable(Type.Integer()),
  memberships: Type.Array(
    Type.Object({ network: Type.String(), fromPeriod: PeriodSchema, toPeriod: Nullable(PeriodSchema) }),
  ),
});
export type PracticeMembershipsBody = Static<typeof PracticeMembershipsSchema>;

export const MembershipChangeSchema = Type.Object({
  practiceCode: Type.String({ minLength: 3, maxLength: 10 }),
  networkCode: Nullable(Type.String()),
  fromPeriod: PeriodSchema,
});
export type MembershipChangeBody = Static<typeof MembershipChangeSchema>;

export const ContractYearRulesSchema = Type.Object({
  code: ContractYearCodeSchema,
  firstPeriod: PeriodSchema,
  lastPeriod: PeriodSchema,
  locked: Type.Boolean(),
  retrospectiveShareBp: Type.Integer(),
  domainRule: Type.Union([Type.Literal('all-indicators'), Type.Literal('per-indicator')]),
  domains: Type.Array(Type.Object({ code: Type.String(), name: Type.String(), shareBp: Type.Integer() })),
  domainSharesTotalBp: Type.Integer({
    description: 'What the domain shares must add up to (basis points); rules whose shares do not are refused',
  }),
  indicators: Type.Array(
    Type.Object({
      code: Type.String(),
      domain: Type.String(),
      title: Type.String(),
      targetBp: Type.Integer(),
      lowerBp: Nullable(Type.Integer()),
      mode: Type.Union([Type.Literal('threshold'), Type.Literal('sliding')]),
      weight: Type.Integer(),
    }),
  ),
  contractValues: Type.Array(Type.Object({ network: Type.String(), name: Type.String(), valuePence: Type.Integer() })),
});
export type ContractYearRulesBody = Static<typeof ContractYearRulesSchema>;

export const RulesUpdateSchema = Type.Object({
  retrospectiveShareBp: Type.Integer(),
  domainRule: Type.Union([Type.Literal('all-indicators'), Type.Literal('per-indicator')]),
  domains: Type.Array(Type.Object({ code: Type.String(), shareBp: Type.Integer() })),
  indicators: Type.Array(
    Type.Object({
      code: Type.String(),
      targetBp: Type.Integer(),
      lowerBp: Nullable(Type.Integer()),
      mode: Type.Union([Type.Literal('threshold'), Type.Literal('sliding')]),
      weight: Type.Integer(),
    }),
  ),
  contractValues: Type.Array(Type.Object({ network: Type.String(), valuePence: Type.Integer() })),
});
export type RulesUpdateBody = Static<typeof RulesUpdateSchema>;

export const NewContractYearSchema = Type.Object({
  code: ContractYearCodeSchema,
  copyFrom: Type.Optional(ContractYearCodeSchema),
});
export type NewContractYearBody = Static<typeof NewContractYearSchema>;

export const AuditEntrySchema = Type.Object({
  id: Type.Integer(),
  at: Type.String(),
  userId: Nullable(Type.Integer()),
  username: Nullable(Type.String()),
  action: Type.String(),
  ip: Nullable(Type.String()),
  detail: Type.Record(Type.String(), Type.Unknown()),
});
export type AuditEntryBody = Static<typeof AuditEntrySchema>;

export const AuditQuerySchema = Type.Object({
  action: Type.Optional(Type.String({ maxLength: 50 })),
  username: Type.Optional(Type.String({ maxLength: 100 })),
  from: Type.Optional(Type.String({ format: 'date', description: 'YYYY-MM-DD, inclusive (UTC)' })),
  to: Type.Optional(Type.String({ format: 'date', description: 'YYYY-MM-DD, inclusive (UTC)' })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })),
});
export type AuditQuery = Static<typeof AuditQuerySchema>;

export const AuditActionSchema = Type.Object({
  action: Type.String({ description: 'The action as the log records it (filter GET /api/audit by it)' }),
  label: Type.String({ description: 'What it means, as the screens show it' }),
  problem: Type.Boolean({
    description: 'It records something going wrong (a refusal, a failure, an upload cut short)',
  }),
});
export type AuditActionBody = Static<typeof AuditActionSchema>;
