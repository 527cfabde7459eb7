/**
 * GET /api/series tells when the latest months show a shift or trend (a change of process), and
 * recalculateFrom=<that month> recalculates the limits from it, after which the notice is gone.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeApp, signIn } from '../helpers/app';

interface Period {
  period: string;
  rate: number | null;
  spc: { mean: number; upperLimit: number | null } | null;
}
interface Indicator {
  code: string;
  processChange: { since: string; rule: string; side: string | null } | null;
  periods: Period[];
}

describe('a change of process on the SPC chart', () => {
  let app: FastifyInstance;
  let gp: string;
  beforeAll(async () => {
    app = await makeApp();
    gp = await signIn(app, 'gp');
  });
  afterAll(() => app.close());

  it('names where a shift or trend reaching the latest month starts, and recalculating from there clears it', async () => {
    const changed: Indicator[] = [];
    for (const network of ['N1', 'N2', 'N3', 'N4', 'N5', 'N6', 'N7', 'N8']) {
      const s = (await app.inject({ url: `/api/series?network=${network}`, headers: { cookie: gp } })).json();
      for (const i of s.indicators as Indicator[]) {
        expect(i).toHaveProperty('processChange');
        if (i.processChange && network === 'N1') changed.push(i);
      }
    }
    // The demo's N1 has at least one indicator whose latest months moved (a fact of the synthetic data).
    expect(changed.length).toBeGreaterThan(0);
    const first = changed[0] as Indicator;
    const since = first.processChange?.since ?? '';
    expect(['shift', 'trend']).toContain(first.processChange?.rule);
    const r = await app.inject({
      url: `/api/series?network=N1&indicator=${first.code}&recalculateFrom=${since}`,
      headers: { cookie: gp },
    });
    expect(r.statusCode).toBe(200);
    const after = r.json().indicators[0] as Indicator;
    expect(after.processChange).toBeNull();
    // The latest mean is now the mean of the months from `since` only.
    const recent = after.periods.filter((p) => p.period >= since && p.rate !== null).map((p) => p.rate as number);
    const mean = recent.reduce((a, b) => a + b, 0) / recent.length;
    expect(after.periods.at(-1)?.spc?.mean).toBeCloseTo(mean, 12);
  });
});
