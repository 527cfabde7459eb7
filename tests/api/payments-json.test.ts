/**
 * The payments response is assembled from each network's JSON kept by data version (issue 14): for every
 * role and period it must be, byte for byte, what serialising the statements computed afresh gives
 * (paymentsFor, written by JSON.stringify as the route's serialiser does), and so must the frozen statement
 * after a sign-off.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RoleInNetwork } from '../../server/domain/access';
import { paymentsFor } from '../../server/services/statements';
import { makeApp, signIn } from '../helpers/app';

const VIEWERS: [string, RoleInNetwork][] = [
  ['manager', { role: 'manager', networkCode: 'N1' }],
  ['commissioner', { role: 'commissioner', networkCode: null }],
  ['admin', { role: 'admin', networkCode: null }],
];

describe('payments JSON assembled from the kept networks', () => {
  let app: FastifyInstance;
  beforeAll(async () => {
    app = await makeApp();
  });
  afterAll(() => app.close());

  const compare = async (query: string) => {
    for (const [username, viewer] of VIEWERS) {
      const cookie = await signIn(app, username);
      const res = await app.inject({ url: `/api/payments?${query}`, headers: { cookie } });
      expect(res.statusCode, `${username} ${query}: ${res.body.slice(0, 200)}`).toBe(200);
      const period = new URLSearchParams(query).get('period') ?? undefined;
      const fresh = JSON.stringify(await paymentsFor(app, viewer, '2025-26', period));
      expect(res.body, `${username} ${query}`).toBe(fresh);
    }
  };

  it('equals a fresh computation for every role, at the latest period and an earlier one', async () => {
    await compare('year=2025-26');
    await compare('year=2025-26&period=2025-11');
    // Asked again: the kept body, still the same.
    await compare('year=2025-26');
  });

  it('a manager gets their network only, with totals over it', async () => {
    const res = await app.inject({
      url: '/api/payments?year=2025-26',
      headers: { cookie: await signIn(app, 'manager') },
    });
    const body = res.json() as { networks: { code: string; earnedPence: number }[]; totals: { earnedPence: number } };
    expect(body.networks.map((n) => n.code)).toEqual(['N1']);
    expect(body.totals.earnedPence).toBe(body.networks[0]!.earnedPence);
  });

  it('after a sign-off the frozen statement is given, as paymentsFor gives it', async () => {
    const cookie = await signIn(app, 'commissioner');
    const signed = await app.inject({
      method: 'POST',
      url: '/api/payments/2025-26/sign-off',
      headers: { cookie, 'content-type': 'application/json' },
      payload: { overrideReason: 'Agreed with every network at the March meeting.' },
    });
    expect(signed.statusCode, signed.body).toBe(200);
    await compare('year=2025-26');
  });
});
