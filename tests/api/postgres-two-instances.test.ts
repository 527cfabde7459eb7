/**
 * Several instances as one (issue 15): two servers, each a Fastify app with its own pg pool and its own
 * upload worker, listening on ports of their own (port 0) and talking to one PostgreSQL database, as behind a
 * load balancer. Requests go over real HTTP. What one instance writes the other sees at once: a session, an
 * upload (past the other's kept figures, keyed by the data version in the database), a sign-off (which
 * refuses an upload through the other with 409), failed sign-ins (counted together) and the general rate
 * limit; the audit chain stays valid when both append at once.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { buildApp } from '../../server/app';
import { currentDataVersion } from '../../server/db/repositories/maintenance';
import { signOffYear } from '../../server/db/repositories/statements';
import { insertSubmission } from '../../server/db/repositories/submissions';
import { seedDemo } from '../../server/services/demo';
import { checkAuditLog } from '../../server/services/audit-log';
import { DEMO_PASSWORDS, multipart, TEST_NOW } from '../helpers/app';
import { describePostgres } from '../helpers/postgres';
import { closeTestDatabases, createTestDatabase, databaseUrl, dropTestDatabase } from '../helpers/postgres-app';

const HEADER = 'period,practice_code,indicator_code,numerator,denominator\n';

interface Instance {
  app: FastifyInstance;
  base: string;
}

async function startInstances(url: string, count: number, apiRateLimit: number): Promise<Instance[]> {
  const out: Instance[] = [];
  for (let i = 0; i < count; i++) {
    const app = await buildApp({ databaseUrl: url, webDir: 'dist/web', now: () => TEST_NOW, apiRateLimit });
    const address = await app.listen({ port: 0, host: '127.0.0.1' });
    out.push({ app, base: address });
  }
  return out;
}

async function signIn(at: Instance, username: string, password = DEMO_PASSWORDS[username]!): Promise<string> {
  const res = await fetch(`${at.base}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });
  expect(res.status, await res.clone().text()).toBe(200);
  const cookie = res.headers.getSetCookie().find((c) => c.startsWith('fd_session='));
  if (!cookie) throw new Error('no session cookie');
  return cookie.split(';')[0]!;
}

async function getJson<T>(at: Instance, path: string, cookie: string): Promise<T> {
  const res = await fetch(`${at.base}${path}`, { headers: { cookie } });
  expect(res.status, await res.clone().text()).toBe(200);
  return (await res.json()) as T;
}

async function uploadFile(at: Instance, cookie: string, name: string, content: string): Promise<Response> {
  const body = multipart({ name, content });
  return fetch(`${at.base}/api/submissions`, {
    method: 'POST',
    headers: { ...body.headers, cookie },
    body: new Uint8Array(body.payload),
  });
}

/** N1's DM-CP at March 2026 (the demo's last month of 2025-26): the network's pooled figures. */
async function n1DmCp(at: Instance, cookie: string): Promise<{ numerator: number; denominator: number }> {
  const body = await getJson<{ indicators: { code: string; numerator: number; denominator: number }[] }>(
    at,
    '/api/attainment?network=N1&period=2026-03',
    cookie,
  );
  const found = body.indicators.find((i) => i.code === 'DM-CP');
  if (!found) throw new Error('no DM-CP in N1 attainment');
  return found;
}

describePostgres('two instances on one PostgreSQL database', () => {
  let database: string;
  let a: Instance;
  let b: Instance;

  beforeAll(async () => {
    database = await createTestDatabase();
    const url = databaseUrl(database);
    // The first instance migrates and seeds; the second finds the database ready.
    [a, b] = (await startInstances(url, 2, 1_000_000)) as [Instance, Instance];
    await seedDemo(a.app.db, a.app.submissions, a.app.now());
  });

  afterAll(async () => {
    await Promise.all([a?.app.close(), b?.app.close()]);
    if (database) await dropTestDatabase(database);
    await closeTestDatabases();
  });

  it('a session begun through one instance is honoured by the other', async () => {
    const cookie = await signIn(a, 'manager');
    expect(await getJson<{ username: string }>(b, '/api/auth/me', cookie)).toMatchObject({ username: 'manager' });
  });

  it('an upload through one instance is seen at once through the other, past its kept figures', async () => {
    const manager = await signIn(a, 'manager');
    const before = await n1DmCp(b, manager); // computed and kept by b at the current data version
    expect(await n1DmCp(b, manager)).toEqual(before);
    const res = await uploadFile(a, manager, 'march.csv', `${HEADER}2026-03,Z00001,DM-CP,1,2\n`);
    expect(res.status, await res.clone().text()).toBe(201);
    const after = await n1DmCp(b, manager);
    expect(after).not.toEqual(before);
    expect(after.denominator).toBeLessThan(before.denominator);
  });

  it('failed sign-ins for one username are counted across both instances', async () => {
    const answers = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        fetch(`${(i % 2 ? a : b).base}/api/auth/login`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ username: 'gp', password: `wrong guess ${i}` }),
        }).then((r) => r.status),
      ),
    );
    expect(answers.filter((s) => s === 401)).toHaveLength(5);
    expect(answers.filter((s) => s === 429)).toHaveLength(7);
  });

  it('a sign-off through one instance makes an upload for that year through the other answer 409', async () => {
    const commissioner = await signIn(b, 'commissioner');
    const signed = await fetch(`${b.base}/api/payments/2025-26/sign-off`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie: commissioner },
      body: JSON.stringify({ overrideReason: 'two-instance test' }),
    });
    expect(signed.status, await signed.clone().text()).toBe(200);
    const manager = await signIn(a, 'manager');
    const res = await uploadFile(a, manager, 'late-march.csv', `${HEADER}2026-03,Z00001,DM-CP,1,2\n`);
    expect(res.status, await res.clone().text()).toBe(409);
  });

  it('a sign-off whose statement was computed before an upload through the other instance committed is refused, and the year stays open', async () => {
    // What the sign-off service does, with an upload through b landing between its reading the figures (at
    // `computedAt`) and its writing the sign-off through a.
    const computedAt = await currentDataVersion(a.app.db);
    const manager = await signIn(b, 'manager');
    const res = await uploadFile(b, manager, 'september.csv', `${HEADER}2026-09,Z00001,DM-CP,3,4\n`);
    expect(res.status, await res.clone().text()).toBe(201);
    const year = await a.app.db
      .selectFrom('contract_years')
      .select(['id', 'locked_at'])
      .where('code', '=', '2026-27')
      .executeTakeFirstOrThrow();
    expect(year.locked_at).toBeNull();
    const signed = await signOffYear(a.app.db, {
      contractYearId: year.id,
      period: '2027-03',
      signedAt: TEST_NOW.toISOString(),
      signedBy: 'commissioner',
      overrideReason: null,
      inputHash: 'computed before the upload',
      statement: {},
      totalEarnedPence: 0,
      dataVersion: computedAt,
    });
    expect(signed).toBe('figures-changed');
    const after = await a.app.db
      .selectFrom('contract_years')
      .select('locked_at')
      .where('id', '=', year.id)
      .executeTakeFirstOrThrow();
    expect(after.locked_at).toBeNull();
  });

  it('the audit chain verifies after both instances append to it at once', async () => {
    // Four sign-ins each for three users (within the sign-in limits: at most five at once per username),
    // each appending an entry, sent at once and spread over both instances.
    const users = ['admin', 'commissioner', 'manager'];
    const results = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        fetch(`${(i % 2 ? a : b).base}/api/auth/login`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ username: users[i % 3], password: DEMO_PASSWORDS[users[i % 3]!] }),
        }).then((r) => r.status),
      ),
    );
    expect(results).toEqual(Array.from({ length: 12 }, () => 200));
    const check = await checkAuditLog(b.app.db, null);
    expect(check).toMatchObject({ kind: 'ok' });
    const signIns = await a.app.db
      .selectFrom('audit_log')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('action', '=', 'sign-in')
      .executeTakeFirstOrThrow();
    expect(signIns.n).toBeGreaterThanOrEqual(12);
  });

  it("an instance starting closes the uploads no instance is processing, and leaves another's upload in progress alone", async () => {
    // A third instance whose upload waits, checked, for its write turn until the test lets it go.
    let reachedWrite!: () => void;
    const atWrite = new Promise<void>((resolve) => (reachedWrite = resolve));
    let letWrite!: () => void;
    const writeAllowed = new Promise<void>((resolve) => (letWrite = resolve));
    const url = databaseUrl(database);
    const busy = await buildApp({
      databaseUrl: url,
      webDir: 'dist/web',
      now: () => TEST_NOW,
      apiRateLimit: 1_000_000,
      submissionHooks: {
        beforeWrite: () => {
          reachedWrite();
          return writeAllowed;
        },
      },
    });
    const started: FastifyInstance[] = [];
    try {
      const c: Instance = { app: busy, base: await busy.listen({ port: 0, host: '127.0.0.1' }) };
      const manager = await signIn(c, 'manager');
      const inProgress = uploadFile(c, manager, 'october.csv', `${HEADER}2026-10,Z00001,DM-CP,3,4\n`);
      await atWrite;
      // And one left 'processing' by an instance that is gone: no one holds it.
      const abandoned = await insertSubmission(a.app.db, {
        uploadedAt: TEST_NOW.toISOString(),
        userId: null,
        uploader: 'manager',
        kind: 'observations',
        filename: 'lost.csv',
        periodGiven: null,
        format: null,
      });
      const processing = async () =>
        (
          await a.app.db
            .selectFrom('submissions')
            .select(['id', 'status'])
            .where('id', '>=', abandoned - 1)
            .orderBy('id')
            .execute()
        ).map((r) => [r.id, r.status]);
      expect(await processing()).toEqual([
        [abandoned - 1, 'processing'],
        [abandoned, 'processing'],
      ]);

      // An instance starts (a restart behind the load balancer): it closes only the abandoned upload.
      started.push(await buildApp({ databaseUrl: url, webDir: 'dist/web', now: () => TEST_NOW }));
      expect(await processing()).toEqual([
        [abandoned - 1, 'processing'],
        [abandoned, 'failed'],
      ]);

      letWrite();
      const res = await inProgress;
      expect(res.status, await res.clone().text()).toBe(201);
      expect(await processing()).toEqual([
        [abandoned - 1, 'accepted'],
        [abandoned, 'failed'],
      ]);
    } finally {
      letWrite();
      await Promise.all([busy.close(), ...started.map((app) => app.close())]);
    }
  });
});

describePostgres('the general rate limit across two instances', () => {
  let database: string;
  let instances: Instance[] = [];

  beforeAll(async () => {
    database = await createTestDatabase();
    instances = await startInstances(databaseUrl(database), 2, 5);
  });

  afterAll(async () => {
    await Promise.all(instances.map((i) => i.app.close()));
    if (database) await dropTestDatabase(database);
    await closeTestDatabases();
  });

  it("counts one address's requests together, whichever instance answers them", async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) statuses.push((await fetch(`${instances[i % 2]!.base}/api/status`)).status);
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429]);
  });
});
