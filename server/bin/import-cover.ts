/**
 * `npm run import:cover -- <file>`: imports a UKHSA COVER GP-level file (long form: quarter, source_csv,
 * practice_code, source_column, value) into the database DB_FILE names, through the same validation as an
 * upload, and prints what was loaded and what was not (suppressed cells, unknown practices).
 */
import { existsSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { readConfig } from '../config';
import { closeDatabase, openDatabase } from '../db/database';
import { migrate } from '../db/migrate';
import { standaloneSubmissions } from '../services/submit/service';

const file = process.argv[2];
if (!file || !existsSync(file)) {
  console.error('Usage: npm run import:cover -- <file>   (the database is DB_FILE, default data/dashboard.sqlite)');
  process.exit(2);
}
const config = readConfig();
const db = openDatabase(config.dbFile);
migrate(db);
const submissions = standaloneSubmissions(db, config.dbFile, config.rejectedBytesMax);
const result = await submissions.submitObservations(resolve(file), {
  uploader: { userId: null, username: 'import:cover (command line)', role: 'admin', networkCode: null },
  filename: basename(file),
  format: 'cover',
  now: new Date(),
});
await submissions.close();
await closeDatabase(db);
if (result.status === 'rejected') {
  console.error(`Rejected (submission ${result.id}): ${result.errorCount} problem(s); nothing was stored.`);
  for (const e of result.errors.slice(0, 20)) console.error(`  ${e.message}`);
  process.exit(1);
}
const span = `${result.periods[0]} to ${result.periods.at(-1)}`;
console.log(
  `Accepted (submission ${result.id}): ${result.rows} cells read, ${result.inserted} values stored, ${result.superseded} replaced, ` +
    `${result.unchanged} unchanged, for ${result.periods.length} quarters (${span}).`,
);
for (const s of result.skipped)
  console.log(`Not loaded: ${s.rows} ${s.reason}, e.g. ${s.examples.slice(0, 5).join('; ')}`);
if (result.missing.length) {
  const examples = result.missing
    .slice(0, 5)
    .map((m) => `${m.practiceCode} ${m.period}`)
    .join(', ');
  console.log(`Member practices with no figures in a quarter: ${result.missing.length}, e.g. ${examples}`);
}
