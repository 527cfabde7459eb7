/**
 * `npm run bench`: performance benchmarks (measured, never asserted as timed tests), each figure printed beside
 * its target (issue 14). The floor (the sqlite3 shell's `.import`) and the product's upload alternate, three
 * times over, each upload into a new database on a newly started server; the figures are the medians of the
 * three (each run's figure is printed too, as the machine is shared and the spread says how noisy it was).
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
 *
 * PostgreSQL (issue 15): on BENCH_DATABASE_URL, a PostgreSQL database the bench may empty (its `public` schema
 * is dropped and made again before each run), or else on a throwaway server started from the machine's
 * PostgreSQL binaries (BENCH_POSTGRES=off to leave it out), the same runs follow on PostgreSQL, the
 * server started with DATABASE_URL, against the floor of `psql \copy` of the same file into a keyed table; both
 * dialects' figures are printed.
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
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { once } from 'node:events';
import { sql } from 'kysely';
import { closeDatabase, openConfiguredDatabase } from '../../server/db/database';
import { migrateDatabase } from '../../server/db/migrate-database';
import { insertContractYear } from '../../server/db/repositories/contract-years';
import { insertUser } from '../../server/db/repositories/users';
import { DEFAULT_CATALOGUE, DEFAULT_DOMAIN_SHARES_BP, DEFAULT_QOF_ALIASES } from '../../server/domain/catalogue';
import { periodRange } from '../../server/domain/periods';
import { SIGN_IN_LIMITS } from '../../server/domain/sign-in-limits';
import { standaloneSubmissions } from '../../server/services/submit/service';
import { hashPassword } from '../../server/security/passwords';
import { firstScreenJs } from '../helpers/first-screen';
import { startThrowawayPostgres } from '../helpers/postgres-setup';

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

/** psql on the bench's PostgreSQL database; throws with psql's own message if it fails. */
function psql(url: string, args: string[]): void {
  const r = spawnSync('psql', ['--no-psqlrc', '-X', '-q', '-v', 'ON_ERROR_STOP=1', url, ...args], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`psql failed: ${r.stderr}`);
}

async function prepareDatabase(dbFile: string, databaseUrl: string | null): Promise<void> {
  for (const suffix of ['', '-wal', '-shm']) rmSync(dbFile + suffix, { force: true });
  if (databaseUrl) psql(databaseUrl, ['-c', 'DROP SCHEMA IF EXISTS public CASCADE', '-c', 'CREATE SCHEMA public']);
  const db = openConfiguredDatabase({ dbFile, databaseUrl });
  await migrateDatabase(db);
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
  const submissions = standaloneSubmissions(db, dbFile, 5 * 1024 * 1024, databaseUrl);
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

interface Latency {
  count: number;
  p50: number;
  p95: number;
  max: number;
  failed: number;
  /** How many answers of each status other than the one expected (e.g. {"429 too-many-attempts": 12}). */
  notOk: Record<string, number>;
}

function summarise(times: number[], failed: number, notOk: Record<string, number> = {}): Latency {
  const sorted = [...times].sort((a, b) => a - b);
  const at = (q: number) =>
    sorted.length ? +sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!.toFixed(1) : NaN;
  return {
    count: sorted.length,
    p50: at(0.5),
    p95: at(0.95),
    max: sorted.length ? +sorted[sorted.length - 1]!.toFixed(1) : NaN,
    failed,
    notOk,
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
  send: () => Promise<{ status: number; body?: string }>,
  okStatus = 200,
): Promise<{ value: T; latency: Latency }> {
  let done = false;
  const finished = until.finally(() => {
    done = true;
  });
  const times: number[] = [];
  let failed = 0;
  const notOk: Record<string, number> = {};
  const inFlight: Promise<void>[] = [];
  const one = async () => {
    const t0 = process.hrtime.bigint();
    const res = await send();
    times.push(Number(process.hrtime.bigint() - t0) / 1e6);
    if (res.status !== okStatus) {
      failed++;
      // The status and the API's error code, so a failure says what it was.
      let code = '';
      try {
        code = (JSON.parse(res.body ?? '') as { error?: { code?: string } }).error?.code ?? '';
      } catch {
        // Not the API's JSON error: the status alone says it.
      }
      const key = `${res.status}${code ? ` ${code}` : ''}`;
      notOk[key] = (notOk[key] ?? 0) + 1;
    }
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
  return { value, latency: summarise(times, failed, notOk) };
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

/** ", 12 not 200 (429 too-many-attempts × 12)" */
function notOkText(l: Latency, ok: number): string {
  if (!l.failed) return '';
  const each = Object.entries(l.notOk)
    .map(([k, n]) => `${k} × ${n}`)
    .join(', ');
  return `, ${l.failed} not ${ok} (${each})`;
}

function logDuring(label: string, during: { reads: Latency; signIns: Latency | null }): void {
  const { reads, signIns } = during;
  log(
    `${label}: ${reads.count} reads of GET /api/attainment (one every 50 ms): p50 ${reads.p50} ms, p95 ${reads.p95} ms (target < 250 ms), max ${reads.max} ms (target < 1000 ms)${notOkText(reads, 200)}`,
  );
  if (signIns)
    log(
      `${label}: ${signIns.count} sign-ins (one a second): p50 ${signIns.p50} ms, p95 ${signIns.p95} ms, max ${signIns.max} ms${notOkText(signIns, 200)} (a sign-in writes, so it waits while the upload's transaction is open; sign-ins for one username released together when it commits are more than the ${SIGN_IN_LIMITS.perUsername} unfinished password checks a username may have at once, so the rest are refused with 429 too-many-attempts, as SPEC 8 asks of guesses sent at once)`,
    );
}

async function timed(
  path: string,
  cookie: string,
  runs: number,
): Promise<{ median: number; p95: number; max: number; bytes: number; wireBytes: number }> {
  const times: number[] = [];
  let bytes = 0;
  let wireBytes = 0;
  for (let i = 0; i < runs; i++) {
    const t0 = process.hrtime.bigint();
    // As a browser asks: compressed if the server will (the time includes compressing and decompressing).
    const res = await httpCompressed(path, cookie);
    times.push(Number(process.hrtime.bigint() - t0) / 1e6);
    if (res.status !== 200) throw new Error(`${path}: ${res.status} ${res.body.slice(0, 300)}`);
    bytes = Buffer.byteLength(res.body);
    wireBytes = res.wireBytes;
  }
  times.sort((a, b) => a - b);
  const at = (q: number) => +times[Math.min(times.length - 1, Math.floor(q * times.length))]!.toFixed(1);
  return { median: at(0.5), p95: at(0.95), max: +times[times.length - 1]!.toFixed(1), bytes, wireBytes };
}

/** A GET with `Accept-Encoding: br, gzip`; the body decompressed, and how many bytes came over the wire. */
function httpCompressed(path: string, cookie: string): Promise<{ status: number; body: string; wireBytes: number }> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port: PORT, method: 'GET', path, headers: { cookie, 'accept-encoding': 'br, gzip' } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (d: Buffer) => chunks.push(d));
        res.on('end', () => {
          const raw = Buffer.concat(chunks);
          const encoding = res.headers['content-encoding'];
          const body = encoding === 'br' ? brotliDecompressSync(raw) : encoding === 'gzip' ? gunzipSync(raw) : raw;
          resolve({ status: res.statusCode ?? 0, body: body.toString('utf8'), wireBytes: raw.length });
        });
      },
    );
    req.on('error', reject);
    req.end();
  });
}

interface ReadFigures {
  attainmentMedianMs: number;
  attainmentP95Ms: number;
  paymentsColdMs: number;
  paymentsRepeatedMedianMs: number;
  /** One network's statement with all its evidence (what opening a statement on the Payments screen asks). */
  statementColdMs: number;
  statementRepeatedMedianMs: number;
  paymentsBytes: number;
  paymentsWireBytes: number;
  overviewColdMs: number;
  overviewRepeatedMedianMs: number;
  overviewBytes: number;
  overviewWireBytes: number;
  peakRssServingMb: number;
}

/**
 * Attainment for one network, every network's payment statements for the year and the overview, over HTTP,
 * right after an upload (so the first of each is computed from scratch: the cold figure), then repeated (the
 * figures kept by data version). The server's peak memory is taken over this part alone.
 */
async function benchReads(cookie: string, pid: number): Promise<ReadFigures> {
  resetPeakRss(pid);
  const paymentsCold = await timed('/api/payments?year=2025-26', cookie, 1);
  const paymentsRepeated = await timed('/api/payments?year=2025-26', cookie, 10);
  const statementCold = await timed('/api/payments?year=2025-26&network=U89141', cookie, 1);
  const statementRepeated = await timed('/api/payments?year=2025-26&network=U89141', cookie, 10);
  const overviewCold = await timed('/api/overview', cookie, 1);
  const overviewRepeated = await timed('/api/overview', cookie, 10);
  await timed('/api/attainment?network=U89141&period=2026-03', cookie, 5); // warm up
  const attainment = await timed('/api/attainment?network=U89141&period=2026-03', cookie, 100);
  return {
    attainmentMedianMs: attainment.median,
    attainmentP95Ms: attainment.p95,
    paymentsColdMs: paymentsCold.median,
    paymentsRepeatedMedianMs: paymentsRepeated.median,
    statementColdMs: statementCold.median,
    statementRepeatedMedianMs: statementRepeated.median,
    paymentsBytes: paymentsRepeated.bytes,
    paymentsWireBytes: paymentsRepeated.wireBytes,
    overviewColdMs: overviewCold.median,
    overviewRepeatedMedianMs: overviewRepeated.median,
    overviewBytes: overviewRepeated.bytes,
    overviewWireBytes: overviewRepeated.wireBytes,
    peakRssServingMb: Math.round(peakRssMb(pid)),
  };
}

/** The floor: the sqlite3 shell's `.import` of the same file into a keyed table, in seconds. */
function sqliteImport(file: string): number {
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
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  if (shell.status !== 0) throw new Error(`sqlite3 failed: ${shell.stderr}`);
  return seconds;
}

/** The PostgreSQL floor: `psql \copy` of the same file into a keyed table (made and dropped around it), in seconds. */
function postgresCopy(file: string, url: string): number {
  psql(url, ['-c', 'DROP TABLE IF EXISTS bench_floor']);
  const t0 = process.hrtime.bigint();
  psql(url, [
    '-c',
    'CREATE TABLE bench_floor (period text NOT NULL, practice_code text NOT NULL, indicator_code text NOT NULL, numerator bigint, denominator bigint, exceptions bigint, PRIMARY KEY (practice_code, period, indicator_code))',
    '-c',
    `\\copy bench_floor FROM '${file}' WITH (FORMAT csv, HEADER true)`,
  ]);
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  psql(url, ['-c', 'DROP TABLE bench_floor']);
  return seconds;
}

interface RunFigures extends ReadFigures {
  importSeconds: number;
  uploadSeconds: number;
  ratio: number;
  peakRssUploadMb: number;
  idleRssMb: number;
  readsDuringUploadMs: Latency;
  reupload?: { seconds: number; unchanged: number; peakRssMb: number; reads: Latency; signIns: Latency | null };
}

/** One run: the floor, then the product (a new database, a new server, the upload, the reads). */
async function benchRun(
  file: string,
  rows: number,
  run: number,
  withReupload: boolean,
  databaseUrl: string | null = null,
): Promise<RunFigures> {
  const floor = databaseUrl ? 'psql \\copy' : 'sqlite3 .import';
  log(`run ${run}: ${floor} of the same file into a keyed table (the floor)…`);
  const importSeconds = databaseUrl ? postgresCopy(file, databaseUrl) : sqliteImport(file);
  log(
    `run ${run}: ${floor} ${importSeconds.toFixed(2)} s, ${Math.round(rows / importSeconds).toLocaleString()} rows/s`,
  );

  const dbFile = join(OUT, 'bench.sqlite');
  await prepareDatabase(dbFile, databaseUrl);
  PORT = await freePort();
  const server = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'server/bin/serve.ts')], {
    cwd: ROOT,
    env: {
      ...process.env,
      DB_FILE: dbFile,
      DATABASE_URL: databaseUrl ?? '',
      PORT: String(PORT),
      SEED_DEMO: 'false',
      LOG_LEVEL: 'warn',
      MAX_UPLOAD_MB: '1024',
      API_RATE_LIMIT: '1000000', // one user asks far more often here than the limit allows a person
    },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  try {
    // The machine may be busy (tsx compiles the server on start): up to a minute.
    for (let i = 0; ; i++) {
      try {
        await http('GET', '/api/status', {});
        break;
      } catch {
        if (i > 600) throw new Error('server did not start');
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
    const idle = peakRssMb(server.pid!);
    resetPeakRss(server.pid!);

    log(`run ${run}: uploading through POST /api/submissions, with a GP reading attainment throughout…`);
    const readPath = '/api/attainment?network=U89141&period=2026-03';
    const during = await duringUpload(uploadFile(file, cookie), readPath, cookie, false);
    const first = during.value;
    if (first.status !== 201) throw new Error(`upload failed: ${first.status} ${first.body.slice(0, 500)}`);
    const peakUpload = peakRssMb(server.pid!);
    log(
      `run ${run}: upload ${first.seconds.toFixed(2)} s, ${Math.round(rows / first.seconds).toLocaleString()} rows/s, ratio ${(first.seconds / importSeconds).toFixed(2)}×, server peak RSS ${peakUpload.toFixed(0)} MB (idle ${idle.toFixed(0)} MB)`,
    );
    logDuring(`run ${run}, during the upload`, during);

    const reads = await benchReads(cookie, server.pid!);
    log(
      `run ${run}: payments cold ${reads.paymentsColdMs} ms, repeated ${reads.paymentsRepeatedMedianMs} ms; overview cold ${reads.overviewColdMs} ms, repeated ${reads.overviewRepeatedMedianMs} ms; attainment ${reads.attainmentMedianMs} ms; peak RSS serving ${reads.peakRssServingMb} MB`,
    );

    let reupload: RunFigures['reupload'];
    if (withReupload) {
      log(
        `run ${run}: uploading the same file again (every value compared, none changed), with a GP reading attainment and a user signing in every second…`,
      );
      resetPeakRss(server.pid!);
      const again = await duringUpload(uploadFile(file, cookie), readPath, cookie, true);
      const summary = JSON.parse(again.value.body) as { unchanged: number };
      reupload = {
        seconds: +again.value.seconds.toFixed(2),
        unchanged: summary.unchanged,
        peakRssMb: Math.round(peakRssMb(server.pid!)),
        reads: again.reads,
        signIns: again.signIns,
      };
      log(
        `run ${run}: re-upload ${reupload.seconds} s, unchanged ${summary.unchanged.toLocaleString()}, peak RSS ${reupload.peakRssMb} MB (sign-ins included: each takes a 16 MB scrypt)`,
      );
      logDuring(`run ${run}, during the re-upload`, again);
    }
    return {
      importSeconds: +importSeconds.toFixed(2),
      uploadSeconds: +first.seconds.toFixed(2),
      ratio: +(first.seconds / importSeconds).toFixed(2),
      peakRssUploadMb: Math.round(peakUpload),
      idleRssMb: Math.round(idle),
      readsDuringUploadMs: during.reads,
      ...reads,
      reupload,
    };
  } finally {
    server.kill('SIGTERM');
    await once(server, 'exit');
  }
}

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

interface Target {
  label: string;
  figure: (r: RunFigures) => number;
  unit: string;
  target: number;
}

const TARGETS: Target[] = [
  { label: 'national upload ÷ sqlite3 .import', figure: (r) => r.ratio, unit: '×', target: 1.5 },
  { label: 'server peak RSS during the upload', figure: (r) => r.peakRssUploadMb, unit: 'MB', target: 400 },
  {
    label: 'server peak RSS serving payments and overview',
    figure: (r) => r.peakRssServingMb,
    unit: 'MB',
    target: 400,
  },
  { label: 'attainment, one network (median)', figure: (r) => r.attainmentMedianMs, unit: 'ms', target: 10 },
  { label: 'payments, every network, one year, cold', figure: (r) => r.paymentsColdMs, unit: 'ms', target: 500 },
  {
    label: 'payments, every network, one year, repeated (median)',
    figure: (r) => r.paymentsRepeatedMedianMs,
    unit: 'ms',
    target: 100,
  },
  { label: 'overview, every network, cold', figure: (r) => r.overviewColdMs, unit: 'ms', target: 300 },
  {
    label: 'overview, every network, repeated (median)',
    figure: (r) => r.overviewRepeatedMedianMs,
    unit: 'ms',
    target: 300,
  },
  {
    label: 'overview size on the wire (compressed)',
    figure: (r) => +(r.overviewWireBytes / 1048576).toFixed(2),
    unit: 'MB',
    target: 1,
  },
  {
    label: 'GP reads during the upload, p95',
    figure: (r) => r.readsDuringUploadMs.p95,
    unit: 'ms',
    target: 250,
  },
];

function printTable(runs: RunFigures[], firstScreenKb: number, floor = 'sqlite3 .import'): Record<string, unknown>[] {
  const rowsOut: Record<string, unknown>[] = [];
  const line = (label: string, value: number, unit: string, target: number, each: string) => {
    const met = value <= target;
    log(
      `${label.padEnd(52)} ${`${value} ${unit}`.padStart(12)}   target ≤ ${target} ${unit}   ${met ? 'met' : 'MISSED'}${each}`,
    );
    rowsOut.push({ figure: label, median: value, unit, target, met });
  };
  log('');
  log(`medians of ${runs.length} runs (each run's figure in brackets; the machine is shared, so expect noise):`);
  for (const t of TARGETS) {
    const values = runs.map(t.figure);
    const label = t.label.replace('sqlite3 .import', floor);
    line(label, +median(values).toFixed(2), t.unit, t.target, `   (${values.join(', ')})`);
  }
  line('first-screen JavaScript (sign-in and overview), gzip', firstScreenKb, 'KB', 60, '   (from the build)');
  const raw = runs.map((r) => +(r.overviewBytes / 1048576).toFixed(2));
  log(
    `(one network's statement with its evidence, network=: cold ${runs.map((r) => r.statementColdMs).join(', ')} ms, repeated ${runs.map((r) => r.statementRepeatedMedianMs).join(', ')} ms)`,
  );
  log(
    `(overview JSON uncompressed: ${raw.join(', ')} MB; payments list JSON ${runs.map((r) => +(r.paymentsBytes / 1048576).toFixed(2)).join(', ')} MB, ${runs.map((r) => +(r.paymentsWireBytes / 1048576).toFixed(2)).join(', ')} MB on the wire)`,
  );
  return rowsOut;
}

const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const results: Record<string, unknown> = { when: new Date().toISOString(), node: process.version, runs: RUNS };
if (!existsSync(NATIONAL)) throw new Error(`the national map is not at ${NATIONAL}`);
if (!existsSync(join(ROOT, 'dist/web/index.html'))) {
  log('building the web app (npm run build) for the first-screen figure…');
  const built = spawnSync('npm', ['run', 'build'], { cwd: ROOT, stdio: 'inherit' });
  if (built.status !== 0) throw new Error('npm run build failed');
}
const firstScreen = firstScreenJs(join(ROOT, 'dist/web'));
const firstScreenKb = +(firstScreen.gzipBytes / 1024).toFixed(1);
log(
  `first-screen JavaScript: ${firstScreen.files.map((f) => f.name).join(', ')}: ${(firstScreen.bytes / 1024).toFixed(1)} KB, ${firstScreenKb} KB gzip`,
);
mkdirSync(OUT, { recursive: true });
const file = join(OUT, 'national-long.csv');
log('generating the national long-format file…');
const generated = await generateNationalFile(file);
log(
  `${generated.rows.toLocaleString()} rows for ${generated.practices.toLocaleString()} practices, ${(statSync(file).size / 1048576).toFixed(1)} MB`,
);
const runs: RunFigures[] = [];
for (let run = 1; run <= RUNS; run++) runs.push(await benchRun(file, generated.rows, run, run === 1));
results.rows = generated.rows;
results.firstScreen = firstScreen;
results.runsFigures = runs;
results.table = printTable(runs, firstScreenKb);
// PostgreSQL: the database BENCH_DATABASE_URL names, else a throwaway server of the machine's own (durable:
// fsync on, default settings otherwise), as the tests start one; BENCH_POSTGRES=off leaves PostgreSQL out.
const throwaway =
  process.env.BENCH_DATABASE_URL?.trim() || process.env.BENCH_POSTGRES === 'off'
    ? null
    : startThrowawayPostgres({ durable: true });
const postgresUrl = process.env.BENCH_DATABASE_URL?.trim() || throwaway?.url || null;
if (!postgresUrl && process.env.BENCH_POSTGRES !== 'off')
  log('No PostgreSQL binaries (Debian: apt-get install -y postgresql), so no PostgreSQL figures.');
try {
  if (postgresUrl) {
    const pgRuns: RunFigures[] = [];
    for (let run = 1; run <= RUNS; run++) pgRuns.push(await benchRun(file, generated.rows, run, false, postgresUrl));
    results.postgresRunsFigures = pgRuns;
    log(
      `PostgreSQL${throwaway ? ' (a throwaway server started for the bench)' : ''}: the same figures; the floor is psql \\copy into a keyed table:`,
    );
    results.postgresTable = printTable(pgRuns, firstScreenKb, 'psql \\copy');
  }
} finally {
  throwaway?.stop();
}
writeFileSync(join(OUT, 'results.json'), JSON.stringify(results, null, 2) + '\n');
log(`results written to ${join(OUT, 'results.json')}`);
