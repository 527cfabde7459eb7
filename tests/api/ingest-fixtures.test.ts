/**
 * Every nasty file in fixtures/ingest/ gives its documented outcome (fixtures/ingest/expected.json), and the
 * stored observations are checked afterwards: a rejected file changes nothing; an accepted file's values
 * are current; either way the original bytes are kept.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allObservations, currentObservation, makeApp, signIn, upload } from '../helpers/app';

const DIR = join(import.meta.dirname, '../../fixtures/ingest');
type Expected =
  | {
      status: 'accepted';
      format: string;
      rows: number;
      period?: string;
      stored: [string, string, number, number, number | null][];
    }
  | { status: 'rejected'; errors: [number | null, string | null, string][] };
const expected = JSON.parse(readFileSync(join(DIR, 'expected.json'), 'utf8')) as Record<string, Expected | string>;
const cases = Object.entries(expected).filter((e): e is [string, Expected] => e[0] !== 'about');

describe('nasty uploads from fixtures/ingest', () => {
  let app: FastifyInstance;
  let cookie: string;
  beforeAll(async () => {
    app = await makeApp();
    cookie = await signIn(app, 'manager');
  });
  afterAll(() => app.close());

  it.each(cases)('%s gives its documented outcome', async (file, want) => {
    const before = await allObservations(app);
    const bytes = readFileSync(join(DIR, file));
    const res = await upload(
      app,
      cookie,
      { name: file, content: bytes },
      want.status === 'accepted' && want.period ? { period: want.period } : {},
    );
    const body = res.json();

    if (want.status === 'rejected') {
      expect(res.statusCode).toBe(422);
      expect(body.status).toBe('rejected');
      expect(body.errors.map((e: { row: number | null; column: string | null }) => [e.row, e.column])).toEqual(
        want.errors.map(([row, column]) => [row, column]),
      );
      want.errors.forEach(([, , words], i) => expect(body.errors[i].message).toContain(words));
      expect(body.errorCount).toBe(want.errors.length);
      // Nothing of a rejected file reaches the observations.
      expect(await allObservations(app)).toEqual(before);
    } else {
      expect(res.statusCode, res.body).toBe(201);
      expect(body).toMatchObject({ status: 'accepted', format: want.format, rows: want.rows, periods: ['2026-10'] });
      for (const [practice, indicator, numerator, denominator, exceptions] of want.stored) {
        expect(await currentObservation(app, practice, indicator, '2026-10')).toEqual({
          numerator,
          denominator,
          exceptions,
          submission_id: body.id,
        });
      }
      // Only the keys in the file changed: every other current value is as it was.
      const after = await allObservations(app);
      const touched = new Set(want.stored.map(([p, i]) => `${p}|${i}|2026-10`));
      const untouched = (rows: typeof after) =>
        rows.filter((o) => o.superseded_by === null && !touched.has(`${o.practice}|${o.indicator_code}|${o.period}`));
      expect(untouched(after)).toEqual(untouched(before));
    }

    // The submission is kept with its outcome and its original bytes.
    const detail = await app.inject({ url: `/api/submissions/${body.id}`, headers: { cookie } });
    expect(detail.json()).toMatchObject({ id: body.id, status: want.status, filename: file, sizeBytes: bytes.length });
    const original = await app.inject({ url: `/api/submissions/${body.id}/file`, headers: { cookie } });
    expect(original.rawPayload.equals(bytes)).toBe(true);
  });

  it('the QOF file reports the rows it did not load instead of dropping them silently', async () => {
    const res = await upload(
      app,
      cookie,
      { name: 'qof.csv', content: readFileSync(join(DIR, 'qof.csv')) },
      { period: '2026-10' },
    );
    expect(res.statusCode).toBe(201);
    const skipped = Object.fromEntries(
      res.json().skipped.map((s: { reason: string; rows: number; examples: string[] }) => [s.reason, s]),
    );
    expect(skipped['other-measure']).toEqual({ reason: 'other-measure', rows: 1, examples: ['ACHIEVED_POINTS'] });
    expect(skipped['unknown-indicator']).toEqual({ reason: 'unknown-indicator', rows: 1, examples: ['AST007'] });
    expect(skipped['other-network']).toEqual({ reason: 'other-network', rows: 2, examples: [] }); // counted, never named
    expect(skipped['outside-networks']).toEqual({ reason: 'outside-networks', rows: 1, examples: ['A81001'] });
  });

  it('a QOF file without a period is rejected with a message saying to choose one', async () => {
    const before = await allObservations(app);
    const res = await upload(app, cookie, { name: 'qof.csv', content: readFileSync(join(DIR, 'qof.csv')) });
    expect(res.statusCode).toBe(422);
    expect(res.json().errors[0]).toMatchObject({ row: null, column: 'period' });
    expect(res.json().errors[0].message).toContain('choose the period');
    expect(await allObservations(app)).toEqual(before);
  });
});

describe('upload limits and formats', () => {
  it('a file over the size limit is refused with 413 and changes nothing', async () => {
    const app = await makeApp({ maxUploadBytes: 2048 });
    try {
      const cookie = await signIn(app, 'manager');
      const before = await allObservations(app);
      const rows = Array.from({ length: 200 }, (_, i) => `2026-10,Z00001,DM-BP,${i},1000`).join('\n');
      const res = await upload(app, cookie, {
        name: 'big.csv',
        content: `period,practice_code,indicator_code,numerator,denominator\n${rows}\n`,
      });
      expect(res.statusCode).toBe(413);
      expect(res.json().error.code).toBe('too-large');
      expect(res.json().error.message).toMatch(/split it/);
      expect(await allObservations(app)).toEqual(before);
      const id = res.json().error.details[0].submissionId;
      const stored = await app.inject({ url: `/api/submissions/${id}`, headers: { cookie } });
      expect(stored.json()).toMatchObject({ status: 'rejected', errorCount: 1 });
    } finally {
      await app.close();
    }
  });

  it('an unknown format parameter is a 400 with the error shape', async () => {
    const app = await makeApp();
    try {
      const cookie = await signIn(app, 'manager');
      const res = await upload(app, cookie, { name: 'x.csv', content: 'a,b\n1,2\n' }, { format: 'excel' });
      expect(res.statusCode).toBe(400);
      expect(res.json()).toEqual({
        error: { code: 'bad-request', message: expect.stringContaining('format "excel"'), details: [] },
      });
    } finally {
      await app.close();
    }
  });
});
