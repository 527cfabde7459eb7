/**
 * `npm run backtest [-- <database file> …]`: replays every past contract year of a database as of each of its
 * periods and reports how the year-end forecast did (services/backtest.ts).
 *
 * With no file named, it builds the demo database and the Tower Hamlets database in a temporary folder, runs
 * both and removes the folder. Exits with 1 when a target is missed, 2 on bad input.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { readConfig } from '../config';
import { closeDatabase, openDatabase } from '../db/database';
import { migrate } from '../db/migrate';
import { backtestDatabase, formatReport, meetsTargets, type BacktestReport } from '../services/backtest';
import { seedDemo } from '../services/demo';
import { standaloneSubmissions } from '../services/submit/service';
import { buildTowerHamlets, TOWER_HAMLETS_DIR } from '../services/tower-hamlets';
import { FORECAST_METHOD } from '../domain/forecast';

async function buildDatabase(file: string, kind: 'demo' | 'tower-hamlets', now: Date): Promise<void> {
  const db = openDatabase(file);
  const submissions = standaloneSubmissions(db, file, readConfig({}).rejectedBytesMax);
  try {
    migrate(db);
    if (kind === 'demo') await seedDemo(db, submissions, now);
    else {
      const result = await buildTowerHamlets(db, submissions, TOWER_HAMLETS_DIR, now);
      if (result.status !== 'accepted')
        throw new Error(
          `the Tower Hamlets COVER file was rejected: ${result.errors
            .slice(0, 3)
            .map((e) => e.message)
            .join('; ')}`,
        );
    }
  } finally {
    await submissions.close();
    await closeDatabase(db);
  }
}

async function run(file: string, label: string): Promise<BacktestReport> {
  const db = openDatabase(file);
  try {
    return await backtestDatabase(db, label);
  } finally {
    await closeDatabase(db);
  }
}

async function main(args: string[]): Promise<number> {
  const reports: BacktestReport[] = [];
  console.log(`Year-end forecast backtest: ${FORECAST_METHOD}\n`);
  if (args.length === 0) {
    const dir = mkdtempSync(join(tmpdir(), 'backtest-'));
    try {
      const now = new Date();
      console.log('Building the demo and Tower Hamlets databases in a temporary folder…\n');
      await buildDatabase(join(dir, 'demo.sqlite'), 'demo', now);
      await buildDatabase(join(dir, 'tower-hamlets.sqlite'), 'tower-hamlets', now);
      for (const [file, label] of [
        ['demo.sqlite', 'Demo database (synthetic, fixtures/demo/)'],
        [
          'tower-hamlets.sqlite',
          'Tower Hamlets database (published immunisation figures, fixtures/public/tower-hamlets/)',
        ],
      ] as const) {
        const report = await run(join(dir, file), label);
        console.log(formatReport(report) + '\n');
        reports.push(report);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  } else {
    for (const arg of args) {
      const file = resolve(arg);
      if (!existsSync(file)) {
        console.error(
          `There is no database at ${file}; name an existing SQLite file (for example data/dashboard.sqlite after \`npm start\`), or run without arguments to build the demo and Tower Hamlets databases.`,
        );
        return 2;
      }
      const report = await run(file, file);
      console.log(formatReport(report) + '\n');
      reports.push(report);
    }
  }
  return reports.some((r) => r.rates.forecasts > 0 && !meetsTargets(r)) ? 1 : 0;
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  process.exitCode = await main(process.argv.slice(2));
}
