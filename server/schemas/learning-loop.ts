/**
 * The learning-set loop's contract (SPEC section 12): annotations, meetings, actions and the meeting-mode
 * agenda. Request bodies are typed here; their rules (lengths, dates, months with figures, indicators of the
 * month's contract year, member practices) are checked by server/domain/learning-loop.ts and answered with a
 * 400 whose details name each field: [{field, message}].
 */
import { Type, type Static } from 'typebox';
import { NoMembersSinceSchema, Nullable, PeriodSchema } from './common';

const NetworkCode = Type.String({ minLength: 1, maxLength: 20, description: 'Network code, e.g. N1' });
const DateText = Type.String({ maxLength: 40, description: 'A calendar date, YYYY-MM-DD', examples: ['2026-11-30'] });
const MonthText = Type.String({ maxLength: 40, description: 'A month with figures, YYYY-MM', examples: ['2026-09'] });
const IndicatorCode = Type.String({
  minLength: 1,
  maxLength: 30,
  description: "An indicator code of the month's contract year",
});
const PracticeCode = Type.String({
  minLength: 1,
  maxLength: 10,
  description: 'ODS code of a practice that was a member of the network then',
});
const Text = (description: string) => Type.String({ maxLength: 20000, description });

export const ActionStatusSchema = Type.Union([Type.Literal('open'), Type.Literal('done'), Type.Literal('dropped')]);
export const IdParamsSchema = Type.Object({ id: Type.Integer({ minimum: 1 }) });

// --- annotations ----------------------------------------------------------------------------------------

export const AnnotationSchema = Type.Object({
  id: Type.Integer(),
  network: Type.String(),
  indicator: Type.String(),
  indicatorTitle: Type.String({ description: "The indicator's title in the contract year of the period" }),
  practice: Nullable(Type.String()),
  practiceName: Nullable(Type.String()),
  period: PeriodSchema,
  text: Type.String(),
  author: Type.String({ description: 'Username of who wrote it' }),
  createdAt: Type.String(),
  updatedAt: Type.String(),
});
export type Annotation = Static<typeof AnnotationSchema>;

export const AnnotationListSchema = Type.Object({
  network: Type.String(),
  networkName: Type.String(),
  canWrite: Type.Boolean({ description: 'Whether this user may add, change and delete the network’s annotations' }),
  annotations: Type.Array(AnnotationSchema, { description: 'By period, then in the order written' }),
});
export type AnnotationList = Static<typeof AnnotationListSchema>;

export const AnnotationQuerySchema = Type.Object({
  network: NetworkCode,
  indicator: Type.Optional(IndicatorCode),
  practice: Type.Optional(PracticeCode),
  from: Type.Optional(PeriodSchema),
  to: Type.Optional(PeriodSchema),
});
export type AnnotationQuery = Static<typeof AnnotationQuerySchema>;

export const NewAnnotationSchema = Type.Object(
  {
    network: NetworkCode,
    indicator: IndicatorCode,
    practice: Type.Optional(Nullable(PracticeCode)),
    period: MonthText,
    text: Text('1–500 characters'),
  },
  { additionalProperties: false },
);
export type NewAnnotationBody = Static<typeof NewAnnotationSchema>;

export const AnnotationChangeSchema = Type.Object(
  {
    indicator: Type.Optional(IndicatorCode),
    practice: Type.Optional(Nullable(PracticeCode)),
    period: Type.Optional(MonthText),
    text: Type.Optional(Text('1–500 characters')),
  },
  { additionalProperties: false, minProperties: 1 },
);
export type AnnotationChangeBody = Static<typeof AnnotationChangeSchema>;

// --- meetings -------------------------------------------------------------------------------------------

export const MeetingSchema = Type.Object({
  id: Type.Integer(),
  network: Type.String(),
  heldOn: Type.String({ description: 'YYYY-MM-DD' }),
  period: PeriodSchema,
  attendees: Type.String(),
  notes: Type.String(),
  createdBy: Type.String(),
  createdAt: Type.String(),
  updatedAt: Type.String(),
});
export type Meeting = Static<typeof MeetingSchema>;

export const MeetingListSchema = Type.Object({
  network: Type.String(),
  networkName: Type.String(),
  canWrite: Type.Boolean(),
  meetings: Type.Array(MeetingSchema, { description: 'The latest first' }),
});
export type MeetingList = Static<typeof MeetingListSchema>;

export const MeetingQuerySchema = Type.Object({ network: NetworkCode });
export type MeetingQuery = Static<typeof MeetingQuerySchema>;

export const NewMeetingSchema = Type.Object(
  {
    network: NetworkCode,
    heldOn: Type.Optional(
      Type.String({ maxLength: 40, description: "YYYY-MM-DD; default: today's date in England (the server's clock)" }),
    ),
    period: MonthText,
    attendees: Type.Optional(Text('Who came; up to 1,000 characters')),
    notes: Type.Optional(Text('Up to 5,000 characters')),
  },
  { additionalProperties: false },
);
export type NewMeetingBody = Static<typeof NewMeetingSchema>;

export const MeetingChangeSchema = Type.Object(
  {
    heldOn: Type.Optional(DateText),
    period: Type.Optional(MonthText),
    attendees: Type.Optional(Text('Up to 1,000 characters')),
    notes: Type.Optional(Text('Up to 5,000 characters')),
  },
  { additionalProperties: false, minProperties: 1 },
);
export type MeetingChangeBody = Static<typeof MeetingChangeSchema>;

// --- actions --------------------------------------------------------------------------------------------

export const ActionSchema = Type.Object({
  id: Type.Integer(),
  network: Type.String(),
  meetingId: Nullable(Type.Integer()),
  indicator: Nullable(Type.String()),
  indicatorTitle: Nullable(Type.String()),
  practice: Nullable(Type.String()),
  practiceName: Nullable(Type.String()),
  text: Type.String(),
  owner: Type.String(),
  due: Type.String({ description: 'YYYY-MM-DD' }),
  status: ActionStatusSchema,
  overdue: Type.Boolean({ description: "Open and due before today's date in England (the server's clock)" }),
  createdBy: Type.String(),
  createdAt: Type.String(),
  updatedAt: Type.String(),
});
export type Action = Static<typeof ActionSchema>;

export const ActionListSchema = Type.Object({
  network: Type.String(),
  networkName: Type.String(),
  canWrite: Type.Boolean(),
  today: Type.String({ description: 'The date overdue was judged against (YYYY-MM-DD, England)' }),
  actions: Type.Array(ActionSchema, { description: 'Soonest due first' }),
});
export type ActionList = Static<typeof ActionListSchema>;

export const ActionQuerySchema = Type.Object({
  network: NetworkCode,
  status: Type.Optional(ActionStatusSchema),
  meeting: Type.Optional(Type.Integer({ minimum: 1, description: "Only this meeting's actions" })),
});
export type ActionQuery = Static<typeof ActionQuerySchema>;

export const NewActionSchema = Type.Object(
  {
    network: NetworkCode,
    meetingId: Type.Optional(Nullable(Type.Integer({ minimum: 1 }))),
    indicator: Type.Optional(Nullable(IndicatorCode)),
    practice: Type.Optional(Nullable(PracticeCode)),
    text: Text('1–500 characters'),
    owner: Text('Who will do it; 1–100 characters'),
    due: DateText,
    status: Type.Optional(ActionStatusSchema),
  },
  { additionalProperties: false },
);
export type NewActionBody = Static<typeof NewActionSchema>;

export const ActionChangeSchema = Type.Object(
  {
    meetingId: Type.Optional(Nullable(Type.Integer({ minimum: 1 }))),
    indicator: Type.Optional(Nullable(IndicatorCode)),
    practice: Type.Optional(Nullable(PracticeCode)),
    text: Type.Optional(Text('1–500 characters')),
    owner: Type.Optional(Text('1–100 characters')),
    due: Type.Optional(DateText),
    status: Type.Optional(ActionStatusSchema),
  },
  { additionalProperties: false, minProperties: 1 },
);
export type ActionChangeBody = Static<typeof ActionChangeSchema>;

// --- meeting mode ---------------------------------------------------------------------------------------

const DirectionSchema = Type.Union(
  [Type.Literal('improved'), Type.Literal('worsened'), Type.Literal('unchanged'), Type.Literal('not-comparable')],
  {
    description: 'Rates compared exactly; higher is better for every indicator',
  },
);
const SignalSchema = Type.Union(
  [
    Type.Literal('improvement'),
    Type.Literal('concern'),
    Type.Literal('neither'),
    Type.Literal('common-cause'),
    Type.Null(),
  ],
  {
    description: 'The SPC signal of the variation icon; null for a run chart (fewer than 13 months)',
  },
);
const StandingSchema = Type.Union([
  Type.Literal('met'),
  Type.Literal('not-met'),
  Type.Literal('incomplete'),
  Type.Literal('not-applicable'),
]);

export const FigureSchema = Type.Object({
  period: PeriodSchema,
  numerator: Type.Integer(),
  denominator: Type.Integer(),
  rate: Nullable(Type.Number()),
});

export const MovementSchema = Type.Object({
  before: Type.Union([FigureSchema, Type.Null()], {
    description: 'At the month the previous meeting reviewed; null without a figure',
  }),
  after: Type.Union([FigureSchema, Type.Null()], {
    description: 'At the month this meeting reviews; null without a figure',
  }),
  direction: DirectionSchema,
  change: Nullable(Type.Number({ description: 'after.rate − before.rate (0–1 scale)' })),
});

export const AgendaActionSchema = Type.Object({
  ...ActionSchema.properties,
  movement: Type.Union(
    [
      Type.Object({
        network: MovementSchema,
        practice: Type.Union([MovementSchema, Type.Null()], {
          description: "The action's practice's own figures, when it names one",
        }),
      }),
      Type.Null(),
    ],
    {
      description:
        "How the action's indicator moved since the previous meeting's month; null for an action with no indicator",
    },
  ),
});

export const ReadingSchema = Type.Object({
  period: PeriodSchema,
  state: StandingSchema,
  numerator: Nullable(Type.Integer()),
  denominator: Nullable(Type.Integer()),
  rate: Nullable(Type.Number()),
  targetBp: Type.Integer(),
  missingPractices: Type.Array(Type.String()),
  variation: Nullable(Type.String({ description: 'Variation icon of the SPC chart of the months up to this one' })),
  signal: SignalSchema,
});

export const IndicatorChangeSchema = Type.Object({
  code: Type.String(),
  title: Type.String(),
  domain: Type.String(),
  domainName: Type.String({ description: "The domain's name in the meeting month's contract year" }),
  changes: Type.Array(Type.Union([Type.Literal('new'), Type.Literal('standing'), Type.Literal('signal')]), {
    description:
      "'new': not in the earlier month's contract year; 'standing': met/not met/incomplete changed; 'signal': the SPC signal changed",
  }),
  before: Type.Union([ReadingSchema, Type.Null()]),
  after: ReadingSchema,
  direction: DirectionSchema,
  change: Nullable(Type.Number()),
});

export const AgendaSchema = Type.Object({
  meeting: MeetingSchema,
  previousMeeting: Type.Union([MeetingSchema, Type.Null()], {
    description: "The network's meeting held before this one",
  }),
  since: Nullable(Type.String({ description: 'The month the previous meeting reviewed (null without one)' })),
  period: PeriodSchema,
  today: Type.String({ description: 'The date overdue was judged against' }),
  canWrite: Type.Boolean(),
  previousActions: Type.Array(AgendaActionSchema, {
    description: "The previous meeting's actions, each with its status and how its indicator moved since",
  }),
  changedIndicators: Type.Array(IndicatorChangeSchema, {
    description: 'Indicators whose standing or SPC signal changed between `since` and `period`, in catalogue order',
  }),
  actions: Type.Array(ActionSchema, { description: "This meeting's actions (the closing slide)" }),
});
export type Agenda = Static<typeof AgendaSchema>;

// --- the network's standing -----------------------------------------------------------------------------

export const StandingQuerySchema = Type.Object({
  network: NetworkCode,
  period: Type.Optional(PeriodSchema),
});
export type StandingQuery = Static<typeof StandingQuerySchema>;

export const NetworkStandingSchema = Type.Object({
  network: Type.String(),
  networkName: Type.String(),
  period: PeriodSchema,
  total: Type.Integer({ description: "Indicators of the period's contract year" }),
  met: Type.Integer(),
  notMet: Type.Integer(),
  incomplete: Type.Integer(),
  notApplicable: Type.Integer(),
  improving: Type.Integer({ description: 'SPC charts (up to the period) ending on a special cause of improvement' }),
  concern: Type.Integer({ description: '… ending on a special cause of concern' }),
  text: Type.String({ description: 'In words: "14 of 22 met; 2 improving; 1 concern"' }),
  noMembersSince: NoMembersSinceSchema,
});
export type NetworkStanding = Static<typeof NetworkStandingSchema>;
