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

    // Choose a point: a click in the plot area over an observed month opens the form on that month (the right
    // of the axis is the forecast to the year end, which takes no notes), and the month can then be changed.
    const canvas = spc.locator('[data-chart]');
    const box = (await canvas.boundingBox())!;
    await canvas.click({ position: { x: box.width * 0.45, y: box.height / 2 } });
    const form = page.getByRole('form', { name: 'Add a note to DM-CP' });
    await form.waitFor();
    const clicked = await form.getByLabel('Month').inputValue();
    expect(clicked >= '2025-04' && clicked <= '2026-10').toBe(true);
    await form.getByLabel('Month').selectOption('2026-10');
    await form.getByLabel('About').selectOption({ label: 'Albion Medical Centre' });
    await form.getByLabel('Note').fill('Albion started Saturday care-plan clinics');
    await form.getByRole('button', { name: 'Save the note' }).click();
    const added = spc.getByRole('listitem').filter({ hasText: 'Albion started Saturday care-plan clinics' });
    await added.waitFor();
    expect(await added.innerText()).toMatch(/✎2\s*October 2026 · Albion Medical Centre/);
    await page.screenshot({ path: join(SCREENSHOTS, 'notes-learning-set.png') });

    // The practice page draws it too (a note about the practice, or about the whole network).
    await page.goto(`${h.url}/practices/Z00001`);
    const dmcp = page.locator('figure:not([data-spine])').filter({ hasText: 'DM-CP' }).first();
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

describe('the loop from one meeting to the next', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h?.close());

  /** Moves forward through the deck until a slide's heading matches. */
  async function forwardTo(page: Page, heading: RegExp) {
    for (let i = 0; i < 12; i++) {
      if ((await page.getByRole('heading', { name: heading }).count()) > 0) return;
      const before = await page.locator('.counter').innerText();
      await page.keyboard.press('ArrowRight');
      await page.waitForFunction((b) => document.querySelector('.counter')?.textContent !== b, before);
    }
    throw new Error(`no slide headed ${heading}`);
  }

  it('a GP starts a meeting, annotates a chart and records an action on a slide, and the next meeting opens with it', async () => {
    const { page, problems } = await newPage(h);
    await page.setViewportSize({ width: 1280, height: 800 });
    await signInAs(h, page, 'gp', '/networks/N1');
    await page.getByRole('button', { name: "Start this month's meeting" }).click();
    await page.locator('[data-standing]').waitFor();
    expect(page.url()).toMatch(/\/networks\/N1\/meeting\?period=2026-10&meeting=\d+$/);
    const opening = await page.locator('.deck article.slide').innerText();
    expect(opening).toContain('meeting of 21 November 2026');
    expect(opening).toMatch(/Since the meeting of 21 October 2026 \(September 2026\): 4 actions to review/);
    await page.screenshot({ path: join(SCREENSHOTS, 'loop-1-opening.png') });

    // The previous meeting's actions, each with its status.
    await page.keyboard.press('ArrowRight');
    await page.getByRole('heading', { name: 'Actions from the meeting of 21 October 2026' }).waitFor();
    const carried = page.locator('.deck .actions li').filter({ hasText: 'Agree a referral pathway' });
    expect(await carried.innerText()).toMatch(/Overdue/);

    // On DM-CP's slide: a note from the chart, then an action.
    await forwardTo(page, /^DM-CP Diabetes care plan/);
    await page.getByRole('button', { name: '✎ Note on the chart' }).click();
    const noteDialog = page.getByRole('dialog', { name: 'Note on DM-CP' });
    await noteDialog.getByLabel('Month').selectOption('2026-10');
    await noteDialog.getByLabel('Note', { exact: true }).fill('Saturday care-plan clinics began');
    await noteDialog.getByRole('button', { name: 'Save the note' }).click();
    await noteDialog.waitFor({ state: 'detached' });
    const spc = page.locator('.deck figure').filter({ hasText: /SPC chart|Run chart/ });
    const note = spc.getByRole('listitem').filter({ hasText: 'Saturday care-plan clinics began' });
    await note.waitFor();
    expect(await note.innerText()).toMatch(/✎2\s*October 2026/);
    await page.screenshot({ path: join(SCREENSHOTS, 'loop-2-note.png') });

    await page.getByRole('button', { name: '+ Action on DM-CP' }).click();
    const actionDialog = page.getByRole('dialog', { name: 'Record an action' });
    expect(await actionDialog.getByLabel('Indicator').inputValue()).toBe('DM-CP');
    await actionDialog.getByLabel('Action', { exact: true }).fill('Phone every patient without a care plan at Albion');
    await actionDialog.getByLabel('Owner').fill('Dr Patel');
    await actionDialog.getByLabel('Due').fill('2026-12-15');
    await actionDialog.getByLabel('Practice').selectOption({ label: 'Albion Medical Centre' });
    await page.screenshot({ path: join(SCREENSHOTS, 'loop-3-action-dialog.png') });
    await actionDialog.getByRole('button', { name: 'Record the action' }).click();
    await actionDialog.waitFor({ state: 'detached' });

    // The deck closes with this meeting's actions, then the summary.
    await page.keyboard.press('End');
    await page.getByRole('heading', { name: 'Riverside Network, October 2026' }).waitFor();
    expect(await page.locator('.deck article.slide').innerText()).toContain(
      '1 action recorded at this meeting: Dr Patel.',
    );
    await page.keyboard.press('ArrowLeft');
    await page.getByRole('heading', { name: "This meeting's actions" }).waitFor();
    const mine = page.locator('.deck .actions li');
    expect(await mine.count()).toBe(1);
    expect(await mine.innerText()).toMatch(
      /Open[\s\S]*Phone every patient without a care plan at Albion[\s\S]*Dr Patel · due 15 Dec 2026 · DM-CP · Albion Medical Centre/,
    );
    await page.screenshot({ path: join(SCREENSHOTS, 'loop-4-actions.png') });

    // The note is on the learning set's chart too.
    await page.goto(`${h.url}/networks/N1?domain=DM`);
    await spcOf(page, 'DM-CP').getByText('Saturday care-plan clinics began').waitFor();

    // The next meeting opens with the action.
    await page.getByRole('button', { name: "Start this month's meeting" }).click();
    await page.locator('[data-standing]').waitFor();
    await page.keyboard.press('ArrowRight');
    await page.getByRole('heading', { name: 'Actions from the meeting of 21 November 2026' }).waitFor();
    const next = page.locator('.deck .actions li');
    expect(await next.count()).toBe(1);
    expect(await next.innerText()).toMatch(/Open[\s\S]*Phone every patient without a care plan at Albion/);
    expect(await next.innerText()).toMatch(/Network \d+\.\d% → \d+\.\d% = unchanged/);
    await page.screenshot({ path: join(SCREENSHOTS, 'loop-5-next-meeting.png') });
    expect(problems).toEqual([]);
  });

  it("the meeting pack carries the previous actions, the changes, this meeting's actions, the notes and the tables", async () => {
    const { page, problems } = await newPage(h);
    await signInAs(h, page, 'manager', '/networks/N1/meeting?meeting=2&print=1');
    const appendix = page.getByRole('region', { name: 'Appendix: notes and data tables' });
    await appendix.waitFor();
    const pack = page.locator('.deck');
    const slide = (name: string) => pack.locator('article.slide').filter({ has: page.getByRole('heading', { name }) });
    expect(await slide('Actions from the meeting of 16 September 2026').innerText()).toMatch(
      /Overdue[\s\S]*Book a pulmonary rehabilitation referral clinic[\s\S]*Network 69\.1% → 67\.7% ▼ worsened/,
    );
    expect(await slide('What changed since August 2026').innerText()).toMatch(/DA-REF[\s\S]*met → not met/);
    expect(await slide("This meeting's actions").innerText()).toContain('Agree a referral pathway');
    expect(await appendix.innerText()).toMatch(
      /September 2026\s+DA-NEWREG\s+Chrisp Street Group Practice\s+AUDIT-C added/,
    );
    expect(await appendix.getByRole('table', { name: 'Network by month, up to September 2026' }).count()).toBe(22);
    // Every indicator has a page; the figures are September's, the month the meeting reviewed.
    expect(await pack.locator('article.indicator-slide').count()).toBe(22);
    expect(await page.getByRole('heading', { name: 'Riverside Network', level: 1, exact: true }).count()).toBe(1);
    expect(await pack.locator('article.slide').first().innerText()).toContain('September 2026');
    expect(problems).toEqual([]);
  });

  it('a commissioner opens the meeting mode but is offered no way to record anything', async () => {
    const { page, problems } = await newPage(h);
    await signInAs(h, page, 'commissioner', '/networks/N1');
    await page.getByRole('heading', { name: 'Meetings and actions' }).waitFor();
    await page.getByText(/Open actions \(\d+\)/).waitFor();
    expect(await page.getByRole('button', { name: "Start this month's meeting" }).count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Mark done' }).count()).toBe(0);
    await page.goto(`${h.url}/networks/N1/meeting?meeting=2`);
    await page.locator('[data-standing]').waitFor();
    expect(await page.getByRole('button', { name: /Record an action/ }).count()).toBe(0);
    await page.keyboard.press('ArrowRight');
    await page.getByRole('heading', { name: 'Actions from the meeting of 16 September 2026' }).waitFor();
    expect(await page.getByRole('button', { name: 'Mark done' }).count()).toBe(0);
    expect(problems).toEqual([]);
  });
});
