import { Type, type Static } from 'typebox';
import { Nullable, PeriodSchema, ValidationErrorSchema } from './common';
import { ReferenceUploadAcceptedSchema } from './reference';

export const FormatSchema = Type.Union([
  Type.Literal('long'),
  Type.Literal('wide'),
  Type.Literal('qof'),
  Type.Literal('cover'),
]);

export const MissingPracticeSchema = Type.Object({
  period: PeriodSchema,
  network: Type.String(),
  practiceCode: Type.String(),
  practiceName: Type.String(),
});
export type MissingPracticeBody = Static<typeof MissingPracticeSchema>;

export const SkippedSchema = Type.Object({
  reason: Type.Union([
    Type.Literal('unknown-indicator'),
    Type.Literal('outside-networks'),
    Type.Literal('other-network'),
    Type.Literal('other-measure'),
    Type.Literal('suppressed'),
  ]),
  rows: Type.Integer(),
  examples: Type.Array(Type.String()),
});

export const AcceptedSubmissionSchema = Type.Object({
  id: Type.Integer(),
  status: Type.Literal('accepted'),
  format: FormatSchema,
  rows: Type.Integer({ description: 'Data rows read from the file' }),
  observations: Type.Integer({ description: 'Values the file gives (a wide row holds several)' }),
  periods: Type.Array(PeriodSchema),
  practices: Type.Integer(),
  indicators: Type.Integer(),
  inserted: Type.Integer({ description: 'New values stored' }),
  superseded: Type.Integer({ description: 'Earlier values replaced by a different value (kept as history)' }),
  unchanged: Type.Integer({ description: 'Values equal to the ones already held, left alone' }),
  missing: Type.Array(MissingPracticeSchema, {
    description: 'Member practices of the networks in the file with no data yet for each period',
  }),
  skipped: Type.Array(SkippedSchema),
});
export type AcceptedSubmission = Static<typeof AcceptedSubmissionSchema>;

export const SubmissionUploadQuerySchema = Type.Object({
  period: Type.Optional(PeriodSchema),
  format: Type.Optional(FormatSchema),
});
export type SubmissionUploadQuery = Static<typeof SubmissionUploadQuerySchema>;

/** What an accepted upload changed, as returned when it was uploaded, with the kind of upload it was. */
export const UploadSummarySchema = Type.Union(
  [
    Type.Object({ kind: Type.Literal('observations'), ...AcceptedSubmissionSchema.properties }),
    Type.Object({
      kind: Type.Literal('reference'),
      ...ReferenceUploadAcceptedSchema.properties,
      fromPeriod: Type.String(),
    }),
    Type.Null(),
  ],
  { description: 'What an accepted upload changed (as returned when it was uploaded); null for any other outcome' },
);
export type UploadSummary = Static<typeof UploadSummarySchema>;

export const SubmissionSummarySchema = Type.Object({
  id: Type.Integer(),
  uploadedAt: Type.String(),
  uploader: Type.String(),
  kind: Type.Union([Type.Literal('observations'), Type.Literal('reference')]),
  filename: Type.String(),
  sizeBytes: Type.Integer({
    description: 'Size of the whole file as uploaded (for an interrupted upload: the bytes that arrived)',
  }),
  storedBytes: Type.Integer({
    description:
      'How much of the file is kept: all of an accepted one, the beginning of a large rejected one, none of an interrupted or failed one',
  }),
  fileKept: Type.Boolean({
    description:
      'Whether any of the file can be downloaded (GET /api/submissions/:id/file): false for an interrupted, failed or still-processing upload and for a file over the upload limit',
  }),
  sha256: Nullable(Type.String({ description: 'SHA-256 of the whole file (none when it never fully arrived)' })),
  format: Nullable(Type.String()),
  periodGiven: Nullable(Type.String()),
  status: Type.Union(
    [
      Type.Literal('processing'),
      Type.Literal('accepted'),
      Type.Literal('rejected'),
      Type.Literal('interrupted'),
      Type.Literal('failed'),
    ],
    {
      description:
        'interrupted: the file never fully arrived; failed: the server could not finish processing it. Neither saved anything.',
    },
  ),
  errorCount: Type.Integer(),
  finishedAt: Nullable(Type.String()),
  summary: UploadSummarySchema,
});
export type SubmissionSummary = Static<typeof SubmissionSummarySchema>;

export const SubmissionDetailSchema = Type.Intersect([
  SubmissionSummarySchema,
  Type.Object({ errors: Type.Array(ValidationErrorSchema) }),
]);
export type SubmissionDetail = Static<typeof SubmissionDetailSchema>;

export const MissingQuerySchema = Type.Object({ period: Type.Optional(PeriodSchema) });
export type MissingQuery = Static<typeof MissingQuerySchema>;
export const MissingResponseSchema = Type.Object({
  period: Nullable(PeriodSchema),
  missing: Type.Array(MissingPracticeSchema),
});
