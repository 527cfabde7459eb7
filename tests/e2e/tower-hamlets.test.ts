/** A real network's learning set from the published Tower Hamlets immunisation figures, in a real browser. */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newPage, SCREENSHOTS, signInAs, startHarness, type Harness } from './browser';

describe('Tower Hamlets, real data', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness('tower-hamlets');
  });
  afterAll(() => h?.close());

  it('shows Network 3’s learning set over 22 quarters, with the licence attribution', async () => {
    const { page, problems } = await newPage(h);
    await signInAs(h, page, 'commissioner', '/');
    await page.getByRole('table', { name: /Network standards by domain, July–September 2024/ }).waitFor();
    expect(await page.locator('footer').innerText()).toContain('Open Government Licence v3.0');
    await page.screenshot({ path: join(SCREENSHOTS, 'tower-hamlets-overview.png'), fullPage: true });
    // Only immunisation applies: the other five columns are folded away with a note saying which.
    const headers = await page.locator('table.grid thead th').allInnerTexts();
    expect(headers).toEqual(['Network', 'Immunisation']);
    expect(await page.locator('[data-folded]').innerText()).toMatch(/^Not shown: Diabetes, .*no network has patients/);
    // The learning set opens on the first domain with data.
    await page.goto(`${h.url}/networks/U37286`);
    await page.getByRole('article', { name: /IMM-DTAP-12M/ }).waitFor();
    expect(await page.locator('nav.domains a[aria-current="page"]').innerText()).toMatch(/^Immunisation/);

    await page.goto(`${h.url}/networks/U37286?domain=IMM`);
    const panel = page.getByRole('article', { name: /IMM-DTAP-12M/ });
    await panel.waitFor();
    await page.locator('[data-chart] canvas').first().waitFor();
    const text = await panel.innerText();
    expect(text).toMatch(/22 quarters, latest \d+\.\d%/);
    expect(text).toMatch(/SPC chart of the network's quarterly rate/);
    expect(await page.getByLabel('Quarter', { exact: true }).locator('option:checked').innerText()).toBe(
      'July–September 2024',
    );
    await panel.getByText('Data table').nth(2).click();
    const rows = await panel
      .getByRole('table', { name: /Network rate of IMM-DTAP-12M by quarter/ })
      .locator('tbody tr')
      .allInnerTexts();
    expect(rows).toHaveLength(22);
    expect(rows[0]).toMatch(/^April–June 2019/);
    expect(await page.locator('footer').innerText()).toContain('Open Government Licence v3.0');
    await page.screenshot({ path: join(SCREENSHOTS, 'tower-hamlets-learning-set.png'), fullPage: true });
    // No contract values here, so no statement: the what-if says so instead of offering a form.
    await page.getByRole('button', { name: 'What if…' }).click();
    await page
      .getByRole('status')
      .filter({ hasText: /^Nothing to try: .*no contract value/ })
      .waitFor();
    expect(await page.getByRole('button', { name: 'Add and recalculate' }).count()).toBe(0);
    expect(problems).toEqual([]);
  });

  it('says a dissolved network has had no members since a quarter, on the overview and its learning set', async () => {
    const { page, problems } = await newPage(h);
    await signInAs(h, page, 'commissioner', '/');
    const cell = page.locator('[data-cell="U99255-none"]');
    await cell.waitFor();
    expect(await cell.innerText()).toContain('No members since the quarter April–June 2021');
    expect(await page.locator('table.grid tbody tr').last().innerText()).toMatch(/^U99255/);
    await page.screenshot({ path: join(SCREENSHOTS, 'tower-hamlets-dissolved-overview.png'), fullPage: true });

    await page.goto(`${h.url}/networks/U99255`);
    await page.locator('[data-no-members]').waitFor();
    expect(await page.locator('[data-no-members]').innerText()).toMatch(
      /^No members since the quarter April–June 2021: the network had no member practices in July–September 2024/,
    );
    const panel = page.getByRole('article', { name: /IMM-DTAP-12M/ });
    await panel.waitFor();
    expect(await panel.locator('[data-state="no-members"]').innerText()).toContain('No members since');
    expect(await panel.innerText()).not.toContain('Not applicable');
    // No "0/4 met" on the domain tab and no what-if: with no members there is nothing met or missed to try.
    expect(await page.getByRole('navigation', { name: 'Domains' }).innerText()).not.toMatch(/met/);
    expect(await page.getByRole('button', { name: 'What if…' }).count()).toBe(0);
    await page.screenshot({ path: join(SCREENSHOTS, 'tower-hamlets-dissolved-learning-set.png'), fullPage: true });
    // Its deck says the same on the opening slide and on each indicator's badge.
    await page.goto(`${h.url}/networks/U99255/meeting`);
    const opening = page.locator('[data-standing]');
    await opening.waitFor();
    expect(await opening.innerText()).toBe('No members since the quarter April–June 2021');
    await page.keyboard.press('ArrowRight');
    await page.locator('.deck article.indicator-slide [data-state="no-members"]').waitFor();
    await page.screenshot({ path: join(SCREENSHOTS, 'tower-hamlets-dissolved-deck.png') });
    // Before it dissolved, it is an ordinary network.
    await page.goto(`${h.url}/networks/U99255?period=2021-03`);
    await page
      .getByRole('article', { name: /IMM-DTAP-12M/ })
      .locator('[data-state]')
      .first()
      .waitFor();
    expect(await page.locator('[data-no-members]').count()).toBe(0);
    expect(await page.getByRole('navigation', { name: 'Domains' }).innerText()).toMatch(/Immunisation\s+\d+\/4 met/);
    expect(problems).toEqual([]);
  });
});
