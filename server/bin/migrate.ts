/**
 * `npm run migrate`: brings the database DATABASE_URL (PostgreSQL) or DB_FILE (SQLite) names up to date with
 * the migrations, creating it first if it is a SQLite file that does not exist yet, and says what it applied.
 * The server does the same at every start; this lets a deployment migrate once before starting its instances.
 */
import { readConfig } from '../config';
import { closeDatabase, openConfiguredDatabase } from '../db/database';
import { migrateDatabase } from '../db/migrate-database';

const config = readConfig();
const db = openConfiguredDatabase(config, { max: 1 });
try {
  const { applied } = await migrateDatabase(db);
  const where = config.databaseUrl ? 'the PostgreSQL database of DATABASE_URL' : config.dbFile;
  console.log(
    applied.length ? `Applied ${applied.join(', ')} to ${where}.` : `Nothing to apply: ${where} is up to date.`,
  );
} catch (e) {
  console.error(e instanceof Error ? e.message : e);
  process.exitCode = 1;
} finally {
  await closeDatabase(db);
}
