import { Type, type Static } from 'typebox';

export const PeriodSchema = Type.String({ pattern: '^[0-9]{4}-(0[1-9]|1[0-2])$', description: 'A calendar month, YYYY-MM', examples: ['2026-03'] });
export const ContractYearCodeSchema = Type.String({ pattern: '^[0-9]{4}-[0-9]{2}$', description: 'An NHS financial year, April to March', examples: ['2025-26'] });
export const RoleSchema = Type.Union([Type.Literal('admin'), Type.Literal('commissioner'), Type.Literal('manager'), Type.Literal('gp')]);

export const ValidationErrorSchema = Type.Object({
  row: Type.Union([Type.Integer(), Type.Null()], { description: 'Row of the file (header = 1); null for the file as a whole' }),
  column: Type.Union([Type.String(), Type.Null()]),
  value: Type.Union([Type.String(), Type.Null()]),
  message: Type.String(),
});
export type ValidationErrorBody = Static<typeof ValidationErrorSchema>;

export const ErrorSchema = Type.Object(
  {
    error: Type.Object({
      code: Type.String(),
      message: Type.String(),
      details: Type.Array(Type.Unknown()),
    }),
  },
  { $id: 'Error' },
);
export type ErrorBody = Static<typeof ErrorSchema>;

/** The error responses every route may give, for the OpenAPI document. */
export const errorResponses = {
  400: ErrorSchema,
  401: ErrorSchema,
  403: ErrorSchema,
  404: ErrorSchema,
  409: ErrorSchema,
  413: ErrorSchema,
  500: ErrorSchema,
};
