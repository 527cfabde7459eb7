/**
 * The learning-set loop's records: annotations, meetings and actions of a network (migration 0006), and the
 * facts their validation needs. Plain functions taking the database (or a transaction) first; rows are
 * mapped to records here and never leave this file.
 */
import type { Db } from '../database';
import { inForceAt } from './networks';

export interface NetworkRef {
  id: number;
  code: string;
  name: string;
}

export async function findNetworkByCode(db: Db, code: string): Promise<NetworkRef | null> {
  return (
    (await db.selectFrom('networks').select(['id', 'code', 'name']).where('code', '=', code).executeTakeFirst()) ?? null
  );
}

export async function practiceIdOf(db: Db, code: string): Promise<number | null> {
  const row = await db.selectFrom('practices').select('id').where('code', '=', code).executeTakeFirst();
  return row?.id ?? null;
}

/** The first and last period with accepted figures, or null before the first upload. */
export async function periodsWithDataSpan(db: Db): Promise<{ first: string; last: string } | null> {
  const row = await db
    .selectFrom('submission_periods')
    .select((eb) => [eb.fn.min('period').as('first'), eb.fn.max('period').as('last')])
    .executeTakeFirst();
  return row?.first && row.last ? { first: row.first, last: row.last } : null;
}

/** The contract year in force at a period and its indicator codes in catalogue order, or null. */
export async function contractYearAt(db: Db, period: string): Promise<{ code: string; indicators: string[] } | null> {
  const year = await db
    .selectFrom('contract_years')
    .select(['id', 'code'])
    .where('first_period', '<=', period)
    .where('last_period', '>=', period)
    .executeTakeFirst();
  if (!year) return null;
  const indicators = await db
    .selectFrom('indicators')
    .select('code')
    .where('contract_year_id', '=', year.id)
    .orderBy('sort_order')
    .execute();
  return { code: year.code, indicators: indicators.map((i) => i.code) };
}

/** Practice codes that were members of a network at a period. */
export async function memberCodesAt(db: Db, networkCode: string, period: string): Promise<string[]> {
  const rows = await db
    .selectFrom('memberships as m')
    .innerJoin('networks as n', 'n.id', 'm.network_id')
    .innerJoin('practices as p', 'p.id', 'm.practice_id')
    .select('p.code')
    .where('n.code', '=', networkCode)
    .where(inForceAt(period))
    .orderBy('p.code')
    .execute();
  return rows.map((r) => r.code);
}

// --- annotations ----------------------------------------------------------------------------------------

export interface AnnotationRecord {
  id: number;
  network: string;
  indicator: string;
  practice: string | null;
  practiceName: string | null;
  period: string;
  text: string;
  author: string;
  createdAt: string;
  updatedAt: string;
}

export interface AnnotationFilter {
  network: string;
  indicator?: string;
  practice?: string;
  from?: string;
  to?: string;
}

function annotations(db: Db) {
  return db
    .selectFrom('annotations as a')
    .innerJoin('networks as n', 'n.id', 'a.network_id')
    .leftJoin('practices as p', 'p.id', 'a.practice_id')
    .select([
      'a.id',
      'n.code as network',
      'a.indicator_code as indicator',
      'p.code as practice',
      'p.name as practiceName',
      'a.period',
      'a.text',
      'a.author',
      'a.created_at as createdAt',
      'a.updated_at as updatedAt',
    ]);
}

/** A network's annotations, by period then the order they were written. */
export async function listAnnotations(db: Db, f: AnnotationFilter): Promise<AnnotationRecord[]> {
  let q = annotations(db).where('n.code', '=', f.network);
  if (f.indicator) q = q.where('a.indicator_code', '=', f.indicator);
  if (f.practice) q = q.where('p.code', '=', f.practice);
  if (f.from) q = q.where('a.period', '>=', f.from);
  if (f.to) q = q.where('a.period', '<=', f.to);
  return q.orderBy('a.period').orderBy('a.id').execute();
}

export async function findAnnotation(db: Db, id: number): Promise<AnnotationRecord | null> {
  return (await annotations(db).where('a.id', '=', id).executeTakeFirst()) ?? null;
}

export interface NewAnnotation {
  networkId: number;
  indicator: string;
  practiceId: number | null;
  period: string;
  text: string;
  author: string;
  authorId: number | null;
  at: string;
}

export async function insertAnnotation(db: Db, a: NewAnnotation): Promise<number> {
  const r = await db
    .insertInto('annotations')
    .values({
      network_id: a.networkId,
      indicator_code: a.indicator,
      practice_id: a.practiceId,
      period: a.period,
      text: a.text,
      author: a.author,
      author_id: a.authorId,
      created_at: a.at,
      updated_at: a.at,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return r.id;
}

export async function updateAnnotation(
  db: Db,
  id: number,
  a: { indicator: string; practiceId: number | null; period: string; text: string; at: string },
): Promise<void> {
  await db
    .updateTable('annotations')
    .set({ indicator_code: a.indicator, practice_id: a.practiceId, period: a.period, text: a.text, updated_at: a.at })
    .where('id', '=', id)
    .execute();
}

export async function deleteAnnotation(db: Db, id: number): Promise<void> {
  await db.deleteFrom('annotations').where('id', '=', id).execute();
}

// --- meetings -------------------------------------------------------------------------------------------

export interface MeetingRecord {
  id: number;
  network: string;
  heldOn: string;
  period: string;
  attendees: string;
  notes: string;
  createdBy: string;
  createdAt: string;
  updatedAt: string;
}

function meetings(db: Db) {
  return db
    .selectFrom('meetings as m')
    .innerJoin('networks as n', 'n.id', 'm.network_id')
    .select([
      'm.id',
      'n.code as network',
      'm.held_on as heldOn',
      'm.period',
      'm.attendees',
      'm.notes',
      'm.created_by as createdBy',
      'm.created_at as createdAt',
      'm.updated_at as updatedAt',
    ]);
}

/** A network's meetings, the latest first. */
export async function listMeetings(db: Db, networkCode: string): Promise<MeetingRecord[]> {
  return meetings(db).where('n.code', '=', networkCode).orderBy('m.held_on', 'desc').orderBy('m.id', 'desc').execute();
}

export async function findMeeting(db: Db, id: number): Promise<MeetingRecord | null> {
  return (await meetings(db).where('m.id', '=', id).executeTakeFirst()) ?? null;
}

export interface NewMeeting {
  networkId: number;
  heldOn: string;
  period: string;
  attendees: string;
  notes: string;
  createdBy: string;
  at: string;
}

export async function insertMeeting(db: Db, m: NewMeeting): Promise<number> {
  const r = await db
    .insertInto('meetings')
    .values({
      network_id: m.networkId,
      held_on: m.heldOn,
      period: m.period,
      attendees: m.attendees,
      notes: m.notes,
      created_by: m.createdBy,
      created_at: m.at,
      updated_at: m.at,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return r.id;
}

export async function updateMeeting(
  db: Db,
  id: number,
  m: { heldOn: string; period: string; attendees: string; notes: string; at: string },
): Promise<void> {
  await db
    .updateTable('meetings')
    .set({ held_on: m.heldOn, period: m.period, attendees: m.attendees, notes: m.notes, updated_at: m.at })
    .where('id', '=', id)
    .execute();
}

// --- actions --------------------------------------------------------------------------------------------

export type ActionStatus = 'open' | 'done' | 'dropped';

export interface ActionRecord {
  id: number;
  network: string;
  meetingId: number | null;
  indicator: string | null;
  practice: string | null;
  practiceName: string | null;
  text: string;
  owner: string;
  due: string;
  status: ActionStatus;
  createdBy: string;
  createdAt: string;
  updatedAt: string;
}

export interface ActionFilter {
  network: string;
  status?: ActionStatus;
  meetingId?: number;
}

function actions(db: Db) {
  return db
    .selectFrom('actions as a')
    .innerJoin('networks as n', 'n.id', 'a.network_id')
    .leftJoin('practices as p', 'p.id', 'a.practice_id')
    .select([
      'a.id',
      'n.code as network',
      'a.meeting_id as meetingId',
      'a.indicator_code as indicator',
      'p.code as practice',
      'p.name as practiceName',
      'a.text',
      'a.owner',
      'a.due',
      'a.status',
      'a.created_by as createdBy',
      'a.created_at as createdAt',
      'a.updated_at as updatedAt',
    ]);
}

/** A network's actions, soonest due first. */
export async function listActions(db: Db, f: ActionFilter): Promise<ActionRecord[]> {
  let q = actions(db).where('n.code', '=', f.network);
  if (f.status) q = q.where('a.status', '=', f.status);
  if (f.meetingId !== undefined) q = q.where('a.meeting_id', '=', f.meetingId);
  return q.orderBy('a.due').orderBy('a.id').execute();
}

export async function findAction(db: Db, id: number): Promise<ActionRecord | null> {
  return (await actions(db).where('a.id', '=', id).executeTakeFirst()) ?? null;
}

export interface ActionFields {
  meetingId: number | null;
  indicator: string | null;
  practiceId: number | null;
  text: string;
  owner: string;
  due: string;
  status: ActionStatus;
}

export async function insertAction(
  db: Db,
  a: ActionFields & { networkId: number; createdBy: string; at: string; updatedAt?: string },
): Promise<number> {
  const r = await db
    .insertInto('actions')
    .values({
      network_id: a.networkId,
      meeting_id: a.meetingId,
      indicator_code: a.indicator,
      practice_id: a.practiceId,
      text: a.text,
      owner: a.owner,
      due: a.due,
      status: a.status,
      created_by: a.createdBy,
      created_at: a.at,
      updated_at: a.updatedAt ?? a.at,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return r.id;
}

export async function updateAction(db: Db, id: number, a: ActionFields & { at: string }): Promise<void> {
  await db
    .updateTable('actions')
    .set({
      meeting_id: a.meetingId,
      indicator_code: a.indicator,
      practice_id: a.practiceId,
      text: a.text,
      owner: a.owner,
      due: a.due,
      status: a.status,
      updated_at: a.at,
    })
    .where('id', '=', id)
    .execute();
}

/** Every network's open actions (network, status and due date only), for counting the overdue ones. */
export async function listOpenActionDues(db: Db): Promise<{ network: string; status: ActionStatus; due: string }[]> {
  return db
    .selectFrom('actions as a')
    .innerJoin('networks as n', 'n.id', 'a.network_id')
    .select(['n.code as network', 'a.status', 'a.due'])
    .where('a.status', '=', 'open')
    .execute();
}
