/**
 * The statement says why and what it would take (SPEC 11.1–11.2), through the API on the demo data, with one
 * crafted March 2026 for N1 (contract value £250,000.00, so pots as worked in payments.test.ts):
 *   DM-CP 339/400 = 84.75% against 85%: not met, 1 patient needed (340 × 10000 ≥ 8500 × 400);
 *     per practice: Z00001 84/100 → 1 (85/100), Z00002 85/100 → 0, Z00003 0/0 → none, Z00004 170/200 → 0
 *   DM (all-indicators): earns 0 of 1,500,000p, so releasable 1,500,000p for 1 patient
 *   EOL: not assessable, its 750,000p held, releasable 0
 *   N1 releasable = 1,500,000p; releasableOrder = [DM]
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_CATALOGUE } from '../../server/domain/catalogue';
import { makeApp, signIn, upload } from '../helpers/app';
import { testQuery } from '../helpers/db';

const N1 = ['Z00001', 'Z00002', 'Z00003', 'Z00004'];
const CRAFTED: Record<string, [number, number][]> = {
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

interface Line {
  code: string;
  numerator: number;
  denominator: number;
  state: string;
  rateText: string | null;
  exactText: string | null;
  why: string;
}
interface Domain {
  code: string;
  status: string;
  potPence: number;
  earnedPence: number;
  releasablePence: number;
  patientsNeeded: number;
  why: string;
  unmet: {
    code: string;
    patientsNeeded: number;
    complete: boolean;
    practices: { code: string; patientsNeeded: number | null }[];
  }[];
  indicators: Line[];
}
interface Network {
  code: string;
  releasablePence: number;
  releasableOrder: string[];
  heldText: string | null;
  domains: Domain[];
}

describe('payment statements that say why and what it would take', () => {
  let app: FastifyInstance;
  let commissioner: string;
  let manager: string;
  beforeAll(async () => {
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
  afterAll(() => app.close());

  const statement = async (cookie: string, code: string, query = 'year=2025-26') => {
    const res = await app.inject({ url: `/api/payments?${query}&network=${code}`, headers: { cookie } });
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    return { body, network: body.networks.find((n: Network) => n.code === code) as Network };
  };

  it('writes out the domain rule, and gives releasable pence and the unmet indicators per domain and practice', async () => {
    const { body, network: n1 } = await statement(manager, 'N1');
    expect(body.rules.domainRuleText).toMatch(/^All-indicators rule: a domain's pot is paid in full only when every/);
    expect(body.rules.basisText).toMatch(/^Final/);
    expect(n1.releasablePence).toBe(1_500_000);
    expect(n1.releasableOrder).toEqual(['DM']);
    expect(n1.heldText).toBe(
      '£7,500.00 is held for the commissioner to decide: the pot of EOL, which has no applicable indicator.',
    );
    const dm = n1.domains.find((d) => d.code === 'DM')!;
    expect(dm).toMatchObject({ earnedPence: 0, releasablePence: 1_500_000, patientsNeeded: 1 });
    expect(dm.unmet.map((u) => [u.code, u.patientsNeeded, u.complete])).toEqual([['DM-CP', 1, true]]);
    expect(dm.unmet[0]!.practices.map((p) => [p.code, p.patientsNeeded])).toEqual([
      ['Z00001', 1],
      ['Z00002', 0],
      ['Z00003', null],
      ['Z00004', 0],
    ]);
    const eol = n1.domains.find((d) => d.code === 'EOL')!;
    expect(eol).toMatchObject({ status: 'not-assessable', releasablePence: 0, unmet: [] });
    expect(eol.why).toMatch(
      /^not assessable: .* held for the commissioner to decide; it is neither paid nor withheld$/,
    );
    for (const d of n1.domains.filter((x) => x.code !== 'DM' && x.code !== 'EOL')) {
      expect([d.code, d.releasablePence, d.unmet]).toEqual([d.code, 0, []]);
    }
  });

  it('a met indicator in a domain that earns nothing names the indicator holding it back', async () => {
    const { network: n1 } = await statement(commissioner, 'N1');
    const dm = n1.domains.find((d) => d.code === 'DM')!;
    const bp = dm.indicators.find((i) => i.code === 'DM-BP')!;
    expect(bp.why).toBe(
      'met: 100.0% (160 / 160) reaches the 70% target; under the all-indicators rule the domain pays only when DM-CP is met too',
    );
    const cp = dm.indicators.find((i) => i.code === 'DM-CP')!;
    expect([cp.rateText, cp.exactText]).toEqual(['84.8%', '339 / 400']);
    expect(cp.why).toMatch(/^not met: 84.8% \(339 \/ 400\) is below the 85% target; 1 more patient needed/);
    expect(dm.why).toMatch(/^not earned: DM-CP is below target/);
  });

  it('never rounds a not-met rate up to its target: N3 CVD-HYP-BP 2,282 / 2,854 reads 79.96% against 80% (0.8 × 2,854 = 2,283.2: 2 patients short)', async () => {
    // Find the month of 2025-26 where N3's CVD-HYP-BP is 2,282 / 2,854 (the issue's example).
    const months = [
      '2025-04',
      '2025-05',
      '2025-06',
      '2025-07',
      '2025-08',
      '2025-09',
      '2025-10',
      '2025-11',
      '2025-12',
      '2026-01',
      '2026-02',
      '2026-03',
    ];
    const found: Line[] = [];
    for (const m of months) {
      const { network } = await statement(commissioner, 'N3', `year=2025-26&period=${m}`);
      const line = network.domains.flatMap((d) => d.indicators).find((i) => i.code === 'CVD-HYP-BP')!;
      if (line.numerator === 2282 && line.denominator === 2854) found.push(line);
    }
    expect(found.length).toBeGreaterThan(0);
    for (const line of found) {
      expect([line.state, line.rateText, line.exactText]).toEqual(['not-met', '79.96%', '2,282 / 2,854']);
      expect(line.why).toContain('79.96% (2,282 / 2,854) is below the 80% target; 2 more patients needed');
    }
  });

  it('a signed-off statement keeps its reasons and what it would take, worked out from its own lines', async () => {
    const before = await statement(commissioner, 'N1');
    const res = await app.inject({
      method: 'POST',
      url: '/api/payments/2025-26/sign-off',
      headers: { cookie: commissioner, 'content-type': 'application/json' },
      payload: { overrideReason: 'Figures agreed with every network at the March meeting.' },
    });
    expect(res.statusCode, res.body).toBe(200);
    const after = await statement(commissioner, 'N1');
    expect(after.body.locked).toBe(true);
    expect(after.network.releasablePence).toBe(before.network.releasablePence);
    expect(after.network.domains.map((d) => [d.code, d.releasablePence, d.why])).toEqual(
      before.network.domains.map((d) => [d.code, d.releasablePence, d.why]),
    );
    const dm = after.network.domains.find((d) => d.code === 'DM')!;
    expect(dm.unmet.map((u) => [u.code, u.patientsNeeded, u.practices])).toEqual([['DM-CP', 1, []]]);
  });
});
