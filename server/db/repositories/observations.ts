/** Observations: the current and superseded values of each (practice, indicator, period). */
import type SQLite from 'better-sqlite3';
import { sql } from 'kysely';
import { isPostgres, sqliteOf, type Db } from '../database';
import { writeObservationsPostgres } from '../postgres/observations';
import { preparedQuery } from '../prepared';
import { inForceAt } from './networks';
import type { ObservationBatch } from '../../domain/observation-batch';
import type { MissingPractice } from '../../domain/upload-outcome';

export interface WriteResult {
  inserted: number;
  superseded: number;
  unchanged: number;
}

// The bulk write's statements, prepared once per connection (db/prepared.ts).
const practiceHasDataQuery = (db: Db, p: { practiceId: number; period: string }) =>
  db
    .selectFrom('observations')
    .select(sql<number>`1`.as('one'))
    .where('practice_id', '=', p.practiceId)
    .where('period', '=', p.period)
    .where('superseded_by', 'is', null)
    .limit(1);
const currentValueQuery = (db: Db, p: { practiceId: number; period: string; indicator: string }) =>
  db
    .selectFrom('observations')
    .select(['id', 'numerator', 'denominator', 'exceptions'])
    .where('practice_id', '=', p.practiceId)
    .where('period', '=', p.period)
    .where('indicator_code', '=', p.indicator)
    .where('superseded_by', 'is', null);
const supersedeQuery = (db: Db, p: { by: number; id: number }) =>
  db.updateTable('observations').set({ superseded_by: p.by }).where('id', '=', p.id);
/**
 * New rows go to SQLite as multi-row INSERT … VALUES statements of 500 rows each (3,500 bound values, well
 * under SQLite's limit of 32,766), compiled by Kysely once per connection and row count and run as one
 * prepared statement per 500 rows: one statement per row, or a JSON array unpacked by json_each, each cost
 * seconds more on a national file (1.7 million rows) than SQLite's own work.
 */
const ROWS_PER_INSERT = 500;
const OBSERVATION_COLUMNS = 7;
const insertStatements = new WeakMap<SQLite.Database, Map<number, SQLite.Statement>>();

function insertManyStatement(db: Db, rows: number): SQLite.Statement {
  const sqlite = sqliteOf(db);
  let byRows = insertStatements.get(sqlite);
  if (!byRows) insertStatements.set(sqlite, (byRows = new Map()));
  let statement = byRows.get(rows);
  if (!statement) {
    const row = {
      submission_id: 0,
      practice_id: 0,
      indicator_code: '',
      period: '',
      numerator: 0,
      denominator: 0,
      exceptions: 0 as number | null,
    };
    const compiled = db
      .insertInto('observations')
      .values(Array.from({ length: rows }, () => row))
      .compile();
    if (compiled.parameters.length !== rows * OBSERVATION_COLUMNS)
      throw new Error('the observations insert does not bind one value per column and row');
    statement = sqlite.prepare(compiled.sql);
    byRows.set(rows, statement);
  }
  return statement;
}

const periodHasDataQuery = (db: Db, p: { period: string }) =>
  db.selectFrom('submission_periods').select('period').where('period', '=', p.period).limit(1);
const recordPeriodQuery = (db: Db, p: { period: string; submissionId: number }) =>
  db
    .insertInto('submission_periods')
    .values({ period: p.period, submission_id: p.submissionId })
    .onConflict((oc) => oc.doNothing());

/**
 * Writes a validated batch for a submission, in the caller's transaction. A value equal to the current one
 * is left alone (re-uploading a file changes nothing); a different value supersedes the current one, which
 * stays as history. A practice with no data yet for a period skips the look-up, so a first load of a month
 * is a straight insert. SQLite: synchronous, with statements prepared once (the national upload's hot path).
 * PostgreSQL: COPY into a staging table, then set-based statements (db/postgres/observations.ts); `db` must
 * then be the write turn's transaction (db/write-turn.ts).
 */
export async function writeObservations(db: Db, submissionId: number, batch: ObservationBatch): Promise<WriteResult> {
  if (isPostgres(db)) return writeObservationsPostgres(db, submissionId, batch);
  return writeObservationsSqlite(db, submissionId, batch);
}

function writeObservationsSqlite(db: Db, submissionId: number, batch: ObservationBatch): WriteResult {
  const result: WriteResult = { inserted: 0, superseded: 0, unchanged: 0 };
  const practiceHasData = preparedQuery(db, ['practiceId', 'period'], practiceHasDataQuery);
  const current = preparedQuery(db, ['practiceId', 'period', 'indicator'], currentValueQuery);
  const supersede = preparedQuery(db, ['by', 'id'], supersedeQuery);
  const insertMany = insertManyStatement(db, ROWS_PER_INSERT);
  const periodHasData = preparedQuery(db, ['period'], periodHasDataQuery);
  const periodsWithData = new Set(batch.periods.filter((period) => periodHasData.get({ period }) !== undefined));
  const hasDataCache = new Map<number, boolean>();
  // One params object per statement, refilled for each row: a national file has 1.7 million.
  const practicePeriod = { practiceId: 0, period: '' };
  const valueKey = { practiceId: 0, period: '', indicator: '' };
  const supersedeArgs = { by: submissionId, id: 0 };
  // The values of the next INSERT, in the columns' order, row after row; refilled for each statement.
  const values: (number | string | null)[] = new Array(ROWS_PER_INSERT * OBSERVATION_COLUMNS);
  let pending = 0;
  const flush = (): void => {
    if (pending === ROWS_PER_INSERT) insertMany.run(values);
    else if (pending > 0) insertManyStatement(db, pending).run(values.slice(0, pending * OBSERVATION_COLUMNS));
    pending = 0;
  };

  const { periods, indicatorCodes } = batch;
  for (let i = 0; i < batch.length; i++) {
    // Typed arrays and the batch's own lists, indexed within their lengths.
    const slot = batch.periodSlot[i] as number;
    const practiceId = batch.practiceId[i] as number;
    const numerator = batch.numerator[i] as number;
    const denominator = batch.denominator[i] as number;
    const exc = batch.exceptions[i] as number;
    const indicatorSlot = batch.indicatorSlot[i] as number;
    const period = periods[slot] as string;
    if (periodsWithData.has(period)) {
      const key = practiceId * 4096 + slot;
      let has = hasDataCache.get(key);
      if (has === undefined) {
        practicePeriod.practiceId = practiceId;
        practicePeriod.period = period;
        has = practiceHasData.get(practicePeriod) !== undefined;
        hasDataCache.set(key, has);
      }
      if (has) {
        valueKey.practiceId = practiceId;
        valueKey.period = period;
        valueKey.indicator = indicatorCodes[indicatorSlot] as string;
        const old = current.get(valueKey);
        if (old) {
          if (
            old.numerator === numerator &&
            old.denominator === denominator &&
            old.exceptions === (exc < 0 ? null : exc)
          ) {
            result.unchanged++;
            continue;
          }
          supersedeArgs.id = old.id;
          supersede.run(supersedeArgs);
          result.superseded++;
        }
      }
    }
    let k = pending * OBSERVATION_COLUMNS;
    values[k++] = submissionId;
    values[k++] = practiceId;
    values[k++] = indicatorCodes[indicatorSlot] as string;
    values[k++] = period;
    values[k++] = numerator;
    values[k++] = denominator;
    values[k] = exc < 0 ? null : exc;
    if (++pending === ROWS_PER_INSERT) flush();
    result.inserted++;
  }
  flush();
  const recordPeriod = preparedQuery(db, ['period', 'submissionId'], recordPeriodQuery);
  for (const period of periods) recordPeriod.run({ period, submissionId });
  return result;
}

export type { MissingPractice };

/**
 * Member practices with no current observation at all for a period, for the given networks (all networks
 * when none are given).
 */
export async function listMissingPractices(
  db: Db,
  periods: string[],
  networkCodes?: string[],
): Promise<MissingPractice[]> {
  if (periods.length === 0 || (networkCodes && networkCodes.length === 0)) return [];
  const out: MissingPractice[] = [];
  for (const period of periods) {
    let q = db
      .selectFrom('memberships as m')
      .innerJoin('practices as p', 'p.id', 'm.practice_id')
      .innerJoin('networks as n', 'n.id', 'm.network_id')
      .select(['n.code as network', 'p.code as practiceCode', 'p.name as practiceName'])
      .where(inForceAt(period))
      .where((eb) =>
        eb.not(
          eb.exists(
            eb
              .selectFrom('observations as o')
              .select('o.id')
              .whereRef('o.practice_id', '=', 'p.id')
              .where('o.period', '=', period)
              .where('o.superseded_by', 'is', null),
          ),
        ),
      )
      .orderBy('n.code')
      .orderBy('p.code');
    if (networkCodes) q = q.where('n.code', 'in', networkCodes);
    for (const r of await q.execute()) out.push({ period, ...r });
  }
  return out;
}

/** Networks that any practice in the list belongs to at any of the periods. */
export async function networksOfPractices(db: Db, practiceIds: number[], periods: string[]): Promise<string[]> {
  if (practiceIds.length === 0 || periods.length === 0) return [];
  const sorted = [...periods].sort();
  const [first, last] = [sorted[0], sorted[sorted.length - 1]] as [string, string]; // periods is not empty
  const rows = await db
    .selectFrom('memberships as m')
    .innerJoin('networks as n', 'n.id', 'm.network_id')
    .select('n.code')
    .distinct()
    .where('m.practice_id', 'in', practiceIds)
    .where('m.from_period', '<=', last)
    .where((eb) => eb.or([eb('m.to_period', 'is', null), eb('m.to_period', '>=', first)]))
    .execute();
  return rows.map((r) => r.code);
}

export async function latestPeriodWithData(db: Db): Promise<string | null> {
  const row = await db
    .selectFrom('submission_periods')
    .select((eb) => eb.fn.max('period').as('period'))
    .executeTakeFirst();
  return row?.period ?? null;
}

/** Every current value of one practice, by period. */
export async function listPracticeValues(
  db: Db,
  practiceCode: string,
): Promise<{ code: string; period: string; numerator: number; denominator: number }[]> {
  return db
    .selectFrom('observations as o')
    .innerJoin('practices as p', 'p.id', 'o.practice_id')
    .select(['o.indicator_code as code', 'o.period', 'o.numerator', 'o.denominator'])
    .where('p.code', '=', practiceCode)
    .where('o.superseded_by', 'is', null)
    .orderBy('o.period')
    .execute();
}
