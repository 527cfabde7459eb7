/**
 * Learning-set charts a GP can trust (issue 11), in a real browser on the demo data: ranked bars with intervals
 * and the funnel's cue, the funnel's over-dispersion switch, the SPC process-change notice and its one-click
 * recalculation, the icon summary's agreement with the charts, and the practice highlight on every chart.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newPage, SCREENSHOTS, signInAs, startHarness, type Harness } from './browser';

describe('learning-set charts', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h?.close());

  it('ranks practices with their 95% intervals, met mark and funnel reading, each name whole in the table', async () => {
    const { page, problems } = await newPage(h);
    await signInAs(h, page, 'gp', '/networks/N1?domain=DM');
    const bars = page.locator('[data-ranked-bars="DM-CP"]');
    await bars.locator('[data-chart] canvas').waitFor();
    await bars.getByText('Data table').click();
    const rows = await bars.locator('tbody tr').allInnerTexts();
    expect(rows).toHaveLength(4);
    for (const row of rows) {
      expect(row).toMatch(/\d+\.\d% – \d+\.\d%/); // the 95% Wilson interval
      expect(row).toMatch(/[✓✗] (not )?met/);
      expect(row).toMatch(/(▲|◆|●)+ (high|low|within)/);
    }
    expect(await bars.innerText()).toContain('After each name, the funnel plot');
    await bars.screenshot({ path: join(SCREENSHOTS, 'ranked-bars-N1-DM-CP.png') });
    expect(problems).toEqual([]);
  });

  it('states the funnel limits and φ on the chart, and switches to limits allowing for over-dispersion', async () => {
    const { page, problems } = await newPage(h);
    await signInAs(h, page, 'manager', '/networks/N1?domain=DM');
    const funnel = page.locator('[data-funnel="DM-CP"]');
    const statement = funnel.locator('[data-funnel-statement]');
    await statement.waitFor();
    expect(await statement.innerText()).toMatch(
      /^Limits assume only chance variation \(φ = \d+\.\d+: practices differ/,
    );
    await funnel.getByLabel(/Allow for over-dispersion/).check();
    await expect.poll(() => statement.innerText()).toMatch(/^Limits allow for over-dispersion between practices/);
    expect(page.url()).toContain('limits=adjusted');
    expect(await funnel.locator('figcaption').innerText()).toMatch(/limits allowing for over-dispersion/);
    await funnel.screenshot({ path: join(SCREENSHOTS, 'funnel-adjusted-N1-DM-CP.png') });
    expect(problems).toEqual([]);
  });

  it('says when the process has changed and recalculates that indicator’s limits, only, in one click', async () => {
    const { page, problems } = await newPage(h);
    await signInAs(h, page, 'gp', '/networks/N1?domain=CVD');
    const notice = page.locator('[data-process-change="CVD-HYP-BP"]');
    await notice.waitFor();
    expect(await notice.innerText()).toMatch(
      /The process has changed since May 2026 \(a shift in the latest months\): limits and assurance describe the earlier process\./,
    );
    // Every SPC data table of the domain (limits month by month), before the click.
    const spcTables = () =>
      page.locator('article.indicator').evaluateAll((articles) =>
        Object.fromEntries(
          articles.map((a) => [
            a.id,
            [...a.querySelectorAll('table')]
              .filter((t) => /Network rate of/.test(t.querySelector('caption')?.textContent ?? ''))
              .map((t) => t.querySelector('tbody')?.textContent ?? '')
              .join(''),
          ]),
        ),
      );
    const before = await spcTables();
    expect(Object.keys(before).length).toBeGreaterThan(1);
    await notice.getByRole('button', { name: 'Recalculate limits from May 2026' }).click();
    await notice.waitFor({ state: 'detached' });
    expect(decodeURIComponent(page.url())).toContain('recalc=CVD-HYP-BP:2026-05');
    const done = page.locator('[data-recalculated="CVD-HYP-BP"]');
    await done.waitFor();
    expect(await done.innerText()).toContain('Limits recalculated from May 2026');
    // Only that chart's limits changed; every other chart of the page is as it was, with no "recalculated" note.
    const after = await spcTables();
    for (const [id, table] of Object.entries(before)) {
      if (id === 'indicator-CVD-HYP-BP') expect(after[id], id).not.toBe(table);
      else expect(after[id], id).toBe(table);
    }
    expect(await page.locator('[data-recalculated]').count()).toBe(1);
    await page
      .locator('#indicator-CVD-HYP-BP')
      .screenshot({ path: join(SCREENSHOTS, 'spc-recalculated-CVD-HYP-BP.png') });
    // The way back, for that indicator.
    await done.getByRole('button', { name: 'Use one set of limits for CVD-HYP-BP' }).click();
    await notice.waitFor();
    expect(page.url()).not.toContain('recalc=');
    expect(await spcTables()).toEqual(before);
    expect(problems).toEqual([]);
  });

  it('the icon summary lists every indicator with the same variation and assurance icons as its chart', async () => {
    const { page, problems } = await newPage(h);
    await signInAs(h, page, 'gp', '/networks/N1');
    // Closed at first, so the charts come first; opened from the keyboard.
    const toggle = page.getByText('Summary of all 22 indicators (table)');
    await toggle.waitFor();
    const details = page.locator('details[data-icon-summary-toggle]');
    expect(await details.evaluate((d) => (d as HTMLDetailsElement).open)).toBe(false);
    const summary = page.locator('[data-icon-summary]');
    expect(await summary.isVisible()).toBe(false);
    // At 1920×1080 the closed table is one line, and the first indicator's charts start on the first screen.
    await page.setViewportSize({ width: 1920, height: 1080 });
    await page.locator('article.indicator [data-chart] canvas').first().waitFor();
    expect((await details.boundingBox())!.height).toBeLessThan(40);
    expect((await page.locator('article.indicator').first().boundingBox())!.y).toBeLessThan(1080 - 200);
    await page.screenshot({ path: join(SCREENSHOTS, 'learning-set-first-screen-1920.png') });
    await page.setViewportSize({ width: 1280, height: 900 });
    await toggle.focus();
    await page.keyboard.press('Enter');
    await summary.locator('tbody tr').first().waitFor();
    await details.screenshot({ path: join(SCREENSHOTS, 'icon-summary-N1.png') });
    const rows = summary.locator('tbody tr');
    const codes = await rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-indicator') ?? ''));
    expect(codes.length).toBe(22);
    const domains = [...new Set(codes.map((c) => c.split('-')[0]))];
    let compared = 0;
    for (const domain of domains) {
      await page.goto(`${h.url}/networks/N1?domain=${domain}`);
      await toggle.click();
      await summary.locator('tbody tr').first().waitFor();
      for (const code of codes.filter((c) => c.startsWith(`${domain}-`))) {
        const panel = page.locator(`#indicator-${code}`);
        await panel.locator('[data-variation]').first().waitFor();
        const row = summary.locator(`tr[data-indicator="${code}"]`);
        for (const attr of ['data-variation', 'data-assurance']) {
          const inChart = await panel.locator(`[${attr}]`).first().getAttribute(attr);
          const inTable = await row.locator(`[${attr}]`).first().getAttribute(attr);
          expect(inTable, `${code} ${attr}`).toBe(inChart);
          // Drawn the same: the same mark in the same colour.
          const look = (el: Element) => {
            const text = el.querySelector('svg text');
            return `${text?.textContent}|${text?.getAttribute('fill')}`;
          };
          expect(await row.locator(`[${attr}]`).first().evaluate(look)).toBe(
            await panel.locator(`[${attr}]`).first().evaluate(look),
          );
        }
        compared++;
      }
    }
    expect(compared).toBe(22);
    expect(problems).toEqual([]);
  });

  it('compares with every network (others unnamed) and highlights a chosen practice on every chart', async () => {
    const { page, problems } = await newPage(h);
    await signInAs(h, page, 'gp', '/networks/N1?domain=DM');
    const panel = page.locator('#indicator-DM-CP');
    const funnel = panel.locator('[data-funnel="DM-CP"]');
    await funnel.locator('[data-chart] canvas').waitFor();
    await funnel.getByRole('button', { name: 'All networks' }).click();
    await funnel
      .getByText(/4 practices of this network named; \d+ of other networks as grey dots, unnamed\./)
      .waitFor();
    expect(page.url()).toContain('compare=all');
    expect(await funnel.locator('figcaption').innerText()).toMatch(/Around all networks' pooled \d+\.\d%/);
    // Other networks' practices are never named on the page: the table lists this network's four only.
    await funnel.getByText('Data table').click();
    expect(await funnel.locator('tbody tr').count()).toBe(4);
    expect(await funnel.innerText()).not.toMatch(/Z000(0[5-9]|[1-9]\d)/);
    expect(await funnel.getByRole('button', { name: 'All networks' }).getAttribute('aria-pressed')).toBe('true');
    await funnel.screenshot({ path: join(SCREENSHOTS, 'funnel-all-networks-N1-DM-CP.png') });

    // Choose a practice by the address: it is drawn out in every chart's table on the page.
    await page.goto(`${h.url}/networks/N1?domain=DM&practice=Z00002`);
    await page.locator('#indicator-DM-CP [data-chart] canvas').first().waitFor();
    expect(await page.getByLabel('Highlight a practice').inputValue()).toBe('Z00002');
    for (const code of ['DM-CP', 'DM-BP']) {
      for (const chart of [`[data-ranked-bars="${code}"]`, `[data-funnel="${code}"]`]) {
        const highlighted = page.locator(`${chart} tr.highlight th`);
        expect(await highlighted.count(), `${chart}`).toBe(1);
        expect(await highlighted.textContent()).toContain('Z00002');
      }
    }
    // Choose another by the picker (keyboard-reachable), and by clicking a bar of the ranked chart.
    await page.getByLabel('Highlight a practice').selectOption('Z00001');
    await expect.poll(() => page.url()).toContain('practice=Z00001');
    const canvas = page.locator('[data-ranked-bars="DM-CP"] canvas');
    const box = await canvas.boundingBox();
    if (!box) throw new Error('the ranked bars were not drawn');
    // The top bar (highest rate: Bridge Street Surgery, Z00002) sits in the first quarter of the plot's height.
    await canvas.click({ position: { x: box.width * 0.6, y: box.height * 0.12 } });
    await expect.poll(() => page.url()).toContain('practice=Z00002');
    await page.screenshot({ path: join(SCREENSHOTS, 'practice-highlight-N1.png'), fullPage: true });
    expect(problems).toEqual([]);
  });
});
