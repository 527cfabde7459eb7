/**
 * Serving the dashboard, for the command-line entry points (server/bin/): `serve(config)` opens (and on first
 * start seeds) the database, listens, and shuts down cleanly on SIGINT or SIGTERM; `ensureWebBuilt()` builds
 * the web app when it is missing or older than its sources. Settings come in as a Config, never through the
 * environment.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import { buildApp } from './app';
import type { Config } from './config';
import { countDemoUsers } from './db/repositories/users';
import { isDemoDatabase, seedDemo } from './services/demo';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

function newest(path: string): number {
  const s = statSync(path);
  if (!s.isDirectory()) return s.mtimeMs;
  return Math.max(s.mtimeMs, ...readdirSync(path).map((f) => newest(join(path, f))));
}

/** Builds the web app (vite build) when dist/web is missing or older than its sources; false if the build failed. */
export function ensureWebBuilt(): boolean {
  const built = join(ROOT, 'dist/web/index.html');
  const sources = [join(ROOT, 'web'), join(ROOT, 'vite.config.ts'), join(ROOT, 'server/schemas')];
  if (existsSync(built) && statSync(built).mtimeMs >= Math.max(...sources.map(newest))) return true;
  console.log('Building the web app (vite build)…');
  const r = spawnSync(process.execPath, [join(ROOT, 'node_modules/vite/bin/vite.js'), 'build', '--logLevel', 'warn'], {
    stdio: 'inherit',
    cwd: ROOT,
  });
  return r.status === 0;
}

/** Builds the app on `config`, fills a newly created database with the demo data when asked, and listens. */
export async function serve(config: Config): Promise<FastifyInstance> {
  const app = await buildApp({ ...config, logger: true });
  if (app.databaseCreated && config.seedDemo) {
    app.log.info(
      `new database ${config.databaseUrl ? '(PostgreSQL, DATABASE_URL)' : config.dbFile}: loading the synthetic demo data (set SEED_DEMO=false for a database for real use)`,
    );
    await seedDemo(app.db, app.submissions, app.now(), { log: (m) => app.log.info(m) });
  }
  if (await isDemoDatabase(app.db))
    app.log.warn("this database holds SYNTHETIC DEMO DATA; it is not for real patients' figures");
  if ((await countDemoUsers(app.db)) > 0) {
    app.log.warn(
      'demo accounts with published passwords exist (admin, commissioner, manager, gp): never expose this server beyond your own machine',
    );
  }
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      app.log.info(`${signal}: closing`);
      app.close().then(
        () => process.exit(0),
        () => process.exit(1),
      );
    });
  }
  app.submissions.start();
  await app.listen({ port: config.port, host: config.host });
  return app;
}
