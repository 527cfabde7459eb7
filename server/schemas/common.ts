import { Type, type Static, type TSchema } from 'typebox';

/**
 * A string, number, integer or boolean that may be null, written as a JSON-schema type list rather than anyOf:
 * the response serialiser writes type lists directly, where anyOf costs a schema check per value (that was
 * half the time of a national payments response).
 */
export function Nullable<T extends TSchema & { type: string }>(schema: T) {
  return Type.Unsafe<Static<T> | null>({ ...schema, type: [schema.type, 'null'] } as unknown as TSchema);
}

export const PeriodSchema = Type.String({
  pattern: '^[0-9]{4}-(0[1-9]|1[0-2])$',
  description: 'A calendar month, YYYY-MM',
  examples: ['2026-03'],
});
/**
 * Since when a network has had no member practices (a dissolved network): the first period with none, at the
 * data's frequency; null while it has members, or when it never had any before the period.
 */
export const NoMembersSinceSchema = Nullable(
  Type.String({
    pattern: '^[0-9]{4}-(0[1-9]|1[0-2])$',
    description:
      'Set when the network has no member practices at the period but had some before (a dissolved network): the first period with none, at the data’s frequency (a quarter’s last month for quarterly data); everything is then not applicable',
  }),
);
export const ContractYearCodeSchema = Type.String({
  pattern: '^[0-9]{4}-[0-9]{2}$',
  description: 'An NHS financial year, April to March',
  examples: ['2025-26'],
});
export const RoleSchema = Type.Union([
  Type.Literal('admin'),
  Type.Literal('commissioner'),
  Type.Literal('manager'),
  Type.Literal('gp'),
]);

export const ValidationErrorSchema = Type.Object({
  row: Nullable(Type.Integer()),
  column: Nullable(Type.String()),
  value: Nullable(Type.String()),
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
