/** A signed-in user changes their own password from the header, in a real browser; the admin form states the rule. */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newPage, SCREENSHOTS, signInAs, startHarness, type Harness } from './browser';
import { testSql } from '../helpers/db';

describe('changing your own password', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h?.close());

  it('a GP changes theirs from the header: the server’s rule is shown, weak and wrong passwords are refused with its message, and the new one works', async () => {
    const { page, problems } = await newPage(h);
    await signInAs(h, page, 'gp');
    await page.getByRole('button', { name: 'Change password' }).click();
    const dialog = page.getByRole('dialog', { name: 'Change your password' });
    await dialog.waitFor();
    await dialog.getByText(/^At least 12 characters \(at most 128\)/).waitFor();
    // Keyboard: the dialog opens on the first field.
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('password-current');

    await dialog.getByLabel('Current password').fill('demo-gp');
    await dialog.getByLabel('New password', { exact: true }).fill('1234567890');
    await dialog.getByLabel('New password again').fill('1234567890');
    await dialog.getByRole('button', { name: 'Change password' }).click();
    await dialog
      .getByRole('alert')
      .filter({ hasText: 'A password needs at least 12 characters; this one has 10' })
      .waitFor();
    await page.screenshot({ path: join(SCREENSHOTS, 'change-password-refused.png'), fullPage: true });

    await dialog.getByLabel('New password', { exact: true }).fill('a walk by the river');
    await dialog.getByLabel('New password again').fill('a walk by the rivet');
    await dialog.getByRole('button', { name: 'Change password' }).click();
    await dialog.getByRole('alert').filter({ hasText: 'The two new passwords are not the same' }).waitFor();

    await dialog.getByLabel('Current password').fill('not my password');
    await dialog.getByLabel('New password again').fill('a walk by the river');
    await dialog.getByRole('button', { name: 'Change password' }).click();
    await dialog.getByRole('alert').filter({ hasText: 'Your current password is not right' }).waitFor();

    await dialog.getByLabel('Current password').fill('demo-gp');
    await dialog.getByRole('button', { name: 'Change password' }).click();
    await page.getByRole('status').filter({ hasText: 'Your password has been changed' }).waitFor();
    await dialog.waitFor({ state: 'hidden' });
    await page.screenshot({ path: join(SCREENSHOTS, 'change-password-done.png'), fullPage: true });

    // Still signed in here; signing in again needs the new password.
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    await page.getByLabel('Username').fill('gp');
    await page.getByLabel('Password').fill('demo-gp');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('alert').filter({ hasText: 'do not match an active account' }).waitFor();
    await page.getByLabel('Password').fill('a walk by the river');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Sign in' }).waitFor({ state: 'detached' });
    await page.getByRole('button', { name: 'Change password' }).waitFor();
    const changed = testSql(h.app)
      .prepare("SELECT count(*) AS n FROM audit_log WHERE action = 'password-changed' AND username = 'gp'")
      .get();
    expect(changed).toEqual({ n: 1 });
    expect(problems).toEqual([]);
  });

  it('the admin’s add-user form states the same rule and shows the server’s refusal', async () => {
    const { page, problems } = await newPage(h);
    await signInAs(h, page, 'admin', '/admin');
    await page.getByRole('table', { name: 'Users and their roles' }).waitFor();
    const password = page.getByLabel(/^Password/);
    expect(await password.getAttribute('aria-describedby')).toBe('new-password-rule');
    await page
      .locator('#new-password-rule')
      .filter({ hasText: /^At least 12 characters/ })
      .waitFor();
    await page.getByLabel('Username', { exact: true }).fill('drjones');
    await password.fill('          ');
    await page.getByLabel('Role', { exact: true }).selectOption('gp');
    await page.getByLabel('Network', { exact: true }).selectOption('N2');
    await page.getByRole('button', { name: 'Add user' }).click();
    await page
      .getByRole('alert')
      .filter({ hasText: 'A password needs at least 12 characters; this one has 10' })
      .waitFor();
    await password.fill('Password1234');
    await page.getByRole('button', { name: 'Add user' }).click();
    await page.getByRole('alert').filter({ hasText: 'commonly used passwords' }).waitFor();
    await page.screenshot({ path: join(SCREENSHOTS, 'admin-password-rule.png'), fullPage: true });
    expect(testSql(h.app).prepare("SELECT count(*) AS n FROM users WHERE username = 'drjones'").get()).toEqual({
      n: 0,
    });
    expect(problems).toEqual([]);
  });
});
