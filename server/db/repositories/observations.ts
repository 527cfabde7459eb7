/** Observations: the current and superseded values of each (practice, indicator, period). */
import type SQLite from 'better-sqlite3';
import type { Db } from '../database';
import type { ObservationBatch } from '../../domain/observation-batch';
import type { MissingPractice } from '../../domain/upload-outcome';

export interface WriteResult {
  inserted: number;
  superseded: number;
  unchanged: number;
}

/**
 * Writes a validated batch for a submission, in the caller's transaction. A value equal to the current one
 * is left alone (re-uploading a file changes nothing); a different value supersedes the current one, which
 * stays as history. A practice with no data yet for a period skips the look-up, so a first load of a month
 * is a straight insert.
 *
 * New rows go to SQLite as JSON arrays of a few thousand rows, unpacked by json_each in one statement: one
 * statement call per row would cost more than SQLite's own work on a national file.
 */
export function writeObservations(sqlite: SQLite.Database, submissionId: number, batch: ObservationBatch): WriteResult {
  const result: WriteResult = { inserted: 0, superseded: 0, unchanged: 0 };
  const practiceHasData = sqlite.prepare<[number, string], { one: number }>(
    'SELECT 1 AS one FROM observations WHERE practice_id = ? AND period = ? AND superseded_by IS NULL LIMIT 1',
  );
  const current = sqlite.prepare<[number, string, string], { id: number; numerator: number; denominator: number; exceptions: number | null }>(
    'SELECT id, numerator, denominator, exceptions FROM observations WHERE practice_id = ? AND period = ? AND indicator_code = ? AND superseded_by IS NULL',
  );
  const supersede = sqlite.prepare('UPDATE observations SET superseded_by = ? WHERE id = ?');
  const insertJson = sqlite.prepare(
    `INSERT INTO observations (submission_id, practice_id, indicator_code, period, numerator, denominator, exceptions)
     SELECT ?, value ->> 0, value ->> 1, value ->> 2, value ->> 3, value ->> 4, value ->> 5 FROM json_each(?)`,
  );
  const periodsWithData = new Set(
    batch.periods.filter((p) => sqlite.prepare('SELECT 1 FROM submission_periods WHERE period = ? LIMIT 1').get(p) !== undefined),
  );
  const hasDataCache = new Map<number, boolean>();
  let pending: string[] = [];
  const flush = (): void => {
    if (pending.length) insertJson.run(submissionId, `[${pending.join(',')}]`);
    pending = [];
  };

  const { periods, indicatorCodes } = batch;
  const periodJson = periods.map((p) => JSON.stringify(p));
  const codeJson = indicatorCodes.map((c) => JSON.stringify(c));
  for (let i = 0; i < batch.length; i++) {
    const slot = batch.periodSlot[i]!;
    const practiceId = batch.practiceId[i]!;
    const numerator = batch.numerator[i]!;
    const denominator = batch.denominator[i]!;
    const exc = batch.exceptions[i]!;
    if (periodsWithData.has(periods[slot]!)) {
      const key = practiceId * 4096 + slot;
      let has = hasDataCache.get(key);
      if (has === undefined) {
        has = practiceHasData.get(practiceId, periods[slot]!) !== undefined;
        hasDataCache.set(key, has);
      }
      if (has) {
        const old = current.get(practiceId, periods[slot]!, indicatorCodes[batch.indicatorSlot[i]!]!);
        if (old) {
          if (old.numerator === numerator && old.denominator === denominator && old.exceptions === (exc < 0 ? null : exc)) {
            result.unchanged++;
            continue;
          }
          supersede.run(submissionId, old.id);
          result.superseded++;
        }
      }
    }
    pending.push(`[${practiceId},${codeJson[batch.indicatorSlot[i]!]},${periodJson[slot]},${numerator},${denominator},${exc < 0 ? 'null' : exc}]`);
    if (pending.length === 5000) flush();
    result.inserted++;
  }
  flush();
  const period = sqlite.prepare('INSERT OR IGNORE INTO submission_periods (period, submission_id) VALUES (?, ?)');
  for (const p of periods) period.run(p, submissionId);
  return result;
}

export type { MissingPractice };

/**
 * Member practices with no current observation at all for a period, for the given networks (all networks
 * when none are given).
 */
export async function listMissingPractices(db: Db, periods: string[], networkCodes?: string[]): Promise<MissingPractice[]> {
  if (periods.length === 0 || (networkCodes && networkCodes.length === 0)) return [];
  const out: MissingPractice[] = [];
  for (const period of periods) {
    let q = db
      .selectFrom('memberships as m')
      .innerJoin('practices as p', 'p.id', 'm.practice_id')
      .innerJoin('networks as n', 'n.id', 'm.network_id')
      .select(['n.code as network', 'p.code as practiceCode', 'p.name as practiceName'])
      .where('m.from_period', '<=', period)
      .where((eb) => eb.or([eb('m.to_period', 'is', null), eb('m.to_period', '>=', period)]))
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
  const first = [...periods].sort()[0]!;
  const last = [...periods].sort().at(-1)!;
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
  const row = await db.selectFrom('submission_periods').select((eb) => eb.fn.max('period').as('period')).executeTakeFirst();
  return row?.period ?? null;
}
