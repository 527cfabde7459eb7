/**
 * The learning-set loop (SPEC 12): annotations, meetings, actions and the meeting-mode agenda, through the API
 * on a fresh database with the demo data; who may read and change what; validation by field; the audit log;
 * overdue from the app's clock; the overview's overdue counts.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_CATALOGUE } from '../../server/domain/catalogue';
import { periodRange } from '../../server/domain/periods';
import { analyseSpc } from '../../server/domain/spc';
import { addUser, makeApp, signIn } from '../helpers/app';
import { testOne, testQuery } from '../helpers/db';

const DEMO = join(import.meta.dirname, '../../fixtures/demo');
const N1 = ['Z00001', 'Z00002', 'Z00003', 'Z00004'];

/** N1's pooled figure for an indicator and month, summed straight from the demo's monthly CSV file. */
function n1Figure(indicator: string, period: string): { numerator: number; denominator: number } {
  const rows = readFileSync(join(DEMO, 'observations', `${period}.csv`), 'utf8')
    .trim()
    .split(/\r?\n/)
    .slice(1)
    .map((l) => l.split(','));
  const mine = rows.filter((r) => N1.includes(r[1]!) && r[2] === indicator);
  expect(mine).toHaveLength(4);
  return {
    numerator: mine.reduce((s, r) => s + Number(r[3]), 0),
    denominator: mine.reduce((s, r) => s + Number(r[4]), 0),
  };
}
function practiceFigure(
  practice: string,
  indicator: string,
  period: string,
): { numerator: number; denominator: number } {
  const row = readFileSync(join(DEMO, 'observations', `${period}.csv`), 'utf8')
    .split(/\r?\n/)
    .map((l) => l.split(','))
    .find((r) => r[1] === practice && r[2] === indicator)!;
  return { numerator: Number(row[3]), denominator: Number(row[4]) };
}
const targetOf = (code: string) => DEFAULT_CATALOGUE.find((i) => i.code === code)!.targetBp;
const standing = (code: string, period: string) => {
  const f = n1Figure(code, period);
  return f.numerator * 10000 >= targetOf(code) * f.denominator ? 'met' : 'not-met';
};
/** The SPC signal of N1's series of an indicator from April 2025 up to a month, from the CSV files. */
const signal = (code: string, period: string) => {
  const rates = periodRange('2025-04', period).map((p) => {
    const f = n1Figure(code, p);
    return f.numerator / f.denominator;
  });
  const v = analyseSpc(rates).variation;
  return v === null ? null : v === 'common-cause' ? 'common-cause' : v.split('-')[0];
};

const json = (payload: unknown, cookie: string) => ({
  payload: payload as Record<string, unknown>,
  headers: { cookie },
});

async function table(
  app: FastifyInstance,
  name: 'annotations' | 'meetings' | 'actions',
): Promise<Record<string, unknown>[]> {
  return (await testQuery(app, `SELECT * FROM ${name} ORDER BY id`)) as Record<string, unknown>[];
}
async function auditRows(
  app: FastifyInstance,
  action: string,
): Promise<{ username: string; action: string; detail: Record<string, unknown> }[]> {
  return (
    (await testQuery(app, 'SELECT username, action, detail FROM audit_log WHERE action = ? ORDER BY id', [action])) as {
      username: string;
      action: string;
      detail: string;
    }[]
  ).map((r) => ({ ...r, detail: JSON.parse(r.detail) as Record<string, unknown> }));
}

describe('the learning-set loop on the demo data', () => {
  let app: FastifyInstance;
  const cookie: Record<string, string> = {};
  beforeAll(async () => {
    app = await makeApp();
    await addUser(app, 'gp-n2', 'gp-n2-password', 'gp', 'N2');
    for (const u of ['admin', 'commissioner', 'manager', 'gp']) cookie[u] = await signIn(app, u);
    cookie.gpN2 = await signIn(app, 'gp-n2', 'gp-n2-password');
  });
  afterAll(() => app.close());

  it("lists N1's annotations by month, with the indicator's title and the practice's name; a commissioner reads them but may not write", async () => {
    const res = await app.inject({ url: '/api/annotations?network=N1', headers: { cookie: cookie.gp! } });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body).toMatchObject({ network: 'N1', networkName: 'Riverside Network', canWrite: true });
    expect(
      body.annotations.map((a: { period: string; indicator: string; practice: string | null }) => [
        a.period,
        a.indicator,
        a.practice,
      ]),
    ).toEqual([
      ['2026-06', 'CVD-HYP-BP', 'Z00001'],
      ['2026-09', 'COPD-FLU', null],
      ['2026-09', 'DM-CP', null],
      ['2026-09', 'DA-NEWREG', 'Z00003'],
    ]);
    expect(body.annotations[0]).toMatchObject({
      practiceName: 'Albion Medical Centre',
      indicatorTitle: DEFAULT_CATALOGUE.find((i) => i.code === 'CVD-HYP-BP')!.title,
      author: 'gp',
      text: 'Pharmacist-led blood pressure clinic started on Tuesday evenings',
    });
    const commissioner = (
      await app.inject({ url: '/api/annotations?network=N1', headers: { cookie: cookie.commissioner! } })
    ).json();
    expect(commissioner.canWrite).toBe(false);
    expect(commissioner.annotations).toEqual(body.annotations);
  });

  it('filters annotations by indicator, practice and months', async () => {
    const get = async (q: string) =>
      (await app.inject({ url: `/api/annotations?network=N1&${q}`, headers: { cookie: cookie.manager! } }))
        .json()
        .annotations.map((a: { indicator: string }) => a.indicator);
    expect(await get('indicator=DM-CP')).toEqual(['DM-CP']);
    expect(await get('practice=Z00003')).toEqual(['DA-NEWREG']);
    expect(await get('from=2026-07&to=2026-09')).toEqual(['COPD-FLU', 'DM-CP', 'DA-NEWREG']);
    expect(await get('to=2026-08')).toEqual(['CVD-HYP-BP']);
    expect(
      (await app.inject({ url: '/api/annotations?network=N1&from=June', headers: { cookie: cookie.manager! } }))
        .statusCode,
    ).toBe(400);
  });

  it("lists N1's meetings, the latest first", async () => {
    const body = (await app.inject({ url: '/api/meetings?network=N1', headers: { cookie: cookie.manager! } })).json();
    expect(body.canWrite).toBe(true);
    expect(body.meetings.map((m: { heldOn: string; period: string }) => [m.heldOn, m.period])).toEqual([
      ['2026-10-21', '2026-09'],
      ['2026-09-16', '2026-08'],
    ]);
    expect(
      (
        await app.inject({ url: `/api/meetings/${body.meetings[1].id}`, headers: { cookie: cookie.commissioner! } })
      ).json(),
    ).toEqual(body.meetings[1]);
  });

  it("flags overdue actions from the app's clock (21 November 2026): open and due before today", async () => {
    const body = (await app.inject({ url: '/api/actions?network=N1', headers: { cookie: cookie.gp! } })).json();
    expect(body.today).toBe('2026-11-21');
    expect(
      body.actions.map((a: { due: string; status: string; overdue: boolean }) => [a.due, a.status, a.overdue]),
    ).toEqual([
      ['2026-09-30', 'done', false],
      ['2026-10-09', 'done', false],
      ['2026-10-30', 'open', true],
      ['2026-11-06', 'done', false],
      ['2026-11-13', 'open', true],
      ['2026-11-28', 'open', false],
      ['2026-12-16', 'open', false],
    ]);
    const open = (
      await app.inject({ url: '/api/actions?network=N1&status=open', headers: { cookie: cookie.gp! } })
    ).json().actions;
    expect(open.map((a: { due: string }) => a.due)).toEqual(['2026-10-30', '2026-11-13', '2026-11-28', '2026-12-16']);
    const september = (await app.inject({ url: '/api/meetings?network=N1', headers: { cookie: cookie.gp! } })).json()
      .meetings[1].id;
    const ofMeeting = (
      await app.inject({ url: `/api/actions?network=N1&meeting=${september}`, headers: { cookie: cookie.gp! } })
    ).json().actions;
    expect(
      ofMeeting.map((a: { indicator: string | null; practice: string | null }) => [a.indicator, a.practice]),
    ).toEqual([
      ['DM-CP', null],
      ['DA-NEWREG', null],
      ['COPD-PR', 'Z00002'],
    ]);
    expect(
      (await app.inject({ url: '/api/actions?network=N1&status=late', headers: { cookie: cookie.gp! } })).statusCode,
    ).toBe(400);
  });

  it("opens October's meeting with September's actions and how their indicators moved from August to September", async () => {
    const [october, september] = (
      await app.inject({ url: '/api/meetings?network=N1', headers: { cookie: cookie.gp! } })
    ).json().meetings;
    const res = await app.inject({ url: `/api/meetings/${october.id}/agenda`, headers: { cookie: cookie.gp! } });
    expect(res.statusCode).toBe(200);
    const agenda = res.json();
    expect(agenda).toMatchObject({ since: '2026-08', period: '2026-09', today: '2026-11-21', canWrite: true });
    expect(agenda.meeting).toEqual(october);
    expect(agenda.previousMeeting).toEqual(september);

    // (a) September's three actions, with status, overdue and movement.
    expect(
      agenda.previousActions.map((a: { indicator: string; status: string; overdue: boolean }) => [
        a.indicator,
        a.status,
        a.overdue,
      ]),
    ).toEqual([
      ['DM-CP', 'done', false],
      ['DA-NEWREG', 'done', false],
      ['COPD-PR', 'open', true],
    ]);
    // DM-CP, summed from the CSV files: 2156/2654 in August, 2193/2670 in September: improved.
    expect(n1Figure('DM-CP', '2026-08')).toEqual({ numerator: 2156, denominator: 2654 });
    expect(n1Figure('DM-CP', '2026-09')).toEqual({ numerator: 2193, denominator: 2670 });
    const dmcp = agenda.previousActions[0].movement;
    expect(dmcp.network).toMatchObject({
      before: { period: '2026-08', numerator: 2156, denominator: 2654 },
      after: { period: '2026-09', numerator: 2193, denominator: 2670 },
      direction: 'improved',
    });
    expect(dmcp.network.change).toBeCloseTo(2193 / 2670 - 2156 / 2654, 12);
    expect(dmcp.practice).toBeNull();
    // The COPD-PR action names Bridge Street (Z00002): its own figure went from 33/47 to 30/44 (70.2% → 68.2%).
    expect(practiceFigure('Z00002', 'COPD-PR', '2026-08')).toEqual({ numerator: 33, denominator: 47 });
    expect(practiceFigure('Z00002', 'COPD-PR', '2026-09')).toEqual({ numerator: 30, denominator: 44 });
    expect(agenda.previousActions[2].movement.practice).toMatchObject({
      before: { numerator: 33, denominator: 47 },
      after: { numerator: 30, denominator: 44 },
      direction: 'worsened',
    });
    expect(agenda.previousActions[2]).toMatchObject({
      practice: 'Z00002',
      practiceName: 'Bridge Street Surgery',
      due: '2026-10-30',
    });

    // (b) What changed between August and September: three alcohol indicators changed standing, and COPD-PR's
    // SPC signal went from a special cause of improvement to common cause.
    const changed = agenda.changedIndicators.map(
      (c: {
        code: string;
        changes: string[];
        before: { state: string; signal: string };
        after: { state: string; signal: string };
      }) => [c.code, c.changes, c.before.state, c.after.state, c.before.signal, c.after.signal],
    );
    expect(changed).toEqual([
      ['COPD-PR', ['signal'], 'not-met', 'not-met', 'improvement', 'common-cause'],
      ['DA-NEWREG', ['standing'], 'not-met', 'met', 'common-cause', 'common-cause'],
      ['DA-BI', ['standing'], 'not-met', 'met', 'common-cause', 'common-cause'],
      ['DA-REF', ['standing'], 'met', 'not-met', 'common-cause', 'common-cause'],
    ]);
    // Every indicator, worked out from the CSV files and the catalogue's targets, agrees: these and only these changed.
    const expected = DEFAULT_CATALOGUE.filter(
      (i) =>
        standing(i.code, '2026-08') !== standing(i.code, '2026-09') ||
        signal(i.code, '2026-08') !== signal(i.code, '2026-09'),
    ).map((i) => i.code);
    expect(expected).toEqual(['COPD-PR', 'DA-NEWREG', 'DA-BI', 'DA-REF']);
    const daref = agenda.changedIndicators[3];
    expect(daref.before).toMatchObject({
      period: '2026-08',
      ...n1Figure('DA-REF', '2026-08'),
      targetBp: 9000,
      missingPractices: [],
    });
    expect(daref.after).toMatchObject({ period: '2026-09', ...n1Figure('DA-REF', '2026-09') });
    expect(daref.direction).toBe('worsened');
    expect(agenda.changedIndicators[0]).toMatchObject({
      title: DEFAULT_CATALOGUE.find((i) => i.code === 'COPD-PR')!.title,
      domain: 'COPD',
      before: { variation: 'improvement-high' },
      after: { variation: 'common-cause' },
    });

    // (c) It closes with October's own four actions.
    expect(
      agenda.actions.map((a: { indicator: string | null; due: string; overdue: boolean }) => [
        a.indicator,
        a.due,
        a.overdue,
      ]),
    ).toEqual([
      [null, '2026-11-06', false], // done
      ['DA-REF', '2026-11-13', true],
      ['COPD-FLU', '2026-11-28', false],
      ['DM-CHOL', '2026-12-16', false],
    ]);
  });

  it("September's meeting, the first, has nothing to carry over and closes with its own actions", async () => {
    const september = (
      await app.inject({ url: '/api/meetings?network=N1', headers: { cookie: cookie.commissioner! } })
    ).json().meetings[1];
    const agenda = (
      await app.inject({ url: `/api/meetings/${september.id}/agenda`, headers: { cookie: cookie.commissioner! } })
    ).json();
    expect(agenda).toMatchObject({
      previousMeeting: null,
      since: null,
      period: '2026-08',
      canWrite: false,
      previousActions: [],
      changedIndicators: [],
    });
    expect(agenda.actions.map((a: { due: string }) => a.due)).toEqual(['2026-09-30', '2026-10-09', '2026-10-30']);
  });

  it('shows overdue actions on the overview for the networks whose items the user may see', async () => {
    const counts = async (who: string) =>
      Object.fromEntries(
        (await app.inject({ url: '/api/overview', headers: { cookie: cookie[who]! } }))
          .json()
          .networks.map((n: { code: string; overdueActions: number | null }) => [n.code, n.overdueActions]),
      );
    expect(await counts('commissioner')).toEqual({ N1: 2, N2: 0, N3: 0, N4: 0, N5: 0, N6: 0, N7: 0, N8: 0 });
    expect(await counts('admin')).toEqual(await counts('commissioner'));
    expect(await counts('gp')).toEqual({ N1: 2, N2: null, N3: null, N4: null, N5: null, N6: null, N7: null, N8: null });
    expect(await counts('gpN2')).toEqual({
      N1: null,
      N2: 0,
      N3: null,
      N4: null,
      N5: null,
      N6: null,
      N7: null,
      N8: null,
    });
    expect(await counts('manager')).toEqual({ N1: 2 });
  });

  it("a GP of N2 reads none of N1's items: its lists are 403, its meetings 404", async () => {
    for (const url of ['/api/annotations?network=N1', '/api/meetings?network=N1', '/api/actions?network=N1']) {
      const res = await app.inject({ url, headers: { cookie: cookie.gpN2! } });
      expect(res.statusCode, url).toBe(403);
      expect(res.json().error.message).toMatch(/own network \(N2\)/);
    }
    const october = (await app.inject({ url: '/api/meetings?network=N1', headers: { cookie: cookie.gp! } })).json()
      .meetings[0].id;
    for (const url of [`/api/meetings/${october}`, `/api/meetings/${october}/agenda`]) {
      const res = await app.inject({ url, headers: { cookie: cookie.gpN2! } });
      expect(res.statusCode, url).toBe(404);
      expect(res.json().error.message).toBe(`There is no meeting ${october}.`);
    }
    // The same answer as for a meeting that does not exist at all.
    expect(
      (await app.inject({ url: '/api/meetings/999', headers: { cookie: cookie.gpN2! } })).json().error.message,
    ).toBe('There is no meeting 999.');
    expect(
      (await app.inject({ url: '/api/annotations?network=N2', headers: { cookie: cookie.gpN2! } })).json(),
    ).toMatchObject({ network: 'N2', canWrite: true, annotations: [] });
    expect(
      (await app.inject({ url: '/api/annotations?network=N9', headers: { cookie: cookie.admin! } })).statusCode,
    ).toBe(404);
  });

  it("states a network's standing for the opening slide, agreeing with the attainment and the SPC charts", async () => {
    for (const who of ['gp', 'gpN2', 'commissioner']) {
      const res = await app.inject({ url: '/api/standing?network=N1', headers: { cookie: cookie[who]! } });
      expect(res.statusCode, who).toBe(200);
      const standing = res.json();
      const attainment = (
        await app.inject({ url: '/api/attainment?network=N1', headers: { cookie: cookie[who]! } })
      ).json() as { period: string; indicators: { state: string }[] };
      const series = (
        await app.inject({ url: '/api/series?network=N1', headers: { cookie: cookie[who]! } })
      ).json() as {
        indicators: { variation: string | null }[];
      };
      const states = attainment.indicators.map((i) => i.state);
      const signals = series.indicators.map((i) =>
        i.variation === null ? null : i.variation === 'common-cause' ? 'common-cause' : i.variation.split('-')[0],
      );
      expect(standing).toMatchObject({
        network: 'N1',
        period: attainment.period,
        total: states.length,
        met: states.filter((s) => s === 'met').length,
        notMet: states.filter((s) => s === 'not-met').length,
        incomplete: states.filter((s) => s === 'incomplete').length,
        improving: signals.filter((s) => s === 'improvement').length,
        concern: signals.filter((s) => s === 'concern').length,
      });
      expect(standing.text).toMatch(new RegExp(`^${standing.met} of ${standing.total - standing.notApplicable} met`));
    }
    const earlier = (
      await app.inject({ url: '/api/standing?network=N1&period=2025-06', headers: { cookie: cookie.gp! } })
    ).json();
    expect(earlier.period).toBe('2025-06');
    expect(earlier.improving + earlier.concern).toBe(0); // 3 months: run charts, no signals yet
    expect((await app.inject({ url: '/api/standing?network=N9', headers: { cookie: cookie.gp! } })).statusCode).toBe(
      404,
    );
    expect((await app.inject({ url: '/api/standing?network=N1' })).statusCode).toBe(401);
  });

  it('needs a signed-in user', async () => {
    for (const [method, url, payload] of [
      ['GET', '/api/annotations?network=N1', undefined],
      ['POST', '/api/actions', { network: 'N1', text: 'x', owner: 'x', due: '2026-12-01' }],
      ['GET', '/api/meetings/1/agenda', undefined],
      ['PATCH', '/api/actions/1', { status: 'done' }],
      ['DELETE', '/api/annotations/1', undefined],
    ] as const) {
      expect((await app.inject({ method, url, payload })).statusCode, `${method} ${url}`).toBe(401);
    }
    expect((await table(app, 'actions')).find((a) => a.id === 1)).toMatchObject({ status: 'done' });
    expect(await table(app, 'annotations')).toHaveLength(4);
  });
});

describe("overdue follows the app's clock, in England", () => {
  let app: FastifyInstance;
  beforeAll(async () => {
    // 23:30 UTC on 30 October 2026 is still 30 October in England (GMT since the 25th): the action due that day is not yet overdue.
    app = await makeApp({ now: () => new Date('2026-10-30T23:30:00Z') });
  });
  afterAll(() => app.close());

  it('on 30 October no N1 action is overdue yet; the overview agrees', async () => {
    const cookie = await signIn(app, 'manager');
    const body = (await app.inject({ url: '/api/actions?network=N1&status=open', headers: { cookie } })).json();
    expect(body.today).toBe('2026-10-30');
    expect(body.actions.map((a: { due: string; overdue: boolean }) => [a.due, a.overdue])).toEqual([
      ['2026-10-30', false],
      ['2026-11-13', false],
      ['2026-11-28', false],
      ['2026-12-16', false],
    ]);
    expect((await app.inject({ url: '/api/overview', headers: { cookie } })).json().networks[0]).toMatchObject({
      code: 'N1',
      overdueActions: 0,
    });
  });
});

describe('changing annotations, meetings and actions', () => {
  let app: FastifyInstance;
  const cookie: Record<string, string> = {};
  beforeAll(async () => {
    app = await makeApp();
    await addUser(app, 'gp-n2', 'gp-n2-password', 'gp', 'N2');
    await addUser(app, 'manager-n2', 'manager-n2-password', 'manager', 'N2');
    for (const u of ['admin', 'commissioner', 'manager', 'gp']) cookie[u] = await signIn(app, u);
    cookie.gpN2 = await signIn(app, 'gp-n2', 'gp-n2-password');
    cookie.managerN2 = await signIn(app, 'manager-n2', 'manager-n2-password');
  });
  afterAll(() => app.close());

  it('a GP annotates an indicator of their network at a month: stored, and audited', async () => {
    const before = (await table(app, 'annotations')).length;
    const res = await app.inject({
      method: 'POST',
      url: '/api/annotations',
      ...json(
        {
          network: 'N1',
          indicator: 'dm-bp',
          practice: 'z00004',
          period: '2026-10',
          text: '  Home BP monitors lent out  ',
        },
        cookie.gp!,
      ),
    });
    expect(res.statusCode).toBe(201);
    const a = res.json();
    expect(a).toMatchObject({
      network: 'N1',
      indicator: 'DM-BP',
      practice: 'Z00004',
      practiceName: 'Dellow Family Practice',
      period: '2026-10',
      text: 'Home BP monitors lent out',
      author: 'gp',
      createdAt: '2026-11-21T10:00:00.000Z',
    });
    const rows = await table(app, 'annotations');
    expect(rows).toHaveLength(before + 1);
    expect(rows.at(-1)).toMatchObject({
      id: a.id,
      indicator_code: 'DM-BP',
      period: '2026-10',
      text: 'Home BP monitors lent out',
      author: 'gp',
      created_at: '2026-11-21T10:00:00.000Z',
    });
    expect((await auditRows(app, 'annotation-created')).at(-1)).toEqual({
      username: 'gp',
      action: 'annotation-created',
      detail: {
        id: a.id,
        network: 'N1',
        indicator: 'DM-BP',
        practice: 'Z00004',
        period: '2026-10',
        text: 'Home BP monitors lent out',
      },
    });
  });

  it("the network's manager edits the GP's annotation, and then deletes it; the audit log keeps what it said", async () => {
    const created = (
      await app.inject({
        method: 'POST',
        url: '/api/annotations',
        ...json(
          { network: 'N1', indicator: 'DM-RET', period: '2026-09', text: 'Retinal screening van at Albion' },
          cookie.gp!,
        ),
      })
    ).json();
    const patched = await app.inject({
      method: 'PATCH',
      url: `/api/annotations/${created.id}`,
      ...json({ text: 'Retinal screening van at Albion and Dellow', practice: null }, cookie.manager!),
    });
    expect(patched.statusCode).toBe(200);
    expect(patched.json()).toMatchObject({ text: 'Retinal screening van at Albion and Dellow', author: 'gp' });
    expect((await table(app, 'annotations')).find((r) => r.id === created.id)).toMatchObject({
      text: 'Retinal screening van at Albion and Dellow',
      updated_at: '2026-11-21T10:00:00.000Z',
    });
    expect((await auditRows(app, 'annotation-updated')).at(-1)).toEqual({
      username: 'manager',
      action: 'annotation-updated',
      detail: {
        id: created.id,
        network: 'N1',
        before: { text: 'Retinal screening van at Albion' },
        after: { text: 'Retinal screening van at Albion and Dellow' },
      },
    });
    // A change that changes nothing writes nothing to the audit log.
    const updates = (await auditRows(app, 'annotation-updated')).length;
    expect(
      (
        await app.inject({
          method: 'PATCH',
          url: `/api/annotations/${created.id}`,
          ...json({ text: 'Retinal screening van at Albion and Dellow' }, cookie.manager!),
        })
      ).statusCode,
    ).toBe(200);
    expect(await auditRows(app, 'annotation-updated')).toHaveLength(updates);

    const deleted = await app.inject({
      method: 'DELETE',
      url: `/api/annotations/${created.id}`,
      headers: { cookie: cookie.manager! },
    });
    expect(deleted.statusCode).toBe(204);
    expect((await table(app, 'annotations')).some((r) => r.id === created.id)).toBe(false);
    expect((await auditRows(app, 'annotation-deleted')).at(-1)?.detail).toMatchObject({
      id: created.id,
      network: 'N1',
      indicator: 'DM-RET',
      text: 'Retinal screening van at Albion and Dellow',
      author: 'gp',
    });
    expect(
      (
        await app.inject({
          method: 'DELETE',
          url: `/api/annotations/${created.id}`,
          headers: { cookie: cookie.manager! },
        })
      ).statusCode,
    ).toBe(404);
  });

  it.each([
    ['text too long', { text: 'x'.repeat(501) }, 'text', 'text has 501 characters; keep it to 500 or fewer.'],
    ['empty text', { text: '   ' }, 'text', 'text is empty; write a few words.'],
    [
      'a month that is not one',
      { period: '2026-9' },
      'period',
      'period "2026-9" is not a month; write it as YYYY-MM, for example 2026-09.',
    ],
    [
      'a month after the figures',
      { period: '2026-11' },
      'period',
      'period 2026-11 is outside the months with figures (2025-04 to 2026-10); choose a month in that range.',
    ],
    [
      'a month before the figures',
      { period: '2025-03' },
      'period',
      'period 2025-03 is outside the months with figures (2025-04 to 2026-10); choose a month in that range.',
    ],
    [
      'an unknown indicator',
      { indicator: 'DM-XYZ' },
      'indicator',
      'indicator DM-XYZ is not an indicator of contract year 2026-27 (the year of 2026-09); GET /api/contract-years/2026-27/indicators lists them.',
    ],
    [
      "another network's practice",
      { practice: 'Z00005' },
      'practice',
      'practice Z00005 was not a member of N1 in 2026-09; choose one of its practices then (Z00001, Z00002, Z00003, Z00004) or leave it empty.',
    ],
  ])(
    'an annotation with %s is a 400 naming the field, and nothing is stored',
    async (_case, change, field, message) => {
      const before = await table(app, 'annotations');
      const res = await app.inject({
        method: 'POST',
        url: '/api/annotations',
        ...json({ network: 'N1', indicator: 'DM-CP', period: '2026-09', text: 'ok', ...change }, cookie.gp!),
      });
      expect(res.statusCode).toBe(400);
      expect(res.json().error).toEqual({ code: 'bad-request', message, details: [{ field, message }] });
      expect(await table(app, 'annotations')).toEqual(before);
    },
  );

  it("an indicator must be one of the month's contract year: one new in 2026-27 cannot be annotated in 2025-26", async () => {
    const year = (await testOne(app, "SELECT id FROM contract_years WHERE code = '2026-27'")) as { id: number };
    await testQuery(
      app,
      "INSERT INTO indicators (contract_year_id, code, domain_code, title, numerator_label, denominator_label, target_bp, sort_order) VALUES (?, 'DM-FOOT', 'DM', 'Diabetes foot check', 'checked', 'register', 8000, 99)",
      [year.id],
    );
    const annotate = (period: string) =>
      app.inject({
        method: 'POST',
        url: '/api/annotations',
        ...json({ network: 'N1', indicator: 'DM-FOOT', period, text: 'Podiatry clinic' }, cookie.gp!),
      });
    const refused = await annotate('2026-03');
    expect(refused.statusCode).toBe(400);
    expect(refused.json().error.details).toEqual([
      {
        field: 'indicator',
        message:
          'indicator DM-FOOT is not an indicator of contract year 2025-26 (the year of 2026-03); GET /api/contract-years/2025-26/indicators lists them.',
      },
    ]);
    const accepted = await annotate('2026-04');
    expect(accepted.statusCode).toBe(201);
    expect(accepted.json()).toMatchObject({
      indicator: 'DM-FOOT',
      indicatorTitle: 'Diabetes foot check',
      period: '2026-04',
    });
  });

  it('a practice must have been a member of the network in that month: Z00022 joined N6 in October 2025', async () => {
    const annotate = (period: string) =>
      app.inject({
        method: 'POST',
        url: '/api/annotations',
        ...json(
          { network: 'N6', indicator: 'DM-CP', practice: 'Z00022', period, text: 'Joined the network' },
          cookie.admin!,
        ),
      });
    const before = await annotate('2025-09');
    expect(before.statusCode).toBe(400);
    expect(before.json().error.details[0]).toMatchObject({
      field: 'practice',
      message: expect.stringMatching(/^practice Z00022 was not a member of N6 in 2025-09/),
    });
    expect((await annotate('2025-10')).statusCode).toBe(201);
  });

  it('the body is checked against its schema too: an unknown field or a missing one is a 400', async () => {
    expect(
      (
        await app.inject({
          method: 'POST',
          url: '/api/annotations',
          ...json({ network: 'N1', indicator: 'DM-CP', period: '2026-09', text: 'ok', colour: 'red' }, cookie.gp!),
        })
      ).statusCode,
    ).toBe(400);
    const missing = await app.inject({
      method: 'POST',
      url: '/api/annotations',
      ...json({ network: 'N1', indicator: 'DM-CP', period: '2026-09' }, cookie.gp!),
    });
    expect(missing.statusCode).toBe(400);
    expect(missing.json().error.message).toMatch(/text/);
    expect((await app.inject({ method: 'PATCH', url: '/api/annotations/1', ...json({}, cookie.gp!) })).statusCode).toBe(
      400,
    );
    const unknownNetwork = await app.inject({
      method: 'POST',
      url: '/api/meetings',
      ...json({ network: 'N9', heldOn: '2026-11-18', period: '2026-10' }, cookie.admin!),
    });
    expect(unknownNetwork.statusCode).toBe(400);
    expect(unknownNetwork.json().error.details).toEqual([
      { field: 'network', message: 'network N9 does not exist; GET /api/networks lists them.' },
    ]);
  });

  it('records a meeting and changes it, audited; its dates and month are checked', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/api/meetings',
      ...json(
        { network: 'N1', heldOn: '2026-11-18', period: '2026-10', attendees: 'Network manager; Dr Patel' },
        cookie.manager!,
      ),
    });
    expect(res.statusCode).toBe(201);
    const m = res.json();
    expect(m).toMatchObject({
      network: 'N1',
      heldOn: '2026-11-18',
      period: '2026-10',
      attendees: 'Network manager; Dr Patel',
      notes: '',
      createdBy: 'manager',
    });
    expect((await table(app, 'meetings')).at(-1)).toMatchObject({
      id: m.id,
      held_on: '2026-11-18',
      period: '2026-10',
      created_by: 'manager',
    });
    expect((await auditRows(app, 'meeting-created')).at(-1)?.detail).toEqual({
      id: m.id,
      network: 'N1',
      heldOn: '2026-11-18',
      period: '2026-10',
      attendees: 'Network manager; Dr Patel',
      notes: '',
    });

    const patched = await app.inject({
      method: 'PATCH',
      url: `/api/meetings/${m.id}`,
      ...json({ notes: 'Reviewed October.' }, cookie.gp!),
    });
    expect(patched.json()).toMatchObject({ notes: 'Reviewed October.' });
    expect((await auditRows(app, 'meeting-updated')).at(-1)).toMatchObject({
      username: 'gp',
      detail: { id: m.id, before: { notes: '' }, after: { notes: 'Reviewed October.' } },
    });

    for (const [body, field] of [
      [{ heldOn: '2026-02-30' }, 'heldOn'],
      [{ heldOn: '18/11/2026' }, 'heldOn'],
      [{ heldOn: '2026-09-30' }, 'heldOn'], // before October, the month it reviews
      [{ period: '2026-11' }, 'period'],
      [{ attendees: 'a'.repeat(1001) }, 'attendees'],
    ] as const) {
      const bad = await app.inject({ method: 'PATCH', url: `/api/meetings/${m.id}`, ...json(body, cookie.gp!) });
      expect(bad.statusCode, JSON.stringify(body)).toBe(400);
      expect(bad.json().error.details.map((d: { field: string }) => d.field)).toEqual([field]);
    }
    expect((await table(app, 'meetings')).at(-1)).toMatchObject({
      held_on: '2026-11-18',
      period: '2026-10',
      notes: 'Reviewed October.',
      attendees: 'Network manager; Dr Patel',
    });
  });

  it("records actions at the meeting, marks one done, and the meeting's agenda carries October's over and closes with its own", async () => {
    const meeting = (await app.inject({ url: '/api/meetings?network=N1', headers: { cookie: cookie.gp! } }))
      .json()
      .meetings.find((m: { heldOn: string }) => m.heldOn === '2026-11-18');
    const res = await app.inject({
      method: 'POST',
      url: '/api/actions',
      ...json(
        {
          network: 'N1',
          meetingId: meeting.id,
          indicator: 'IMM-MMR1-24M',
          practice: 'Z00003',
          text: 'Call parents of children due MMR1',
          owner: 'Dr Khan',
          due: '2026-12-11',
        },
        cookie.gp!,
      ),
    });
    expect(res.statusCode).toBe(201);
    const action = res.json();
    expect(action).toMatchObject({
      meetingId: meeting.id,
      indicator: 'IMM-MMR1-24M',
      practice: 'Z00003',
      practiceName: 'Chrisp Street Group Practice',
      status: 'open',
      overdue: false,
      createdBy: 'gp',
    });
    expect((await table(app, 'actions')).at(-1)).toMatchObject({
      id: action.id,
      meeting_id: meeting.id,
      owner: 'Dr Khan',
      due: '2026-12-11',
      status: 'open',
    });
    expect((await auditRows(app, 'action-created')).at(-1)?.detail).toMatchObject({
      id: action.id,
      network: 'N1',
      meetingId: meeting.id,
      indicator: 'IMM-MMR1-24M',
      status: 'open',
    });

    // October's overdue referral-pathway action is done now.
    const pathway = (await app.inject({ url: '/api/actions?network=N1&status=open', headers: { cookie: cookie.gp! } }))
      .json()
      .actions.find((a: { indicator: string }) => a.indicator === 'DA-REF');
    expect(pathway.overdue).toBe(true);
    const done = await app.inject({
      method: 'PATCH',
      url: `/api/actions/${pathway.id}`,
      ...json({ status: 'done' }, cookie.manager!),
    });
    expect(done.json()).toMatchObject({ status: 'done', overdue: false, updatedAt: '2026-11-21T10:00:00.000Z' });
    expect((await table(app, 'actions')).find((r) => r.id === pathway.id)).toMatchObject({
      status: 'done',
      updated_at: '2026-11-21T10:00:00.000Z',
    });
    expect((await auditRows(app, 'action-updated')).at(-1)).toEqual({
      username: 'manager',
      action: 'action-updated',
      detail: { id: pathway.id, network: 'N1', before: { status: 'open' }, after: { status: 'done' } },
    });

    const agenda = (
      await app.inject({ url: `/api/meetings/${meeting.id}/agenda`, headers: { cookie: cookie.gp! } })
    ).json();
    expect(agenda).toMatchObject({ since: '2026-09', period: '2026-10', previousMeeting: { heldOn: '2026-10-21' } });
    expect(
      agenda.previousActions.map((a: { indicator: string | null; status: string; overdue: boolean }) => [
        a.indicator,
        a.status,
        a.overdue,
      ]),
    ).toEqual([
      [null, 'done', false],
      ['DA-REF', 'done', false],
      ['COPD-FLU', 'open', false],
      ['DM-CHOL', 'open', false],
    ]);
    expect(agenda.previousActions[0].movement).toBeNull(); // no indicator
    const flu = agenda.previousActions[2].movement.network;
    expect(flu).toMatchObject({
      before: n1Figure('COPD-FLU', '2026-09'),
      after: n1Figure('COPD-FLU', '2026-10'),
      direction: 'improved',
    });
    expect(agenda.actions.map((a: { id: number }) => a.id)).toEqual([action.id]);
    // September to October: blood pressure (hypertension and secondary prevention) and COPD flu vaccination
    // now show a special cause of improvement; COPD flu vaccination now meets its standard and DA-BI no longer
    // does. Each change agrees with the CSV files, and no other indicator changed.
    expect(
      agenda.changedIndicators.map((c: { code: string; changes: string[]; after: { signal: string } }) => [
        c.code,
        c.changes,
        c.after.signal,
      ]),
    ).toEqual([
      ['CVD-HYP-BP', ['signal'], 'improvement'],
      ['CVD-SEC-BP', ['signal'], 'improvement'],
      ['COPD-FLU', ['standing', 'signal'], 'improvement'],
      ['DA-BI', ['standing'], 'common-cause'],
    ]);
    for (const c of agenda.changedIndicators) {
      expect([c.before.state, c.after.state, c.before.signal, c.after.signal], c.code).toEqual([
        standing(c.code, '2026-09'),
        standing(c.code, '2026-10'),
        signal(c.code, '2026-09'),
        signal(c.code, '2026-10'),
      ]);
    }
    const expected = DEFAULT_CATALOGUE.filter(
      (i) =>
        standing(i.code, '2026-09') !== standing(i.code, '2026-10') ||
        signal(i.code, '2026-09') !== signal(i.code, '2026-10'),
    ).map((i) => i.code);
    expect(agenda.changedIndicators.map((c: { code: string }) => c.code)).toEqual(expected);
    expect(agenda.changedIndicators.find((c: { code: string }) => c.code === 'COPD-FLU')).toMatchObject({
      changes: ['standing', 'signal'],
      before: { state: 'not-met' },
      after: { state: 'met' },
    });
  });

  it.each([
    ['an empty owner', { owner: ' ' }, 'owner'],
    ['a due date that is not a date', { due: '2026-11-31' }, 'due'],
    ['text too long', { text: 'y'.repeat(501) }, 'text'],
    ['an indicator not in the year', { indicator: 'FLU-65' }, 'indicator'],
    ["a practice that was not the network's then", { practice: 'Z00010' }, 'practice'],
    ["another network's meeting", { meetingId: 'N2-meeting' }, 'meetingId'],
  ] as [string, Record<string, string>, string][])(
    'an action with %s is a 400 naming the field, and nothing is stored',
    async (_case, change, field) => {
      const n2Meeting = (
        await app.inject({
          method: 'POST',
          url: '/api/meetings',
          ...json({ network: 'N2', heldOn: '2026-11-19', period: '2026-10' }, cookie.managerN2!),
        })
      ).json().id;
      const before = await table(app, 'actions');
      const body: Record<string, unknown> = {
        network: 'N1',
        text: 'Something to do',
        owner: 'Network manager',
        due: '2026-12-01',
        ...change,
      };
      if (body.meetingId === 'N2-meeting') body.meetingId = n2Meeting;
      const res = await app.inject({ method: 'POST', url: '/api/actions', ...json(body, cookie.manager!) });
      expect(res.statusCode).toBe(400);
      expect(res.json().error.details.map((d: { field: string }) => d.field)).toEqual([field]);
      expect(res.json().error.message).toMatch(new RegExp(`^${field}`));
      expect(await table(app, 'actions')).toEqual(before);
    },
  );

  it("a GP or manager of N2 cannot change N1's items (404, as if they did not exist) nor add to N1 (403); nothing changes", async () => {
    const state = async () => [
      await table(app, 'annotations'),
      await table(app, 'meetings'),
      await table(app, 'actions'),
    ];
    const before = await state();
    const audits = ((await testOne(app, 'SELECT count(*) AS n FROM audit_log')) as { n: number }).n;
    const annotation = (await table(app, 'annotations'))[0]!.id;
    const meeting = (await table(app, 'meetings'))[0]!.id;
    const action = (await table(app, 'actions'))[0]!.id;
    for (const who of ['gpN2', 'managerN2']) {
      for (const [method, url, payload] of [
        ['PATCH', `/api/annotations/${annotation}`, { text: 'mine now' }],
        ['DELETE', `/api/annotations/${annotation}`, undefined],
        ['PATCH', `/api/meetings/${meeting}`, { notes: 'mine now' }],
        ['PATCH', `/api/actions/${action}`, { status: 'dropped' }],
        ['GET', `/api/meetings/${meeting}/agenda`, undefined],
      ] as const) {
        const res = await app.inject({ method, url, payload, headers: { cookie: cookie[who]! } });
        expect(res.statusCode, `${who} ${method} ${url}`).toBe(404);
      }
      for (const [url, payload] of [
        ['/api/annotations', { network: 'N1', indicator: 'DM-CP', period: '2026-09', text: 'x' }],
        ['/api/meetings', { network: 'N1', heldOn: '2026-11-18', period: '2026-10' }],
        ['/api/actions', { network: 'N1', text: 'x', owner: 'x', due: '2026-12-01' }],
      ] as const) {
        expect(
          (await app.inject({ method: 'POST', url, payload, headers: { cookie: cookie[who]! } })).statusCode,
          `${who} POST ${url}`,
        ).toBe(403);
      }
    }
    expect(await state()).toEqual(before);
    expect(((await testOne(app, 'SELECT count(*) AS n FROM audit_log')) as { n: number }).n).toBe(audits);
  });

  it('a commissioner reads but cannot write (403); nothing changes', async () => {
    const before = [await table(app, 'annotations'), await table(app, 'meetings'), await table(app, 'actions')];
    const id = (await table(app, 'annotations'))[0]!.id;
    for (const [method, url, payload] of [
      ['POST', '/api/annotations', { network: 'N1', indicator: 'DM-CP', period: '2026-09', text: 'x' }],
      ['PATCH', `/api/annotations/${id}`, { text: 'x' }],
      ['DELETE', `/api/annotations/${id}`, undefined],
      ['POST', '/api/meetings', { network: 'N1', heldOn: '2026-11-18', period: '2026-10' }],
      ['PATCH', `/api/meetings/${(await table(app, 'meetings'))[0]!.id}`, { notes: 'x' }],
      ['POST', '/api/actions', { network: 'N1', text: 'x', owner: 'x', due: '2026-12-01' }],
      ['PATCH', `/api/actions/${(await table(app, 'actions'))[0]!.id}`, { status: 'done' }],
    ] as const) {
      const res = await app.inject({ method, url, payload, headers: { cookie: cookie.commissioner! } });
      expect(res.statusCode, `${method} ${url}`).toBe(403);
    }
    expect([await table(app, 'annotations'), await table(app, 'meetings'), await table(app, 'actions')]).toEqual(
      before,
    );
    expect(
      (await app.inject({ url: '/api/actions?network=N1', headers: { cookie: cookie.commissioner! } })).statusCode,
    ).toBe(200);
  });

  it("an admin may change any network's items", async () => {
    const n2 = (await app.inject({ url: '/api/meetings?network=N2', headers: { cookie: cookie.admin! } })).json();
    expect(n2.canWrite).toBe(true);
    const meeting = n2.meetings[0];
    const res = await app.inject({
      method: 'PATCH',
      url: `/api/meetings/${meeting.id}`,
      ...json({ attendees: 'Commissioning lead (observer)' }, cookie.admin!),
    });
    expect(res.statusCode).toBe(200);
    expect((await table(app, 'meetings')).find((m) => m.id === meeting.id)).toMatchObject({
      attendees: 'Commissioning lead (observer)',
    });
    expect((await auditRows(app, 'meeting-updated')).at(-1)).toMatchObject({
      username: 'admin',
      detail: { network: 'N2' },
    });
  });

  it("an action's practice that has since left is not re-checked when only its status changes", async () => {
    // Z00022 was in N5 until September 2025; an N5 action about it recorded at a meeting reviewing 2025-09.
    const meeting = (
      await app.inject({
        method: 'POST',
        url: '/api/meetings',
        ...json({ network: 'N5', heldOn: '2025-10-15', period: '2025-09' }, cookie.admin!),
      })
    ).json();
    const action = (
      await app.inject({
        method: 'POST',
        url: '/api/actions',
        ...json(
          {
            network: 'N5',
            meetingId: meeting.id,
            practice: 'Z00022',
            indicator: 'DM-CP',
            text: 'Hand over recall lists before the move',
            owner: 'N5 manager',
            due: '2025-10-31',
          },
          cookie.admin!,
        ),
      })
    ).json();
    expect(action.practice).toBe('Z00022');
    expect(
      (
        await app.inject({
          method: 'PATCH',
          url: `/api/actions/${action.id}`,
          ...json({ status: 'done' }, cookie.admin!),
        })
      ).statusCode,
    ).toBe(200);
    // Moving it off its meeting re-checks the practice at the latest month (2026-10), when Z00022 is in N6.
    const moved = await app.inject({
      method: 'PATCH',
      url: `/api/actions/${action.id}`,
      ...json({ meetingId: null }, cookie.admin!),
    });
    expect(moved.statusCode).toBe(400);
    expect(moved.json().error.details[0].field).toBe('practice');
  });
});

describe('starting a meeting', () => {
  let app: FastifyInstance;
  beforeAll(async () => {
    app = await makeApp();
  });
  afterAll(() => app.close());

  it("a meeting started without a date is held today in England (the app's clock: 21 November 2026)", async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/api/meetings',
      ...json({ network: 'N1', period: '2026-10' }, await signIn(app, 'manager')),
    });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ network: 'N1', heldOn: '2026-11-21', period: '2026-10', createdBy: 'manager' });
    expect((await table(app, 'meetings')).at(-1)).toMatchObject({ held_on: '2026-11-21', period: '2026-10' });
  });
});
