/**
 * `npm run demo:tower-hamlets`: a dashboard of the real Tower Hamlets networks' immunisation performance.
 * Creates data/tower-hamlets.sqlite from fixtures/public/tower-hamlets/ on first run (or with --rebuild), then
 * serves it like `npm start` does (with --build-only, only builds it). TOWER_HAMLETS_DIR and DB_FILE override
 * the paths; the other settings are npm start's.
 */
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readConfig } from '../config';
import { closeDatabase, openDatabase } from '../db/database';
import { migrate } from '../db/migrate';
import { ensureWebBuilt, serve } from '../serve';
import { standaloneSubmissions } from '../services/submit/service';
import { buildTowerHamlets, TOWER_HAMLETS_DIR } from '../services/tower-hamlets';

const root = fileURLToPath(new URL('../..', import.meta.url));
const dir = process.env.TOWER_HAMLETS_DIR || TOWER_HAMLETS_DIR;
const config = {
  ...readConfig(),
  dbFile: process.env.DB_FILE || join(root, 'data/tower-hamlets.sqlite'),
  seedDemo: false,
};

async function build(): Promise<boolean> {
  if (!existsSync(join(dir, 'cover-gp-coverage-long.csv'))) {
    console.error(`The Tower Hamlets files are not at ${dir}; set TOWER_HAMLETS_DIR to the folder holding them.`);
    return false;
  }
  console.log(`Building ${config.dbFile} from ${dir}…`);
  const db = openDatabase(config.dbFile);
  migrate(db);
  const submissions = standaloneSubmissions(db, config.dbFile, config.rejectedBytesMax);
  const result = await buildTowerHamlets(db, submissions, dir, new Date(), (m) => console.log(`  ${m}`));
  await submissions.close();
  await closeDatabase(db);
  if (result.status !== 'accepted') {
    rmSync(config.dbFile, { force: true });
    console.error(
      `The COVER file was rejected: ${result.errors
        .slice(0, 5)
        .map((e) => e.message)
        .join('; ')}`,
    );
    return false;
  }
  console.log(
    `  ${result.rows} published cells read; ${result.inserted} values stored for ${result.periods.length} quarters`,
  );
  for (const s of result.skipped)
    console.log(`  not loaded: ${s.rows} ${s.reason} (e.g. ${s.examples.slice(0, 4).join(', ')})`);
  return true;
}

try {
  if (process.argv.includes('--rebuild'))
    for (const suffix of ['', '-wal', '-shm']) rmSync(config.dbFile + suffix, { force: true });
  if (!existsSync(config.dbFile) && !(await build())) process.exit(1);
  if (!process.argv.includes('--build-only')) {
    if (!ensureWebBuilt()) process.exit(1);
    await serve(config);
  }
} catch (err) {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
}
