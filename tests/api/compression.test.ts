/**
 * Light on the wire (issue 14): API answers and the web app's files are compressed for a client that accepts
 * it, hashed assets are cached for a year as immutable, the page itself is revalidated, API answers are
 * still never stored, and a compressed request body is refused rather than inflated.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeApp, signIn } from '../helpers/app';

const ASSETS = join(import.meta.dirname, '../../dist/web/assets');

describe('compression and caching', () => {
  let app: FastifyInstance;
  let commissioner: string;
  beforeAll(async () => {
    app = await makeApp();
    commissioner = await signIn(app, 'commissioner');
  });
  afterAll(() => app.close());

  it.each([
    ['gzip', gunzipSync],
    ['br', brotliDecompressSync],
  ] as const)(
    'an API answer is sent %s-compressed, still no-store, and reads back the same',
    async (encoding, inflate) => {
      const plain = await app.inject({ url: '/api/payments?year=2025-26', headers: { cookie: commissioner } });
      expect(plain.statusCode).toBe(200);
      expect(plain.headers['content-encoding']).toBeUndefined();
      const packed = await app.inject({
        url: '/api/payments?year=2025-26',
        headers: { cookie: commissioner, 'accept-encoding': encoding },
      });
      expect(packed.statusCode).toBe(200);
      expect(packed.headers['content-encoding']).toBe(encoding);
      expect(packed.headers['cache-control']).toBe('no-store');
      expect(packed.headers.vary).toMatch(/accept-encoding/i);
      expect(packed.rawPayload.length).toBeLessThan(plain.rawPayload.length);
      expect(JSON.parse(inflate(packed.rawPayload).toString('utf8'))).toEqual(plain.json());
    },
  );

  it('prefers brotli when both are accepted', async () => {
    const res = await app.inject({
      url: '/api/payments?year=2025-26',
      headers: { cookie: commissioner, 'accept-encoding': 'gzip, deflate, br' },
    });
    expect(res.headers['content-encoding']).toBe('br');
  });

  it('a hashed script is compressed and cached for a year as immutable', async () => {
    const script = readdirSync(ASSETS).find((f) => /^index-.+\.js$/.test(f));
    expect(script, 'run npm run build first (npm test does)').toBeDefined();
    const res = await app.inject({ url: `/assets/${script}`, headers: { 'accept-encoding': 'gzip' } });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-encoding']).toBe('gzip');
    expect(res.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(gunzipSync(res.rawPayload).toString('utf8').length).toBeGreaterThan(res.rawPayload.length);
  });

  it.each(['/', '/index.html', '/payments'])(
    'the page (%s) is revalidated on every load, never immutable',
    async (url) => {
      const res = await app.inject({ url, headers: { 'accept-encoding': 'gzip' } });
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toContain('text/html');
      expect(res.headers['cache-control']).toBe('no-cache');
    },
  );

  it('a small answer goes uncompressed', async () => {
    const res = await app.inject({ url: '/api/status', headers: { 'accept-encoding': 'gzip' } });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-encoding']).toBeUndefined();
  });

  it('a compressed request body is refused (415), not inflated', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/api/auth/login',
      headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' },
      payload: Buffer.from([0x1f, 0x8b, 0x08, 0x00]),
    });
    expect(res.statusCode).toBe(415);
    expect(res.json().error.code).toBeTypeOf('string');
  });
});
