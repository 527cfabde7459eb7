/**
 * The route matrix (issue 9): every registered route × anonymous and the four roles × the ways a path can
 * be written, each asserted against the access the route declares.
 *
 * The routes come from the app itself (plugins/access.ts collects them with an onRoute hook), so a route
 * added later is covered without editing this file, and its expected outcome is derived from its declared
 * `config.access`: 'public' → nobody is refused; 'signed-in' → anonymous gets 401; a role list → anonymous
 * gets 401 and other roles 403. "Refused" means 401 `not-signed-in` or 403 `forbidden`; an allowed request
 * may get any other answer (a 400 for the deliberately invalid body, a 404 for a made-up id): what is tested
 * is the access decision, not the handler.
 *
 * What "the same answer however the path is written" means here, spelling by spelling:
 * - each letter of each segment percent-encoded (lower-case hex, upper-case hex), doubled slashes, a
 *   trailing slash, a "./" segment, an "x/../" detour: these are the same path (the server rewrites each
 *   to one spelling before routing), so the status, and the error code when refused, equal the plain
 *   path's exactly. Dot segments go over a real socket: app.inject() would resolve them before the server
 *   saw them.
 * - an upper-case first segment ("/API/users"): paths are case-sensitive, so it is another path that
 *   matches no route: a JSON 401 before sign-in and a JSON 404 after, for every role and method, never the
 *   data. (A static file's path in upper case is a screen address: the app's index page, public anyway.)
 * So no spelling gives a role more than the plain path does, and nothing a route refuses leaks by spelling.
 *
 * Bodies are a JSON array, which no route's body schema accepts, so allowed state-changing requests stop
 * at validation after the access check and change nothing; the route parameters are real ones from the
 * demo data. Requests that may end a session (sign-out) get a fresh session when the old one has ended.
 */
import { request as httpRequest, Agent } from 'node:http';
import type { AddressInfo } from 'node:net';
import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DeclaredRoute } from '../../server/plugins/access';
import accessPlugin from '../../server/plugins/access';
import errorsPlugin from '../../server/plugins/errors';
import { makeApp, upload } from '../helpers/app';

type Who = 'anonymous' | 'admin' | 'commissioner' | 'manager' | 'gp';
const PEOPLE: Who[] = ['anonymous', 'admin', 'commissioner', 'manager', 'gp'];
const PASSWORDS: Record<Exclude<Who, 'anonymous'>, string> = {
  admin: 'demo-admin',
  commissioner: 'demo-commissioner',
  manager: 'demo-manager',
  gp: 'demo-gp',
};
const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
/** Room for a busy machine (a route is ~45 requests, a sign-out case adds password checks); nothing is timed. */
const MATRIX_TIMEOUT = 120_000;

// One app for the whole matrix; its routes are known once it is built.
const app = await makeApp();
const ROUTES: readonly DeclaredRoute[] = app.declaredRoutes();

let address = 0;
/** A different client address for every request, so no per-address limit can stand in for an access decision. */
const nextAddress = () => `10.77.${(++address >> 8) & 255}.${address & 255}`;

const cookies = new Map<Who, string>();
async function signIn(who: Exclude<Who, 'anonymous'>): Promise<string> {
  const res = await app.inject({
    method: 'POST',
    url: '/api/auth/login',
    payload: { username: who, password: PASSWORDS[who] },
    remoteAddress: nextAddress(),
  });
  const cookie = res.cookies.find((c) => c.name === 'fd_session');
  if (res.statusCode !== 200 || !cookie) throw new Error(`sign-in as ${who} failed: ${res.statusCode} ${res.body}`);
  const value = `fd_session=${cookie.value}`;
  cookies.set(who, value);
  return value;
}
/** The identity's session cookie, signing in again when an earlier request (a sign-out) ended it. */
async function cookieOf(who: Who, check: boolean): Promise<string | undefined> {
  if (who === 'anonymous') return undefined;
  const cookie = cookies.get(who);
  if (
    cookie &&
    (!check ||
      (await app.inject({ url: '/api/auth/me', headers: { cookie }, remoteAddress: nextAddress() })).statusCode === 200)
  )
    return cookie;
  return signIn(who);
}

// Real values for route parameters, from the demo data; anything unknown gets a made-up value (the access
// decision comes before the parameters are even validated).
const params: { users: number; submission: number } = { users: 0, submission: 0 };
function paramValue(url: string, name: string): string {
  const table: [RegExp, string, () => string][] = [
    [/^\/api\/users\//, 'id', () => String(params.users)],
    [/^\/api\/submissions\//, 'id', () => String(params.submission)],
    [/^\/api\/contract-years\//, 'code', () => '2026-27'],
    [/^\/api\/networks\//, 'code', () => 'N1'],
    [/^\/api\/practices\//, 'code', () => 'Z00001'],
    [/./, 'year', () => '2025-26'],
    [/./, 'format', () => 'long'],
    [/./, 'network', () => 'N1'],
  ];
  return table.find(([re, param]) => param === name && re.test(url))?.[2]() ?? 'x1';
}
function concretePath(url: string): string {
  return url.replace(/:([A-Za-z0-9_]+)/g, (_m, name: string) => paramValue(url, name)).replace(/\*/g, 'x1');
}

// --- spellings ---------------------------------------------------------------------------------------------
const encodeLetters = (path: string, upper: boolean) =>
  path.replace(/[A-Za-z]/g, (c) => {
    const hex = c.charCodeAt(0).toString(16);
    return `%${upper ? hex.toUpperCase() : hex.toLowerCase()}`;
  });
interface Spelling {
  name: string;
  spell: (path: string) => string;
  /** Sent over a real socket: app.inject() resolves dot segments before the server sees them. */
  socket?: boolean;
}
const SAME_PATH: Spelling[] = [
  { name: 'letters encoded, lower-case hex', spell: (p) => encodeLetters(p, false) },
  { name: 'letters encoded, upper-case hex', spell: (p) => encodeLetters(p, true) },
  { name: 'doubled slashes', spell: (p) => p.replaceAll('/', '//') },
  { name: 'trailing slash', spell: (p) => `${p}/` },
  { name: 'a ./ segment', spell: (p) => p.replace(/^(\/[^/]*)/, '$1/.'), socket: true },
  { name: 'an x/../ detour', spell: (p) => p.replace(/^(\/[^/]*)/, '$1/x/..'), socket: true },
];
const upperFirstSegment = (p: string) => p.replace(/^\/[^/]*/, (s) => s.toUpperCase());

// --- sending ---------------------------------------------------------------------------------------------
interface Answer {
  status: number;
  code: string | null;
  body: string;
}
const errorCode = (body: string): string | null => {
  try {
    return (JSON.parse(body) as { error?: { code?: string } }).error?.code ?? null;
  } catch {
    return null;
  }
};
let port = 0;
const agent = new Agent({ keepAlive: true, maxSockets: 4 });

async function send(method: string, path: string, cookie: string | undefined, socket = false): Promise<Answer> {
  const payload = UNSAFE.has(method) ? '[]' : undefined;
  const headers: Record<string, string> = {};
  if (cookie) headers.cookie = cookie;
  if (payload !== undefined) headers['content-type'] = 'application/json';
  if (!socket) {
    const res = await app.inject({
      method: method as 'GET',
      url: path,
      headers,
      payload,
      remoteAddress: nextAddress(),
    });
    // A HEAD answer has no body on the wire (inject may still hand one back): only its status counts.
    return { status: res.statusCode, code: method === 'HEAD' ? null : errorCode(res.body), body: res.body };
  }
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        host: '127.0.0.1',
        port,
        method,
        path,
        headers: { ...headers, ...(payload ? { 'content-length': String(payload.length) } : {}) },
        agent,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const body = Buffer.concat(chunks).toString('utf8');
          resolve({ status: res.statusCode ?? 0, code: errorCode(body), body });
        });
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

function allowed(access: DeclaredRoute['access'], who: Who): boolean {
  if (access === 'public') return true;
  if (who === 'anonymous') return false;
  return access === 'signed-in' || access.includes(who);
}
const refused = (a: Answer) =>
  (a.status === 401 && (a.code === 'not-signed-in' || a.code === null)) ||
  (a.status === 403 && (a.code === 'forbidden' || a.code === null));

beforeAll(async () => {
  const admin = await signIn('admin');
  await Promise.all((['commissioner', 'manager', 'gp'] as const).map(signIn));
  // A user to aim /api/users/:id at (not one of the identities), and a file the manager uploaded.
  const target = await app.inject({
    method: 'POST',
    url: '/api/users',
    headers: { cookie: admin },
    payload: { username: 'matrix-target', password: 'a long enough password', role: 'gp', networkCode: 'N2' },
  });
  params.users = target.json().id;
  const sent = await upload(app, cookies.get('manager')!, {
    name: 'n1.csv',
    content: 'period,practice_code,indicator_code,numerator,denominator\n2026-10,Z00001,DM-BP,500,760\n',
  });
  expect(sent.statusCode, sent.body).toBe(201);
  params.submission = sent.json().id;
  await app.listen({ port: 0, host: '127.0.0.1' });
  port = (app.server.address() as AddressInfo).port;
});
afterAll(async () => {
  agent.destroy();
  await app.close();
});

describe('the routes the matrix covers', () => {
  it('are every route the app registered, each with a valid access declaration', () => {
    expect(ROUTES.length).toBeGreaterThan(40);
    const keys = ROUTES.map((r) => `${r.method} ${r.url}`);
    for (const expected of [
      'GET /api/users',
      'POST /api/users',
      'PATCH /api/users/:id',
      'GET /api/audit',
      'GET /api/payments',
      'GET /api/payments/outlook',
      'GET /api/forecast',
      'POST /api/payments/what-if',
      'POST /api/submissions',
      'GET /api/openapi.json',
      'HEAD /api/users',
    ]) {
      expect(keys).toContain(expected);
    }
    for (const r of ROUTES)
      expect(
        r.access === 'public' || r.access === 'signed-in' || (Array.isArray(r.access) && r.access.length > 0),
        `${r.method} ${r.url}`,
      ).toBe(true);
  });
});

// Reads first, then state-changing routes, so a change made by an allowed request cannot alter a later case.
const ORDERED = [...ROUTES].sort((a, b) => Number(UNSAFE.has(a.method)) - Number(UNSAFE.has(b.method)));

describe('every route × every identity × every spelling', () => {
  it.each(
    ORDERED.map(
      (r) => [`${r.method} ${r.url} (${typeof r.access === 'string' ? r.access : r.access.join(', ')})`, r] as const,
    ),
  )(
    '%s',
    async (_name, route) => {
      const path = concretePath(route.url);
      const unsafe = UNSAFE.has(route.method);
      for (const who of PEOPLE) {
        const label = `${who} ${route.method} ${path}`;
        const plain = await send(route.method, path, await cookieOf(who, unsafe));
        if (allowed(route.access, who)) {
          expect(refused(plain), `${label} was refused: ${plain.status} ${plain.body.slice(0, 200)}`).toBe(false);
        } else {
          expect([plain.status, plain.code], label).toEqual(
            who === 'anonymous'
              ? [401, route.method === 'HEAD' ? null : 'not-signed-in']
              : [403, route.method === 'HEAD' ? null : 'forbidden'],
          );
        }
        for (const spelling of SAME_PATH) {
          const spelt = spelling.spell(path);
          const got = await send(route.method, spelt, await cookieOf(who, unsafe), spelling.socket);
          expect(
            [got.status, got.code],
            `${who} ${route.method} ${spelt} (${spelling.name}) differs from the plain path`,
          ).toEqual([plain.status, plain.code]);
        }
        const upper = upperFirstSegment(path);
        if (upper !== path) {
          const got = await send(route.method, upper, await cookieOf(who, unsafe));
          if (/^\/api(\/|$)/.test(path)) {
            const expected = who === 'anonymous' ? [401, 'not-signed-in'] : [404, 'not-found'];
            expect([got.status, got.code], `${who} ${route.method} ${upper}`).toEqual(
              route.method === 'HEAD' ? [expected[0], null] : expected,
            );
          } else {
            expect(route.access, `${route.method} ${route.url}: only public paths lie outside /api`).toBe('public');
            expect(refused(got), `${who} ${route.method} ${upper}`).toBe(false);
          }
        }
      }
    },
    MATRIX_TIMEOUT,
  );
});

describe('the cross-site check', () => {
  it.each(ORDERED.filter((r) => UNSAFE.has(r.method)).map((r) => [`${r.method} ${r.url}`, r] as const))(
    'refuses %s from a foreign page, however spelt, signed in or not',
    async (_name, route) => {
      const path = concretePath(route.url);
      for (const who of ['anonymous', 'admin'] as const) {
        const cookie = await cookieOf(who, true);
        for (const spelt of [
          path,
          ...SAME_PATH.filter((s) => !s.socket).map((s) => s.spell(path)),
          upperFirstSegment(path),
        ]) {
          const res = await app.inject({
            method: route.method as 'POST',
            url: spelt,
            headers: {
              ...(cookie ? { cookie } : {}),
              origin: 'https://evil.example',
              'content-type': 'application/json',
            },
            payload: '[]',
            remoteAddress: nextAddress(),
          });
          expect([res.statusCode, errorCode(res.body)], `${who} ${route.method} ${spelt}`).toEqual([403, 'cross-site']);
        }
      }
    },
    MATRIX_TIMEOUT,
  );
});

describe('deny by default', () => {
  it('a route that declares no access stops the app from starting, naming the route', async () => {
    const bare = Fastify();
    await bare.register(errorsPlugin);
    await bare.register(accessPlugin);
    bare.get('/api/declared', { config: { access: 'public' } }, async () => ({ ok: true }));
    bare.get('/api/forgotten', async () => ({ secret: true }));
    bare.post('/api/misspelt', { config: { access: 'everyone' as never } }, async () => ({ secret: true }));
    await expect(bare.ready()).rejects.toThrow(
      /these do not: GET \/api\/forgotten, HEAD \/api\/forgotten, POST \/api\/misspelt/,
    );
    await bare.close();
  });
});
