/**
 * Records the SQL an app prepares on its connection (and the values each statement runs with), so a test can
 * ask SQLite how it would run each one (EXPLAIN QUERY PLAN) without naming the queries by hand: whatever a
 * request runs is what is checked. Kysely and db/prepared.ts both prepare through the connection's
 * `prepare`, which is wrapped here for the duration of the recording.
 */
import type SQLite from 'better-sqlite3';
import type { FastifyInstance } from 'fastify';
import { sqliteOf } from '../../server/db/database';

export interface RecordedQuery {
  sql: string;
  params: unknown[];
}

export interface PlanStep {
  detail: string;
}

/** Runs `during` with every statement the app prepares and runs recorded; returns them, one per SQL text. */
export async function recordQueries(app: FastifyInstance, during: () => Promise<unknown>): Promise<RecordedQuery[]> {
  const sqlite = sqliteOf(app.db);
  const original = sqlite.prepare.bind(sqlite);
  const seen = new Map<string, RecordedQuery>();
  const wrapped = (source: string): SQLite.Statement => {
    const statement = original(source);
    for (const method of ['all', 'get', 'run', 'iterate'] as const) {
      const run = statement[method].bind(statement) as (...args: unknown[]) => unknown;
      (statement as unknown as Record<string, unknown>)[method] = (...args: unknown[]) => {
        if (!seen.has(source)) seen.set(source, { sql: source, params: args.flat() });
        return run(...args);
      };
    }
    return statement;
  };
  sqlite.prepare = wrapped as typeof sqlite.prepare;
  try {
    await during();
  } finally {
    sqlite.prepare = original as typeof sqlite.prepare;
  }
  return [...seen.values()];
}

/** SQLite's plan for a recorded query, step by step ("SEARCH o USING INDEX …", "SCAN m", …). */
export function queryPlan(app: FastifyInstance, query: RecordedQuery): PlanStep[] {
  const rows = sqliteOf(app.db)
    .prepare(`EXPLAIN QUERY PLAN ${query.sql}`)
    .all(...query.params) as { detail: string }[];
  return rows.map((r) => ({ detail: r.detail }));
}
