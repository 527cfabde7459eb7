/**
 * `npm run bench`: performance benchmarks (measured, never asserted as timed tests).
 *
 * Ingest: a generated long-format file for every network in England (the national practice-to-network map,
 * 6,459 allocated practices × 22 indicators × 12 months ≈ 1.7 million rows) uploaded through the HTTP API to
 * the real server running in its own process, against the sqlite3 shell's `.import` of the same file into a
 * keyed table. Reports rows per second and the server's peak resident memory (VmHWM).
 *
 * Throughout each upload a GP's chart (GET /api/attainment) is asked for every 50 ms, each request on its own,
 * and its latency reported against the targets (p95 < 250 ms, none over 1 s): the upload is checked and written
 * by a worker thread, so reads must not wait for it. During the re-upload a user also signs in every second:
 * a sign-in writes, so it waits (without holding anything else up) while the upload's transaction is open.
 */
import { spawn, spawnSync } from 'node:child_process';
import { createServer } from 'node:net';
import {
  createReadStream,
  createWriteStream,
  existsSync,
  mkdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { once } from 'node:events';
import { sql } from 'kysely';
import { closeDatabase, openDatabase } from '../../server/db/database';
import { migrate } from '../../server/db/migrate';
import { insertContractYear } from '../../server/db/repositories/contract-years';
import { insertUser } from '../../server/db/repositories/users';
import { DEFAULT_CATALOGUE, DEFAULT_DOMAIN_SHARES_BP, DEFAULT_QOF_ALIASES } from '../../server/domain/catalogue';
import { periodRange } from '../../server/domain/periods';
import { standaloneSubmissions } from '../../server/services/submit/service';
import { hashPassword } from '../../server/security/passwords';

const ROOT = new URL('../../', import.meta.url).pathname;
const OUT = join(ROOT, 'tests/bench/out');
const NATIONAL = join(ROOT, 'fixtures/public/england/practice-network-map-2022-01.csv');
/** A port the system says is free now (another bench or test run may be using any fixed one). */
async function freePort(): Promise<number> {
  const probe = createServer();
  probe.listen(0, '127.0.0.1');
  await once(probe, 'listening');
  const { port } = probe.address() as { port: number };
  probe.close();
  await once(probe, 'close');
  return port;
}
let PORT = 0;
const now = new Date('2026-11-21T10:00:00Z');

function log(message: string): void {
  console.log(`[bench] ${message}`);
}

async function generateNationalFile(file: string): Promise<{ rows: number; practices: number }> {
  const lines = readFileSync(NATIONAL, 'utf8').split(/\r?\n/).slice(1).filter(Boolean);
  // PRACTICE_CODE is the third column and PCN_CODE the sixth; names before them never hold commas here
  // when quoted, so a quoted-aware split is used.
  const practices: string[] = [];
  for (const line of lines) {
    const cells = line.match(/("([^"]|"")*"|[^,]*)(,|$)/g)!.map((c) => c.replace(/,$/, '').replace(/^"|"$/g, ''));
    const pcn = cells[5] ?? '';
    if (pcn !== '' && pcn !== 'U') practices.push(cells[2]!);
  }
  const periods = periodRange('2025-04', '2026-03');
  const out = createWriteStream(file);
  out.write('period,practice_code,indicator_code,numerator,denominator,exceptions\n');
  let rows = 0;
  let seed = 12345;
  const rand = () => (seed = (seed * 1103515245 + 12345) >>> 0) / 4294967296;
  for (const practice of practices) {
    const chunk: string[] = [];
    for (const ind of DEFAULT_CATALOGUE) {
      for (const period of periods) {
        const denominator = 20 + Math.floor(rand() * 900);
        const numerator = Math.floor(denominator * (0.5 + rand() * 0.5));
        chunk.push(`${period},${practice},${ind.code},${numerator},${denominator},${Math.floor(rand() * 20)}`);
        rows++;
      }
    }
    if (!out.write(chunk.join('\n') + '\n')) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
  return { rows, practices: practices.length };
}

async function prepareDatabase(dbFile: string): Promise<void> {
  for (const suffix of ['', '-wal', '-shm']) rmSync(dbFile + suffix, { force: true });
  const db = openDatabase(dbFile);
  migrate(db);
  await insertContractYear(
    db,
    {
      code: '2025-26',
      firstPeriod: '2025-04',
      lastPeriod: '2026-03',
      retrospectiveShareBp: 3000,
      domainRule: 'all-indicators',
      domainShares: DEFAULT_DOMAIN_SHARES_BP,
      indicators: DEFAULT_CATALOGUE,
      aliases: DEFAULT_QOF_ALIASES,
      contractValues: {},
    },
    now.toISOString(),
  );
  const submissions = standaloneSubmissions(db, dbFile, 5 * 1024 * 1024);
  const ref = await submissions.submitReference(NATIONAL, {
    userId: null,
    username: 'bench',
    filename: 'map.csv',
    fromPeriod: '2025-04',
    now,
  });
  await submissions.close();
  if (ref.status !== 'accepted') throw new Error('national map rejected');
  // Every network in England holds a contract of about £250,000 for the payments benchmark.
  await db
    .insertInto('contract_values')
    .columns(['contract_year_id', 'network_id', 'value_pence'])
    .expression((eb) =>
      eb
        .selectFrom('networks')
        .select([
          eb.selectFrom('contract_years').select('id').where('code', '=', '2025-26').as('year'),
          'id',
          sql<number>`24000000 + (id * 7919) % 2000000`.as('pence'),
        ]),
    )
    .execute();
  await insertUser(
    db,
    { username: 'bench', passwordHash: await hashPassword('bench-password'), role: 'admin', networkCode: null },
    now.toISOString(),
  );
  await closeDatabase(db);
}

function http(
  method: string,
  path: string,
  headers: Record<string, string>,
  body?: NodeJS.ReadableStream | string,
): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: PORT, method, path, headers }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (d) => (text += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }));
    });
    req.on('error', reject);
    if (body === undefined) req.end();
    else if (typeof body === 'string') req.end(body);
    else body.pipe(req);
  });
}

async function uploadFile(file: string, cookie: string): Promise<{ seconds: number; body: string; status: number }> {
  const boundary = '----benchboundary';
  const head = `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="national.csv"\r\nContent-Type: text/csv\r\n\r\n`;
  const tail = `\r\n--${boundary}--\r\n`;
  const size = statSync(file).size;
  const { PassThrough } = await import('node:stream');
  const body = new PassThrough();
  const started = process.hrtime.bigint();
  const pending = http(
    'POST',
    '/api/submissions',
    {
      cookie,
      'content-type': `multipart/form-data; boundary=${boundary}`,
      'content-length': String(Buffer.byteLength(head) + size + Buffer.byteLength(tail)),
    },
    body,
  );
  body.write(head);
  const stream = createReadStream(file);
  stream.pipe(body, { end: false });
  await once(stream, 'end');
  body.end(tail);
  const res = await pending;
  return { seconds: Number(process.hrtime.bigint() - started) / 1e9, body: res.body, status: res.status };
}

function peakRssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmHWM:\s+(\d+)/.exec(status)![1]);
  return kb / 1024;
}

let statements: Record<string, unknown> = {};

interface Latency {
  count: number;
  p50: number;
  p95: number;
  max: number;
  failed: number;
}

function summarise(times: number[], failed: number): Latency {
  const sorted = [...times].sort((a, b) => a - b);
  const at = (q: number) =>
    sorted.length ? +sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!.toFixed(1) : NaN;
  return {
    count: sorted.length,
    p50: at(0.5),
    p95: at(0.95),
    max: sorted.length ? +sorted[sorted.length - 1]!.toFixed(1) : NaN,
    failed,
  };
}

/**
 * Requests sent at a steady pace while `until` is pending, each on its own (an open loop: a stalled server
 * meets every request that would have been sent meanwhile, as real users' requests would, rather than one
 * slow request hiding the rest). Returns each request's time to its answer.
 */
async function sendWhile<T>(
  until: Promise<T>,
  everyMs: number,
  send: () => Promise<{ status: number }>,
  okStatus = 200,
): Promise<{ value: T; latency: Latency }> {
  let done = false;
  const finished = until.finally(() => {
    done = true;
  });
  const times: number[] = [];
  let failed = 0;
  const inFlight: Promise<void>[] = [];
  const one = async () => {
    const t0 = process.hrtime.bigint();
    const res = await send();
    times.push(Number(process.hrtime.bigint() - t0) / 1e6);
    if (res.status !== okStatus) failed++;
  };
  const pacer = (async () => {
    while (!done) {
      inFlight.push(one());
      await new Promise((r) => setTimeout(r, everyMs));
    }
  })();
  const value = await finished;
  await pacer;
  await Promise.all(inFlight);
  return { value, latency: summarise(times, failed) };
}

/** A GP's chart (attainment) every 50 ms, and optionally a sign-in every second, while an upload is under way. */
async function duringUpload<T>(
  upload: Promise<T>,
  readPath: string,
  cookie: string,
  withSignIns: boolean,
): Promise<{ value: T; reads: Latency; signIns: Latency | null }> {
  const signIn = () =>
    http(
      'POST',
      '/api/auth/login',
      { 'content-type': 'application/json' },
      JSON.stringify({ username: 'bench', password: 'bench-password' }),
    );
  const [reads, signIns] = await Promise.all([
    sendWhile(upload, 50, () => http('GET', readPath, { cookie })),
    withSignIns ? sendWhile(upload, 1000, signIn) : null,
  ]);
  return { value: reads.value, reads: reads.latency, signIns: signIns?.latency ?? null };
}

/** Starts a new high-water mark of the server's resident memory (Linux: clear_refs 5). */
function resetPeakRss(pid: number): void {
  writeFileSync(`/proc/${pid}/clear_refs`, '5');
}

function logDuring(label: string, during: { reads: Latency; signIns: Latency | null }): void {
  const { reads, signIns } = during;
  log(
    `${label}: ${reads.count} reads of GET /api/attainment (one every 50 ms): p50 ${reads.p50} ms, p95 ${reads.p95} ms (target < 250 ms), max ${reads.max} ms (target < 1000 ms)${reads.failed ? `, ${reads.failed} not 200` : ''}`,
  );
  if (signIns)
    log(
      `${label}: ${signIns.count} sign-ins (one a second): p50 ${signIns.p50} ms, p95 ${signIns.p95} ms, max ${signIns.max} ms${signIns.failed ? `, ${signIns.failed} not 200` : ''} (a sign-in writes, so it waits while the upload's transaction is open)`,
    );
}

async function timed(
  path: string,
  cookie: string,
  runs: number,
): Promise<{ median: number; p95: number; max: number; bytes: number }> {
  const times: number[] = [];
  let bytes = 0;
  for (let i = 0; i < runs; i++) {
    const t0 = process.hrtime.bigint();
    const res = await http('GET', path, { cookie });
    times.push(Number(process.hrtime.bigint() - t0) / 1e6);
    if (res.status !== 200) throw new Error(`${path}: ${res.status} ${res.body.slice(0, 300)}`);
    bytes = res.body.length;
  }
  times.sort((a, b) => a - b);
  const at = (q: number) => +times[Math.min(times.length - 1, Math.floor(q * times.length))]!.toFixed(1);
  return { median: at(0.5), p95: at(0.95), max: +times[times.length - 1]!.toFixed(1), bytes };
}

/** Attainment for one network and every network's payment statement for the year, over HTTP. */
async function benchStatements(cookie: string): Promise<Record<string, unknown>> {
  await timed('/api/attainment?network=U89141&period=2026-03', cookie, 5); // warm up
  const attainment = await timed('/api/attainment?network=U89141&period=2026-03', cookie, 100);
  log(
    `GET /api/attainment (one network of England's, 22 indicators): median ${attainment.median} ms, p95 ${attainment.p95} ms (target < 20 ms)`,
  );
  await timed('/api/payments?year=2025-26', cookie, 1);
  const payments = await timed('/api/payments?year=2025-26', cookie, 10);
  log(
    `GET /api/payments?year=2025-26 (every network in England, final statements, ${(payments.bytes / 1048576).toFixed(1)} MB of JSON): median ${payments.median} ms, max ${payments.max} ms (target < 1000 ms)`,
  );
  return { attainmentMs: attainment, paymentsMs: payments };
}

async function benchIngest(): Promise<Record<string, unknown>> {
  mkdirSync(OUT, { recursive: true });
  const file = join(OUT, 'national-long.csv');
  log('generating the national long-format file…');
  const generated = await generateNationalFile(file);
  const bytes = statSync(file).size;
  log(
    `${generated.rows.toLocaleString()} rows for ${generated.practices.toLocaleString()} practices, ${(bytes / 1048576).toFixed(1)} MB`,
  );

  const dbFile = join(OUT, 'bench.sqlite');
  await prepareDatabase(dbFile);
  PORT = await freePort();
  log(`starting the server in its own process on port ${PORT}…`);
  const server = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'server/bin/serve.ts')], {
    cwd: ROOT,
    env: {
      ...process.env,
      DB_FILE: dbFile,
      PORT: String(PORT),
      SEED_DEMO: 'false',
      LOG_LEVEL: 'warn',
      MAX_UPLOAD_MB: '1024',
    },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  try {
    for (let i = 0; ; i++) {
      try {
        await http('GET', '/api/status', {});
        break;
      } catch {
        if (i > 100) throw new Error('server did not start');
        await new Promise((r) => setTimeout(r, 100));
      }
    }
    const login = await http(
      'POST',
      '/api/auth/login',
      { 'content-type': 'application/json' },
      JSON.stringify({ username: 'bench', password: 'bench-password' }),
    );
    const cookie = String((login.headers['set-cookie'] as string[])[0]).split(';')[0]!;
    const baseline = peakRssMb(server.pid!);

    log('uploading through POST /api/submissions, with a GP reading attainment throughout…');
    const readPath = '/api/attainment?network=U89141&period=2026-03';
    const duringFirst = await duringUpload(uploadFile(file, cookie), readPath, cookie, false);
    const first = duringFirst.value;
    if (first.status !== 201) throw new Error(`upload failed: ${first.status} ${first.body.slice(0, 500)}`);
    const peakFirst = peakRssMb(server.pid!);
    log(
      `first upload: ${first.seconds.toFixed(2)} s, ${Math.round(generated.rows / first.seconds).toLocaleString()} rows/s, server peak RSS ${peakFirst.toFixed(0)} MB (idle ${baseline.toFixed(0)} MB)`,
    );
    logDuring('during the first upload', duringFirst);

    log(
      'uploading the same file again (every value compared, none changed), with a GP reading attainment and a user signing in every second…',
    );
    resetPeakRss(server.pid!);
    const duringSecond = await duringUpload(uploadFile(file, cookie), readPath, cookie, true);
    const second = duringSecond.value;
    const summary = JSON.parse(second.body) as { unchanged: number; inserted: number };
    const peakSecond = peakRssMb(server.pid!);
    log(
      `re-upload: ${second.seconds.toFixed(2)} s, ${Math.round(generated.rows / second.seconds).toLocaleString()} rows/s, unchanged ${summary.unchanged.toLocaleString()}, peak RSS ${peakSecond.toFixed(0)} MB (sign-ins included: each takes a 16 MB scrypt)`,
    );
    logDuring('during the re-upload', duringSecond);

    log('sqlite3 shell .import of the same file into a keyed table…');
    const shellDb = join(OUT, 'shell.sqlite');
    for (const suffix of ['', '-wal', '-shm']) rmSync(shellDb + suffix, { force: true });
    const script = [
      'PRAGMA journal_mode=WAL;',
      'PRAGMA synchronous=FULL;',
      'CREATE TABLE obs (period TEXT NOT NULL, practice_code TEXT NOT NULL, indicator_code TEXT NOT NULL, numerator INTEGER, denominator INTEGER, exceptions INTEGER, PRIMARY KEY (practice_code, period, indicator_code));',
      `.import --csv --skip 1 ${file} obs`,
      'SELECT count(*) FROM obs;',
    ].join('\n');
    const t0 = process.hrtime.bigint();
    const shell = spawnSync('sqlite3', [shellDb], { input: script, encoding: 'utf8' });
    const shellSeconds = Number(process.hrtime.bigint() - t0) / 1e9;
    if (shell.status !== 0) throw new Error(`sqlite3 failed: ${shell.stderr}`);
    log(
      `sqlite3 .import: ${shellSeconds.toFixed(2)} s (${shell.stdout.trim().split('\n').pop()} rows), ${Math.round(generated.rows / shellSeconds).toLocaleString()} rows/s`,
    );
    log(
      `ratio (API upload / sqlite3 .import): ${(first.seconds / shellSeconds).toFixed(2)}× (target ≤ 2×); server peak RSS during the upload ${peakFirst.toFixed(0)} MB (target ≤ 400 MB)`,
    );
    statements = await benchStatements(cookie);
    return {
      rows: generated.rows,
      megabytes: +(bytes / 1048576).toFixed(1),
      uploadSeconds: +first.seconds.toFixed(2),
      uploadRowsPerSecond: Math.round(generated.rows / first.seconds),
      reuploadSeconds: +second.seconds.toFixed(2),
      sqliteImportSeconds: +shellSeconds.toFixed(2),
      ratio: +(first.seconds / shellSeconds).toFixed(2),
      readsDuringUploadMs: duringFirst.reads,
      readsDuringReuploadMs: duringSecond.reads,
      signInsDuringReuploadMs: duringSecond.signIns,
      serverPeakRssMb: Math.round(peakFirst),
      serverPeakRssWithSignInsMb: Math.round(peakSecond),
      serverIdleRssMb: Math.round(baseline),
    };
  } finally {
    server.kill('SIGTERM');
    await once(server, 'exit');
  }
}

const results: Record<string, unknown> = { when: new Date().toISOString(), node: process.version };
if (!existsSync(NATIONAL)) throw new Error(`the national map is not at ${NATIONAL}`);
results.ingest = await benchIngest();
results.statements = statements;
writeFileSync(join(OUT, 'results.json'), JSON.stringify(results, null, 2) + '\n');
log(`results written to ${join(OUT, 'results.json')}`);
