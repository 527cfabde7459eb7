/** The only file that listens: opens (and on first start seeds) the database, serves, and shuts down cleanly. */
import { buildApp } from './app';
import { readConfig } from './config';
import { countDemoUsers } from './db/repositories/users';
import { isDemoDatabase, seedDemo } from './demo';

async function main(): Promise<void> {
  const config = readConfig();
  const app = await buildApp({ ...config, logger: true });
  if (app.databaseCreated && config.seedDemo) {
    app.log.info(`new database ${config.dbFile}: loading the synthetic demo data (set SEED_DEMO=false for a database for real use)`);
    await seedDemo(app.dbHandle, app.submissions, app.now(), { log: (m) => app.log.info(m) });
  }
  if (isDemoDatabase(app.dbHandle)) app.log.warn('this database holds SYNTHETIC DEMO DATA; it is not for real patients\' figures');
  if ((await countDemoUsers(app.db)) > 0) {
    app.log.warn('demo accounts with published passwords exist (admin, commissioner, manager, gp): never expose this server beyond your own machine');
  }
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      app.log.info(`${signal}: closing`);
      app.close().then(() => process.exit(0), () => process.exit(1));
    });
  }
  app.submissions.start();
  await app.listen({ port: config.port, host: config.host });
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
