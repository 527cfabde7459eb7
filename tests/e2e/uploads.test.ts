/** A network manager uploads a good and a bad file on the Uploads screen, in a real browser. */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signIn } from '../helpers/app';
import { newPage, SCREENSHOTS, signInAs, startHarness, type Harness } from './browser';

const FIXTURES = join(import.meta.dirname, '../../fixtures/ingest');

describe('Uploads screen', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h?.close());

  it('shows the summary of an accepted file and the error table of a rejected one', async () => {
    const { page, problems } = await newPage(h);
    await signInAs(h, page, 'manager', '/uploads');
    await expect(page.getByRole('heading', { name: 'Uploads', level: 1 })).toBeTruthy();
    await page.getByRole('heading', { name: /Missing data for October 2026/ }).waitFor();
    await page.getByRole('link', { name: 'Long template' }).waitFor();

    // A good file in the wide layout.
    await page.locator('#upload-file').setInputFiles(join(FIXTURES, 'wide.csv'));
    await page.getByRole('button', { name: 'Upload and check' }).click();
    const accepted = page.getByRole('heading', { name: /File accepted/ });
    await accepted.waitFor();
    const summary = await page.getByRole('status').innerText();
    expect(summary).toContain('2 rows read in the wide layout for October 2026');
    expect(summary).toMatch(/4 values saved \(4 of them replacing earlier figures/);
    await page.screenshot({ path: join(SCREENSHOTS, 'uploads-accepted.png'), fullPage: true });

    // The history lists it as accepted.
    const history = page.getByRole('table', { name: 'Uploaded files, newest first' });
    await expect(history.getByRole('row').nth(1).innerText()).resolves.toMatch(/wide\.csv.*Accepted/s);

    // A bad file: every problem in a table a person can fix from.
    await page.locator('#upload-file').setInputFiles(join(FIXTURES, 'bad-counts.csv'));
    await page.getByRole('button', { name: 'Upload and check' }).click();
    await page.getByRole('heading', { name: /File rejected: nothing was saved/ }).waitFor();
    const report = page.getByRole('table', { name: 'Problems found in the file' });
    const rows = await report.getByRole('row').allInnerTexts();
    expect(rows).toHaveLength(5);
    expect(rows[1]).toMatch(/^2\s+numerator\s+-3\s+row 2: numerator "-3" is negative/);
    expect(rows[4]).toContain('twelve');
    await page.screenshot({ path: join(SCREENSHOTS, 'uploads-rejected.png'), fullPage: true });

    await expect(history.getByRole('row').nth(1).innerText()).resolves.toMatch(
      /bad-counts\.csv.*Rejected.*4 problems/s,
    );
    expect(problems).toEqual([]);
  });

  it('sends a signed-out visitor to the sign-in form, and the navigation reaches every built screen', async () => {
    const { page, problems } = await newPage(h);
    await page.goto(`${h.url}/uploads`);
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('alert').filter({ hasText: 'Enter your username and password' }).waitFor();
    await signInAs(h, page, 'admin');
    await page.getByRole('heading', { name: 'Overview', level: 1 }).waitFor();
    const grid = page.getByRole('table', { name: /Network standards by domain/ });
    await grid.waitFor();
    expect(await grid.getByRole('row').count()).toBe(9);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Uploads' }).click();
    await page.getByRole('heading', { name: 'Uploads', level: 1 }).waitFor();
    expect(page.url()).toBe(`${h.url}/uploads`);
    await page.screenshot({ path: join(SCREENSHOTS, 'uploads-admin.png'), fullPage: true });
    expect(problems).toEqual([]);
  });

  it('lists an upload that was cut off as interrupted, with no link to its partial bytes', async () => {
    const cookie = await signIn(h.app, 'manager');
    const cut =
      '--B\r\nContent-Disposition: form-data; name="file"; filename="cut-off.csv"\r\nContent-Type: text/csv\r\n\r\nperiod,practice_code,indicator_code,numerator,denominator\n2026-10,Z00001,DM-BP,1';
    const res = await h.app.inject({
      method: 'POST',
      url: '/api/submissions',
      payload: cut,
      headers: { cookie, 'content-type': 'multipart/form-data; boundary=B' },
    });
    expect(res.json().error.code).toBe('upload-interrupted');

    const { page, problems } = await newPage(h);
    await signInAs(h, page, 'manager', '/uploads');
    const row = page
      .getByRole('table', { name: 'Uploaded files, newest first' })
      .getByRole('row')
      .filter({ hasText: 'cut-off.csv' });
    await row.waitFor();
    expect(await row.innerText()).toMatch(/cut-off\.csv \(\d+ bytes arrived; not kept\).*Interrupted/s);
    expect(await row.getByRole('link').count()).toBe(0);
    await row.getByRole('button', { name: 'View' }).click();
    await page.getByText(/The upload stopped after \d+ bytes of it had arrived .* upload the file again\./).waitFor();
    await page.screenshot({ path: join(SCREENSHOTS, 'uploads-interrupted.png'), fullPage: true });
    expect(problems).toEqual([]);
  });
});
