/**
 * Brings the open database up to date with the migrations of its dialect: migrations/*.sql for SQLite
 * (db/migrate.ts), migrations/postgres/*.sql for PostgreSQL (db/postgres/migrate.ts). The two sets are
 * numbered in step and checksummed the same way.
 */
import { isPostgres, poolOf, type Db } from './database';
import { migrate } from './migrate';
import { migratePostgres } from './postgres/migrate';

export async function migrateDatabase(db: Db): Promise<{ applied: string[]; created: boolean }> {
  if (isPostgres(db)) return migratePostgres(poolOf(db));
  return migrate(db);
}
