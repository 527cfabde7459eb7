/**
 * What GPs see at the learning set: the overview, a network's learning set, meeting mode (arrow keys), a
 * practice page and the printable meeting pack, in a real browser, with no page errors and charts drawn.
 */
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newPage, SCREENSHOTS, signInAs, startHarness, type Harness } from './browser';

/** Every chart canvas on the page has been drawn on (some pixel is not transparent). */
async function chartsDrawn(page: Page): Promise<{ charts: number; drawn: number }> {
  return page.evaluate(() => {
    const canvases = [...document.querySelectorAll<HTMLCanvasElement>('[data-chart] canvas')];
    const drawn = canvases.filter((c) => {
      const ctx = c.getContext('2d');
      if (!ctx || c.width === 0 || c.height === 0) return false;
      const data = ctx.getImageData(0, 0, c.width, c.height).data;
      for (let i = 3; i < data.length; i += 4) if (data[i] !== 0) return true;
      return false;
    });
    return { charts: canvases.length, drawn: drawn.length };
  });
}

describe('learning-set screens', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h?.close());

  it('the overview shows every network × domain with met, not met or incomplete marked by text, not colour alone', async () => {
    const { page, problems } = await newPage(h);
    await signInAs(h, page, 'commissioner', '/');
    const grid = page.getByRole('table', { name: /Network standards by domain, October 2026/ });
    await grid.waitFor();
    expect(await grid.locator('tbody tr').count()).toBe(8);
    const n4 = await grid.getByRole('row', { name: /N4 · Docklands Network/ }).innerText();
    expect(n4).toContain('Incomplete');
    // Missing is not worse: the partial rates so far, who has not sent (by name), and no change arrow.
    expect(n4).toContain('Not sent: Quayside Surgery');
    expect(n4).toMatch(/DM-CP: \d+\.\d% so far/);
    expect(n4).not.toMatch(/[▲▼]/);
    // Every cell links to its domain on the learning set.
    expect(await grid.getByRole('link', { name: 'COPD for N2: open on the learning set' }).getAttribute('href')).toBe(
      '/networks/N2?period=2026-10&domain=COPD',
    );
    const n2 = await grid.getByRole('row', { name: /N2 · Canal & Parks Network/ }).innerText();
    expect(n2).toMatch(/✓ Met/);
    expect(
      await page
        .getByText(/network standards met/)
        .first()
        .innerText(),
    ).toMatch(/^October 2026 \(2026-27\): \d+ of \d+ network standards met, 6 incomplete\.$/);
    await page.screenshot({ path: join(SCREENSHOTS, 'overview.png'), fullPage: true });
    await page.getByLabel('Month', { exact: true }).selectOption('2026-03');
    await page.getByRole('table', { name: /March 2026/ }).waitFor();
    expect(page.url()).toContain('period=2026-03');
    expect(problems).toEqual([]);
  });

  it('a learning set draws ranked bars, funnel plots and SPC charts with tables and summaries beside them', async () => {
    const { page, problems } = await newPage(h);
    await signInAs(h, page, 'gp', '/');
    await page.getByRole('link', { name: 'N1 · Riverside Network' }).click();
    await page.getByRole('heading', { name: 'N1 · Riverside Network', level: 1 }).waitFor();
    await page.locator('[data-chart] canvas').first().waitFor();
    const panel = page.getByRole('article', { name: /DM-BP Diabetes BP/ });
    await panel.waitFor();
    const text = await panel.innerText();
    expect(text).toMatch(/\d+ of 4 practices meet the 70% target/);
    expect(text).toMatch(/Funnel plot/);
    expect(text).toMatch(/SPC chart of the network's monthly rate/);
    expect(text).toMatch(/19 months, latest/);
    expect(text).toMatch(/Patients needed per practice/);
    await panel.getByText('Data table').first().click();
    expect(await panel.getByRole('table', { name: 'Practices ranked by DM-BP rate' }).locator('tbody tr').count()).toBe(
      4,
    );
    const drawn = await chartsDrawn(page);
    expect(drawn.charts).toBe(15); // five diabetes indicators × three charts
    // Charts are reached by keyboard and announce what they show.
    await page.locator('[data-chart]').first().focus();
    expect(await page.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toMatch(
      /^Ranked practice bars for DM-CP\. \d of 4 practices meet/,
    );
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Data table');
    expect(drawn.drawn).toBe(drawn.charts);
    await page.screenshot({ path: join(SCREENSHOTS, 'learning-set.png'), fullPage: true });

    // A change of process: limits recalculated from April 2026, which the data table then shows.
    await page.getByLabel('SPC limits').selectOption('2026-04');
    await page.waitForURL(/recalcAll=2026-04/);
    await panel.getByText('Data table').nth(2).click();
    const spcRows = panel.getByRole('table', { name: /Network rate of DM-BP by month/ }).locator('tbody tr');
    // Two segments: the limits column shows two different ranges, before and from April 2026.
    const limits = async () => (await spcRows.allInnerTexts()).map((r) => r.split('\t')[4]);
    await expect.poll(async () => new Set(await limits()).size).toBe(2);
    expect((await limits())[11]).not.toBe((await limits())[12]); // March 2026 and April 2026

    // Another domain, by keyboard-reachable link.
    await page
      .getByRole('navigation', { name: 'Domains' })
      .getByRole('link', { name: /Immunisation/ })
      .click();
    await page.getByRole('article', { name: /IMM-MMR1-24M/ }).waitFor();
    expect(page.url()).toContain('domain=IMM');
    expect(problems).toEqual([]);
  });

  it('the incomplete month is marked with the missing practice on the learning set', async () => {
    const { page, problems } = await newPage(h);
    await signInAs(h, page, 'admin', '/networks/N4?period=2026-10');
    const panel = page.getByRole('article', { name: /DM-CP/ });
    await panel.waitFor();
    expect(await panel.innerText()).toContain('Incomplete: no figures yet from Z00017');
    expect(await panel.innerText()).toMatch(/19 months, latest .*1 incomplete month is marked with a hollow point/s);
    expect(problems).toEqual([]);
  });

  it("a GP sees another network's incomplete month as a count of missing practices, never their codes", async () => {
    const { page, problems } = await newPage(h);
    await signInAs(h, page, 'gp', '/networks/N4?period=2026-10');
    const panel = page.getByRole('article', { name: /DM-CP/ });
    await panel.getByText('Incomplete: no figures yet from 1 practice.').waitFor();
    expect(await page.locator('main').innerText()).not.toContain('Z000');
    expect(problems).toEqual([]);
  });

  it('meeting mode: the opening standing, one indicator of the first domain per slide, arrow keys, a closing summary', async () => {
    const { page, problems } = await newPage(h);
    await signInAs(h, page, 'gp', '/networks/N1/meeting?period=2026-10');
    // No meeting reviewed October: opening, Diabetes' 5 indicators, closing.
    await page.getByText('Slide 1 of 7').waitFor();
    await page.getByRole('heading', { name: 'Riverside Network', level: 1 }).waitFor();
    expect(await page.locator('[data-standing]').innerText()).toMatch(/^\d+ of 22 met/);
    await page.screenshot({ path: join(SCREENSHOTS, 'meeting-title.png') });
    await page.keyboard.press('ArrowRight');
    await page.getByText('Slide 2 of 7').waitFor();
    await page.getByRole('heading', { name: /DM-CP Diabetes care plan/ }).waitFor();
    await page.waitForFunction(() => document.querySelectorAll('[data-chart] canvas').length === 3);
    expect(await chartsDrawn(page)).toEqual({ charts: 3, drawn: 3 });
    await page.screenshot({ path: join(SCREENSHOTS, 'meeting-slide.png') });
    await page.keyboard.press('ArrowRight');
    await page.getByText('Slide 3 of 7').waitFor();
    await page.keyboard.press('ArrowLeft');
    await page.getByText('Slide 2 of 7').waitFor();
    await page.keyboard.press('End');
    await page.getByText('Slide 7 of 7').waitFor();
    await page.getByRole('heading', { name: /Riverside Network, October 2026/ }).waitFor();
    await page.getByRole('button', { name: 'Previous slide' }).click();
    await page.getByText('Slide 6 of 7').waitFor();
    await page.getByRole('heading', { name: /DM-RET/ }).waitFor();
    expect(page.url()).toContain('slide=5');
    await page.getByLabel('Domain').selectOption({ label: 'Drug and alcohol' });
    await page.getByText('Slide 1 of 5').waitFor();
    expect(problems).toEqual([]);
  });

  it('the printable meeting pack has a title page, one indicator a page, a summary and an appendix of tables', async () => {
    const { page, problems } = await newPage(h);
    await signInAs(h, page, 'gp', '/networks/N1/meeting?period=2026-10&print=1');
    await page.getByRole('button', { name: 'Print the meeting pack' }).waitFor();
    await page.emulateMedia({ media: 'print' });
    const slides = page.locator('article.slide');
    await page.waitForFunction(() => document.querySelectorAll('[data-chart] canvas').length === 66);
    expect(await slides.count()).toBe(24);
    expect(await page.getByRole('button', { name: 'Print the meeting pack' }).isVisible()).toBe(false);
    const breaks = await slides.evaluateAll((els) => els.map((e) => getComputedStyle(e).breakAfter));
    expect(breaks.slice(0, 23).every((b) => b === 'page')).toBe(true);
    expect(await slides.first().innerText()).toMatch(
      /Learning set\s+Riverside Network\s+October 2026 · contract year 2026-27/,
    );
    expect(await slides.first().innerText()).toMatch(/Prepared \d{1,2} \w+ \d{4}/);
    const appendix = page.getByRole('region', { name: 'Appendix: notes and data tables' });
    await appendix.getByText('Care-plan recall lists sent').waitFor();
    expect(await appendix.locator('table').count()).toBe(1 + 22 * 2);
    const pdf = await page.pdf({ format: 'A4', landscape: true, printBackground: true });
    expect(pdf.subarray(0, 4).toString()).toBe('%PDF');
    await page.screenshot({ path: join(SCREENSHOTS, 'meeting-pack-print.png') });
    expect(problems).toEqual([]);
  });

  it("a practice page shows the practice's indicators beside the network average and the target", async () => {
    const { page, problems } = await newPage(h);
    await signInAs(h, page, 'admin', '/practices/Z00022');
    await page.getByRole('heading', { name: /Victoria Park Surgery/ }).waitFor();
    await page.locator('[data-chart] canvas').first().waitFor();
    const drawn = await chartsDrawn(page);
    // 22 indicators' monthly charts and the spine chart of every indicator.
    expect(drawn.charts).toBe(23);
    expect(drawn.drawn).toBe(23);
    await page.locator('figure[data-spine]').waitFor();
    const figure = page.locator('figure:not([data-spine])').filter({ hasText: 'DM-BP' });
    await figure.getByText('Data table').click();
    const rows = await figure.getByRole('table').locator('tbody tr').allInnerTexts();
    expect(rows.find((r) => r.startsWith('September 2025'))).toContain('N5');
    expect(rows.find((r) => r.startsWith('October 2025'))).toContain('N6');
    await page.screenshot({ path: join(SCREENSHOTS, 'practice.png'), fullPage: true });
    expect(problems).toEqual([]);
  });
});
