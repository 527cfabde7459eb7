import { Type, type Static } from 'typebox';
import { Nullable, RoleSchema } from './common';

export const LoginBodySchema = Type.Object({
  username: Type.String({ minLength: 1, maxLength: 100 }),
  password: Type.String({ minLength: 1, maxLength: 1000 }),
});
export type LoginBody = Static<typeof LoginBodySchema>;

export const ScreenSchema = Type.Union([
  Type.Literal('overview'),
  Type.Literal('learning-set'),
  Type.Literal('practice'),
  Type.Literal('payments'),
  Type.Literal('uploads'),
  Type.Literal('audit'),
  Type.Literal('admin'),
]);
export type Screen = Static<typeof ScreenSchema>;

export const CapabilitiesSchema = Type.Object(
  {
    screens: Type.Array(ScreenSchema, { description: 'The screens this person may open, in navigation order' }),
    upload: Type.Boolean({ description: 'May upload figures' }),
    viewUploads: Type.Boolean({ description: 'May see uploaded files and their reports (all, or their own)' }),
    viewPayments: Type.Boolean({ description: 'May see payment statements (all, or their own network’s)' }),
    signOff: Type.Boolean({ description: 'May sign off contract years' }),
    reopen: Type.Boolean({ description: 'May reopen signed-off contract years' }),
    administer: Type.Boolean({ description: 'May change users, networks, memberships and contract years' }),
    readAudit: Type.Boolean({ description: 'May read the audit log' }),
    writeLearningLoop: Type.Boolean({
      description: 'May create and change annotations, meetings and actions for their own network (admins: for all)',
    }),
  },
  { description: 'What the signed-in person may do, from the same rules the server enforces (server/domain/access.ts)' },
);
export type Capabilities = Static<typeof CapabilitiesSchema>;

export const MeSchema = Type.Object({
  username: Type.String(),
  role: RoleSchema,
  networkCode: Nullable(Type.String()),
  capabilities: CapabilitiesSchema,
});
export type Me = Static<typeof MeSchema>;

export const PasswordChangeBodySchema = Type.Object({
  currentPassword: Type.String({ minLength: 1, maxLength: 1000 }),
  newPassword: Type.String({ minLength: 1, maxLength: 1000, description: 'See GET /api/auth/password-policy' }),
});
export type PasswordChangeBody = Static<typeof PasswordChangeBodySchema>;

export const PasswordPolicySchema = Type.Object({
  minLength: Type.Integer(),
  maxLength: Type.Integer(),
  rule: Type.String({ description: 'The rule in one sentence, as the screens state it' }),
});
export type PasswordPolicy = Static<typeof PasswordPolicySchema>;
