import { svelte } from '@sveltejs/vite-plugin-svelte';
import { defineConfig } from 'vitest/config';

/**
 * The API tests run on SQLite always, and a second time on PostgreSQL when there is one to use
 * (TEST_DATABASE_URL, which .ci/run always sets) or under CI: the `postgres` project sets TEST_DIALECT, and
 * tests/helpers/app.ts then builds each app on a PostgreSQL database of its own.
 */
const postgresRun = Boolean(process.env.TEST_DATABASE_URL?.trim() || process.env.CI);

/**
 * The API test files the PostgreSQL run includes. Left out, and why:
 * - postgres-*.test.ts: PostgreSQL's own tests, which already run in the `sqlite` project's pass.
 * - query-plans, migration-checksums, upload-outcomes-migration: about SQLite itself (its query plans, its
 *   migration files, an old SQLite file upgraded); postgres-schema and postgres-migrate cover PostgreSQL's.
 */
const POSTGRES_API_TESTS = [
  'tests/api/backtest.test.ts',
  'tests/api/compression.test.ts',
  'tests/api/forecast.test.ts',
  'tests/api/headers.test.ts',
  'tests/api/peer-comparison.test.ts',
  'tests/api/process-change.test.ts',
  'tests/api/route-matrix.test.ts',
  'tests/api/series.test.ts',
  'tests/api/spine.test.ts',
  'tests/api/suppressed-export.test.ts',
  'tests/api/web-api.test.ts',
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
              test: { name: 'postgres', include: POSTGRES_API_TESTS, env: { TEST_DIALECT: 'postgres' } },
            },
          ]
        : []),
    ],
  },
});
