/** A commissioner checks provisional and final statements on the Payments screen and signs off the year. */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newPage, SCREENSHOTS, signInAs, startHarness, type Harness } from './browser';

describe('Payments screen', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h?.close());

  it('shows provisional and final statements, and signing off locks the year', async () => {
    const { page, problems } = await newPage(h);
    await signInAs(h, page, 'commissioner', '/payments?year=2025-26');
    await page.locator('.kind').getByText('Final statement').waitFor();
    const summary = page.getByRole('table', { name: /Payment statements by network for 2025-26 at March 2026/ });
    // The table fills once the statements have loaded: wait for the rows rather than count them at once.
    await summary.locator('tbody > tr').nth(7).waitFor();
    expect(await summary.locator('tbody > tr').count()).toBe(8);
    expect(await summary.locator('tfoot').innerText()).toMatch(/All networks\s+£[\d,]+\.\d\d/);

    // A provisional statement for an earlier month.
    await page.getByLabel('Statement at').selectOption('2025-11');
    await page.locator('.kind').getByText('Provisional').waitFor();
    await page.getByText('as if the year ended in November 2025').waitFor();
    await page.screenshot({ path: join(SCREENSHOTS, 'payments-provisional.png'), fullPage: true });

    // Back to the final statement, with N1's evidence line by line.
    await page.getByLabel('Statement at').selectOption('2026-03');
    await page.locator('.kind').getByText('Final statement').waitFor();
    await summary
      .getByRole('row', { name: /N1 · Riverside Network/ })
      .getByRole('button', { name: 'Statement' })
      .click();
    const statement = page.getByRole('table', { name: /Statement for N1 Riverside Network/ });
    await statement.waitFor();
    const dmBp = await statement.getByRole('row', { name: /^DM-BP Diabetes/ }).innerText();
    expect(dmBp).toMatch(/[\d,]+\s+[\d,]+\s+\d+\.\d%\s+70% \(50%\)\s+✓ Complete/);
    expect(dmBp).toMatch(/£[\d,]+\.\d\d/);
    await page.screenshot({ path: join(SCREENSHOTS, 'payments-final.png'), fullPage: true });

    // Sign off, confirming in the dialog.
    await page.getByRole('button', { name: 'Sign off 2025-26…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Sign off contract year 2025-26' });
    await dialog.getByText(/freezes the final statements/).waitFor();
    await dialog.getByRole('button', { name: 'Sign off and lock' }).click();
    await page.getByRole('status').filter({ hasText: 'is signed off and locked' }).waitFor();
    await page.getByRole('note').filter({ hasText: 'Signed off by commissioner' }).waitFor();
    expect(await page.getByLabel('Contract year').locator('option:checked').innerText()).toBe('2025-26 (signed off)');
    await page.getByRole('button', { name: 'Reopen the year…' }).waitFor();
    await page.screenshot({ path: join(SCREENSHOTS, 'payments-signed-off.png'), fullPage: true });
    expect(problems).toEqual([]);
  });
});
