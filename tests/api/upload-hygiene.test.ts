/**
 * Upload hygiene: malformed or cut-off multipart, more than one file, a declared size over the limit, a client
 * that goes away mid-file, and how much of a rejected file is kept. Some of these need a real connection
 * (a declared size with no body behind it, a socket closed mid-file), so those tests listen on a port the
 * system chooses and wait for what they then check, never for a length of time.
 */
import { createHash } from 'node:crypto';
import { readdirSync, statSync } from 'node:fs';
import { request } from 'node:http';
import { connect } from 'node:net';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { allObservations, makeApp, signIn, upload } from '../helpers/app';
import { testOne, testQuery } from '../helpers/db';

const HEADER = 'period,practice_code,indicator_code,numerator,denominator\n';
const BOUNDARY = '----hygiene';
const WAIT = { timeout: 50_000, interval: 10 };

const part = (name: string, filename: string, content: string) =>
  `--${BOUNDARY}\r\nContent-Disposition: form-data; name="${name}"; filename="${filename}"\r\nContent-Type: text/csv\r\n\r\n${content}\r\n`;

async function submissionCount(app: FastifyInstance): Promise<number> {
  return ((await testOne(app, 'SELECT count(*) AS n FROM submissions')) as { n: number }).n;
}

async function post(
  app: FastifyInstance,
  cookie: string,
  payload: string | Buffer,
  contentType = `multipart/form-data; boundary=${BOUNDARY}`,
) {
  return app.inject({
    method: 'POST',
    url: '/api/submissions',
    payload,
    headers: { cookie, 'content-type': contentType },
  });
}

describe('malformed uploads', () => {
  let app: FastifyInstance;
  let cookie: string;
  afterEach(() => app.close());

  it('multipart with no boundary is a 400 with the error shape, and records nothing', async () => {
    app = await makeApp();
    cookie = await signIn(app, 'manager');
    const count = await submissionCount(app);
    const res = await post(
      app,
      cookie,
      part('file', 'a.csv', `${HEADER}2026-10,Z00001,DM-BP,1,2\n`),
      'multipart/form-data',
    );
    expect(res.statusCode).toBe(400);
    expect(res.json()).toEqual({
      error: { code: 'malformed-upload', message: expect.stringContaining('multipart/form-data'), details: [] },
    });
    expect(await submissionCount(app)).toBe(count);
  });

  it('a body cut off in the middle of the file is a 400, recorded as interrupted; its partial bytes are never offered as the file', async () => {
    app = await makeApp();
    cookie = await signIn(app, 'manager');
    const before = await allObservations(app);
    const rows = Array.from({ length: 400 }, (_, i) => `2026-10,Z00001,DM-BP,${i},1000`).join('\n');
    const whole = part('file', 'cut.csv', `${HEADER}${rows}\n`);
    const cut = whole.slice(0, whole.length / 2); // no closing boundary
    const res = await post(app, cookie, cut);

    expect(res.statusCode).toBe(400);
    expect(res.json().error).toMatchObject({
      code: 'upload-interrupted',
      details: [{ submissionId: expect.any(Number) }],
    });
    expect(res.json().error.message).toContain('upload the file again');
    const id = res.json().error.details[0].submissionId;
    const stored = (await app.inject({ url: `/api/submissions/${id}`, headers: { cookie } })).json();
    // What arrived is counted (the whole cut-off body), none of it kept.
    expect(stored).toMatchObject({
      status: 'interrupted',
      filename: 'cut.csv',
      sizeBytes: Buffer.byteLength(cut),
      storedBytes: 0,
      fileKept: false,
      sha256: null,
      errorCount: 1,
    });
    const file = await app.inject({ url: `/api/submissions/${id}/file`, headers: { cookie } });
    expect(file.statusCode).toBe(404);
    expect(file.json().error).toMatchObject({
      code: 'file-not-kept',
      message: expect.stringContaining('stopped before the whole file arrived'),
    });
    expect(await allObservations(app)).toEqual(before);
    const listed = (await app.inject({ url: '/api/submissions', headers: { cookie } })).json();
    expect(listed[0]).toMatchObject({ id, status: 'interrupted', fileKept: false });
    expect(readdirSync(app.submissions.uploadDir)).toEqual([]);
  });

  it('more than one file in one upload is a 400, and nothing is saved or recorded', async () => {
    app = await makeApp();
    cookie = await signIn(app, 'manager');
    const before = await allObservations(app);
    const count = await submissionCount(app);
    const body =
      part('file', 'one.csv', `${HEADER}2026-10,Z00001,DM-BP,500,760\n`) +
      part('file', 'two.csv', `${HEADER}2026-10,Z00002,DM-BP,400,600\n`) +
      `--${BOUNDARY}--\r\n`;
    const res = await post(app, cookie, body);
    expect(res.statusCode).toBe(400);
    expect(res.json()).toEqual({
      error: { code: 'bad-request', message: expect.stringContaining('one file per upload'), details: [] },
    });
    expect(await allObservations(app)).toEqual(before);
    expect(await submissionCount(app)).toBe(count);
    expect(readdirSync(app.submissions.uploadDir)).toEqual([]);
  });

  it('takes the period and format as fields after the file too', async () => {
    app = await makeApp();
    cookie = await signIn(app, 'manager');
    const body =
      part('file', 'late-fields.csv', `${HEADER}2026-10,Z00001,DM-BP,500,760\n`) +
      `--${BOUNDARY}\r\nContent-Disposition: form-data; name="format"\r\n\r\nexcel\r\n--${BOUNDARY}--\r\n`;
    const res = await post(app, cookie, body);
    expect(res.statusCode).toBe(400);
    expect(res.json().error.message).toContain('format "excel"');
  });
});

describe('how much of a file is kept', () => {
  let app: FastifyInstance;
  afterEach(() => app.close());

  it('keeps only the first REJECTED_BYTES_MAX of a rejected file, with its whole size and SHA-256; an accepted file whole', async () => {
    app = await makeApp({ rejectedBytesMax: 100 });
    const cookie = await signIn(app, 'manager');
    const bad = Buffer.from(
      `${HEADER}${Array.from({ length: 100 }, (_, i) => `2026-10,Z00001,DM-BP,${900 + i},760`).join('\n')}\n`,
    );
    const rejected = await upload(app, cookie, { name: 'junk.csv', content: bad });
    expect(rejected.statusCode).toBe(422);
    const id = rejected.json().id;
    const stored = (await app.inject({ url: `/api/submissions/${id}`, headers: { cookie } })).json();
    expect(stored).toMatchObject({
      status: 'rejected',
      sizeBytes: bad.length,
      storedBytes: 100,
      fileKept: true,
      sha256: createHash('sha256').update(bad).digest('hex'),
    });
    const kept = await app.inject({ url: `/api/submissions/${id}/file`, headers: { cookie } });
    expect(kept.statusCode).toBe(200);
    expect(kept.rawPayload.equals(bad.subarray(0, 100))).toBe(true);
    expect(kept.headers['content-disposition']).toBe(
      `attachment; filename="junk.first-100-of-${bad.length}-bytes.csv"`,
    );

    const good = Buffer.from(
      `${HEADER}2026-10,Z00001,DM-BP,500,760\n2026-10,Z00002,DM-BP,400,600\n2026-10,Z00003,DM-BP,300,500\n`,
    );
    expect(good.length).toBeGreaterThan(100);
    const accepted = await upload(app, cookie, { name: 'good.csv', content: good });
    expect(accepted.statusCode).toBe(201);
    const whole = await app.inject({ url: `/api/submissions/${accepted.json().id}/file`, headers: { cookie } });
    expect(whole.rawPayload.equals(good)).toBe(true);
    expect(whole.headers['content-disposition']).toBe('attachment; filename="good.csv"');
    const listed = (await app.inject({ url: '/api/submissions', headers: { cookie } })).json();
    expect(listed.slice(0, 2)).toMatchObject([
      { id: accepted.json().id, status: 'accepted', fileKept: true },
      { id, status: 'rejected', fileKept: true },
    ]);
  });
});

describe('uploads over a real connection', () => {
  let app: FastifyInstance;
  afterEach(() => app.close());

  it('a declared size over the limit is refused (413) before a byte of the body is read, and the connection closed', async () => {
    app = await makeApp({ maxUploadBytes: 1024 * 1024 });
    const cookie = await signIn(app, 'manager');
    const count = await submissionCount(app);
    const { port } = new URL(await app.listen({ port: 0, host: '127.0.0.1' }));
    // Only the headers are sent: an answer can come only from a server that did not wait for the body.
    const answer = await new Promise<{ status: number; connection: string | undefined; body: string }>(
      (resolve, reject) => {
        const req = request(
          {
            host: '127.0.0.1',
            port,
            method: 'POST',
            path: '/api/submissions',
            headers: {
              cookie,
              'content-type': `multipart/form-data; boundary=${BOUNDARY}`,
              'content-length': String(1024 ** 3),
            },
          },
          (res) => {
            let body = '';
            res.setEncoding('utf8');
            res.on('data', (d) => (body += d));
            res.on('end', () => {
              resolve({ status: res.statusCode ?? 0, connection: res.headers.connection, body });
              req.destroy();
            });
          },
        );
        req.on('error', reject);
        req.flushHeaders();
      },
    );
    expect(answer.status).toBe(413);
    expect(answer.connection).toBe('close');
    expect(JSON.parse(answer.body).error).toMatchObject({
      code: 'too-large',
      message: expect.stringContaining('1 MB upload limit'),
    });
    expect(await submissionCount(app)).toBe(count);
  });

  it('a client that goes away mid-file leaves an interrupted submission, counted but not kept, and audited', async () => {
    app = await makeApp();
    const cookie = await signIn(app, 'manager');
    const before = await allObservations(app);
    const { port } = new URL(await app.listen({ port: 0, host: '127.0.0.1' }));
    const socket = connect(Number(port), '127.0.0.1');
    socket.on('error', () => {});
    const head = `--${BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="gone.csv"\r\nContent-Type: text/csv\r\n\r\n`;
    socket.write(
      `POST /api/submissions HTTP/1.1\r\nHost: 127.0.0.1\r\nCookie: ${cookie}\r\nContent-Type: multipart/form-data; boundary=${BOUNDARY}\r\nContent-Length: 1000000\r\n\r\n` +
        head +
        HEADER +
        Array.from({ length: 2000 }, (_, i) => `2026-10,Z00001,DM-BP,${i},5000`).join('\n'),
    );
    // Wait until the server is writing the file, then go away.
    await vi.waitFor(() => {
      const files = readdirSync(app.submissions.uploadDir);
      expect(files).toHaveLength(1);
      expect(statSync(join(app.submissions.uploadDir, files[0]!)).size).toBeGreaterThan(0);
    }, WAIT);
    socket.destroy();

    const interrupted = await vi.waitFor(async () => {
      const row = (await testOne(
        app,
        "SELECT id, status, filename, size_bytes, stored_bytes, sha256 FROM submissions WHERE filename = 'gone.csv'",
      )) as
        | {
            id: number;
            status: string;
            filename: string;
            size_bytes: number;
            stored_bytes: number;
            sha256: string | null;
          }
        | undefined;
      expect(row).toBeDefined();
      return row!;
    }, WAIT);
    expect(interrupted).toMatchObject({ status: 'interrupted', stored_bytes: 0, sha256: null });
    expect(interrupted.size_bytes).toBeGreaterThan(0);
    expect(await allObservations(app)).toEqual(before);
    const audit = await vi.waitFor(async () => {
      const rows = (await testQuery(
        app,
        "SELECT username, detail FROM audit_log WHERE action = 'upload-interrupted'",
      )) as { username: string; detail: string }[];
      expect(rows).toHaveLength(1);
      return rows[0]!;
    }, WAIT);
    expect(audit.username).toBe('manager');
    expect(JSON.parse(audit.detail)).toMatchObject({
      submissionId: interrupted.id,
      filename: 'gone.csv',
      reason: 'interrupted',
      receivedBytes: interrupted.size_bytes,
    });
    await vi.waitFor(() => expect(readdirSync(app.submissions.uploadDir)).toEqual([]), WAIT);
  });

  it('the server has the request and connection time-outs it is configured with', async () => {
    app = await makeApp({ demo: false, requestTimeoutSeconds: 7, connectionTimeoutSeconds: 9 });
    expect(app.server.requestTimeout).toBe(7000);
    expect(app.server.timeout).toBe(9000);
  });
});
