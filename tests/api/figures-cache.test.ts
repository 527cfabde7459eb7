/**
 * Figures kept by data version (issue 14, server/services/figures-cache.ts): the payment statements, the
 * overview and a network's attainment are kept once computed, and every kind of change they depend on moves
 * the data version (triggers, migrations/0007) so the next request computes afresh: an accepted upload, a
 * sign-off, a reopen, a rules or contract value change, a membership change, and a change written by another
 * connection (another process). A rejected upload changes nothing and moves nothing.
 */
import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { currentDataVersion } from '../../server/db/repositories/maintenance';
import { makeApp, signIn, upload } from '../helpers/app';
import { testQuery } from '../helpers/db';

interface Indicator {
  code: string;
  numerator: number | null;
  targetBp: number;
}
interface Payments {
  locked: boolean;
  networks: { code: string; inputHash: string; contractValuePence: number; domains: { indicators: Indicator[] }[] }[];
}
interface PaymentsList {
  locked: boolean;
  inputHash: string;
  networks: { code: string; inputHash: string; contractValuePence: number }[];
}
interface Attainment {
  indicators: (Indicator & { practices: { code: string }[] })[];
}
interface Overview {
  networks: { code: string; domains: { indicators: { code: string; rate: number | null; targetBp: number }[] }[] }[];
}

describe('figures kept by data version', () => {
  let app: FastifyInstance;
  let admin: string;
  let commissioner: string;
  let manager: string;
  beforeEach(async () => {
    app = await makeApp();
    [admin, commissioner, manager] = await Promise.all([
      signIn(app, 'admin'),
      signIn(app, 'commissioner'),
      signIn(app, 'manager'),
    ]);
  });
  afterEach(() => app.close());

  const get = async <T>(url: string, cookie = commissioner): Promise<T> => {
    const res = await app.inject({ url, headers: { cookie } });
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as T;
  };
  /** N1's statement with its evidence, and every network's in brief. */
  const payments = () => get<Payments>('/api/payments?year=2025-26&period=2026-03&network=N1');
  const list = () => get<PaymentsList>('/api/payments?year=2025-26&period=2026-03');
  const n1Listed = (l: PaymentsList) => l.networks.find((n) => n.code === 'N1');
  const attainment = () => get<Attainment>('/api/attainment?network=N1&period=2026-03');
  const overview = () => get<Overview>('/api/overview?period=2026-03');
  const n1Payment = (p: Payments, code: string) =>
    p.networks
      .find((n) => n.code === 'N1')
      ?.domains.flatMap((d) => d.indicators)
      .find((i) => i.code === code);
  const n1Overview = (o: Overview, code: string) =>
    o.networks
      .find((n) => n.code === 'N1')
      ?.domains.flatMap((d) => d.indicators)
      .find((i) => i.code === code);
  /** Every figure asked for once, so each is kept before the change. */
  const warm = async () => {
    const [p, l, a, o] = await Promise.all([payments(), list(), attainment(), overview()]);
    // Asking again at the same version gives the same figures.
    expect(await payments()).toEqual(p);
    expect(await list()).toEqual(l);
    expect(await attainment()).toEqual(a);
    expect(await overview()).toEqual(o);
    return { p, l, a, o, version: await currentDataVersion(app.db) };
  };

  it('an accepted upload moves the version, and the new value is in every figure', async () => {
    const before = await warm();
    const old = n1Payment(before.p, 'DM-CP');
    expect(old?.numerator).not.toBe(1);
    const res = await upload(app, manager, {
      name: 'fix.csv',
      content: 'period,practice_code,indicator_code,numerator,denominator\n2026-03,Z00001,DM-CP,1,100\n',
    });
    expect(res.statusCode, res.body).toBe(201);
    expect(await currentDataVersion(app.db)).toBeGreaterThan(before.version);
    const after = { p: await payments(), a: await attainment(), o: await overview() };
    expect(n1Payment(after.p, 'DM-CP')?.numerator).not.toBe(old?.numerator);
    expect(after.a.indicators.find((i) => i.code === 'DM-CP')?.numerator).toBe(n1Payment(after.p, 'DM-CP')?.numerator);
    expect(n1Overview(after.o, 'DM-CP')?.rate).not.toBe(n1Overview(before.o, 'DM-CP')?.rate);
    // The list is worked out again too: N1's inputs, and so its hash, changed.
    expect(n1Listed(await list())?.inputHash).toBe(after.p.networks[0]?.inputHash);
    expect(n1Listed(await list())?.inputHash).not.toBe(n1Listed(before.l)?.inputHash);
  });

  it('a rejected upload changes nothing and leaves the version where it was', async () => {
    const before = await warm();
    const res = await upload(app, manager, {
      name: 'bad.csv',
      content: 'period,practice_code,indicator_code,numerator,denominator\n2026-03,Z00001,DM-CP,500,100\n',
    });
    expect(res.statusCode).toBe(422);
    expect(await currentDataVersion(app.db)).toBe(before.version);
    expect(await payments()).toEqual(before.p);
    expect(await list()).toEqual(before.l);
  });

  it('a sign-off and a reopen each move the version, and payments show the year locked, then open', async () => {
    const before = await warm();
    expect(before.p.locked).toBe(false);
    const signed = await app.inject({
      method: 'POST',
      url: '/api/payments/2025-26/sign-off',
      headers: { cookie: commissioner },
      payload: {},
    });
    expect(signed.statusCode, signed.body).toBe(200);
    const afterSignOff = await currentDataVersion(app.db);
    expect(afterSignOff).toBeGreaterThan(before.version);
    expect((await payments()).locked).toBe(true);
    expect((await list()).locked).toBe(true);
    const reopened = await app.inject({
      method: 'POST',
      url: '/api/payments/2025-26/reopen',
      headers: { cookie: commissioner },
      payload: { reason: 'a practice found missed care plans' },
    });
    expect(reopened.statusCode, reopened.body).toBe(200);
    expect(await currentDataVersion(app.db)).toBeGreaterThan(afterSignOff);
    expect((await payments()).locked).toBe(false);
  });

  it('a rules change (a target, a contract value) moves the version and every figure follows it', async () => {
    const before = await warm();
    const rules = await get<{
      retrospectiveShareBp: number;
      domainRule: string;
      domains: { code: string; shareBp: number }[];
      indicators: { code: string; targetBp: number; lowerBp: number | null; mode: string; weight: number }[];
      contractValues: { network: string; valuePence: number }[];
    }>('/api/contract-years/2025-26/rules', admin);
    const body = {
      retrospectiveShareBp: rules.retrospectiveShareBp,
      domainRule: rules.domainRule,
      domains: rules.domains.map(({ code, shareBp }) => ({ code, shareBp })),
      indicators: rules.indicators.map(({ code, targetBp, lowerBp, mode, weight }) => ({
        code,
        targetBp: code === 'DM-CP' ? 5000 : targetBp,
        lowerBp: code === 'DM-CP' ? null : lowerBp,
        mode: code === 'DM-CP' ? 'threshold' : mode,
        weight,
      })),
      contractValues: rules.contractValues.map((v) => ({
        network: v.network,
        valuePence: v.network === 'N1' ? v.valuePence + 100 : v.valuePence,
      })),
    };
    const res = await app.inject({
      method: 'PUT',
      url: '/api/contract-years/2025-26/rules',
      headers: { cookie: admin },
      payload: body,
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(await currentDataVersion(app.db)).toBeGreaterThan(before.version);
    const after = { p: await payments(), a: await attainment(), o: await overview() };
    expect(n1Payment(after.p, 'DM-CP')?.targetBp).toBe(5000);
    expect(after.p.networks.find((n) => n.code === 'N1')?.contractValuePence).toBe(
      (before.p.networks.find((n) => n.code === 'N1')?.contractValuePence ?? 0) + 100,
    );
    expect(n1Listed(await list())?.contractValuePence).toBe((n1Listed(before.l)?.contractValuePence ?? 0) + 100);
    expect(after.a.indicators.find((i) => i.code === 'DM-CP')?.targetBp).toBe(5000);
    expect(n1Overview(after.o, 'DM-CP')?.targetBp).toBe(5000);
  });

  it('a membership change moves the version, and the network’s practices follow it', async () => {
    const before = await warm();
    const members = (a: Attainment) => a.indicators[0]?.practices.map((p) => p.code);
    expect(members(before.a)).toContain('Z00001');
    const res = await app.inject({
      method: 'POST',
      url: '/api/memberships',
      headers: { cookie: admin },
      payload: { practiceCode: 'Z00001', networkCode: null, fromPeriod: '2026-03' },
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(await currentDataVersion(app.db)).toBeGreaterThan(before.version);
    expect(members(await attainment())).not.toContain('Z00001');
    expect(await payments()).not.toEqual(before.p);
  });

  it('a change written by another connection (as another process would) is seen too', async () => {
    const before = await warm();
    await testQuery(app, "UPDATE indicators SET target_bp = 9900 WHERE code = 'DM-CP'");
    expect(await currentDataVersion(app.db)).toBeGreaterThan(before.version);
    expect(n1Payment(await payments(), 'DM-CP')?.targetBp).toBe(9900);
    expect((await list()).inputHash).not.toBe(before.l.inputHash);
    expect((await attainment()).indicators.find((i) => i.code === 'DM-CP')?.targetBp).toBe(9900);
    expect(n1Overview(await overview(), 'DM-CP')?.targetBp).toBe(9900);
  });

  it('each viewer gets from the kept figures exactly what a fresh computation for them gives', async () => {
    await warm(); // kept as first computed for the commissioner
    const fresh = await makeApp(); // nothing kept yet
    try {
      for (const who of ['gp', 'manager', 'admin', 'commissioner']) {
        const [here, there] = [await signIn(app, who), await signIn(fresh, who)];
        for (const url of ['/api/attainment?network=N1&period=2026-03', '/api/overview?period=2026-03']) {
          const cold = await fresh.inject({ url, headers: { cookie: there } });
          const kept = await app.inject({ url, headers: { cookie: here } });
          expect(kept.statusCode, `${who} ${url}`).toBe(cold.statusCode);
          expect(kept.json(), `${who} ${url}`).toEqual(cold.json());
        }
      }
    } finally {
      await fresh.close();
    }
  });
});
