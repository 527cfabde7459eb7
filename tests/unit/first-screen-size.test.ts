/**
 * Build check (issue 14): the JavaScript for the first screen — sign-in and the overview — is at most 60 KB
 * gzipped, and Chart.js is not part of it (the chart screens are their own chunks, fetched when opened).
 * Reads the production build that `npm test` makes before vitest runs.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { firstScreenJs } from '../helpers/first-screen';

const WEB = join(import.meta.dirname, '../../dist/web');
const LIMIT_GZIP_BYTES = 60 * 1024;

describe('first-screen JavaScript', () => {
  it('is the entry and its static imports only, under 60 KB gzipped, without Chart.js', () => {
    expect(existsSync(join(WEB, 'index.html')), 'run npm run build first (npm test does)').toBe(true);
    const first = firstScreenJs(WEB);
    expect(first.files.some((f) => f.name.startsWith('index-'))).toBe(true);
    expect(first.gzipBytes).toBeLessThanOrEqual(LIMIT_GZIP_BYTES);
    for (const f of first.files)
      expect(readFileSync(join(WEB, 'assets', f.name), 'utf8'), f.name).not.toContain('Canvas is already in use');
  });

  it('leaves the chart screens to chunks of their own, which do hold Chart.js', () => {
    const first = new Set(firstScreenJs(WEB).files.map((f) => f.name));
    const charts = readdirJs().filter(
      (name) =>
        !first.has(name) && readFileSync(join(WEB, 'assets', name), 'utf8').includes('Canvas is already in use'),
    );
    expect(charts.length).toBeGreaterThan(0);
  });
});

function readdirJs(): string[] {
  return readdirSync(join(WEB, 'assets')).filter((name) => name.endsWith('.js'));
}
