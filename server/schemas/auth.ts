import { Type, type Static } from 'typebox';
import { Nullable, RoleSchema } from './common';

export const LoginBodySchema = Type.Object({
  username: Type.String({ minLength: 1, maxLength: 100 }),
  password: Type.String({ minLength: 1, maxLength: 1000 }),
});

export const MeSchema = Type.Object({
  username: Type.String(),
  role: RoleSchema,
  networkCode: Nullable(Type.String()),
});
export type Me = Static<typeof MeSchema>;

export const PasswordChangeBodySchema = Type.Object({
  currentPassword: Type.String({ minLength: 1, maxLength: 1000 }),
  newPassword: Type.String({ minLength: 1, maxLength: 1000, description: 'See GET /api/auth/password-policy' }),
});

export const PasswordPolicySchema = Type.Object({
  minLength: Type.Integer(),
  maxLength: Type.Integer(),
  rule: Type.String({ description: 'The rule in one sentence, as the screens state it' }),
});
export type PasswordPolicy = Static<typeof PasswordPolicySchema>;
