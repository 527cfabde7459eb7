/** Keeping the database's query planner informed, and the data version the figures caches are keyed by. */
import { sql } from 'kysely';
import { isPostgres, type Db } from '../database';
import { preparedQuery } from '../prepared';

/**
 * Refreshes the planner's statistics (ANALYZE) after a bulk load: a national upload or the demo seed. A
 * database never analysed leaves SQLite guessing table sizes. `analysis_limit` makes SQLite sample about a
 * thousand rows per index rather than read 1.7 million observations, so this takes milliseconds.
 * SQLite-specific (the pragma); PostgreSQL's autovacuum analyses on its own, and `ANALYZE` alone would do.
 */
export async function analyseAfterBulkLoad(db: Db): Promise<void> {
  if (isPostgres(db)) {
    // PostgreSQL samples on its own (default_statistics_target); the observations are what grew.
    await sql`ANALYZE observations`.execute(db);
    return;
  }
  await sql`PRAGMA analysis_limit = 1000`.execute(db);
  await sql`ANALYZE`.execute(db);
}

const dataVersionQuery = (db: Db) => db.selectFrom('data_version').select('version').where('id', '=', 1);

/**
 * The data version (migrations/0007): a number triggers move on every change that the statements,
 * attainment and the overview are computed from. Read on each request that could use a cached figure;
 * SQLite: prepared once, so it costs a few microseconds. PostgreSQL: one query on the pool, so an instance
 * sees at once what another instance changed.
 */
export async function currentDataVersion(db: Db): Promise<number> {
  if (isPostgres(db)) return (await dataVersionQuery(db).executeTakeFirst())?.version ?? 0;
  return preparedQuery(db, [], dataVersionQuery).get({})?.version ?? 0;
}
