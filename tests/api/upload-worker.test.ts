/**
 * Uploads are checked and written by the app's worker thread (services/submission-worker.ts). Each test holds
 * an upload at a known point through the app's submission hooks (no sleeps, no timing) and looks at what the
 * rest of the server sees meanwhile: the last committed figures, a sign-off that waits for the commit or
 * makes the write refuse, and a worker that stops.
 */
import type { FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { buildApp } from '../../server/app';
import { ConfigError } from '../../server/config';
import type { SubmissionHooks } from '../../server/services/submit/service';
import { allObservations, currentObservation, makeApp, signIn, upload } from '../helpers/app';
import { testOne, testQuery } from '../helpers/db';

const HEADER = 'period,practice_code,indicator_code,numerator,denominator\n';

/** A point an upload stops at until the test lets it go on. */
function holdPoint() {
  let reached!: (submissionId: number) => void;
  let letGo!: () => void;
  const arrived = new Promise<number>((resolve) => (reached = resolve));
  const released = new Promise<void>((resolve) => (letGo = resolve));
  return {
    arrived,
    release: letGo,
    async hold(submissionId: number) {
      reached(submissionId);
      await released;
    },
  };
}

/** N1's DM-CP at March 2026 (the demo's final month of 2025-26): the network's pooled numerator. */
async function n1DmCp(app: FastifyInstance, cookie: string): Promise<{ numerator: number; denominator: number }> {
  const res = await app.inject({ url: '/api/attainment?network=N1&period=2026-03', headers: { cookie } });
  expect(res.statusCode, res.body).toBe(200);
  return res.json().indicators.find((i: { code: string }) => i.code === 'DM-CP');
}

describe('an upload being written while others use the server', () => {
  let app: FastifyInstance | undefined;
  afterEach(async () => {
    await app?.close();
    app = undefined;
  });

  it('reads see the last committed figures while the write is open; a sign-off waits for the commit and freezes the new figures', async () => {
    const point = holdPoint();
    app = await makeApp({ submissionHooks: { beforeCommit: (id) => point.hold(id) } });
    const [manager, commissioner] = [await signIn(app, 'manager'), await signIn(app, 'commissioner')];
    const before = await n1DmCp(app, manager);
    const old = (await currentObservation(app, 'Z00001', 'DM-CP', '2026-03'))!;
    const corrected = old.numerator - 10;

    const uploading = upload(app, manager, {
      name: 'march-correction.csv',
      content: `${HEADER}2026-03,Z00001,DM-CP,${corrected},${old.denominator}\n`,
    });
    const submissionId = await point.arrived; // every row written, the transaction still open

    // The server answers meanwhile, from the last committed state: never a half-written file.
    expect(await n1DmCp(app, manager)).toMatchObject({ numerator: before.numerator, denominator: before.denominator });
    const listed = (await app.inject({ url: `/api/submissions/${submissionId}`, headers: { cookie: manager } })).json();
    expect(listed).toMatchObject({ status: 'processing', storedBytes: 0 });

    // A sign-off writes, so it waits for its turn: it is queued behind the open write.
    const signing = app.inject({
      method: 'POST',
      url: '/api/payments/2025-26/sign-off',
      headers: { cookie: commissioner },
      payload: {},
    });
    await vi.waitFor(() => expect(app!.writeGate.waiting).toBe(1), { timeout: 50_000, interval: 10 });
    expect(await testOne(app, "SELECT locked_at FROM contract_years WHERE code = '2025-26'")).toEqual({
      locked_at: null,
    });

    point.release();
    const [uploaded, signed] = await Promise.all([uploading, signing]);
    expect(uploaded.statusCode, uploaded.body).toBe(201);
    expect(uploaded.json()).toMatchObject({ id: submissionId, status: 'accepted', inserted: 1, superseded: 1 });
    expect(signed.statusCode, signed.body).toBe(200);
    // The sign-off ran after the commit: it froze the corrected figure, never a mixture.
    const frozenLine = signed
      .json()
      .networks.find((n: { code: string }) => n.code === 'N1')
      .domains[0].indicators.find((i: { code: string }) => i.code === 'DM-CP');
    expect(frozenLine).toMatchObject({ numerator: before.numerator - 10, denominator: before.denominator });
    expect(await n1DmCp(app, manager)).toMatchObject({ numerator: before.numerator - 10 });
  });

  it('a sign-off made while the file is being checked makes its write refuse the file (409), and nothing of it is saved', async () => {
    const point = holdPoint();
    app = await makeApp({ submissionHooks: { beforeWrite: (id) => point.hold(id) } });
    const [manager, commissioner] = [await signIn(app, 'manager'), await signIn(app, 'commissioner')];
    const before = await allObservations(app);

    const uploading = upload(app, manager, { name: 'late.csv', content: `${HEADER}2026-03,Z00001,DM-CP,100,100\n` });
    const submissionId = await point.arrived; // checked and found valid; not yet writing
    const signed = await app.inject({
      method: 'POST',
      url: '/api/payments/2025-26/sign-off',
      headers: { cookie: commissioner },
      payload: {},
    });
    expect(signed.statusCode, signed.body).toBe(200);

    point.release();
    const res = await uploading;
    expect(res.statusCode).toBe(409);
    expect(res.json().error).toMatchObject({ code: 'period-locked', details: [{ submissionId }] });
    expect(await allObservations(app)).toEqual(before);
    const stored = (await app.inject({ url: `/api/submissions/${submissionId}`, headers: { cookie: manager } })).json();
    expect(stored).toMatchObject({ status: 'rejected', errorCount: 1 });
    expect(stored.errors[0].message).toContain('while the file was being checked');
  });

  it('a worker that stops mid-write: the upload gets 500 upload-failed, is recorded as failed with nothing saved, and the next upload works', async () => {
    let stops = 1;
    const hooks: SubmissionHooks = {
      beforeCommit: async () => {
        if (stops-- > 0) await app!.submissions.stopWorker(); // every row written, nothing committed
      },
    };
    app = await makeApp({ submissionHooks: hooks });
    const manager = await signIn(app, 'manager');
    const before = await allObservations(app);
    const file = { name: 'oct.csv', content: `${HEADER}2026-10,Z00001,DM-BP,500,760\n` };

    const failed = await upload(app, manager, file);
    expect(failed.statusCode).toBe(500);
    expect(failed.json().error).toMatchObject({
      code: 'upload-failed',
      details: [{ submissionId: expect.any(Number) }],
    });
    expect(failed.json().error.message).toMatch(/recorded as failed\)\. Upload it again/);
    const id = failed.json().error.details[0].submissionId;
    expect(await allObservations(app)).toEqual(before);
    const stored = (await app.inject({ url: `/api/submissions/${id}`, headers: { cookie: manager } })).json();
    expect(stored).toMatchObject({ status: 'failed', storedBytes: 0, fileKept: false, errorCount: 1 });
    const original = await app.inject({ url: `/api/submissions/${id}/file`, headers: { cookie: manager } });
    expect(original.statusCode).toBe(404);
    expect(original.json().error.code).toBe('file-not-kept');
    expect(await testOne(app, 'SELECT count(*) AS n FROM submission_chunks WHERE submission_id = ?', [id])).toEqual({
      n: 0,
    });
    const audit = (await testQuery(app, "SELECT detail FROM audit_log WHERE action = 'upload-failed'")) as {
      detail: string;
    }[];
    expect(audit.map((a) => JSON.parse(a.detail))).toEqual([{ submissionId: id, filename: 'oct.csv' }]);

    const again = await upload(app, manager, file);
    expect(again.statusCode, again.body).toBe(201);
    expect(await currentObservation(app, 'Z00001', 'DM-BP', '2026-10')).toMatchObject({
      numerator: 500,
      denominator: 760,
      submission_id: again.json().id,
    });
  });

  it('refuses an in-memory database: the upload worker needs a file it can open too', async () => {
    await expect(buildApp({ dbFile: ':memory:', webDir: 'dist/web' })).rejects.toThrow(ConfigError);
  });
});
