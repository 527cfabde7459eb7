/**
 * `npm run demo:tower-hamlets`: a dashboard of the real Tower Hamlets networks' immunisation performance.
 * Creates data/tower-hamlets.sqlite from fixtures/public/tower-hamlets/ on first run (or with --rebuild), then
 * serves it like `npm start` does. TOWER_HAMLETS_DIR and DB_FILE override the paths.
 */
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readConfig } from './config';
import { openDatabase } from './db/database';
import { migrate } from './db/migrate';
import { buildTowerHamlets, TOWER_HAMLETS_DIR } from './datasets/tower-hamlets';
import { standaloneSubmissions } from './services/submission-worker';

const root = fileURLToPath(new URL('..', import.meta.url));
const dir = process.env.TOWER_HAMLETS_DIR || TOWER_HAMLETS_DIR;
const dbFile = process.env.DB_FILE || join(root, 'data/tower-hamlets.sqlite');

if (process.argv.includes('--rebuild')) for (const suffix of ['', '-wal', '-shm']) rmSync(dbFile + suffix, { force: true });
if (!existsSync(dbFile)) {
  if (!existsSync(join(dir, 'cover-gp-coverage-long.csv'))) {
    console.error(`The Tower Hamlets files are not at ${dir}; set TOWER_HAMLETS_DIR to the folder holding them.`);
    process.exit(1);
  }
  console.log(`Building ${dbFile} from ${dir}…`);
  const handle = openDatabase(dbFile);
  migrate(handle.sqlite);
  const submissions = standaloneSubmissions(handle, dbFile, readConfig().rejectedBytesMax);
  const result = await buildTowerHamlets(handle, submissions, dir, new Date(), (m) => console.log(`  ${m}`));
  await submissions.close();
  await handle.close();
  if (result.status !== 'accepted') {
    rmSync(dbFile, { force: true });
    console.error(`The COVER file was rejected: ${result.errors.slice(0, 5).map((e) => e.message).join('; ')}`);
    process.exit(1);
  }
  console.log(`  ${result.rows} published cells read; ${result.inserted} values stored for ${result.periods.length} quarters`);
  for (const s of result.skipped) console.log(`  not loaded: ${s.rows} ${s.reason} (e.g. ${s.examples.slice(0, 4).join(', ')})`);
}

process.env.DB_FILE = dbFile;
process.env.SEED_DEMO = 'false';
if (!process.argv.includes('--build-only')) await import('./start');
