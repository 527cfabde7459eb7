/** Observations: the current and superseded values of each (practice, indicator, period). */
import type SQLite from 'better-sqlite3';
import type { Db } from '../database';
import type { ObservationBatch } from '../../domain/observation-batch';

export interface WriteResult {
  inserted: number;
  superseded: number;
  unchanged: number;
}

/**
 * Writes a validated batch for a submission, in the caller's transaction. A value equal to the current one
 * is left alone (re-uploading a file changes nothing); a different value supersedes the current one, which
 * stays as history. Periods with no current data at all skip the look-up, so a first load of a month is a
 * straight insert.
 */
export function writeObservations(sqlite: SQLite.Database, submissionId: number, batch: ObservationBatch): WriteResult {
  const result: WriteResult = { inserted: 0, superseded: 0, unchanged: 0 };
  const hasData = sqlite.prepare<[string], { one: number }>('SELECT 1 AS one FROM observations WHERE period = ? AND superseded_by IS NULL LIMIT 1');
  const current = sqlite.prepare<[number, string, string], { id: number; numerator: number; denominator: number; exceptions: number | null }>(
    'SELECT id, numerator, denominator, exceptions FROM observations WHERE practice_id = ? AND indicator_code = ? AND period = ? AND superseded_by IS NULL',
  );
  const supersede = sqlite.prepare('UPDATE observations SET superseded_by = ? WHERE id = ?');
  const insert = sqlite.prepare(
    'INSERT INTO observations (submission_id, practice_id, indicator_code, period, numerator, denominator, exceptions) VALUES (?, ?, ?, ?, ?, ?, ?)',
  );
  const periodHasData = batch.periods.map((p) => hasData.get(p) !== undefined);
  const { periods, indicatorCodes } = batch;
  for (let i = 0; i < batch.length; i++) {
    const slot = batch.periodSlot[i]!;
    const period = periods[slot]!;
    const practiceId = batch.practiceId[i]!;
    const code = indicatorCodes[batch.indicatorSlot[i]!]!;
    const numerator = batch.numerator[i]!;
    const denominator = batch.denominator[i]!;
    const exc = batch.exceptions[i]!;
    const exceptions = exc < 0 ? null : exc;
    if (periodHasData[slot]) {
      const old = current.get(practiceId, code, period);
      if (old) {
        if (old.numerator === numerator && old.denominator === denominator && old.exceptions === exceptions) {
          result.unchanged++;
          continue;
        }
        supersede.run(submissionId, old.id);
        result.superseded++;
      }
    }
    insert.run(submissionId, practiceId, code, period, numerator, denominator, exceptions);
    result.inserted++;
  }
  return result;
}

export interface MissingPractice {
  period: string;
  network: string;
  practiceCode: string;
  practiceName: string;
}

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
  const row = await db.selectFrom('observations').select((eb) => eb.fn.max('period').as('period')).where('superseded_by', 'is', null).executeTakeFirst();
  return row?.period ?? null;
}
