/** Supersession and history, the submissions list, missing practices, templates, and who may upload. */
import { sql } from 'kysely';
import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { allObservations, currentObservation, makeApp, signIn, upload } from '../helpers/app';
import { testOne } from '../helpers/db';

const HEADER = 'period,practice_code,indicator_code,numerator,denominator,exceptions\n';

describe('supersession keeps history', () => {
  let app: FastifyInstance;
  let cookie: string;
  beforeEach(async () => {
    app = await makeApp();
    cookie = await signIn(app, 'manager');
  });
  afterEach(() => app.close());

  it('re-uploading the same file changes nothing; a corrected file supersedes and the old value stays', async () => {
    const file = `${HEADER}2026-10,Z00001,DM-BP,500,760,20\n2026-10,Z00002,DM-BP,400,600,10\n`;
    const first = (await upload(app, cookie, { name: 'oct.csv', content: file })).json();
    expect(first).toMatchObject({ status: 'accepted', inserted: 2, superseded: 2, unchanged: 0 });

    // The app's connection enforces foreign keys throughout (the bulk write turns them off on the worker's own).
    // A SQLite setting: PostgreSQL always enforces them.
    if (!app.config.databaseUrl)
      expect((await sql<{ foreign_keys: number }>`PRAGMA foreign_keys`.execute(app.db)).rows).toEqual([
        { foreign_keys: 1 },
      ]);
    const snapshot = await allObservations(app);
    const again = await upload(app, cookie, { name: 'oct.csv', content: file });
    expect(again.statusCode).toBe(201);
    expect(again.json()).toMatchObject({ status: 'accepted', inserted: 0, superseded: 0, unchanged: 2 });
    expect(await allObservations(app)).toEqual(snapshot);

    const corrected = `${HEADER}2026-10,Z00001,DM-BP,512,760,20\n2026-10,Z00002,DM-BP,400,600,10\n`;
    const third = (await upload(app, cookie, { name: 'oct-v2.csv', content: corrected })).json();
    expect(third).toMatchObject({ inserted: 1, superseded: 1, unchanged: 1 });
    expect(await currentObservation(app, 'Z00001', 'DM-BP', '2026-10')).toEqual({
      numerator: 512,
      denominator: 760,
      exceptions: 20,
      submission_id: third.id,
    });

    const history = (await allObservations(app)).filter(
      (o) => o.practice === 'Z00001' && o.indicator_code === 'DM-BP' && o.period === '2026-10',
    );
    expect(history.map((o) => [o.submission_id, o.numerator, o.superseded_by])).toEqual([
      [history[0]!.submission_id, history[0]!.numerator, first.id], // the demo value, superseded by the first upload
      [first.id, 500, third.id],
      [third.id, 512, null],
    ]);
  });

  it('the demo resubmission of February 2026 for N2 superseded the first figures and kept them', async () => {
    const rows = await testOne(
      app,
      `SELECT count(*) AS versions, count(*) FILTER (WHERE o.superseded_by IS NULL) AS current FROM observations o JOIN practices p ON p.id = o.practice_id
         WHERE p.code = 'Z00005' AND o.indicator_code = 'DM-CP' AND o.period = '2026-02'`,
    );
    expect(rows).toEqual({ versions: 2, current: 1 });
  });
});

describe('submissions list, missing practices and templates', () => {
  let app: FastifyInstance;
  beforeEach(async () => {
    app = await makeApp();
  });
  afterEach(() => app.close());

  it('a network manager sees their own uploads, newest first; an admin sees all', async () => {
    const manager = await signIn(app, 'manager');
    await upload(app, manager, { name: 'good.csv', content: `${HEADER}2026-10,Z00001,DM-BP,500,760,\n` });
    await upload(app, manager, { name: 'bad.csv', content: `${HEADER}2026-10,Z00001,DM-BP,900,760,\n` });
    const mine = (await app.inject({ url: '/api/submissions', headers: { cookie: manager } })).json();
    expect(
      mine.map((s: { filename: string; status: string; errorCount: number }) => [s.filename, s.status, s.errorCount]),
    ).toEqual([
      ['bad.csv', 'rejected', 1],
      ['good.csv', 'accepted', 0],
    ]);
    const all = (
      await app.inject({ url: '/api/submissions?limit=500', headers: { cookie: await signIn(app, 'admin') } })
    ).json();
    expect(all.length).toBe(mine.length + 22); // 2 demo listings and 20 demo monthly files
    const other = all.find((s: { uploader: string }) => s.uploader !== 'manager')!;
    const denied = await app.inject({ url: `/api/submissions/${other.id}`, headers: { cookie: manager } });
    expect(denied.statusCode).toBe(403);
  });

  it('lists the member practice that has not sent October 2026, and clears it once it has', async () => {
    const admin = await signIn(app, 'admin');
    const before = (
      await app.inject({ url: '/api/submissions/missing?period=2026-10', headers: { cookie: admin } })
    ).json();
    expect(before).toEqual({
      period: '2026-10',
      missing: [{ period: '2026-10', network: 'N4', practiceCode: 'Z00017', practiceName: expect.any(String) }],
    });
    const res = await upload(app, admin, { name: 'late.csv', content: `${HEADER}2026-10,Z00017,DM-BP,300,450,\n` });
    expect(res.json().missing).toEqual([]);
    const after = (await app.inject({ url: '/api/submissions/missing', headers: { cookie: admin } })).json();
    expect(after).toEqual({ period: '2026-10', missing: [] });
  });

  it("the long template is pre-filled with the manager's practices and every indicator for last month, and uploads back with clear errors", async () => {
    const cookie = await signIn(app, 'manager');
    const res = await app.inject({ url: '/api/templates/long', headers: { cookie } });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/csv');
    const lines = res.body.trim().split('\r\n');
    expect(lines[0]).toBe('period,practice_code,indicator_code,numerator,denominator,exceptions');
    expect(lines).toHaveLength(1 + 4 * 22);
    expect(lines[1]).toBe('2026-10,Z00001,DM-CP,,,');
    const back = await upload(app, cookie, { name: 'template.csv', content: res.body });
    expect(back.statusCode).toBe(422);
    expect(back.json().errors[0].message).toBe('row 2: numerator is missing');
    const wide = await app.inject({ url: '/api/templates/wide', headers: { cookie } });
    expect(wide.body.split('\r\n')[0]).toMatch(
      /^period,practice_code,DM-CP_numerator,DM-CP_denominator,DM-CP_exceptions,/,
    );
  });
});

describe('who may upload', () => {
  it('refuses anonymous (401) and GP or commissioner (403) uploads, with the error shape, and stores nothing', async () => {
    const app = await makeApp();
    try {
      const before = await allObservations(app);
      const file = { name: 'x.csv', content: `${HEADER}2026-10,Z00001,DM-BP,1,2,\n` };
      const anonymous = await upload(app, '', file);
      expect(anonymous.statusCode).toBe(401);
      expect(anonymous.json()).toEqual({ error: { code: 'not-signed-in', message: expect.any(String), details: [] } });
      for (const who of ['gp', 'commissioner']) {
        const res = await upload(app, await signIn(app, who), file);
        expect(res.statusCode).toBe(403);
        expect(res.json().error.code).toBe('forbidden');
      }
      expect(await allObservations(app)).toEqual(before);
    } finally {
      await app.close();
    }
  });

  it('a wrong password is refused with 401 and a message saying what to do', async () => {
    const app = await makeApp();
    try {
      const res = await app.inject({
        method: 'POST',
        url: '/api/auth/login',
        payload: { username: 'manager', password: 'nope' },
      });
      expect(res.statusCode).toBe(401);
      expect(res.json().error.message).toMatch(/Check them and try again/);
      expect(res.cookies).toEqual([]);
    } finally {
      await app.close();
    }
  });
});

describe('the API document and the web app', () => {
  it('serves an OpenAPI document listing the routes', async () => {
    const app = await makeApp({ demo: false });
    try {
      const doc = (await app.inject({ url: '/api/openapi.json' })).json();
      expect(doc.openapi).toMatch(/^3\./);
      expect(Object.keys(doc.paths)).toEqual(
        expect.arrayContaining([
          '/api/submissions',
          '/api/networks',
          '/api/contract-years/{code}/indicators',
          '/api/reference/practices',
        ]),
      );
    } finally {
      await app.close();
    }
  });

  it('answers an unknown API path with a JSON 404 (401 before sign-in) and any screen address with the app', async () => {
    const app = await makeApp();
    try {
      expect((await app.inject({ url: '/api/nothing-here' })).statusCode).toBe(401);
      const api = await app.inject({ url: '/api/nothing-here', headers: { cookie: await signIn(app, 'gp') } });
      expect(api.statusCode).toBe(404);
      expect(api.json().error.code).toBe('not-found');
      const screen = await app.inject({ url: '/uploads?period=2026-10' });
      expect(screen.statusCode).toBe(200);
      expect(screen.headers['content-type']).toContain('text/html');
      expect(screen.body).toContain('<div id="app">');
    } finally {
      await app.close();
    }
  });
});
