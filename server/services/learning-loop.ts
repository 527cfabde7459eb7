/**
 * The learning-set loop (SPEC section 12) as use cases: list, create and change a network's annotations,
 * meetings and actions; the meeting-mode agenda; the overview's overdue-action counts; the demo's items.
 * Loads through repositories, decides with server/domain/learning-loop.ts, writes each change together with
 * its audit entry in one transaction, and returns schema-shaped data. No HTTP and no SQL here.
 */
import type { Db } from '../db/database';
import { appendAudit } from '../db/repositories/audit';
import {
  contractYearAt,
  deleteAnnotation as removeAnnotation,
  findAction,
  findAnnotation,
  findMeeting,
  findNetworkByCode,
  insertAction,
  insertAnnotation,
  insertMeeting,
  listActions as loadActions,
  listAnnotations as loadAnnotations,
  listMeetings as loadMeetings,
  listOpenActionDues,
  memberCodesAt,
  periodsWithDataSpan,
  practiceIdOf,
  updateAction as writeAction,
  updateAnnotation as writeAnnotation,
  updateMeeting as writeMeeting,
  type ActionRecord,
  type AnnotationRecord,
  type MeetingRecord,
  type NetworkRef,
} from '../db/repositories/learning-loop';
import { latestPeriodWithData } from '../db/repositories/observations';
import {
  listPeriodsWithData,
  loadAllIndicatorRules,
  loadNetworkHistory,
  type YearIndicatorRule,
} from '../db/repositories/statements';
import type { SessionUser } from '../db/repositories/users';
import type { AuditAction } from '../domain/audit-actions';
import type { Actor, Deps } from './context';
import { learningLoopAccess, mayReadLoop, mayWriteLoop } from '../domain/access';
import {
  dateInEngland,
  indicatorChanges,
  isOverdue,
  movement,
  networkStanding,
  previousMeeting,
  readingAt,
  validateAction,
  validateAnnotation,
  validateMeeting,
  type FieldError,
  type IndicatorReading,
  type PeriodFacts,
} from '../domain/learning-loop';
import { noMembersSince } from '../domain/no-members';
import { isPeriod, periodFrequency } from '../domain/periods';
import { badRequest, forbidden, notFound } from '../domain/errors';
import { ruleLookup } from '../domain/rules-in-force';
import type {
  Action,
  ActionChangeBody,
  ActionList,
  Agenda,
  Annotation,
  AnnotationChangeBody,
  AnnotationList,
  Meeting,
  MeetingChangeBody,
  NetworkStanding,
  MeetingList,
  NewActionBody,
  NewAnnotationBody,
  NewMeetingBody,
} from '../schemas/learning-loop';

type LoopDeps = Deps;

type Noun = 'annotation' | 'meeting' | 'action';

// --- access, validation and lookups ---------------------------------------------------------------------

const OWN_ONLY = (user: SessionUser) =>
  `A ${user.role === 'gp' ? 'GP' : 'network manager'} sees and changes the learning-set items of their own network (${user.networkCode}) only.`;
const READ_ONLY =
  'Commissioners read every network’s annotations, meetings and actions but do not change them; ask the network’s manager.';

/** The network of a list or a new item, if the user may read (or write) its items. */
async function networkFor(
  deps: LoopDeps,
  user: SessionUser,
  code: string,
  operation: 'read' | 'write',
  asField: boolean,
): Promise<NetworkRef> {
  const network = await findNetworkByCode(deps.db, code);
  if (!network) {
    if (asField)
      throw invalid([{ field: 'network', message: `network ${code} does not exist; GET /api/networks lists them.` }]);
    throw notFound(`There is no network ${code}; GET /api/networks lists them.`);
  }
  const decision = learningLoopAccess(user, network.code, operation, 'network');
  if (decision !== 'allowed') throw forbidden(user.role === 'commissioner' ? READ_ONLY : OWN_ONLY(user));
  return network;
}

/** An item the user may read (or write); another network's item is "not found" for a GP or manager. */
function itemFor<T extends { network: string }>(
  item: T | null,
  user: SessionUser,
  operation: 'read' | 'write',
  noun: Noun,
  id: number,
): T {
  const missing = () => notFound(`There is no ${noun} ${id}.`);
  if (!item) throw missing();
  const decision = learningLoopAccess(user, item.network, operation, 'item');
  if (decision === 'not-found') throw missing();
  if (decision === 'forbidden') throw forbidden(READ_ONLY);
  return item;
}

/** An item just written, read back (it is there: the write committed). */
function stored<T>(item: T | null, id: number): T {
  if (item === null) throw new Error(`item ${id} was not found just after it was written`);
  return item;
}

function invalid(errors: FieldError[]) {
  return badRequest(errors.map((e) => e.message).join(' '), errors);
}

/** A code as typed: trimmed and upper-cased; empty means none. */
function code(value: string | null | undefined): string | null {
  if (value === null || value === undefined) return null;
  const c = value.trim().toUpperCase();
  return c === '' ? null : c;
}

async function periodFacts(db: Db, network: string, period: string | null): Promise<PeriodFacts> {
  const dataSpan = await periodsWithDataSpan(db);
  if (period === null || !isPeriod(period)) return { dataSpan, year: null, members: [] };
  const [year, members] = await Promise.all([contractYearAt(db, period), memberCodesAt(db, network, period)]);
  return { dataSpan, year, members };
}

async function practiceId(db: Db, practice: string | null): Promise<number | null> {
  return practice === null ? null : practiceIdOf(db, practice);
}

interface Titles {
  rules: YearIndicatorRule[];
  at(code: string, period: string): YearIndicatorRule | null;
  title(code: string, period?: string | null): string;
}

/** Indicator titles: as a given month's contract year names it, else as the latest year that has it. */
async function indicatorTitles(db: Db): Promise<Titles> {
  const rules = await loadAllIndicatorRules(db);
  const at = ruleLookup(rules);
  const latest = (c: string) => rules.findLast((r) => r.code === c)?.title ?? c;
  return { rules, at, title: (c, period) => (period ? at(c, period)?.title : undefined) ?? latest(c) };
}

/** Fields whose values differ, before and after, for the audit log. */
function changed<T extends object>(before: T, after: T): { before: Partial<T>; after: Partial<T> } | null {
  const keys = (Object.keys(after) as (keyof T)[]).filter((k) => before[k] !== after[k]);
  if (keys.length === 0) return null;
  return {
    before: Object.fromEntries(keys.map((k) => [k, before[k]])) as Partial<T>,
    after: Object.fromEntries(keys.map((k) => [k, after[k]])) as Partial<T>,
  };
}

async function audited<T>(
  deps: LoopDeps,
  actor: Actor,
  at: string,
  write: (db: Db) => Promise<T>,
  entry: (result: T) => { action: AuditAction; detail: Record<string, unknown> },
): Promise<T> {
  return deps.db.transaction().execute(async (trx) => {
    const result = await write(trx);
    const e = entry(result);
    await appendAudit(trx, {
      at,
      userId: actor.user.id,
      username: actor.user.username,
      action: e.action,
      ip: actor.ip,
      detail: e.detail,
    });
    return result;
  });
}

// --- annotations ----------------------------------------------------------------------------------------

function toAnnotation(r: AnnotationRecord, titles: Titles): Annotation {
  return { ...r, indicatorTitle: titles.title(r.indicator, r.period) };
}

export async function listAnnotations(
  deps: LoopDeps,
  user: SessionUser,
  q: { network: string; indicator?: string; practice?: string; from?: string; to?: string },
): Promise<AnnotationList> {
  const network = await networkFor(deps, user, q.network, 'read', false);
  const rows = await loadAnnotations(deps.db, {
    network: network.code,
    indicator: code(q.indicator) ?? undefined,
    practice: code(q.practice) ?? undefined,
    from: q.from,
    to: q.to,
  });
  const titles = await indicatorTitles(deps.db);
  return {
    network: network.code,
    networkName: network.name,
    canWrite: mayWriteLoop(user, network.code),
    annotations: rows.map((r) => toAnnotation(r, titles)),
  };
}

export async function createAnnotation(deps: LoopDeps, actor: Actor, body: NewAnnotationBody): Promise<Annotation> {
  const network = await networkFor(deps, actor.user, body.network, 'write', true);
  const draft = {
    indicator: code(body.indicator) ?? '',
    practice: code(body.practice),
    period: body.period.trim(),
    text: body.text.trim(),
  };
  const errors = validateAnnotation(draft, network.code, await periodFacts(deps.db, network.code, draft.period));
  if (errors.length) throw invalid(errors);
  const at = deps.now().toISOString();
  const pid = await practiceId(deps.db, draft.practice);
  const id = await audited(
    deps,
    actor,
    at,
    (db) =>
      insertAnnotation(db, {
        networkId: network.id,
        indicator: draft.indicator,
        practiceId: pid,
        period: draft.period,
        text: draft.text,
        author: actor.user.username,
        authorId: actor.user.id,
        at,
      }),
    (id) => ({ action: 'annotation-created', detail: { id, network: network.code, ...draft } }),
  );
  return toAnnotation(stored(await findAnnotation(deps.db, id), id), await indicatorTitles(deps.db));
}

export async function updateAnnotation(
  deps: LoopDeps,
  actor: Actor,
  id: number,
  body: AnnotationChangeBody,
): Promise<Annotation> {
  const existing = itemFor(await findAnnotation(deps.db, id), actor.user, 'write', 'annotation', id);
  const before = {
    indicator: existing.indicator,
    practice: existing.practice,
    period: existing.period,
    text: existing.text,
  };
  const after = {
    indicator: body.indicator !== undefined ? (code(body.indicator) ?? '') : before.indicator,
    practice: body.practice !== undefined ? code(body.practice) : before.practice,
    period: body.period !== undefined ? body.period.trim() : before.period,
    text: body.text !== undefined ? body.text.trim() : before.text,
  };
  const errors = validateAnnotation(
    after,
    existing.network,
    await periodFacts(deps.db, existing.network, after.period),
  );
  if (errors.length) throw invalid(errors);
  const diff = changed(before, after);
  if (diff) {
    const at = deps.now().toISOString();
    const pid = await practiceId(deps.db, after.practice);
    await audited(
      deps,
      actor,
      at,
      (db) => writeAnnotation(db, id, { ...after, practiceId: pid, at }),
      () => ({ action: 'annotation-updated', detail: { id, network: existing.network, ...diff } }),
    );
  }
  return toAnnotation(stored(await findAnnotation(deps.db, id), id), await indicatorTitles(deps.db));
}

export async function deleteAnnotation(deps: LoopDeps, actor: Actor, id: number): Promise<void> {
  const existing = itemFor(await findAnnotation(deps.db, id), actor.user, 'write', 'annotation', id);
  const { practiceName: _name, ...record } = existing;
  await audited(
    deps,
    actor,
    deps.now().toISOString(),
    (db) => removeAnnotation(db, id),
    () => ({ action: 'annotation-deleted', detail: record }),
  );
}

// --- meetings -------------------------------------------------------------------------------------------

export async function listMeetings(deps: LoopDeps, user: SessionUser, networkCode: string): Promise<MeetingList> {
  const network = await networkFor(deps, user, networkCode, 'read', false);
  return {
    network: network.code,
    networkName: network.name,
    canWrite: mayWriteLoop(user, network.code),
    meetings: await loadMeetings(deps.db, network.code),
  };
}

export async function getMeeting(deps: LoopDeps, user: SessionUser, id: number): Promise<Meeting> {
  return itemFor(await findMeeting(deps.db, id), user, 'read', 'meeting', id);
}

export async function createMeeting(deps: LoopDeps, actor: Actor, body: NewMeetingBody): Promise<Meeting> {
  const network = await networkFor(deps, actor.user, body.network, 'write', true);
  const draft = {
    heldOn: body.heldOn?.trim() ?? dateInEngland(deps.now()),
    period: body.period.trim(),
    attendees: (body.attendees ?? '').trim(),
    notes: (body.notes ?? '').trim(),
  };
  const errors = validateMeeting(draft, { dataSpan: await periodsWithDataSpan(deps.db) });
  if (errors.length) throw invalid(errors);
  const at = deps.now().toISOString();
  const id = await audited(
    deps,
    actor,
    at,
    (db) => insertMeeting(db, { networkId: network.id, ...draft, createdBy: actor.user.username, at }),
    (id) => ({ action: 'meeting-created', detail: { id, network: network.code, ...draft } }),
  );
  return stored(await findMeeting(deps.db, id), id);
}

export async function updateMeeting(
  deps: LoopDeps,
  actor: Actor,
  id: number,
  body: MeetingChangeBody,
): Promise<Meeting> {
  const existing = itemFor(await findMeeting(deps.db, id), actor.user, 'write', 'meeting', id);
  const before = {
    heldOn: existing.heldOn,
    period: existing.period,
    attendees: existing.attendees,
    notes: existing.notes,
  };
  const after = {
    heldOn: body.heldOn?.trim() ?? before.heldOn,
    period: body.period?.trim() ?? before.period,
    attendees: body.attendees?.trim() ?? before.attendees,
    notes: body.notes?.trim() ?? before.notes,
  };
  const errors = validateMeeting(after, { dataSpan: await periodsWithDataSpan(deps.db) });
  if (errors.length) throw invalid(errors);
  const diff = changed(before, after);
  if (diff) {
    const at = deps.now().toISOString();
    await audited(
      deps,
      actor,
      at,
      (db) => writeMeeting(db, id, { ...after, at }),
      () => ({ action: 'meeting-updated', detail: { id, network: existing.network, ...diff } }),
    );
  }
  return stored(await findMeeting(deps.db, id), id);
}

// --- actions --------------------------------------------------------------------------------------------

function toAction(r: ActionRecord, today: string, titles: Titles): Action {
  return {
    ...r,
    indicatorTitle: r.indicator === null ? null : titles.title(r.indicator),
    overdue: isOverdue(r, today),
  };
}

export async function listActions(
  deps: LoopDeps,
  user: SessionUser,
  q: { network: string; status?: ActionRecord['status']; meeting?: number },
): Promise<ActionList> {
  const network = await networkFor(deps, user, q.network, 'read', false);
  const today = dateInEngland(deps.now());
  const rows = await loadActions(deps.db, { network: network.code, status: q.status, meetingId: q.meeting });
  const titles = await indicatorTitles(deps.db);
  return {
    network: network.code,
    networkName: network.name,
    canWrite: mayWriteLoop(user, network.code),
    today,
    actions: rows.map((r) => toAction(r, today, titles)),
  };
}

/** The meeting an action is recorded at, which must be one of the network's. */
async function meetingOf(db: Db, network: string, meetingId: number | null): Promise<MeetingRecord | null> {
  if (meetingId === null) return null;
  const meeting = await findMeeting(db, meetingId);
  if (!meeting || meeting.network !== network)
    throw invalid([
      {
        field: 'meetingId',
        message: `meetingId ${meetingId} is not a meeting of ${network}; GET /api/meetings?network=${network} lists them.`,
      },
    ]);
  return meeting;
}

/** The month an action's indicator and practice are checked at: its meeting's, or the latest with figures. */
async function referencePeriod(db: Db, meeting: MeetingRecord | null): Promise<string | null> {
  return meeting?.period ?? (await latestPeriodWithData(db));
}

export async function createAction(deps: LoopDeps, actor: Actor, body: NewActionBody): Promise<Action> {
  const network = await networkFor(deps, actor.user, body.network, 'write', true);
  const meeting = await meetingOf(deps.db, network.code, body.meetingId ?? null);
  const draft = {
    indicator: code(body.indicator),
    practice: code(body.practice),
    text: body.text.trim(),
    owner: body.owner.trim(),
    due: body.due.trim(),
  };
  const period = await referencePeriod(deps.db, meeting);
  const errors = validateAction(draft, network.code, period, await periodFacts(deps.db, network.code, period));
  if (errors.length) throw invalid(errors);
  const at = deps.now().toISOString();
  const fields = {
    meetingId: meeting?.id ?? null,
    ...draft,
    practiceId: await practiceId(deps.db, draft.practice),
    status: body.status ?? 'open',
  };
  const id = await audited(
    deps,
    actor,
    at,
    (db) => insertAction(db, { networkId: network.id, ...fields, createdBy: actor.user.username, at }),
    (id) => ({
      action: 'action-created',
      detail: { id, network: network.code, meetingId: fields.meetingId, ...draft, status: fields.status },
    }),
  );
  return toAction(stored(await findAction(deps.db, id), id), dateInEngland(deps.now()), await indicatorTitles(deps.db));
}

export async function updateAction(deps: LoopDeps, actor: Actor, id: number, body: ActionChangeBody): Promise<Action> {
  const existing = itemFor(await findAction(deps.db, id), actor.user, 'write', 'action', id);
  const before = {
    meetingId: existing.meetingId,
    indicator: existing.indicator,
    practice: existing.practice,
    text: existing.text,
    owner: existing.owner,
    due: existing.due,
    status: existing.status,
  };
  const after = {
    meetingId: body.meetingId !== undefined ? body.meetingId : before.meetingId,
    indicator: body.indicator !== undefined ? code(body.indicator) : before.indicator,
    practice: body.practice !== undefined ? code(body.practice) : before.practice,
    text: body.text?.trim() ?? before.text,
    owner: body.owner?.trim() ?? before.owner,
    due: body.due?.trim() ?? before.due,
    status: body.status ?? before.status,
  };
  const references =
    after.meetingId !== before.meetingId || after.indicator !== before.indicator || after.practice !== before.practice;
  const meeting = references ? await meetingOf(deps.db, existing.network, after.meetingId) : null;
  const period = references ? await referencePeriod(deps.db, meeting) : null;
  const facts = references
    ? await periodFacts(deps.db, existing.network, period)
    : { dataSpan: null, year: null, members: [] };
  const errors = validateAction(after, existing.network, period, facts, { checkReferences: references });
  if (errors.length) throw invalid(errors);
  const diff = changed(before, after);
  if (diff) {
    const at = deps.now().toISOString();
    const pid = await practiceId(deps.db, after.practice);
    await audited(
      deps,
      actor,
      at,
      (db) => writeAction(db, id, { ...after, practiceId: pid, at }),
      () => ({ action: 'action-updated', detail: { id, network: existing.network, ...diff } }),
    );
  }
  return toAction(stored(await findAction(deps.db, id), id), dateInEngland(deps.now()), await indicatorTitles(deps.db));
}

/**
 * Overdue actions per network, for the overview: a count for each network whose items the user may read
 * (every network for commissioners and admins; their own for GPs and managers), null for the others.
 */
export async function overdueActionCounts(
  deps: LoopDeps,
  user: SessionUser,
): Promise<(network: string) => number | null> {
  const today = dateInEngland(deps.now());
  const counts = new Map<string, number>();
  for (const a of await listOpenActionDues(deps.db))
    if (isOverdue(a, today)) counts.set(a.network, (counts.get(a.network) ?? 0) + 1);
  return (network) => (mayReadLoop(user, network) ? (counts.get(network) ?? 0) : null);
}

// --- meeting mode ---------------------------------------------------------------------------------------

const figure = (r: IndicatorReading | null) =>
  r && r.numerator !== null && r.denominator !== null
    ? { period: r.period, numerator: r.numerator, denominator: r.denominator, rate: r.rate }
    : null;

/**
 * What meeting mode shows for a meeting: it opens with the actions of the network's previous meeting (each
 * with its status and how its indicator moved from the month that meeting reviewed to the month this one
 * reviews) and the indicators whose standing or SPC signal changed between those months; it closes with the
 * actions recorded at this meeting. With no previous meeting there is nothing to carry over.
 */
export async function meetingAgenda(deps: LoopDeps, user: SessionUser, id: number): Promise<Agenda> {
  const meeting = itemFor(await findMeeting(deps.db, id), user, 'read', 'meeting', id);
  const previous = previousMeeting(await loadMeetings(deps.db, meeting.network), meeting);
  const today = dateInEngland(deps.now());
  const titles = await indicatorTitles(deps.db);
  const [own, carried] = await Promise.all([
    loadActions(deps.db, { network: meeting.network, meetingId: meeting.id }),
    previous ? loadActions(deps.db, { network: meeting.network, meetingId: previous.id }) : Promise.resolve([]),
  ]);
  const base = {
    meeting,
    previousMeeting: previous,
    since: previous?.period ?? null,
    period: meeting.period,
    today,
    canWrite: mayWriteLoop(user, meeting.network),
    actions: own.map((a) => toAction(a, today, titles)),
  };
  if (!previous) return { ...base, previousActions: [], changedIndicators: [] };

  const inYear = titles.rules.filter((r) => r.firstPeriod <= meeting.period && meeting.period <= r.lastPeriod);
  const codes = [
    ...new Set([...inYear.map((r) => r.code), ...carried.flatMap((a) => (a.indicator ? [a.indicator] : []))]),
  ];
  const periods = await listPeriodsWithData(deps.db);
  const history = await loadNetworkHistory(deps.db, meeting.network, codes);
  const readings = new Map<string, IndicatorReading | null>();
  const reading = (c: string, period: string) => {
    const key = `${c}|${period}`;
    let r = readings.get(key);
    if (r === undefined)
      readings.set(key, (r = readingAt(c, period, periods, history.spans, history.values, (p) => titles.at(c, p))));
    return r;
  };
  const practiceFigure = (practice: string, c: string, period: string) => {
    const v = history.values.find((x) => x.practiceCode === practice && x.indicatorCode === c && x.period === period);
    return v
      ? {
          period,
          numerator: v.numerator,
          denominator: v.denominator,
          rate: v.denominator > 0 ? v.numerator / v.denominator : null,
        }
      : null;
  };
  const move = (before: ReturnType<typeof figure>, after: ReturnType<typeof figure>) => ({
    before,
    after,
    ...movement(before, after),
  });

  const changedIndicators = inYear.flatMap((rule) => {
    const before = reading(rule.code, previous.period);
    const after = reading(rule.code, meeting.period);
    if (!after) return []; // no figure for the month the meeting reviewed: nothing to compare
    const changes = indicatorChanges(before, after);
    if (changes.length === 0) return [];
    return [
      {
        code: rule.code,
        title: rule.title,
        domain: rule.domain,
        domainName: rule.domainName,
        changes,
        before,
        after,
        ...movement(figure(before), figure(after)),
      },
    ];
  });
  const previousActions = carried.map((a) => ({
    ...toAction(a, today, titles),
    movement: a.indicator
      ? {
          network: move(figure(reading(a.indicator, previous.period)), figure(reading(a.indicator, meeting.period))),
          practice: a.practice
            ? move(
                practiceFigure(a.practice, a.indicator, previous.period),
                practiceFigure(a.practice, a.indicator, meeting.period),
              )
            : null,
        }
      : null,
  }));
  return { ...base, previousActions, changedIndicators };
}

/**
 * A network's standing at a period (default: the latest with figures) for meeting mode's opening slide:
 * how many of the year's indicators are met and how many SPC charts end on improvement or concern, as the
 * charts drew them up to that month. Network-level counts only, which every signed-in user may see.
 */
export async function standingFor(deps: LoopDeps, networkCode: string, periodAsked?: string): Promise<NetworkStanding> {
  const network = await findNetworkByCode(deps.db, networkCode);
  if (!network) throw notFound(`There is no network ${networkCode}; GET /api/networks lists them.`);
  const period = periodAsked ?? (await latestPeriodWithData(deps.db));
  if (!period) throw notFound('No figures have been uploaded yet, so there is no standing to show.');
  const titles = await indicatorTitles(deps.db);
  const inYear = titles.rules.filter((r) => r.firstPeriod <= period && period <= r.lastPeriod);
  if (inYear.length === 0) throw notFound(`No contract year covers ${period}; choose a month inside one.`);
  const periods = await listPeriodsWithData(deps.db);
  const history = await loadNetworkHistory(
    deps.db,
    network.code,
    inYear.map((r) => r.code),
  );
  // A network with no members at the period (dissolved) has nothing to stand on: every indicator is not applicable.
  const since = noMembersSince(history.spans, period, periodFrequency(periods));
  if (since !== null) {
    const none = inYear.map(() => ({ state: 'not-applicable' as const, signal: null }));
    return {
      network: network.code,
      networkName: network.name,
      period,
      ...networkStanding(none),
      text: `No members since ${since}`,
      noMembersSince: since,
    };
  }
  const readings = inYear.flatMap((rule) => {
    const r = readingAt(rule.code, period, periods, history.spans, history.values, (p) => titles.at(rule.code, p));
    return r ? [r] : [];
  });
  return {
    network: network.code,
    networkName: network.name,
    period,
    ...networkStanding(readings),
    noMembersSince: null,
  };
}

// --- demo -----------------------------------------------------------------------------------------------

export interface LearningLoopSeed {
  annotations: {
    network: string;
    indicator: string;
    practice: string | null;
    period: string;
    text: string;
    author: string;
    createdAt: string;
  }[];
  meetings: {
    network: string;
    heldOn: string;
    period: string;
    attendees: string;
    notes: string;
    createdBy: string;
    createdAt: string;
    actions: {
      indicator: string | null;
      practice: string | null;
      text: string;
      owner: string;
      due: string;
      status: ActionRecord['status'];
      createdAt: string;
      updatedAt: string;
    }[];
  }[];
}

/**
 * Writes the demo's annotations, meetings and actions (fixtures/demo/learning-loop.json), each checked by the
 * same rules as the API's; like the demo's uploads, seeding is not an audited change.
 */
export async function seedLearningLoop(db: Db, seed: LearningLoopSeed): Promise<void> {
  const fail = (what: string, errors: FieldError[]) => {
    if (errors.length) throw new Error(`demo ${what} is not valid: ${errors.map((e) => e.message).join(' ')}`);
  };
  const network = async (c: string) => {
    const n = await findNetworkByCode(db, c);
    if (!n) throw new Error(`demo learning-loop items name network ${c}, which does not exist`);
    return n;
  };
  for (const a of seed.annotations) {
    const n = await network(a.network);
    fail('annotation', validateAnnotation(a, n.code, await periodFacts(db, n.code, a.period)));
    await insertAnnotation(db, {
      networkId: n.id,
      indicator: a.indicator,
      practiceId: await practiceId(db, a.practice),
      period: a.period,
      text: a.text,
      author: a.author,
      authorId: null,
      at: a.createdAt,
    });
  }
  for (const m of seed.meetings) {
    const n = await network(m.network);
    fail('meeting', validateMeeting(m, { dataSpan: await periodsWithDataSpan(db) }));
    const meetingId = await insertMeeting(db, {
      networkId: n.id,
      heldOn: m.heldOn,
      period: m.period,
      attendees: m.attendees,
      notes: m.notes,
      createdBy: m.createdBy,
      at: m.createdAt,
    });
    const facts = await periodFacts(db, n.code, m.period);
    for (const a of m.actions) {
      fail('action', validateAction(a, n.code, m.period, facts));
      await insertAction(db, {
        networkId: n.id,
        meetingId,
        ...a,
        practiceId: await practiceId(db, a.practice),
        createdBy: m.createdBy,
        at: a.createdAt,
        updatedAt: a.updatedAt,
      });
    }
  }
}
