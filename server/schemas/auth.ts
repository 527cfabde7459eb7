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
