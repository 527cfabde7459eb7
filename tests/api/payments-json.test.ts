/**
 * The payments list is assembled from each network's JSON kept by data version, and one network's statement
 * with its evidence is computed from that network's figures alone (issue 14): for every role and period each
 * must be, byte for byte, what serialising the statements computed afresh for every network gives (paymentsFor,
 * written by JSON.stringify as the route's serialiser does: in brief by listOf for the list, cut to the network
 * for `network=`), and so must the frozen statement after a sign-off.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RoleInNetwork } from '../../server/domain/access';
import { NetworkSummarySchema } from '../../server/schemas/statements';
import { listOf, paymentsFor } from '../../server/services/statements';
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
      const fresh = await paymentsFor(app, viewer, '2025-26', period);
      expect(res.body, `${username} ${query}`).toBe(JSON.stringify(listOf(fresh)));
      // Each network the viewer sees, asked for alone: its full statement under the same head.
      const seen = fresh.networks.map((n) => n.code);
      expect(seen.length).toBeGreaterThan(0);
      for (const code of seen) {
        const one = await app.inject({ url: `/api/payments?${query}&network=${code}`, headers: { cookie } });
        expect(one.statusCode, one.body.slice(0, 200)).toBe(200);
        const alone = await paymentsFor(app, { role: 'manager', networkCode: code }, '2025-26', period);
        expect(one.body, `${username} ${query} network ${code}`).toBe(JSON.stringify(alone));
      }
    }
  };

  it('equals a fresh computation for every role, at the latest period and an earlier one', async () => {
    await compare('year=2025-26');
    await compare('year=2025-26&period=2025-11');
    // Asked again: the kept body, still the same.
    await compare('year=2025-26');
  });

  it("the list is the statements in brief, several times smaller than them; a network's evidence comes with network=", async () => {
    const cookie = await signIn(app, 'commissioner');
    const list = await app.inject({ url: '/api/payments?year=2025-26', headers: { cookie } });
    const full = JSON.stringify(await paymentsFor(app, { role: 'commissioner', networkCode: null }, '2025-26'));
    expect(list.body.length * 3).toBeLessThan(full.length);
    const body = list.json();
    // Every field the schema names, and no other (the route writes the answer with JSON.stringify).
    for (const n of body.networks)
      expect(Object.keys(n).sort()).toEqual(Object.keys(NetworkSummarySchema.properties).sort());
    const domainKeys = Object.keys(NetworkSummarySchema.properties.domains.items.properties).sort();
    for (const d of body.networks[0].domains) expect(Object.keys(d).sort()).toEqual(domainKeys);
    const dm = body.networks[0].domains[0];
    expect(Object.keys(dm.indicators[0]).sort()).toEqual(
      ['code', 'complete', 'earnedPence', 'fraction', 'met', 'potPence', 'state'].sort(),
    );
    for (const u of dm.unmet) expect(Object.keys(u).sort()).toEqual(['code', 'complete', 'patientsNeeded']);
    const one = (
      await app.inject({ url: `/api/payments?year=2025-26&network=${body.networks[0].code}`, headers: { cookie } })
    ).json();
    expect(one.networks[0].domains[0].indicators[0].why).toMatch(/^(met|not met|incomplete|not applicable)/);
    expect(one.inputHash).toBe(body.inputHash);
  });

  it('network= is refused for a network the viewer may not see, and not found for one with no statement', async () => {
    const manager = await signIn(app, 'manager');
    const other = await app.inject({ url: '/api/payments?year=2025-26&network=N2', headers: { cookie: manager } });
    expect(other.statusCode).toBe(403);
    expect(other.json().error.message).toMatch(/your own network only/);
    const gp = await signIn(app, 'gp');
    expect(
      (await app.inject({ url: '/api/payments?year=2025-26&network=N1', headers: { cookie: gp } })).statusCode,
    ).toBe(403);
    const commissioner = await signIn(app, 'commissioner');
    const none = await app.inject({
      url: '/api/payments?year=2025-26&network=NOPE',
      headers: { cookie: commissioner },
    });
    expect(none.statusCode).toBe(404);
    expect(none.json().error.message).toMatch(/Network NOPE has no payment statement for 2025-26/);
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
