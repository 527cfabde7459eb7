/** The sign-in and admin screens under the content security policy, in a real browser. */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newPage, SCREENSHOTS, signInAs, startHarness, type Harness } from './browser';

describe('sign-in, admin and audit screens', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h?.close());

  it('load under the CSP with no violations; an admin adds a user and is stopped by impossible rules', async () => {
    const { page, problems } = await newPage(h);
    const response = await page.goto(`${h.url}/admin`);
    expect(response?.headers()['content-security-policy']).toContain("object-src 'none'");
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    await page.getByLabel('Username').fill('admin');
    await page.getByLabel('Password').fill('not the password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('alert').filter({ hasText: 'do not match an active account' }).waitFor();
    await page.screenshot({ path: join(SCREENSHOTS, 'sign-in.png'), fullPage: true });

    await signInAs(h, page, 'admin', '/admin');
    await page.getByRole('heading', { name: 'Admin', level: 1 }).waitFor();
    const users = page.getByRole('table', { name: 'Users and their roles' });
    await users.waitFor();
    expect(await users.locator('tbody tr').count()).toBe(4);

    await page.getByLabel('Username', { exact: true }).fill('drsmith');
    await page.getByLabel(/^Password/).fill('a long enough password');
    await page.getByLabel('Role', { exact: true }).selectOption('gp');
    await page.getByLabel('Network', { exact: true }).selectOption('N3');
    await page.getByRole('button', { name: 'Add user' }).click();
    await page.getByRole('status').filter({ hasText: 'User drsmith created' }).waitFor();
    expect(await users.getByRole('row', { name: /drsmith/ }).count()).toBe(1);
    await page.screenshot({ path: join(SCREENSHOTS, 'admin-users.png'), fullPage: true });

    await page.getByRole('tab', { name: 'Networks and practices' }).click();
    await page.getByRole('table', { name: 'Practices and their memberships' }).waitFor();
    await page.getByLabel(/Find a practice/).fill('Z00022');
    await page.getByText('N5 April 2025 – September 2025; N6 October 2025 – now').waitFor();
    await page.screenshot({ path: join(SCREENSHOTS, 'admin-practices.png'), fullPage: true });

    await page.getByRole('tab', { name: 'Contract years' }).click();
    await page.getByLabel('Contract year', { exact: true }).selectOption('2026-27');
    const dm = page.getByLabel('Diabetes (%)');
    await dm.fill('25');
    await page.getByText('Total: 105% ✗ must be exactly 100%').waitFor();
    await page.getByLabel('DM-BP lower threshold (%)').fill('75');
    await page.getByRole('button', { name: 'Save the rules for 2026-27' }).click();
    const refusal = page.getByRole('alert').filter({ hasText: 'These rules cannot be saved' });
    await refusal.waitFor();
    expect(await refusal.innerText()).toContain('the domain shares add up to 105.00%');
    expect(await refusal.innerText()).toContain('DM-BP: the lower threshold (75%) is above the target (70%)');
    await page.screenshot({ path: join(SCREENSHOTS, 'admin-contract-years.png'), fullPage: true });
    await dm.fill('20');
    await page.getByLabel('DM-BP lower threshold (%)').fill('50');
    await page.getByLabel('N1 Riverside Network (£)').fill('255000.00');
    await page.getByRole('button', { name: 'Save the rules for 2026-27' }).click();
    await page.getByRole('status').filter({ hasText: 'Rules for 2026-27 saved' }).waitFor();

    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Audit' }).click();
    const audit = page.getByRole('table', { name: 'Audit entries, newest first' });
    await audit.waitFor();
    const first = await audit.locator('tbody tr').first().innerText();
    expect(first).toContain('contract-year-updated');
    expect(await audit.innerText()).toContain('sign-in-failed');
    // Problems are flagged by a mark as well as colour, as the server's action list says.
    await audit.locator('.badge.bad', { hasText: '⚠ sign-in-failed' }).first().waitFor();
    expect(await audit.locator('.badge', { hasText: 'contract-year-updated' }).first().innerText()).toBe(
      'contract-year-updated',
    );
    await page.screenshot({ path: join(SCREENSHOTS, 'audit.png'), fullPage: true });
    expect(problems).toEqual([]);
  });
});
