/**
 * Query plans of the hot reads (issue 14): attainment for one network, payments for a year and the overview.
 * Every statement each request runs is recorded (tests/helpers/query-plans.ts) and SQLite's plan for it
 * checked, on the demo database as seeded (ANALYZE runs at the end of the seed): no full scan of the
 * observations table, every lookup through an index or key, and a whole-table read only of the few tables a
 * national statement reads in full on purpose (every membership, practice and network at the period).
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sqliteOf } from '../../server/db/database';
import { makeApp, signIn } from '../helpers/app';
import { queryPlan, recordQueries, type RecordedQuery } from '../helpers/query-plans';

/**
 * Tables a request for every network reads whole, each row wanted: their sizes go with networks and practices
 * (a national file has 6,459 practices against 1.7 million observations), the months with data, and the
 * open learning-set actions the overview counts.
 */
const READ_WHOLE = new Set(['memberships', 'practices', 'networks', 'submission_periods', 'actions']);

/** The table each alias in a query stands for ("observations" as "o" → o: observations). */
function aliases(sql: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const m of sql.matchAll(/(?:from|join)\s+"(\w+)"(?:\s+as\s+"(\w+)")?/gi))
    out.set(m[2] ?? (m[1] as string), m[1] as string);
  return out;
}

interface Finding {
  sql: string;
  step: string;
}

function planFindings(app: FastifyInstance, queries: RecordedQuery[]): Finding[] {
  const findings: Finding[] = [];
  for (const q of queries) {
    if (!/^\s*select/i.test(q.sql)) continue;
    const names = aliases(q.sql);
    for (const { detail } of queryPlan(app, q)) {
      const scan = /^SCAN (\w+)/.exec(detail);
      const search = /^SEARCH (\w+)/.exec(detail);
      const table = names.get((scan ?? search)?.[1] ?? '') ?? (scan ?? search)?.[1];
      if (scan && (table === 'observations' || !READ_WHOLE.has(table ?? '')))
        findings.push({ sql: q.sql, step: `${detail} (a full scan of ${table})` });
      if (search && !/USING (COVERING INDEX|INDEX|INTEGER PRIMARY KEY|PRIMARY KEY)/.test(detail))
        findings.push({ sql: q.sql, step: `${detail} (a lookup without an index)` });
    }
  }
  return findings;
}

describe('query plans of the hot reads', () => {
  const apps: FastifyInstance[] = [];
  beforeAll(async () => {
    const app = await makeApp();
    apps.push(app);
  });
  afterAll(() => Promise.all(apps.map((a) => a.close())));

  it('the demo seed leaves the planner statistics (ANALYZE ran)', async () => {
    const app = apps[0] as FastifyInstance;
    const stats = sqliteOf(app.db)
      .prepare("SELECT count(*) AS n FROM sqlite_stat1 WHERE tbl = 'observations'")
      .get() as {
      n: number;
    };
    expect(stats.n).toBeGreaterThan(0);
  });

  it.each([
    ['attainment for one network', '/api/attainment?network=N1&period=2026-03', 'commissioner'],
    ['attainment for the manager’s own network', '/api/attainment?network=N1', 'manager'],
    ['payments for every network, one year', '/api/payments?year=2025-26', 'commissioner'],
    ['one network’s statement with its evidence', '/api/payments?year=2025-26&network=N1', 'commissioner'],
    ['the overview of every network', '/api/overview', 'commissioner'],
    ['the overview of one network', '/api/overview', 'manager'],
  ] as const)('%s (%s): no full scan of observations, an index per lookup', async (_what, url, who) => {
    // A new app for each: statements a request prepares are kept per connection, so a second request on the
    // same one would not prepare (and so not show) them again.
    const app = await makeApp();
    apps.push(app);
    const cookie = await signIn(app, who);
    const queries = await recordQueries(app, async () => {
      const res = await app.inject({ url, headers: { cookie } });
      expect(res.statusCode, res.body).toBe(200);
    });
    const observations = queries.filter((q) => /"observations"/.test(q.sql));
    expect(observations.length, 'the request read observations').toBeGreaterThan(0);
    for (const q of observations) {
      const plan = queryPlan(app, q).map((s) => s.detail);
      expect(
        plan.some((d) => /SEARCH o\w* USING INDEX observations_current/.test(d)),
        plan.join('\n'),
      ).toBe(true);
    }
    expect(planFindings(app, queries)).toEqual([]);
  });
});
