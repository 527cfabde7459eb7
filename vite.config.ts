import { svelte } from '@sveltejs/vite-plugin-svelte';
import { defineConfig } from 'vitest/config';

/**
 * The API tests run on SQLite always, and a second time on PostgreSQL when there is one to use
 * (TEST_DATABASE_URL, which .ci/run always sets) or under CI: the `postgres` project sets TEST_DIALECT, and
 * tests/helpers/app.ts then builds each app on a PostgreSQL database of its own.
 */
const postgresRun = Boolean(process.env.TEST_DATABASE_URL?.trim() || process.env.CI);

/**
 * Every API test file runs on PostgreSQL too, except these, each for a reason:
 * - postgres-*.test.ts: PostgreSQL's own tests (schema, migrator, COPY, audit chain, two instances), which
 *   already run against PostgreSQL in the `sqlite` project's pass.
 * - query-plans: asserts SQLite's EXPLAIN QUERY PLAN.
 * - migration-checksums, upload-outcomes-migration: SQLite's migration files and an old SQLite file upgraded
 *   (postgres-migrate covers PostgreSQL's migrator and checksums).
 * - audit-chain: tampers with the SQLite file through the sqlite3 shell and reads old SQLite files
 *   (postgres-audit-chain and the two-instance test cover the chain on PostgreSQL).
 */
const SQLITE_ONLY_API_TESTS = [
  'tests/api/postgres-*.test.ts',
  'tests/api/query-plans.test.ts',
  'tests/api/migration-checksums.test.ts',
  'tests/api/upload-outcomes-migration.test.ts',
  'tests/api/audit-chain.test.ts',
];

export default defineConfig({
  root: 'web',
  plugins: [svelte()],
  build: {
    outDir: '../dist/web',
    emptyOutDir: true,
    // No source maps in the build the server serves: they would publish the app's whole source (1.8 MB).
    // `npm run dev` still has them, from Vite's dev server.
    sourcemap: false,
  },
  server: {
    proxy: { '/api': 'http://127.0.0.1:3000' },
  },
  test: {
    root: '.',
    globalSetup: ['tests/helpers/postgres-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    projects: [
      { extends: true as const, test: { name: 'sqlite', include: ['tests/**/*.test.ts'] } },
      ...(postgresRun
        ? [
            {
              extends: true as const,
              test: {
                name: 'postgres',
                include: ['tests/api/**/*.test.ts'],
                exclude: SQLITE_ONLY_API_TESTS,
                env: { TEST_DIALECT: 'postgres' },
              },
            },
          ]
        : []),
    ],
  },
});
