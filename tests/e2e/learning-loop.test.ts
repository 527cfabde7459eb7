/**
 * The learning-set loop in a real browser (issue 13): notes drawn on the charts and added from them, meetings
 * started from the learning set, meeting mode's agenda and actions, and the next meeting opening with them.
 */
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newPage, SCREENSHOTS, signInAs, startHarness, type Harness } from './browser';

/** The SPC chart of an indicator's panel on the learning set. */
const spcOf = (page: Page, code: string) =>
  page.locator(`#indicator-${code} figure`).filter({ hasText: /SPC chart|Run chart/ });

describe('notes on the charts', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h?.close());

  it("a GP sees the network's notes under the SPC chart and adds one by clicking a month on it", async () => {
    const { page, problems } = await newPage(h);
    await signInAs(h, page, 'gp', '/networks/N1?domain=DM');
    const spc = spcOf(page, 'DM-CP');
    const note = spc.getByRole('listitem').filter({ hasText: 'Care-plan recall lists sent' });
    await note.waitFor();
    expect(await note.innerText()).toMatch(/✎1\s*September 2026/);
    await note.focus();
    expect(await note.getAttribute('class')).toContain('active');

    // Choose a point: a click in the plot area over the last column (October) opens the form on that month.
    const canvas = spc.locator('[data-chart]');
    const box = (await canvas.boundingBox())!;
    await canvas.click({ position: { x: box.width - 24, y: box.height / 2 } });
    const form = page.getByRole('form', { name: 'Add a note to DM-CP' });
    await form.waitFor();
    expect(await form.getByLabel('Month').inputValue()).toBe('2026-10');
    await form.getByLabel('About').selectOption({ label: 'Albion Medical Centre' });
    await form.getByLabel('Note').fill('Albion started Saturday care-plan clinics');
    await form.getByRole('button', { name: 'Save the note' }).click();
    const added = spc.getByRole('listitem').filter({ hasText: 'Albion started Saturday care-plan clinics' });
    await added.waitFor();
    expect(await added.innerText()).toMatch(/✎2\s*October 2026 · Albion Medical Centre/);
    await page.screenshot({ path: join(SCREENSHOTS, 'notes-learning-set.png') });

    // The practice page draws it too (a note about the practice, or about the whole network).
    await page.goto(`${h.url}/practices/Z00001`);
    const dmcp = page.locator('figure').filter({ hasText: 'DM-CP' }).first();
    await dmcp.getByText('Albion started Saturday care-plan clinics').waitFor();
    await dmcp.getByText('Care-plan recall lists sent').waitFor();
    expect(problems).toEqual([]);
  });

  it('a commissioner reads the notes but is offered no way to add one', async () => {
    const { page, problems } = await newPage(h);
    await signInAs(h, page, 'commissioner', '/networks/N1?domain=DM');
    await spcOf(page, 'DM-CP').getByText('Care-plan recall lists sent').waitFor();
    expect(await page.getByRole('button', { name: /Add a note/ }).count()).toBe(0);
    expect(await page.getByRole('button', { name: /Delete note/ }).count()).toBe(0);
    expect(problems).toEqual([]);
  });
});
