/**
 * The built app on a real HTTP server (a fresh SQLite file with the demo data) and a real Chromium.
 * Chromium is Debian's (/usr/bin/chromium, installed by .ci/run); if it cannot start, the test fails with
 * the reason: browser tests are never skipped.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { chromium, type Browser, type Page } from 'playwright-core';
import { buildApp } from '../../server/app';
import { seedDemo } from '../../server/services/demo';
import { buildTowerHamlets, TOWER_HAMLETS_DIR } from '../../server/services/tower-hamlets';
import { DEMO_PASSWORDS, TEST_NOW } from '../helpers/app';
import { closeTestSql } from '../helpers/db';

export const SCREENSHOTS = join(import.meta.dirname, 'screenshots');
const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

export interface Harness {
  app: FastifyInstance;
  url: string;
  browser: Browser;
  close(): Promise<void>;
}

/** The server with the synthetic demo data, or the real Tower Hamlets dataset. */
export async function startHarness(dataset: 'demo' | 'tower-hamlets' = 'demo'): Promise<Harness> {
  const dir = mkdtempSync(join(tmpdir(), 'dashboard-e2e-'));
  const app = await buildApp({ dbFile: join(dir, 'dashboard.sqlite'), webDir: 'dist/web', now: () => TEST_NOW });
  if (dataset === 'demo') await seedDemo(app.db, app.submissions, app.now());
  else {
    const result = await buildTowerHamlets(app.db, app.submissions, TOWER_HAMLETS_DIR, app.now());
    if (result.status !== 'accepted') throw new Error('the Tower Hamlets COVER file was rejected');
  }
  const address = await app.listen({ port: 0, host: '127.0.0.1' });
  let browser: Browser;
  try {
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    });
  } catch (e) {
    await app.close();
    throw new Error(
      `Chromium could not start from ${CHROMIUM} (install it with: apt-get install -y chromium): ${(e as Error).message}`,
      { cause: e },
    );
  }
  mkdirSync(SCREENSHOTS, { recursive: true });
  return {
    app,
    url: address,
    browser,
    async close() {
      await browser.close();
      closeTestSql(app);
      await app.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A new page that records page errors and console errors, so a test can assert there were none. */
export async function newPage(h: Harness): Promise<{ page: Page; problems: string[] }> {
  const context = await h.browser.newContext({
    viewport: { width: 1280, height: 900 },
    locale: 'en-GB',
    timezoneId: 'Europe/London',
  });
  // Any content-security-policy violation becomes a console error, which the tests treat as a failure.
  await context.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) =>
      console.error(`CSP violation: ${e.violatedDirective} blocked ${e.blockedURI || 'inline code'}`),
    );
  });
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error' && !/status of 4\d\d/.test(m.text())) problems.push(`console: ${m.text()}`);
  });
  return { page, problems };
}

export async function signInAs(h: Harness, page: Page, username: string, path = '/'): Promise<void> {
  await page.goto(`${h.url}${path}`);
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password').fill(DEMO_PASSWORDS[username]!);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { name: 'Sign in' }).waitFor({ state: 'detached' });
}
