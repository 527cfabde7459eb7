/**
 * buildApp(options) → a ready Fastify instance with its database open and migrated. It never listens:
 * main.ts does, and tests call app.inject().
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import multipart from '@fastify/multipart';
import swagger from '@fastify/swagger';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, { type FastifyInstance } from 'fastify';
import { ConfigError, readConfig, type Config } from './config';
import { closeDatabase, isPostgresUrl, openConfiguredDatabase, type Db } from './db/database';
import { migrateDatabase } from './db/migrate-database';
import { closeInterruptedSubmissions } from './db/repositories/submissions';
import accessPlugin from './plugins/access';
import { WriteGate } from './db/write-gate';
import authPlugin from './plugins/auth';
import cacheControlPlugin from './plugins/cache-control';
import compressPlugin from './plugins/compress';
import { canonicalUrl } from './plugins/canonical-url';
import errorsPlugin from './plugins/errors';
import rateLimitPlugin from './plugins/rate-limit';
import securityPlugin from './plugins/security';
import spaPlugin from './plugins/spa';
import writeGatePlugin from './plugins/write-gate';
import authRoutes from './routes/auth';
import statusRoutes from './routes/status';
import referenceRoutes from './routes/reference';
import contractYearRoutes from './routes/contract-years';
import userRoutes from './routes/users';
import submissionRoutes from './routes/submissions';
import learningSetRoutes from './routes/learning-set';
import overviewRoutes from './routes/overview';
import paymentRoutes from './routes/payments';
import forecastRoutes from './routes/forecast';
import auditRoutes from './routes/audit';
import annotationRoutes from './routes/annotations';
import meetingRoutes from './routes/meetings';
import actionRoutes from './routes/actions';
import standingRoutes from './routes/standing';
import { SubmissionService, type SubmissionHooks } from './services/submit/service';

export interface BuildOptions extends Partial<Config> {
  /** The clock; tests pass a fixed one. */
  now?: () => Date;
  /** Log to stdout (off in tests). */
  logger?: boolean;
  /** Points where tests hold an upload (services/submit/service.ts); none in production. */
  submissionHooks?: SubmissionHooks;
  /** Called once the app has closed its database (tests remove their temporary folder). */
  onClosed?: () => void;
}

declare module 'fastify' {
  interface FastifyInstance {
    config: Config;
    /** The database, through Kysely; every query is in server/db/repositories/. */
    db: Db;
    /** Uploads, checked and written by a worker thread. */
    submissions: SubmissionService;
    now(): Date;
    /** True when this start created the database (main.ts seeds it). */
    databaseCreated: boolean;
  }
}

export async function buildApp(options: BuildOptions = {}): Promise<FastifyInstance> {
  const { now = () => new Date(), logger = false, submissionHooks, onClosed, ...overrides } = options;
  // Settings not given fall back to the defaults, not to the environment: main.ts reads the environment once.
  const config: Config = { ...readConfig({}), ...overrides };
  const postgres = isPostgresUrl(config.databaseUrl);
  if (!postgres && (config.dbFile === ':memory:' || config.dbFile === '')) {
    throw new ConfigError(
      'DB_FILE must name a file: uploads are checked and written by a worker thread with its own connection to it.',
    );
  }
  const app = Fastify({
    logger: logger ? { level: config.logLevel, redact: ['req.headers.cookie', 'req.headers.authorization'] } : false,
    trustProxy: config.trustProxy,
    bodyLimit: 1024 * 1024,
    // One spelling per path before routing: encoded letters, doubled or trailing slashes and dot segments
    // reach the same route as the plain path (access itself is decided on the matched route).
    rewriteUrl: (req) => canonicalUrl(req.url ?? '/'),
    requestTimeout: config.requestTimeoutSeconds * 1000,
    connectionTimeout: config.connectionTimeoutSeconds * 1000,
    ajv: { customOptions: { removeAdditional: false, coerceTypes: 'array', allErrors: false } },
  }).withTypeProvider<TypeBoxTypeProvider>();

  const db = openConfiguredDatabase(config);
  let migration: Awaited<ReturnType<typeof migrateDatabase>>;
  try {
    migration = await migrateDatabase(db);
  } catch (e) {
    await closeDatabase(db); // a database it refuses (a changed migration) is left as it was
    throw e;
  }
  await closeInterruptedSubmissions(db, now().toISOString());
  const gate = new WriteGate();
  const submissions = new SubmissionService(db, gate, {
    database: { dbFile: config.dbFile, databaseUrl: config.databaseUrl },
    // Received files wait here for the worker; whatever a stopped server left behind is cleared. With
    // PostgreSQL, each instance has a folder of its own (several may run on one machine).
    uploadDir: postgres ? mkdtempSync(join(tmpdir(), 'dashboard-uploads-')) : `${config.dbFile}-uploads`,
    rejectedBytesMax: config.rejectedBytesMax,
    hooks: submissionHooks,
    logError: (message, err) => app.log.error({ err }, message),
  });
  rmSync(submissions.uploadDir, { recursive: true, force: true });
  mkdirSync(submissions.uploadDir, { recursive: true });
  app.decorate('config', config);
  app.decorate('db', db);
  app.decorate('now', now);
  app.decorate('databaseCreated', migration.created);
  app.decorate('submissions', submissions);
  app.addHook('onClose', async () => {
    await submissions.close();
    await closeDatabase(db);
    rmSync(submissions.uploadDir, { recursive: true, force: true });
    onClosed?.();
  });

  await app.register(errorsPlugin);
  // First, so that every route registered after it is checked for its access declaration at start-up.
  await app.register(accessPlugin);
  await app.register(securityPlugin);
  await app.register(compressPlugin);
  await app.register(swagger, {
    openapi: {
      info: {
        title: 'Federation performance dashboard API',
        version: '1.0.0',
        description:
          'Network attainment, payments and uploads for networks of GP practices. Errors are {"error": {"code", "message", "details"}}.',
      },
    },
  });
  await app.register(multipart, { limits: { fileSize: config.maxUploadBytes, files: 1, fields: 10, fieldSize: 1024 } });
  await app.register(writeGatePlugin, { gate });
  await app.register(authPlugin, {
    idleMinutes: config.sessionIdleMinutes,
    absoluteHours: config.sessionAbsoluteHours,
    cookieSecure: config.cookieSecure,
  });
  await app.register(cacheControlPlugin);
  await app.register(rateLimitPlugin, {
    max: config.apiRateLimit,
    windowSeconds: config.apiRateLimitWindowSeconds,
    shared: postgres,
  });

  for (const routes of [
    authRoutes,
    statusRoutes,
    referenceRoutes,
    contractYearRoutes,
    userRoutes,
    submissionRoutes,
    learningSetRoutes,
    overviewRoutes,
    paymentRoutes,
    forecastRoutes,
    auditRoutes,
    annotationRoutes,
    meetingRoutes,
    actionRoutes,
    standingRoutes,
  ]) {
    await app.register(routes);
  }
  app.get('/api/openapi.json', { config: { access: 'public' }, schema: { hide: true } }, async () => app.swagger());

  await app.register(spaPlugin, { webDir: config.webDir });
  await app.ready();
  return app;
}
