/**
 * GET /api/peer-comparison (SPEC section 13): a network's practices on a funnel with every practice of every
 * network, others unnamed; the centre is the pooled rate of all of them; only those who may see the network's
 * practices get it.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeApp, signIn } from '../helpers/app';

interface Unit {
  code: string | null;
  name: string | null;
  numerator: number;
  denominator: number;
}

describe('peer comparison across networks', () => {
  let app: FastifyInstance;
  let gp: string;
  let commissioner: string;
  beforeAll(async () => {
    app = await makeApp();
    gp = await signIn(app, 'gp');
    commissioner = await signIn(app, 'commissioner');
  });
  afterAll(() => app.close());

  it("plots every network's practices around their pooled rate, naming only the network's own", async () => {
    const r = await app.inject({ url: '/api/peer-comparison?network=N1&indicator=DM-CP', headers: { cookie: gp } });
    expect(r.statusCode).toBe(200);
    const body = r.json();
    expect(body).toMatchObject({ network: 'N1', indicator: 'DM-CP', period: '2026-10', networks: 8 });
    const units = body.funnel.practices as Unit[];
    const own = units.filter((u) => u.code !== null);
    expect(own.map((u) => u.code).sort()).toEqual(['Z00001', 'Z00002', 'Z00003', 'Z00004']);
    expect(own.every((u) => typeof u.name === 'string')).toBe(true);
    const others = units.filter((u) => u.code === null);
    expect(others.length).toBeGreaterThan(20);
    expect(others.every((u) => u.name === null)).toBe(true);
    // The centre is the pooled rate of everything plotted, checkable against the attainment of every network.
    const n = units.reduce((s, u) => s + u.numerator, 0);
    const d = units.reduce((s, u) => s + u.denominator, 0);
    expect(body.funnel.centre).toBeCloseTo(n / d, 12);
    let pooledN = 0;
    let pooledD = 0;
    for (const net of ['N1', 'N2', 'N3', 'N4', 'N5', 'N6', 'N7', 'N8']) {
      const a = (
        await app.inject({ url: `/api/attainment?network=${net}&period=2026-10`, headers: { cookie: commissioner } })
      ).json();
      const dm = a.indicators.find((i: { code: string }) => i.code === 'DM-CP');
      pooledN += dm.numerator;
      pooledD += dm.denominator;
    }
    expect([n, d]).toEqual([pooledN, pooledD]);
    expect(body.funnel.statement).toMatch(/φ = /);
  });

  it('uses the adjusted limits when asked and offered, and refuses a network whose practices the viewer may not see', async () => {
    const adjusted = (
      await app.inject({
        url: '/api/peer-comparison?network=N1&indicator=DM-CP&limits=adjusted',
        headers: { cookie: gp },
      })
    ).json();
    expect(adjusted.funnel.adjustedOffered).toBe(true);
    expect(adjusted.funnel.method).toBe('additive-random-effects');
    const other = await app.inject({ url: '/api/peer-comparison?network=N2&indicator=DM-CP', headers: { cookie: gp } });
    expect(other.statusCode).toBe(403);
    const unknown = await app.inject({
      url: '/api/peer-comparison?network=N1&indicator=NOPE',
      headers: { cookie: gp },
    });
    expect(unknown.statusCode).toBe(404);
  });
});
