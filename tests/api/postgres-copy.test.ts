/**
 * Spike for issue 15's bulk ingest on PostgreSQL: `COPY … FROM STDIN` (pg-copy-streams) into a staging table,
 * then set-based supersession and insert, all in one transaction. What it must show: the rows arrive and the
 * set-based statements write them; and a transaction rolled back, a COPY that fails half way (the upload cut
 * off) and a connection killed in the middle of a COPY (the process killed) each leave nothing behind.
 */
import { PassThrough, Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { beforeAll, expect, it } from 'vitest';
import { describePostgres, usePostgresSchema } from '../helpers/postgres';

/** How long to wait for the server to reach a state (machines running several suites at once can be slow). */
const POLL = { timeout: 30_000, interval: 20 };

const PRACTICES = 250;
const INDICATORS = 20;
const ROWS = PRACTICES * INDICATORS; // 5,000

/** One CSV line per practice and indicator, as the staging table's columns; `bump` changes the figures. */
function* csvLines(practiceIds: number[], period: string, bump = 0, limit = ROWS): Generator<string> {
  let n = 0;
  for (const practiceId of practiceIds) {
    for (let i = 1; i <= INDICATORS; i++) {
      if (n++ >= limit) return;
      const denominator = 100 + ((practiceId * 7 + i) % 900);
      yield `${practiceId},IND${i},${period},${(denominator >> 1) + bump},${denominator + bump},${i % 3 === 0 ? '' : i % 5}\n`;
    }
  }
}

const STAGING_COLUMNS =
  '(practice_id bigint NOT NULL, indicator_code text NOT NULL, period text NOT NULL, numerator bigint NOT NULL, denominator bigint NOT NULL, exceptions bigint)';
const COPY_STAGING = (table: string) =>
  `COPY ${table} (practice_id, indicator_code, period, numerator, denominator, exceptions) FROM STDIN (FORMAT csv)`;

/** Supersedes the current values the staging table replaces, then inserts the staged values: two statements. */
async function writeStaged(
  client: pg.PoolClient,
  submissionId: number,
): Promise<{ superseded: number; inserted: number }> {
  const superseded = await client.query(
    `UPDATE observations o SET superseded_by = $1
     FROM observation_staging s
     WHERE o.superseded_by IS NULL AND o.practice_id = s.practice_id AND o.indicator_code = s.indicator_code AND o.period = s.period`,
    [submissionId],
  );
  const inserted = await client.query(
    `INSERT INTO observations (submission_id, practice_id, indicator_code, period, numerator, denominator, exceptions)
     SELECT $1, practice_id, indicator_code, period, numerator, denominator, exceptions FROM observation_staging`,
    [submissionId],
  );
  return { superseded: superseded.rowCount ?? 0, inserted: inserted.rowCount ?? 0 };
}

describePostgres('PostgreSQL bulk ingest spike: COPY FROM STDIN into staging, in one transaction', () => {
  const pg = usePostgresSchema();
  let practiceIds: number[] = [];
  let submissionIds: number[] = [];

  beforeAll(async () => {
    await pg.pool.query("INSERT INTO networks (code, name, created_at) VALUES ('N1', 'Network 1', 't')");
    practiceIds = (
      await pg.pool.query<{ id: number }>(
        "INSERT INTO practices (code, name, created_at) SELECT 'Z' || lpad(n::text, 5, '0'), 'Practice ' || n, 't' FROM generate_series(1, $1) AS n RETURNING id",
        [PRACTICES],
      )
    ).rows.map((r) => r.id);
    submissionIds = (
      await pg.pool.query<{ id: number }>(
        "INSERT INTO submissions (uploaded_at, uploader, filename, status) SELECT 't', 'manager', 'f' || n || '.csv', 'processing' FROM generate_series(1, 4) AS n RETURNING id",
      )
    ).rows.map((r) => r.id);
  });

  const counts = async () =>
    (
      await pg.pool.query<{ current: number; superseded: number }>(
        'SELECT count(*) FILTER (WHERE superseded_by IS NULL) AS current, count(*) FILTER (WHERE superseded_by IS NOT NULL) AS superseded FROM observations',
      )
    ).rows[0];

  /** Runs `body` on a connection of its own, closed afterwards, so no session state (temporary tables) outlives it. */
  async function onConnection<T>(body: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    const client = await pg.pool.connect();
    let broken: Error | undefined;
    client.on('error', (e) => (broken = e)); // a killed backend is reported here as well as to the query
    try {
      return await body(client);
    } finally {
      client.release(broken ?? true);
    }
  }

  it('copies 5,000 rows into a staging table and writes them set-based; rolled back, nothing remains', async () => {
    await onConnection(async (client) => {
      await client.query('BEGIN');
      await client.query(`CREATE TEMP TABLE observation_staging ${STAGING_COLUMNS} ON COMMIT DROP`);
      const copy = client.query(copyFrom(COPY_STAGING('observation_staging')));
      await pipeline(Readable.from(csvLines(practiceIds, '2025-04')), copy);
      expect(copy.rowCount).toBe(ROWS);
      expect(await writeStaged(client, submissionIds[0]!)).toEqual({ superseded: 0, inserted: ROWS });
      expect(
        (await client.query('SELECT count(*) AS n, sum(numerator) AS num FROM observations')).rows[0],
      ).toMatchObject({ n: ROWS });
      expect(await counts()).toEqual({ current: 0, superseded: 0 }); // not visible to anyone else before commit
      await client.query('ROLLBACK');
      expect((await client.query("SELECT to_regclass('observation_staging') AS staging")).rows).toEqual([
        { staging: null },
      ]);
    });
    expect(await counts()).toEqual({ current: 0, superseded: 0 });
  });

  it('supersedes and inserts in the same transaction: committed, the old values stay as history; rolled back, they stay current', async () => {
    const load = (period: string, bump: number, submissionId: number, end: 'COMMIT' | 'ROLLBACK') =>
      onConnection(async (client) => {
        await client.query('BEGIN');
        await client.query(`CREATE TEMP TABLE observation_staging ${STAGING_COLUMNS} ON COMMIT DROP`);
        await pipeline(
          Readable.from(csvLines(practiceIds, period, bump)),
          client.query(copyFrom(COPY_STAGING('observation_staging'))),
        );
        const written = await writeStaged(client, submissionId);
        await client.query(end);
        return written;
      });
    expect(await load('2025-05', 0, submissionIds[1]!, 'COMMIT')).toEqual({ superseded: 0, inserted: ROWS });
    expect(await load('2025-05', 1, submissionIds[2]!, 'ROLLBACK')).toEqual({ superseded: ROWS, inserted: ROWS });
    expect(await counts()).toEqual({ current: ROWS, superseded: 0 });
    expect((await pg.pool.query('SELECT DISTINCT submission_id FROM observations')).rows).toEqual([
      { submission_id: submissionIds[1] },
    ]);
    expect(await load('2025-05', 1, submissionIds[2]!, 'COMMIT')).toEqual({ superseded: ROWS, inserted: ROWS });
    expect(await counts()).toEqual({ current: ROWS, superseded: ROWS });
    const supersededBy = await pg.pool.query(
      'SELECT submission_id, superseded_by, count(*) AS n FROM observations GROUP BY 1, 2 ORDER BY 1',
    );
    expect(supersededBy.rows).toEqual([
      { submission_id: submissionIds[1], superseded_by: submissionIds[2], n: ROWS },
      { submission_id: submissionIds[2], superseded_by: null, n: ROWS },
    ]);
  });

  it('a COPY that fails half way (the upload cut off) takes its transaction with it, and the connection is usable again', async () => {
    const before = await counts();
    await onConnection(async (client) => {
      await client.query('BEGIN');
      await client.query(`CREATE TEMP TABLE observation_staging ${STAGING_COLUMNS} ON COMMIT DROP`);
      await client.query(
        `INSERT INTO observations (submission_id, practice_id, indicator_code, period, numerator, denominator) VALUES ($1, $2, 'EARLY', '2025-06', 1, 2)`,
        [submissionIds[3], practiceIds[0]],
      );
      async function* cutOff() {
        yield* csvLines(practiceIds, '2025-06', 0, ROWS / 2);
        throw new Error('the upload stopped before the whole file arrived');
      }
      await expect(
        pipeline(Readable.from(cutOff()), client.query(copyFrom(COPY_STAGING('observation_staging')))),
      ).rejects.toThrow('the upload stopped before the whole file arrived');
      // The transaction is aborted: nothing more runs in it, and ending it rolls everything back.
      await expect(client.query('SELECT count(*) FROM observation_staging')).rejects.toThrow(
        'current transaction is aborted',
      );
      await client.query('ROLLBACK');
      expect((await client.query("SELECT to_regclass('observation_staging') AS staging")).rows).toEqual([
        { staging: null },
      ]);
    });
    expect(await counts()).toEqual(before);
    expect((await pg.pool.query("SELECT count(*) AS n FROM observations WHERE period = '2025-06'")).rows).toEqual([
      { n: 0 },
    ]);
  });

  it('a connection killed in the middle of a COPY (the process killed) leaves nothing behind', async () => {
    const before = await counts();
    let pid = 0;
    const outcome = await onConnection(async (client) => {
      pid = (await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]!.pid;
      await client.query('BEGIN');
      // A real table this time, so that another connection could see it if it outlived the transaction.
      await client.query(`CREATE TABLE observation_staging_killed ${STAGING_COLUMNS}`);
      await client.query(
        `INSERT INTO observations (submission_id, practice_id, indicator_code, period, numerator, denominator) VALUES ($1, $2, 'EARLY', '2025-07', 1, 2)`,
        [submissionIds[3], practiceIds[0]],
      );
      const feed = new PassThrough();
      const copying = pipeline(feed, client.query(copyFrom(COPY_STAGING('observation_staging_killed')))).then(
        () => 'finished',
        (e: Error) => `failed: ${e.message}`,
      );
      for (const line of csvLines(practiceIds, '2025-07', 0, ROWS / 2)) feed.write(line);
      // Wait until the server is in the COPY, with rows sent, then kill the connection from outside.
      await expect
        .poll(
          async () =>
            (
              await pg.pool.query<{ query: string }>(
                "SELECT query FROM pg_stat_activity WHERE pid = $1 AND state = 'active'",
                [pid],
              )
            ).rows[0]?.query ?? '',
          POLL,
        )
        .toMatch(/^COPY observation_staging_killed/);
      expect(
        (await pg.pool.query<{ killed: boolean }>('SELECT pg_terminate_backend($1) AS killed', [pid])).rows,
      ).toEqual([{ killed: true }]);
      return copying;
    });
    expect(outcome).toMatch(/^failed: /);
    await expect
      .poll(async () => (await pg.pool.query('SELECT 1 FROM pg_stat_activity WHERE pid = $1', [pid])).rowCount, POLL)
      .toBe(0);
    expect((await pg.pool.query("SELECT to_regclass('observation_staging_killed') AS staging")).rows).toEqual([
      { staging: null },
    ]);
    expect(await counts()).toEqual(before);
    expect((await pg.pool.query("SELECT count(*) AS n FROM observations WHERE period = '2025-07'")).rows).toEqual([
      { n: 0 },
    ]);
  });
});
