/**
 * Attainment and payments through the API, figure by figure, on a crafted March 2026 (the final period of
 * contract year 2025-26) for network N1, whose contract value is set to £250,000.00 for the test.
 *
 * Worked by hand:
 *   retrospective pot = 25,000,000p × 30% = 7,500,000p; prospective 17,500,000p
 *   domain pots: DM 20% 1,500,000 · CVD 20% 1,500,000 · COPD 15% 1,125,000 · IMM 20% 1,500,000 · EOL 10% 750,000 · DA 15% 1,125,000
 *   DM-BP (target 70%): 70/100 + 35/50 + 0/0 + 140/200 = 245/350 = 70.00% → met, 0 patients needed
 *   DM-CP (target 85%): 84/100 + 85/100 + 0/0 + 170/200 = 339/400 = 84.75% → not met, 1 patient needed (340/400)
 *   EOL: every denominator 0 → not assessable, 750,000p held
 *   every other indicator 100% → met
 *   all-indicators rule: DM lost (DM-CP missed) → earned 7,500,000 − 1,500,000 − 750,000 held = 5,250,000p
 */
import Papa from 'papaparse';
import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_CATALOGUE } from '../../server/domain/catalogue';
import { allObservations, makeApp, signIn, upload } from '../helpers/app';
import { testOne, testQuery } from '../helpers/db';

const N1 = ['Z00001', 'Z00002', 'Z00003', 'Z00004'];
const CRAFTED: Record<string, [number, number][]> = {
  'DM-BP': [
    [70, 100],
    [35, 50],
    [0, 0],
    [140, 200],
  ],
  'DM-CP': [
    [84, 100],
    [85, 100],
    [0, 0],
    [170, 200],
  ],
};
function craftedMarch(): string {
  const lines = ['period,practice_code,indicator_code,numerator,denominator'];
  for (const ind of DEFAULT_CATALOGUE) {
    N1.forEach((practice, i) => {
      const [n, d] = CRAFTED[ind.code]?.[i] ?? (ind.domain === 'EOL' ? [0, 0] : [40, 40]);
      lines.push(`2026-03,${practice},${ind.code},${n},${d}`);
    });
  }
  return lines.join('\n') + '\n';
}

describe('attainment and payments for a crafted month', () => {
  let app: FastifyInstance;
  let manager: string;
  let commissioner: string;
  beforeEach(async () => {
    app = await makeApp();
    await testQuery(
      app,
      "UPDATE contract_values SET value_pence = 25000000 WHERE network_id = (SELECT id FROM networks WHERE code = 'N1') AND contract_year_id = (SELECT id FROM contract_years WHERE code = '2025-26')",
    );
    manager = await signIn(app, 'manager');
    commissioner = await signIn(app, 'commissioner');
    const res = await upload(app, manager, { name: 'march.csv', content: craftedMarch() });
    expect(res.statusCode, res.body).toBe(201);
  });
  afterEach(() => app.close());

  it('GET /api/attainment gives the pooled figures, completeness and patients needed', async () => {
    const a = (
      await app.inject({ url: '/api/attainment?network=N1&period=2026-03', headers: { cookie: manager } })
    ).json();
    expect(a).toMatchObject({ network: 'N1', period: '2026-03', contractYear: '2025-26' });
    const bp = a.indicators.find((i: { code: string }) => i.code === 'DM-BP');
    expect(bp).toMatchObject({
      numerator: 245,
      denominator: 350,
      rate: 0.7,
      targetBp: 7000,
      lowerBp: 5000,
      met: true,
      complete: true,
      missingPractices: [],
      patientsNeeded: 0,
    });
    expect(
      bp.practices.map(
        (p: { code: string; rate: number | null; met: boolean | null; patientsNeeded: number | null }) => [
          p.code,
          p.rate,
          p.met,
          p.patientsNeeded,
        ],
      ),
    ).toEqual([
      ['Z00001', 0.7, true, 0],
      ['Z00002', 0.7, true, 0],
      ['Z00003', null, null, null],
      ['Z00004', 0.7, true, 0],
    ]);
    const cp = a.indicators.find((i: { code: string }) => i.code === 'DM-CP');
    expect(cp).toMatchObject({
      numerator: 339,
      denominator: 400,
      rate: 0.8475,
      met: false,
      state: 'not-met',
      patientsNeeded: 1,
    });
    expect(a.indicators.find((i: { code: string }) => i.code === 'EOL-REG')).toMatchObject({
      numerator: 0,
      denominator: 0,
      rate: null,
      met: false,
      state: 'not-applicable',
    });
  });

  it('the period defaults to the latest with data, and a GP sees another network without its practices', async () => {
    const gp = await signIn(app, 'gp');
    const latest = (await app.inject({ url: '/api/attainment?network=N2', headers: { cookie: gp } })).json();
    expect(latest.period).toBe('2026-10');
    expect(latest.indicators[0].practices).toEqual([]);
    const own = (await app.inject({ url: '/api/attainment?network=N1', headers: { cookie: gp } })).json();
    expect(own.indicators[0].practices).toHaveLength(4);
    const denied = await app.inject({ url: '/api/attainment?network=N2', headers: { cookie: manager } });
    expect(denied.statusCode).toBe(403);
  });

  it('uses the membership in force: Z00022 counts for N5 in September 2025 and for N6 in October', async () => {
    const codes = async (network: string, period: string) =>
      (
        await app.inject({
          url: `/api/attainment?network=${network}&period=${period}`,
          headers: { cookie: commissioner },
        })
      )
        .json()
        .indicators[0].practices.map((p: { code: string }) => p.code);
    expect(await codes('N5', '2025-09')).toContain('Z00022');
    expect(await codes('N5', '2025-10')).not.toContain('Z00022');
    expect(await codes('N6', '2025-10')).toContain('Z00022');
  });

  it('GET /api/payments gives the final statement at March, figure by figure', async () => {
    const p = (await app.inject({ url: '/api/payments?year=2025-26', headers: { cookie: commissioner } })).json();
    expect(p).toMatchObject({
      year: '2025-26',
      period: '2026-03',
      final: true,
      locked: false,
      signOff: null,
      rules: { retrospectiveShareBp: 3000, domainRule: 'all-indicators' },
    });
    const n1 = p.networks.find((n: { code: string }) => n.code === 'N1');
    expect(n1).toMatchObject({
      contractValuePence: 25_000_000,
      prospectivePence: 17_500_000,
      retrospectivePotPence: 7_500_000,
      earnedPence: 5_250_000,
      heldPence: 750_000,
      status: 'partial',
      incompleteIndicators: [],
    });
    expect(
      n1.domains.map((d: { code: string; potPence: number; earnedPence: number; status: string }) => [
        d.code,
        d.potPence,
        d.earnedPence,
        d.status,
      ]),
    ).toEqual([
      ['DM', 1_500_000, 0, 'not-earned'],
      ['CVD', 1_500_000, 1_500_000, 'earned'],
      ['COPD', 1_125_000, 1_125_000, 'earned'],
      ['IMM', 1_500_000, 1_500_000, 'earned'],
      ['EOL', 750_000, 0, 'not-assessable'],
      ['DA', 1_125_000, 1_125_000, 'earned'],
    ]);
    const dm = n1.domains[0];
    expect(
      dm.indicators.map(
        (i: {
          code: string;
          potPence: number;
          fraction: number;
          earnedPence: number;
          met: boolean;
          complete: boolean;
        }) => [i.code, i.potPence, i.fraction, i.earnedPence, i.met, i.complete],
      ),
    ).toEqual([
      ['DM-CP', 300_000, 0, 0, false, true],
      ['DM-HBA1C', 300_000, 1, 0, true, true],
      ['DM-BP', 300_000, 1, 0, true, true],
      ['DM-CHOL', 300_000, 1, 0, true, true],
      ['DM-RET', 300_000, 1, 0, true, true],
    ]);
    // N1 alone, with its evidence: the same figures, and the split between its practices.
    const alone = (
      await app.inject({ url: '/api/payments?year=2025-26&network=N1', headers: { cookie: commissioner } })
    ).json().networks[0];
    expect(alone).toMatchObject({ code: 'N1', earnedPence: 5_250_000, heldPence: 750_000, status: 'partial' });
    expect(alone.domains[0].indicators[0]).toMatchObject({ code: 'DM-CP', numerator: 339, denominator: 400 });
    expect(alone.practiceSplit.reduce((s: number, x: { pence: number }) => s + x.pence, 0)).toBe(5_250_000);
    expect(p.totals.earnedPence).toBe(
      p.networks.reduce((s: number, n: { earnedPence: number }) => s + n.earnedPence, 0),
    );
    expect(p.inputHash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('an earlier period gives a provisional statement; a GP gets no payments', async () => {
    const p = (
      await app.inject({ url: '/api/payments?year=2025-26&period=2026-02', headers: { cookie: commissioner } })
    ).json();
    expect(p).toMatchObject({ period: '2026-02', final: false });
    const mine = (await app.inject({ url: '/api/payments?year=2025-26', headers: { cookie: manager } })).json();
    expect(mine.networks.map((n: { code: string }) => n.code)).toEqual(['N1']);
    expect(
      (await app.inject({ url: '/api/payments?year=2025-26', headers: { cookie: await signIn(app, 'gp') } }))
        .statusCode,
    ).toBe(403);
    expect(
      (await app.inject({ url: '/api/payments?year=2025-26&period=2024-03', headers: { cookie: commissioner } }))
        .statusCode,
    ).toBe(400);
  });

  it('the CSV export matches the JSON, row for row', async () => {
    const list = (await app.inject({ url: '/api/payments?year=2025-26', headers: { cookie: commissioner } })).json();
    // Each network's statement with its figures (the list gives them in brief).
    const json = {
      networks: await Promise.all(
        list.networks.map(
          async (n: { code: string }) =>
            (
              await app.inject({
                url: `/api/payments?year=2025-26&network=${n.code}`,
                headers: { cookie: commissioner },
              })
            ).json().networks[0],
        ),
      ),
    };
    expect(json.networks.length).toBe(list.networks.length);
    const csv = await app.inject({ url: '/api/payments.csv?year=2025-26', headers: { cookie: commissioner } });
    expect(csv.headers['content-type']).toContain('text/csv');
    const rows = Papa.parse<Record<string, string>>(csv.body, { header: true, skipEmptyLines: true }).data;
    const expected = json.networks.flatMap(
      (n: {
        code: string;
        earnedPence: number;
        domains: {
          code: string;
          potPence: number;
          indicators: { code: string; numerator: number; denominator: number; potPence: number; earnedPence: number }[];
        }[];
      }) =>
        n.domains.flatMap((d) =>
          d.indicators.map((i) => [
            n.code,
            String(n.earnedPence),
            d.code,
            String(d.potPence),
            i.code,
            String(i.numerator),
            String(i.denominator),
            String(i.potPence),
            String(i.earnedPence),
          ]),
        ),
    );
    expect(
      rows.map((r) => [
        r.network,
        r.network_earned_pence,
        r.domain,
        r.domain_pot_pence,
        r.indicator,
        r.numerator,
        r.denominator,
        r.indicator_pot_pence,
        r.indicator_earned_pence,
      ]),
    ).toEqual(expected);
    expect(rows[0]).toMatchObject({ year: '2025-26', period: '2026-03', statement: 'final' });
    // One network's rows alone, and none of a network the viewer may not see.
    const n1Csv = await app.inject({
      url: '/api/payments.csv?year=2025-26&network=N1',
      headers: { cookie: commissioner },
    });
    const n1Rows = Papa.parse<Record<string, string>>(n1Csv.body, { header: true, skipEmptyLines: true }).data;
    expect(n1Rows).toEqual(rows.filter((r) => r.network === 'N1'));
    expect(n1Csv.headers['content-disposition']).toContain('payments-2025-26-2026-03-N1.csv');
    const notMine = await app.inject({
      url: '/api/payments.csv?year=2025-26&network=N2',
      headers: { cookie: manager },
    });
    expect(notMine.statusCode).toBe(403);

    const att = await app.inject({
      url: '/api/attainment.csv?network=N1&period=2026-03',
      headers: { cookie: manager },
    });
    const attRows = Papa.parse<Record<string, string>>(att.body, { header: true, skipEmptyLines: true }).data;
    expect(attRows.find((r) => r.indicator === 'DM-CP' && r.practice === 'NETWORK')).toMatchObject({
      numerator: '339',
      denominator: '400',
      rate: '0.8475',
      status: 'not-met',
      patients_needed: '1',
    });
  });

  it('sign-off freezes the statement and locks the year; an upload for a locked period is refused and changes nothing; reopen unlocks', async () => {
    const signed = await app.inject({
      method: 'POST',
      url: '/api/payments/2025-26/sign-off',
      headers: { cookie: commissioner },
      payload: {},
    });
    expect(signed.statusCode, signed.body).toBe(200);
    expect(signed.json()).toMatchObject({
      final: true,
      locked: true,
      signOff: { signedBy: 'commissioner', overrideReason: null },
    });
    const years = (await app.inject({ url: '/api/contract-years', headers: { cookie: manager } })).json();
    expect(years[0]).toMatchObject({ code: '2025-26', locked: true, lockedBy: 'commissioner' });

    const before = await allObservations(app);
    const late = await upload(app, manager, {
      name: 'late.csv',
      content: 'period,practice_code,indicator_code,numerator,denominator\n2026-03,Z00001,DM-CP,100,100\n',
    });
    expect(late.statusCode).toBe(409);
    expect(late.json().error).toMatchObject({ code: 'period-locked' });
    expect(late.json().error.message).toContain('commissioner signed off');
    expect(late.json().error.message).toContain('reopen');
    expect(await allObservations(app)).toEqual(before);

    // The frozen statement is what GET shows, even if rules change afterwards.
    await testQuery(app, "UPDATE indicators SET target_bp = 8000 WHERE code = 'DM-CP'");
    const frozen = (
      await app.inject({ url: '/api/payments?year=2025-26&network=N1', headers: { cookie: commissioner } })
    ).json();
    expect(frozen.networks.find((n: { code: string }) => n.code === 'N1').earnedPence).toBe(5_250_000);
    expect(frozen.signOff.inputHash).toBe(signed.json().signOff.inputHash);
    expect(frozen.rules).toMatchObject({ retrospectiveShareBp: 3000, domainRule: 'all-indicators' });
    expect(frozen.networks.find((n: { code: string }) => n.code === 'N1').domains[0].indicators[0]).toMatchObject({
      code: 'DM-CP',
      targetBp: 8500,
      numerator: 339,
      denominator: 400,
    });

    expect(
      (
        await app.inject({
          method: 'POST',
          url: '/api/payments/2025-26/sign-off',
          headers: { cookie: commissioner },
          payload: {},
        })
      ).statusCode,
    ).toBe(409);
    expect(
      (
        await app.inject({
          method: 'POST',
          url: '/api/payments/2025-26/reopen',
          headers: { cookie: manager },
          payload: { reason: 'not allowed for managers' },
        })
      ).statusCode,
    ).toBe(403);
    const reopened = await app.inject({
      method: 'POST',
      url: '/api/payments/2025-26/reopen',
      headers: { cookie: commissioner },
      payload: { reason: 'Z00001 found missed care plans' },
    });
    expect(reopened.json()).toEqual({ year: '2025-26', locked: false });
    const again = await upload(app, manager, {
      name: 'late.csv',
      content: 'period,practice_code,indicator_code,numerator,denominator\n2026-03,Z00001,DM-CP,100,100\n',
    });
    expect(again.statusCode).toBe(201);

    const audit = (await testQuery(
      app,
      "SELECT action, username, detail FROM audit_log WHERE action IN ('sign-off', 'reopen', 'upload-rejected') ORDER BY id",
    )) as { action: string; username: string; detail: string }[];
    expect(audit.map((a) => [a.action, a.username])).toEqual([
      ['sign-off', 'commissioner'],
      ['upload-rejected', 'manager'],
      ['reopen', 'commissioner'],
    ]);
    expect(JSON.parse(audit[2]!.detail)).toMatchObject({ year: '2025-26', reason: 'Z00001 found missed care plans' });
  });

  it('sign-off is refused while an indicator is incomplete at the final period, unless overridden with a reason', async () => {
    // A new practice joins N1 in March 2026 and has sent nothing.
    const admin = await signIn(app, 'admin');
    const listing =
      'network_code,network_name,practice_code,practice_name,list_size\nN1,Riverside Network,Z00099,Newcomer Surgery,3000\n' +
      N1.map((c) => `N1,Riverside Network,${c},Kept,`).join('\n') +
      '\n';
    const ref = await upload(
      app,
      admin,
      { name: 'join.csv', content: listing },
      { fromPeriod: '2026-03' },
      '/api/reference/practices',
    );
    expect(ref.statusCode, ref.body).toBe(201);

    const refused = await app.inject({
      method: 'POST',
      url: '/api/payments/2025-26/sign-off',
      headers: { cookie: commissioner },
      payload: {},
    });
    expect(refused.statusCode).toBe(409);
    expect(refused.json().error.code).toBe('incomplete');
    expect(refused.json().error.details).toContainEqual({
      network: 'N1',
      indicator: 'DM-BP',
      missingPractices: ['Z00099'],
    });
    expect(await testOne(app, "SELECT locked_at FROM contract_years WHERE code = '2025-26'")).toEqual({
      locked_at: null,
    });

    const tooShort = await app.inject({
      method: 'POST',
      url: '/api/payments/2025-26/sign-off',
      headers: { cookie: commissioner },
      payload: { overrideReason: 'ok' },
    });
    expect(tooShort.statusCode).toBe(400);
    const overridden = await app.inject({
      method: 'POST',
      url: '/api/payments/2025-26/sign-off',
      headers: { cookie: commissioner },
      payload: { overrideReason: 'Z00099 joined on 31 March; agreed to pay on the other practices' },
    });
    expect(overridden.statusCode).toBe(200);
    expect(overridden.json().signOff.overrideReason).toContain('Z00099 joined');
    const entry = (await testOne(app, "SELECT detail FROM audit_log WHERE action = 'sign-off'")) as {
      detail: string;
    };
    expect(JSON.parse(entry.detail).override).toContain('Z00099 joined');
  });

  it('a year that has not ended cannot be signed off', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/api/payments/2026-27/sign-off',
      headers: { cookie: commissioner },
      payload: {},
    });
    expect(res.statusCode).toBe(409);
    expect(res.json().error.code).toBe('year-not-ended');
  });
});
