/**
 * The real Tower Hamlets dataset: the borough's networks as NHS Digital published them and the UKHSA COVER
 * quarterly GP coverage file (fixtures/public/tower-hamlets/), built exactly as `npm run demo:tower-hamlets`
 * builds it, checked against figures worked out by hand from the published file.
 *
 * How the expected figures were worked out: for each member practice of the network at the quarter's end,
 * take the published denominator and percentage cells of the quarter (cover-gp-coverage-long.csv, rows for
 * that quarter and practice), numerator = percentage × denominator / 100 rounded to a whole child, then add
 * up. A suppressed cell ("*", "[note1]", "[note 1]") leaves the practice out of that quarter's figure.
 */
import { readFileSync } from 'node:fs';
import Papa from 'papaparse';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTowerHamlets, TOWER_HAMLETS_DIR } from '../../server/services/tower-hamlets';
import type { AcceptedOutcome } from '../../server/domain/upload-outcome';
import { makeApp, signIn, TEST_NOW } from '../helpers/app';
import { testOne, testQuery } from '../helpers/db';

const DIR = TOWER_HAMLETS_DIR;

describe('Tower Hamlets networks from the published immunisation figures', () => {
  let app: FastifyInstance;
  let cookie: string;
  let imported: AcceptedOutcome;
  beforeAll(async () => {
    app = await makeApp({ demo: false });
    const result = await buildTowerHamlets(app.db, app.submissions, DIR, TEST_NOW);
    if (result.status !== 'accepted') throw new Error(JSON.stringify(result.errors.slice(0, 3)));
    imported = result;
    cookie = await signIn(app, 'commissioner');
  });
  afterAll(() => app.close());

  const indicator = async (network: string, code: string, period: string) => {
    const res = await app.inject({ url: `/api/attainment?network=${network}&period=${period}`, headers: { cookie } });
    expect(res.statusCode, res.body).toBe(200);
    return res.json().indicators.find((i: { code: string }) => i.code === code);
  };

  it('imports all 22 quarters, each at its last month, for the four indicators', () => {
    expect(imported.format).toBe('cover');
    expect(imported.periods).toHaveLength(22);
    expect(imported.periods[0]).toBe('2019-06');
    expect(imported.periods.at(-1)).toBe('2024-09');
    expect(imported.indicators).toBe(4);
  });

  it('Network 1 (U50771), 24 months: MMR1 — three quarters by hand', async () => {
    // Apr–Jun 2019: F84016 25/28 (89.29%), F84051 8/10 (80%), F84083 25/31 (80.65%), F84123 18/23 (78.26%),
    // Y00212 17/19 (89.47%) → 93/111.
    expect(await indicator('U50771', 'IMM-MMR1-24M', '2019-06')).toMatchObject({
      numerator: 93,
      denominator: 111,
      complete: true,
      met: false,
    });
    // Jan–Mar 2022 (Y00212 closed in June 2021): F84016 28/30, F84051 12/16, F84083 16/21, F84123 25/29 → 81/96.
    expect(await indicator('U50771', 'IMM-MMR1-24M', '2022-03')).toMatchObject({
      numerator: 81,
      denominator: 96,
      complete: true,
    });
    // Jul–Sep 2024: F84016 27/28 (96.43%), F84051 8/11 (72.73%), F84083 12/13 (92.31%), F84123 20/22 (90.91%) → 67/74.
    const q = await indicator('U50771', 'IMM-MMR1-24M', '2024-09');
    expect(q).toMatchObject({ numerator: 67, denominator: 74, targetBp: 9500, met: false, patientsNeeded: 4 }); // 71/74 = 95.9%
  });

  it('Network 3 (U37286), 12 months: DTaP/IPV/Hib(/HepB) — three quarters by hand, with a suppressed denominator', async () => {
    // Apr–Jun 2021, just after Network 4's practices joined: F84031 31/35, F84039 38/46, F84046 9/9, F84079 31/36,
    // F84087 25/30, F84114 19/22, F84682 30/36 → 183/214; F84731's denominator is "*" (suppressed): left out.
    const q1 = await indicator('U37286', 'IMM-DTAP-12M', '2021-06');
    expect(q1).toMatchObject({ numerator: 183, denominator: 214, complete: false, missingPractices: ['F84731'] });
    // Jan–Mar 2023: F84031 31/36, F84039 74/85, F84079 28/28, F84087 24/26, F84114 34/40 → 191/215 (F84731 "[note1]").
    expect(await indicator('U37286', 'IMM-DTAP-12M', '2023-03')).toMatchObject({
      numerator: 191,
      denominator: 215,
      missingPractices: ['F84731'],
    });
    // Jan–Mar 2024: F84031 33/38, F84039 68/76, F84079 21/25, F84087 24/24, F84114 22/24 → 168/187 (F84731 "[note 1]").
    expect(await indicator('U37286', 'IMM-DTAP-12M', '2024-03')).toMatchObject({ numerator: 168, denominator: 187 });
  });

  it('Network 4 closed on 31 March 2021 and its practices joined Network 3 from April 2021', async () => {
    // Jan–Mar 2021, Network 4: F84031 36/39, F84079 26/31, F84682 41/43 → 103/113 (F84731's denominator suppressed).
    expect(await indicator('U99255', 'IMM-DTAP-12M', '2021-03')).toMatchObject({ numerator: 103, denominator: 113 });
    const members = async (network: string, period: string) =>
      (await app.inject({ url: `/api/networks?period=${period}`, headers: { cookie } }))
        .json()
        .find((n: { code: string }) => n.code === network)
        .practices.map((p: { code: string }) => p.code);
    expect(await members('U99255', '2021-03')).toEqual(['F84031', 'F84079', 'F84682', 'F84731']);
    expect(await members('U99255', '2021-04')).toEqual([]);
    expect(await members('U37286', '2021-03')).toEqual(['F84039', 'F84046', 'F84087', 'F84114']);
    expect(await members('U37286', '2021-04')).toEqual([
      'F84031',
      'F84039',
      'F84046',
      'F84079',
      'F84087',
      'F84114',
      'F84682',
      'F84731',
    ]);
    // The series follow the membership: Network 4's stops at its last quarter; Network 3's grows.
    const n4 = (
      await app.inject({ url: '/api/series?network=U99255&indicator=IMM-DTAP-12M', headers: { cookie } })
    ).json().indicators[0];
    expect(n4.periods.at(-1).period).toBe('2021-03');
    const n3 = (
      await app.inject({ url: '/api/series?network=U37286&indicator=IMM-DTAP-12M', headers: { cookie } })
    ).json().indicators[0];
    expect(n3.periods.find((p: { period: string }) => p.period === '2021-03').members).toBe(4);
    expect(n3.periods.find((p: { period: string }) => p.period === '2021-06').members).toBe(8);
    expect(n3.periods).toHaveLength(22);
    expect(n3.spcPoints).toBe(22);
  });

  it('the practice left unallocated in 2021-22 is in no network that year, and its figures are reported, not counted', async () => {
    const unallocated = (await app.inject({ url: '/api/networks?period=2021-09', headers: { cookie } }))
      .json()
      .flatMap((n: { practices: { code: string }[] }) => n.practices.map((p) => p.code));
    expect(unallocated).not.toContain('F84676');
    const outside = imported.skipped.find((s) => s.reason === 'outside-networks')!;
    expect(outside.examples).toEqual(expect.arrayContaining(['F84676 in 2021-06', 'F84676 in 2021-09']));
  });

  it('suppressed cells are reported and never counted as zero; unknown codes are reported', async () => {
    const file = Papa.parse<Record<string, string>>(readFileSync(`${DIR}cover-gp-coverage-long.csv`, 'utf8'), {
      header: true,
      skipEmptyLines: true,
    }).data;
    const entries = new Set(file.map((r) => `${r.quarter}|${r.practice_code}`));
    const outside = imported.skipped.find((s) => s.reason === 'outside-networks')!;
    const suppressed = imported.skipped.find((s) => s.reason === 'suppressed')!;
    // Every (quarter, member practice) gives four indicator values: each is stored or reported as suppressed.
    expect(imported.inserted + suppressed.rows).toBe(4 * (entries.size - outside.rows));
    expect(suppressed.rows).toBe(90);
    // F84731's 12-month denominator for Apr–Jun 2021 is "*": nothing is stored for it, not a zero.
    const stored = await testOne(
      app,
      "SELECT count(*) AS n FROM observations o JOIN practices p ON p.id = o.practice_id WHERE p.code = 'F84731' AND o.indicator_code = 'IMM-DTAP-12M' AND o.period = '2021-06'",
    );
    expect(stored).toEqual({ n: 0 });
    expect(await testOne(app, 'SELECT count(*) AS n FROM observations WHERE denominator = 0')).toEqual({
      n: 0,
    });
    // The two codes that are not practices of the borough's networks.
    expect(outside.examples).toEqual(expect.arrayContaining(['V81999 in 2019-06', 'F84702 in 2019-09']));
    const detail = (
      await app.inject({ url: `/api/submissions/${imported.id}`, headers: { cookie: await signIn(app, 'admin') } })
    ).json();
    expect(detail.summary.skipped.map((s: { reason: string }) => s.reason)).toEqual(
      expect.arrayContaining(['suppressed', 'outside-networks', 'other-measure']),
    );
  });

  it('the screens know the data is quarterly and carry the licence attribution', async () => {
    const status = (await app.inject({ url: '/api/status' })).json();
    expect(status).toMatchObject({ demo: false, frequency: 'quarterly', latestPeriod: '2024-09' });
    expect(status.attribution).toContain('Open Government Licence v3.0');
    const overview = (await app.inject({ url: '/api/overview', headers: { cookie } })).json();
    expect(overview).toMatchObject({ period: '2024-09', previousPeriod: '2024-06' });
    // Network 4, dissolved in March 2021, is listed last with no members since the quarter after (Apr–Jun 2021).
    const listed = overview.networks.map((n: { code: string; noMembersSince: string | null }) => [
      n.code,
      n.noMembersSince,
    ]);
    expect(listed.at(-1)).toEqual(['U99255', '2021-06']);
    expect(listed.slice(0, -1).every(([, since]: [string, string | null]) => since === null)).toBe(true);
    const n4 = overview.networks.at(-1);
    expect(n4.domains.every((d: { status: string; change: number | null }) => d.status === 'not-applicable')).toBe(
      true,
    );
    expect(n4.domains.every((d: { change: number | null }) => d.change === null)).toBe(true);
  });

  it('a dissolved network says since when it has had no members, on the learning set too', async () => {
    const at = async (network: string, period: string) =>
      (await app.inject({ url: `/api/attainment?network=${network}&period=${period}`, headers: { cookie } })).json();
    expect((await at('U99255', '2024-09')).noMembersSince).toBe('2021-06');
    expect((await at('U99255', '2021-06')).noMembersSince).toBe('2021-06');
    expect((await at('U99255', '2021-03')).noMembersSince).toBeNull();
    expect((await at('U37286', '2024-09')).noMembersSince).toBeNull();
    // In the quarter it was first empty, the overview lists it too; before then it is an ordinary network.
    const overview = async (period: string) =>
      (await app.inject({ url: `/api/overview?period=${period}`, headers: { cookie } }))
        .json()
        .networks.find((n: { code: string }) => n.code === 'U99255');
    expect((await overview('2021-06')).noMembersSince).toBe('2021-06');
    expect((await overview('2021-03')).noMembersSince).toBeNull();
    // Meeting mode's standing: not "4 incomplete" but nothing to stand on since then.
    const standing = async (period: string) =>
      (await app.inject({ url: `/api/standing?network=U99255&period=${period}`, headers: { cookie } })).json();
    expect(await standing('2024-09')).toMatchObject({
      noMembersSince: '2021-06',
      total: 4,
      notApplicable: 4,
      incomplete: 0,
      met: 0,
    });
    expect((await standing('2021-03')).noMembersSince).toBeNull();
  });
});

describe('the COVER file through the Uploads screen', () => {
  it('is recognised from its header, and uploading it again changes nothing', async () => {
    const { upload } = await import('../helpers/app');
    const app = await makeApp({ demo: false });
    try {
      const first = await buildTowerHamlets(app.db, app.submissions, DIR, TEST_NOW);
      expect(first.status).toBe('accepted');
      const admin = await signIn(app, 'admin');
      const res = await upload(app, admin, {
        name: 'cover.csv',
        content: readFileSync(`${DIR}cover-gp-coverage-long.csv`),
      });
      expect(res.statusCode, res.body.slice(0, 300)).toBe(201);
      expect(res.json()).toMatchObject({
        format: 'cover',
        inserted: 0,
        superseded: 0,
        unchanged: (first as AcceptedOutcome).inserted,
      });
      // A network manager's upload of the whole borough's file loads only their network's practices.
      const manager = await signIn(app, 'manager');
      const mine = (
        await upload(app, manager, { name: 'cover.csv', content: readFileSync(`${DIR}cover-gp-coverage-long.csv`) })
      ).json();
      expect(mine.skipped.find((s: { reason: string }) => s.reason === 'other-network').rows).toBeGreaterThan(0);
      expect(mine.unchanged).toBeLessThan((first as AcceptedOutcome).inserted);
    } finally {
      await app.close();
    }
  });
});

describe('sign-in help', () => {
  it('lists the demo accounts a database still has, with their networks, and none once they are disabled', async () => {
    const app = await makeApp();
    try {
      const status = (await app.inject({ url: '/api/status' })).json();
      expect(status.demoAccounts).toEqual([
        { username: 'admin', role: 'admin', networkCode: null },
        { username: 'commissioner', role: 'commissioner', networkCode: null },
        { username: 'gp', role: 'gp', networkCode: 'N1' },
        { username: 'manager', role: 'manager', networkCode: 'N1' },
      ]);
      await testQuery(app, "UPDATE users SET disabled_at = 'x' WHERE is_demo = 1");
      expect((await app.inject({ url: '/api/status' })).json().demoAccounts).toEqual([]);
    } finally {
      await app.close();
    }
  });
});
