/** Networks, practices and memberships from listings: the product's template and NHS Digital's national mapping file. */
import { readFileSync } from 'node:fs';
import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import { addUser, makeApp, signIn, upload } from '../helpers/app';
import { testOne, testQuery } from '../helpers/db';

const NATIONAL = new URL('../../fixtures/public/england/practice-network-map-2022-01.csv', import.meta.url);

async function membershipsOf(app: Awaited<ReturnType<typeof makeApp>>, practice: string) {
  return await testQuery(
    app,
    `SELECT n.code AS network, m.from_period AS "from", m.to_period AS "to" FROM memberships m
       JOIN practices p ON p.id = m.practice_id JOIN networks n ON n.id = m.network_id WHERE p.code = ? ORDER BY m.from_period`,
    [practice],
  );
}

describe('POST /api/reference/practices with the national mapping file', () => {
  it('loads every practice and network in England, and a newer file records moves, joins and leavers', async () => {
    const app = await makeApp({ demo: false });
    try {
      await addUser(app, 'root', 'a long admin password', 'admin');
      const cookie = await signIn(app, 'root', 'a long admin password');
      const bytes = readFileSync(NATIONAL);
      const rows = Papa.parse<Record<string, string>>(bytes.toString('utf8'), {
        header: true,
        skipEmptyLines: true,
      }).data;
      const allocated = rows.filter((r) => r.PCN_CODE !== 'U' && r.PCN_CODE !== '');
      expect(rows).toHaveLength(6527);

      const res = await upload(
        app,
        cookie,
        { name: 'map.csv', content: bytes },
        { fromPeriod: '2022-01' },
        '/api/reference/practices',
      );
      expect(res.statusCode, res.body).toBe(201);
      expect(res.json()).toMatchObject({
        status: 'accepted',
        format: 'nhs-mapping',
        fromPeriod: '2022-01',
        practices: 6527,
        practicesCreated: 6527,
        networksCreated: new Set(allocated.map((r) => r.PCN_CODE)).size,
        joined: allocated.length,
        unallocated: 6527 - allocated.length,
      });
      const count = async (sql: string) => ((await testOne(app, sql)) as { n: number }).n;
      expect(await count('SELECT count(*) AS n FROM practices')).toBe(6527);
      expect(await count('SELECT count(*) AS n FROM networks')).toBe(1254);
      expect(await count('SELECT count(*) AS n FROM memberships WHERE to_period IS NULL')).toBe(6459);
      const first = allocated[0]!;
      expect(await membershipsOf(app, first.PRACTICE_CODE!)).toEqual([
        { network: first.PCN_CODE, from: '2022-01', to: null },
      ]);

      // A newer file: one practice moves to another network, one leaves (closed), one unallocated practice joins.
      const mover = allocated[10]!;
      const target = allocated.find((r) => r.PCN_CODE !== mover.PCN_CODE)!;
      const leaver = allocated[20]!;
      const joiner = rows.find((r) => r.PCN_CODE === 'U' || r.PCN_CODE === '')!;
      const newer = rows
        .filter((r) => r.PRACTICE_CODE !== leaver.PRACTICE_CODE)
        .map((r) =>
          r.PRACTICE_CODE === mover.PRACTICE_CODE
            ? { ...r, PCN_CODE: target.PCN_CODE, PCN_NAME: target.PCN_NAME }
            : r.PRACTICE_CODE === joiner.PRACTICE_CODE
              ? { ...r, PCN_CODE: target.PCN_CODE, PCN_NAME: target.PCN_NAME }
              : r,
        );
      const again = await upload(
        app,
        cookie,
        { name: 'map-2022-07.csv', content: Papa.unparse(newer) },
        { fromPeriod: '2022-07' },
        '/api/reference/practices',
      );
      expect(again.statusCode, again.body).toBe(201);
      expect(again.json()).toMatchObject({ moved: 1, left: 1, joined: 1, practicesCreated: 0, networksCreated: 0 });
      expect(await membershipsOf(app, mover.PRACTICE_CODE!)).toEqual([
        { network: mover.PCN_CODE, from: '2022-01', to: '2022-06' },
        { network: target.PCN_CODE, from: '2022-07', to: null },
      ]);
      expect(await membershipsOf(app, leaver.PRACTICE_CODE!)).toEqual([
        { network: leaver.PCN_CODE, from: '2022-01', to: '2022-06' },
      ]);
      expect(await membershipsOf(app, joiner.PRACTICE_CODE!)).toEqual([
        { network: target.PCN_CODE, from: '2022-07', to: null },
      ]);

      // Re-running the same file from a period before the latest change is refused and changes nothing.
      const stale = await upload(
        app,
        cookie,
        { name: 'map.csv', content: bytes },
        { fromPeriod: '2022-03' },
        '/api/reference/practices',
      );
      expect(stale.statusCode).toBe(422);
      expect(stale.json().errors[0].message).toContain('after it');
      expect(await membershipsOf(app, mover.PRACTICE_CODE!)).toHaveLength(2);
    } finally {
      await app.close();
    }
  });

  it('rejects a listing with bad rows whole, naming row, column and value', async () => {
    const app = await makeApp();
    try {
      const cookie = await signIn(app, 'admin');
      const before = await testOne(app, 'SELECT count(*) AS n FROM memberships');
      const csv =
        'network_code,network_name,practice_code,practice_name,list_size\nN9,New Network,Z00101,New Practice,5000\nN9,New Network,ZZ1,Bad Code,5000\nN9,New Network,Z00102,Another,lots\n';
      const res = await upload(app, cookie, { name: 'practices.csv', content: csv }, {}, '/api/reference/practices');
      expect(res.statusCode).toBe(422);
      expect(res.json().errors).toEqual([
        { row: 3, column: 'practice_code', value: 'ZZ1', message: expect.stringContaining('not an ODS practice code') },
        { row: 4, column: 'list_size', value: 'lots', message: expect.stringContaining('not a number') },
      ]);
      expect(await testOne(app, 'SELECT count(*) AS n FROM memberships')).toEqual(before);
      expect(await testOne(app, "SELECT count(*) AS n FROM practices WHERE code = 'Z00101'")).toEqual({ n: 0 });
    } finally {
      await app.close();
    }
  });

  it('is for admins only', async () => {
    const app = await makeApp();
    try {
      const cookie = await signIn(app, 'manager');
      const res = await upload(
        app,
        cookie,
        { name: 'p.csv', content: 'network_code,network_name,practice_code,practice_name\n' },
        {},
        '/api/reference/practices',
      );
      expect(res.statusCode).toBe(403);
      expect(res.json().error.code).toBe('forbidden');
    } finally {
      await app.close();
    }
  });
});

describe('reference reads', () => {
  it('GET /api/networks lists members at the period, including the practice that changed network', async () => {
    const app = await makeApp();
    try {
      const cookie = await signIn(app, 'admin');
      const at = async (period: string) =>
        (await app.inject({ url: `/api/networks?period=${period}`, headers: { cookie } })).json();
      const sept = await at('2025-09');
      const oct = await at('2025-10');
      expect(sept.map((n: { code: string }) => n.code)).toEqual(['N1', 'N2', 'N3', 'N4', 'N5', 'N6', 'N7', 'N8']);
      const codes = (list: { code: string; practices: { code: string }[] }[], network: string) =>
        list.find((n) => n.code === network)!.practices.map((p) => p.code);
      expect(codes(sept, 'N5')).toContain('Z00022');
      expect(codes(oct, 'N5')).not.toContain('Z00022');
      expect(codes(oct, 'N6')).toContain('Z00022');
      expect(sept[0].practices[0]).toEqual({ code: 'Z00001', name: expect.any(String), listSize: expect.any(Number) });
    } finally {
      await app.close();
    }
  });

  it('a GP sees every network but practice names only for their own; a manager sees only their network', async () => {
    const app = await makeApp();
    try {
      const gp = (await app.inject({ url: '/api/networks', headers: { cookie: await signIn(app, 'gp') } })).json();
      expect(gp).toHaveLength(8);
      expect(gp.find((n: { code: string }) => n.code === 'N1').practices.length).toBeGreaterThan(0);
      expect(
        gp.filter((n: { code: string; practices: unknown[] }) => n.code !== 'N1' && n.practices.length > 0),
      ).toEqual([]);
      const manager = (
        await app.inject({ url: '/api/networks', headers: { cookie: await signIn(app, 'manager') } })
      ).json();
      expect(manager.map((n: { code: string }) => n.code)).toEqual(['N1']);
    } finally {
      await app.close();
    }
  });

  it('GET /api/contract-years and their indicators give the configured rules', async () => {
    const app = await makeApp();
    try {
      const cookie = await signIn(app, 'gp');
      const years = (await app.inject({ url: '/api/contract-years', headers: { cookie } })).json();
      expect(years.map((y: { code: string }) => y.code)).toEqual(['2025-26', '2026-27']);
      expect(years[0]).toMatchObject({
        firstPeriod: '2025-04',
        lastPeriod: '2026-03',
        retrospectiveShareBp: 3000,
        domainRule: 'all-indicators',
        locked: false,
      });
      expect(years[0].domains.reduce((s: number, d: { shareBp: number }) => s + d.shareBp, 0)).toBe(10000);
      const indicators = (
        await app.inject({ url: '/api/contract-years/2025-26/indicators', headers: { cookie } })
      ).json();
      expect(indicators).toHaveLength(22);
      expect(indicators.find((i: { code: string }) => i.code === 'DM-BP')).toMatchObject({
        domain: 'DM',
        targetBp: 7000,
        lowerBp: 5000,
        mode: 'threshold',
        weight: 1,
      });
      const missing = await app.inject({ url: '/api/contract-years/2030-31/indicators', headers: { cookie } });
      expect(missing.statusCode).toBe(404);
      expect(missing.json().error.code).toBe('not-found');
    } finally {
      await app.close();
    }
  });
});
