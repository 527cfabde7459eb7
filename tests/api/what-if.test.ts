/**
 * POST /api/payments/what-if (SPEC 11.4): the statement with patients added equals the statement after a real
 * upload of the same figures. Two apps start from copies of the same demo database; on the first the what-if
 * is asked, on the second the changed figures (each practice's numerator plus the patients the what-if put
 * there, same denominator and exceptions) are uploaded; the two statements must agree line by line, to the
 * penny, and carry the same inputs hash. Nothing is saved by the what-if.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeApp, signIn, upload } from '../helpers/app';
import { testOne } from '../helpers/db';

interface Practice {
  code: string;
  numerator: number | null;
  denominator: number | null;
  exceptions: number | null;
}

describe('what-if', () => {
  let whatIfApp: FastifyInstance;
  let uploadApp: FastifyInstance;
  beforeAll(async () => {
    [whatIfApp, uploadApp] = await Promise.all([makeApp(), makeApp()]);
  });
  afterAll(async () => {
    await Promise.all([whatIfApp.close(), uploadApp.close()]);
  });

  const ask = async (app: FastifyInstance, cookie: string, payload: unknown) =>
    app.inject({ method: 'POST', url: '/api/payments/what-if', headers: { cookie }, payload: payload as object });

  it('equals a real upload of the same figures, line by line, and saves nothing', async () => {
    const manager = await signIn(whatIfApp, 'manager');
    const adjustments = [
      { indicator: 'DM-CP', practice: 'Z00001', extraNumerator: 60 },
      { indicator: 'CVD-HYP-BP', extraNumerator: 90 },
      { indicator: 'IMM-MMR1-24M', extraNumerator: 5 },
    ];
    const before = await testOne(whatIfApp, 'SELECT COUNT(*) AS n FROM observations');
    const res = await ask(whatIfApp, manager, { network: 'N1', year: '2026-27', period: '2026-10', adjustments });
    expect(res.statusCode, res.body).toBe(200);
    const what = res.json();
    expect(await testOne(whatIfApp, 'SELECT COUNT(*) AS n FROM observations')).toEqual(before);
    expect(what.applied.map((a: { extraNumerator: number }) => a.extraNumerator)).toEqual([60, 90, 5]);
    expect(what.changes.earnedPence.after).toBe(what.earnedPence);
    expect(what.changes.lines.map((l: { indicator: string }) => l.indicator)).toEqual(
      expect.arrayContaining(['DM-CP', 'CVD-HYP-BP', 'IMM-MMR1-24M']),
    );

    // The same figures, uploaded for real on the copy.
    const commissioner = await signIn(uploadApp, 'commissioner');
    const att = (
      await uploadApp.inject({ url: '/api/attainment?network=N1&period=2026-10', headers: { cookie: commissioner } })
    ).json();
    const extra = new Map<string, number>();
    for (const a of what.applied as { indicator: string; spread: { practice: string; extra: number }[] }[])
      for (const s of a.spread)
        extra.set(`${a.indicator}|${s.practice}`, (extra.get(`${a.indicator}|${s.practice}`) ?? 0) + s.extra);
    const lines = ['period,practice_code,indicator_code,numerator,denominator,exceptions'];
    for (const key of extra.keys()) {
      const [indicator, practice] = key.split('|');
      const p = (att.indicators as { code: string; practices: Practice[] }[])
        .find((i) => i.code === indicator)!
        .practices.find((x) => x.code === practice)!;
      lines.push(
        `2026-10,${practice},${indicator},${p.numerator! + extra.get(key)!},${p.denominator},${p.exceptions ?? ''}`,
      );
    }
    const sent = await upload(uploadApp, await signIn(uploadApp, 'manager'), {
      name: 'same-figures.csv',
      content: lines.join('\n') + '\n',
    });
    expect(sent.statusCode, sent.body).toBe(201);
    const real = (
      await uploadApp.inject({
        url: '/api/payments?year=2026-27&period=2026-10&network=N1',
        headers: { cookie: commissioner },
      })
    ).json();
    const n1 = real.networks.find((n: { code: string }) => n.code === 'N1');
    const { year, period, applied, changes, ...statement } = what;
    expect([year, period, applied.length, typeof changes]).toEqual(['2026-27', '2026-10', 3, 'object']);
    expect(statement).toEqual(n1);
    expect(statement.inputHash).toBe(n1.inputHash);
  });

  it('refuses a numerator above its denominator, naming the indicator, and an unknown practice', async () => {
    const manager = await signIn(whatIfApp, 'manager');
    const res = await ask(whatIfApp, manager, {
      network: 'N1',
      year: '2026-27',
      period: '2026-10',
      adjustments: [
        { indicator: 'DM-CP', practice: 'Z00001', extraNumerator: 100000 },
        { indicator: 'DM-BP', practice: 'Z00009', extraNumerator: 1 },
      ],
    });
    expect(res.statusCode).toBe(400);
    const error = res.json().error;
    expect(error.message).toMatch(/DM-CP at Z00001: .* would exceed the denominator/);
    expect(error.message).toMatch(/Nothing was saved/);
    expect(error.details.map((d: { indicator: string; practice: string }) => [d.indicator, d.practice])).toEqual([
      ['DM-CP', 'Z00001'],
      ['DM-BP', 'Z00009'],
    ]);
  });

  it('is for those who see the network’s payments: a GP is refused, a manager only for their network', async () => {
    const body = {
      network: 'N2',
      year: '2026-27',
      period: '2026-10',
      adjustments: [{ indicator: 'DM-CP', extraNumerator: 1 }],
    };
    expect((await ask(whatIfApp, await signIn(whatIfApp, 'gp'), { ...body, network: 'N1' })).statusCode).toBe(403);
    expect((await ask(whatIfApp, await signIn(whatIfApp, 'manager'), body)).statusCode).toBe(403);
    expect((await ask(whatIfApp, await signIn(whatIfApp, 'commissioner'), body)).statusCode).toBe(200);
    const outside = await ask(whatIfApp, await signIn(whatIfApp, 'commissioner'), { ...body, period: '2025-10' });
    expect(outside.statusCode).toBe(400);
  });
});
