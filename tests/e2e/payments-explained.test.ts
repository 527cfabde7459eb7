/**
 * The Payments screen says why, what it would take and where the year is heading, and the what-if recalculates
 * the statement without saving; the overview shows the money per network; the learning set draws the forecast.
 */
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newPage, SCREENSHOTS, signInAs, startHarness, type Harness } from './browser';

/** In a what-if panel: the patients the chosen indicator needs (when the hint offers a number), recalculated. */
async function tryNeeded(panel: Locator): Promise<void> {
  const use = panel.locator('.hint').getByRole('button', { name: /^Use \d+$/ });
  if ((await use.count()) > 0) await use.click();
  await panel.getByRole('button', { name: 'Add and recalculate' }).click();
  await panel.getByRole('table', { name: /What changes, line by line/ }).waitFor();
}

describe('payments that explain themselves', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h?.close());

  it('a manager sees the rule, the reasons, what it would take, the forecast, and can try a what-if', async () => {
    const { page, problems } = await newPage(h);
    await signInAs(h, page, 'manager', '/payments?year=2026-27');
    const statement = page.getByRole('table', { name: /Statement for N1 Riverside Network/ });
    await statement.waitFor();
    await page.getByText(/All-indicators rule: a domain's pot is paid in full only when/).waitFor();
    // A met indicator in a domain that earns nothing names what holds the domain back.
    await statement
      .getByText(/met: .* reaches the 70% target; under the all-indicators rule the domain pays only when/)
      .first()
      .waitFor();
    // What it would take, most released for fewest patients first.
    const take = page.getByRole('region', { name: 'What it would take' });
    await take.getByText(/Up to £[\d,]+\.\d\d more/).waitFor();
    expect(await take.locator('ol > li').first().innerText()).toMatch(/^Immunisation: £[\d,.]+ for 4 more patients/);
    // The forecast.
    await page.getByText(/Expected payment at March 2027: £[\d,.]+/).waitFor();
    await page.getByText(/likely range £[\d,.]+ to £[\d,.]+/).waitFor();

    // What-if: 3 more for IMM-MMR1-24M and 1 more for IMM-PSB-5Y across the network earn Immunisation.
    const whatIf = page.getByRole('region', { name: 'What if…' });
    await whatIf.getByLabel('Indicator').selectOption('IMM-MMR1-24M');
    await whatIf.getByLabel('More patients').fill('3');
    await whatIf.getByRole('button', { name: 'Add and recalculate' }).click();
    await whatIf.getByRole('table', { name: /What changes, line by line/ }).waitFor();
    await whatIf.getByLabel('Indicator').selectOption('IMM-PSB-5Y');
    await whatIf.getByLabel('More patients').fill('1');
    await whatIf.getByRole('button', { name: 'Add and recalculate' }).click();
    const changes = whatIf.getByRole('table', { name: /What changes, line by line/ });
    await changes.getByRole('row', { name: /Domain IMM/ }).waitFor();
    expect(await changes.getByRole('row', { name: /Domain IMM/ }).innerText()).toMatch(/Not earned.*Earned/s);
    await whatIf.getByText(/Network total earned: £0\.00 now → £[1-9][\d,.]+ with these changes/).waitFor();
    await page.screenshot({ path: join(SCREENSHOTS, 'payments-what-if.png'), fullPage: true });

    // A refused change says why and is not kept; the real statement never changed.
    await whatIf.getByLabel('Where').selectOption('Z00001');
    await whatIf.getByLabel('More patients').fill('100000');
    await whatIf.getByRole('button', { name: 'Add and recalculate' }).click();
    await whatIf
      .getByRole('alert')
      .filter({ hasText: /would exceed the denominator .* Nothing was saved/ })
      .waitFor();
    expect(await whatIf.locator('ul.changes > li').count()).toBe(2);
    expect(await page.getByRole('row', { name: /N1 · Riverside Network/ }).innerText()).toMatch(/£0\.00/);
    expect(problems.filter((p) => !/status of 400/.test(p))).toEqual([]);
  });

  it('a rate is never shown on the wrong side of its target: N3’s final CVD-HYP-BP against 80%', async () => {
    const { page } = await newPage(h);
    await signInAs(h, page, 'commissioner', '/payments?year=2025-26');
    const summary = page.getByRole('table', { name: /Payment statements by network/ });
    await summary.getByRole('row', { name: /N3 · / }).getByRole('button', { name: 'Statement' }).click();
    const statement = page.getByRole('table', { name: /Statement for N3 / });
    await statement.waitFor();
    const row = statement.getByRole('row', { name: /^CVD-HYP-BP/ }).first();
    const text = await row.innerText();
    const [n, d] = (text.match(/([\d,]+)\s+([\d,]+)/) ?? []).slice(1).map((x) => Number(x.replace(/,/g, '')));
    // Whatever the final month's figure, the rate shown is on the same side of 80% as n / d.
    const shown = Number((text.match(/(\d+\.\d+)%/) ?? [])[1]);
    expect(shown >= 80).toBe(n! * 10000 >= 8000 * d!);
  });

  it('the overview shows commissioners the money per network; the learning set draws the forecast band', async () => {
    const { page, problems } = await newPage(h);
    await page.setViewportSize({ width: 1920, height: 1080 });
    await signInAs(h, page, 'commissioner', '/');
    const money = page.getByRole('region', { name: /Money, 2026-27/ });
    await money.getByRole('row', { name: /N8 · / }).waitFor();
    expect(await money.getByRole('row').count()).toBe(9);
    expect(await money.locator('thead').innerText()).toMatch(/Earned so far\s+Releasable\s+At risk/);
    // "At risk" says what it means, and the column header points screen readers to it.
    const atRisk = money.getByRole('columnheader', { name: 'At risk' });
    const described = await atRisk.getAttribute('aria-describedby');
    expect(await money.locator(`[id="${described}"]`).innerText()).toMatch(
      /forecast expects to be lost by the year's end: for each domain .* the difference, added up over the domains/,
    );
    await page.screenshot({ path: join(SCREENSHOTS, 'overview-money.png'), fullPage: true });

    await page.goto(`${h.url}/networks/N1`);
    await page.getByText('Forecast table').first().waitFor();
    await page
      .getByText(/Forecast for March 2027: \d+\.\d% \(80% interval/)
      .first()
      .waitFor();
    await page.getByText('Forecast table').first().click();
    await page
      .getByRole('table', { name: /Forecast of .* to the contract year's end/ })
      .first()
      .waitFor();
    await page.screenshot({ path: join(SCREENSHOTS, 'learning-set-forecast.png') });
    expect(problems).toEqual([]);
  });

  it('prints one network’s statement on A4 with the rules in words, every line’s evidence and the inputs hash', async () => {
    const { page, problems } = await newPage(h);
    await signInAs(h, page, 'commissioner', '/payments?year=2025-26');
    const summary = page.getByRole('table', { name: /Payment statements by network/ });
    await summary.getByRole('row', { name: /N3 · / }).getByRole('button', { name: 'Statement' }).click();
    await page.getByRole('link', { name: 'Printable statement for N3' }).click();
    const printable = page.getByRole('article', { name: /Payment statement: N3 · / });
    await printable.getByText(/SHA-256 of this network's inputs/).waitFor();
    expect(await printable.innerText()).toMatch(/All-indicators rule: a domain's pot is paid in full only when/);
    expect(await printable.locator('tbody.line').count()).toBeGreaterThan(15);
    expect(await printable.locator('code').first().innerText()).toMatch(/^[0-9a-f]{64}$/);
    await page.emulateMedia({ media: 'print' });
    expect(await page.getByRole('button', { name: 'Print this statement' }).isVisible()).toBe(false);
    await page.pdf({ path: join(SCREENSHOTS, 'statement-N3.pdf'), format: 'A4' });
    await page.screenshot({ path: join(SCREENSHOTS, 'statement-print.png'), fullPage: true });
    expect(problems).toEqual([]);
  });

  it('the list loads no network’s evidence until its statement is opened, and a printed statement of no network says so', async () => {
    const { page } = await newPage(h);
    const asked: string[] = [];
    page.on('request', (r) => {
      if (r.url().includes('/api/payments?')) asked.push(new URL(r.url()).search);
    });
    await signInAs(h, page, 'commissioner', '/payments?year=2025-26');
    const summary = page.getByRole('table', { name: /Payment statements by network/ });
    await summary.getByRole('row', { name: /N2 · / }).waitFor();
    expect(asked.filter((q) => q.includes('network='))).toEqual([]);
    await summary.getByRole('row', { name: /N2 · / }).getByRole('button', { name: 'Statement' }).press('Enter');
    await page.getByRole('table', { name: /Statement for N2 / }).waitFor();
    expect(asked.filter((q) => q.includes('network='))).toEqual([expect.stringContaining('network=N2')]);

    // Another month: while N2's evidence for it is on its way, the old month's is not shown under the new figures.
    let release: () => void = () => {};
    const held = new Promise<void>((resolve) => (release = resolve));
    await page.route(/\/api\/payments\?.*network=N2/, async (route) => {
      await held;
      await route.continue();
    });
    await page.getByLabel('Statement at').selectOption('2025-11');
    const status = page.getByRole('status').filter({ hasText: 'Working out the statement for N2' });
    await status.waitFor();
    expect(await page.getByRole('table', { name: /Statement for N2 / }).count()).toBe(0);
    release();
    await page.getByRole('table', { name: /Statement for N2 / }).waitFor();
    expect(await page.getByRole('link', { name: 'Printable statement for N2' }).getAttribute('href')).toContain(
      'period=2025-11',
    );
    await page.unroute(/\/api\/payments\?.*network=N2/);

    await page.goto(`${h.url}/payments?year=2025-26&network=NOPE&print=1`);
    const alert = page.getByRole('alert');
    await alert.waitFor();
    expect(await alert.innerText()).toMatch(/Network NOPE has no payment statement for 2025-26/);
    await alert.getByRole('link', { name: 'Back to the payments' }).click();
    await summary.waitFor();
  });

  it('on the learning set a manager adds the patients each unmet indicator needs and sees the domain paid, by the API’s figures', async () => {
    const { page, problems } = await newPage(h);
    await signInAs(h, page, 'manager', '/networks/N1?domain=IMM');
    await page.getByRole('navigation', { name: 'Domains' }).waitFor();
    const toggle = page.getByRole('button', { name: 'What if…' });
    expect(await toggle.getAttribute('aria-expanded')).toBe('false');
    await toggle.press('Enter');
    expect(await toggle.getAttribute('aria-expanded')).toBe('true');
    const whatIf = page.getByRole('region', { name: 'What if…' });
    await whatIf
      .getByText(/Nothing is saved/)
      .first()
      .waitFor();
    const indicator = whatIf.getByLabel('Indicator');
    // The domain's first unmet indicator is chosen first.
    expect(await indicator.inputValue()).toMatch(/^IMM-/);

    // Each IMM indicator that needs patients: take the number the hint offers and recalculate (keyboard only).
    const codes = (await indicator.locator('option').allInnerTexts())
      .map((t) => t.split(' · ')[0]!)
      .filter((c) => c.startsWith('IMM-'));
    let last: { changes: { earnedPence: { before: number; after: number } } } | null = null;
    const added: string[] = [];
    for (const code of codes) {
      await indicator.selectOption(code);
      const hint = whatIf.locator('.hint');
      await hint.getByText(new RegExp(`^${code}:`)).waitFor();
      const use = hint.getByRole('button', { name: /^Use \d+$/ });
      if ((await use.count()) === 0) continue;
      const needed = Number((await use.innerText()).replace(/\D/g, ''));
      await use.press('Enter');
      expect(await whatIf.getByLabel('More patients').inputValue()).toBe(String(needed));
      const answered = page.waitForResponse((r) => r.url().endsWith('/api/payments/what-if'));
      await whatIf.getByRole('button', { name: 'Add and recalculate' }).press('Enter');
      const response = await answered;
      expect(response.status()).toBe(200);
      last = (await response.json()) as typeof last;
      added.push(code);
      // The indicator now reaches its target, line by line.
      const row = whatIf.getByRole('table', { name: /What changes, line by line/ }).getByRole('row', { name: code });
      await expect.poll(() => row.innerText()).toMatch(/Not met.*✓ Met/s);
      await hint.getByText(/It reaches its target/).waitFor();
    }
    expect(added.length).toBeGreaterThan(0);
    const changes = whatIf.getByRole('table', { name: /What changes, line by line/ });
    expect(await changes.getByRole('row', { name: /Domain IMM/ }).innerText()).toMatch(/Not earned.*Earned/s);
    // The payment rises by what the server worked out, shown to the penny.
    const { before, after } = last!.changes.earnedPence;
    expect(after).toBeGreaterThan(before);
    const pounds = (p: number) => `£${Math.floor(p / 100).toLocaleString('en-GB')}.${String(p % 100).padStart(2, '0')}`;
    await expect
      .poll(() => whatIf.locator('.outcome').innerText())
      .toContain(
        `Network total earned: ${pounds(before)} now → ${pounds(after)} with these changes (+${pounds(after - before)})`,
      );
    expect(await changes.getByRole('row', { name: /Network total/ }).innerText()).toContain(pounds(after));
    await page.screenshot({ path: join(SCREENSHOTS, 'learning-set-what-if-manager.png'), fullPage: true });
    await whatIf.screenshot({ path: join(SCREENSHOTS, 'learning-set-what-if-panel.png') });

    // More patients than the gap is refused on the spot, saying how many may be added; the tries are kept.
    await whatIf.getByLabel('More patients').fill('999999');
    await whatIf.getByRole('button', { name: 'Add and recalculate' }).click();
    await whatIf
      .getByRole('alert')
      .filter({ hasText: /at most [\d,]+ more can be added .*Nothing was saved/ })
      .waitFor();
    expect(await whatIf.getByRole('list', { name: 'Changes tried' }).getByRole('listitem').count()).toBe(added.length);
    expect(problems).toEqual([]);
  });

  it('on the learning set the what-if has nothing to try where every indicator is incomplete (N4, October 2026)', async () => {
    const { page, problems } = await newPage(h);
    await signInAs(h, page, 'commissioner', '/networks/N4?period=2026-10');
    await page.getByRole('navigation', { name: 'Domains' }).waitFor();
    await page.getByRole('button', { name: 'What if…' }).click();
    const whatIf = page.getByRole('region', { name: 'What if…' });
    await whatIf
      .getByRole('status')
      .filter({ hasText: /Every indicator is incomplete in October 2026: some member practices have sent no figures/ })
      .waitFor();
    expect(await whatIf.getByRole('button', { name: 'Add and recalculate' }).count()).toBe(0);
    await whatIf.screenshot({ path: join(SCREENSHOTS, 'learning-set-what-if-incomplete.png') });
    expect(problems).toEqual([]);
  });

  it('on the learning set a GP sees no what-if and no money', async () => {
    const { page, problems } = await newPage(h);
    await signInAs(h, page, 'gp', '/networks/N1?domain=IMM');
    await page.getByRole('navigation', { name: 'Domains' }).waitFor();
    await page
      .getByText(/Forecast for March 2027/)
      .first()
      .waitFor();
    expect(await page.getByRole('button', { name: 'What if…' }).count()).toBe(0);
    expect(await page.getByRole('region', { name: 'What if…' }).count()).toBe(0);
    expect(await page.locator('main').innerText()).not.toContain('£');
    await page.screenshot({ path: join(SCREENSHOTS, 'learning-set-gp.png'), fullPage: true });
    expect(problems).toEqual([]);
  });

  it('the what-if panels and the printable statement fit the page at 1280×800 and 1920×1080, as manager and commissioner', async () => {
    /** Nothing wider than the window: the page never scrolls sideways (wide tables scroll inside their own box). */
    const fits = async (page: Page) =>
      expect(
        await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth),
      ).toBe(0);
    for (const [width, height] of [
      [1280, 800],
      [1920, 1080],
    ] as const) {
      for (const [who, network, year] of [
        ['manager', 'N1', '2026-27'],
        ['commissioner', 'N3', '2025-26'],
      ] as const) {
        const { page, problems } = await newPage(h);
        await page.setViewportSize({ width, height });
        const tag = `${who}-${width}`;

        // The Payments screen's what-if, with one change tried.
        await signInAs(h, page, who, `/payments?year=${year}`);
        if (who === 'commissioner') {
          const summary = page.getByRole('table', { name: /Payment statements by network/ });
          await summary
            .getByRole('row', { name: new RegExp(`${network} · `) })
            .getByRole('button', { name: 'Statement' })
            .click();
        }
        await page.getByRole('table', { name: new RegExp(`Statement for ${network} `) }).waitFor();
        const payments = page.getByRole('region', { name: 'What if…' });
        await tryNeeded(payments);
        await fits(page);
        await payments.scrollIntoViewIfNeeded();
        await page.screenshot({ path: join(SCREENSHOTS, `fit-payments-what-if-${tag}.png`) });

        // The learning set's what-if, opened and tried.
        await page.goto(`${h.url}/networks/${network}`);
        await page.getByRole('navigation', { name: 'Domains' }).waitFor();
        await page.getByRole('button', { name: 'What if…' }).click();
        const learning = page.getByRole('region', { name: 'What if…' });
        await tryNeeded(learning);
        await fits(page);
        await learning.scrollIntoViewIfNeeded();
        await page.screenshot({ path: join(SCREENSHOTS, `fit-learning-set-what-if-${tag}.png`) });

        // The printable statement.
        await page.goto(`${h.url}/payments?year=${year}&network=${network}&print=1`);
        await page
          .getByRole('article', { name: new RegExp(`Payment statement: ${network} · `) })
          .getByText(/SHA-256 of this network's inputs/)
          .waitFor();
        await fits(page);
        await page.screenshot({ path: join(SCREENSHOTS, `fit-print-${tag}.png`) });
        await page.screenshot({ path: join(SCREENSHOTS, `fit-print-${tag}-full.png`), fullPage: true });
        expect(problems).toEqual([]);
        await page.context().close();
      }
      // A GP's learning set at this size: no what-if, no money.
      const { page, problems } = await newPage(h);
      await page.setViewportSize({ width, height });
      await signInAs(h, page, 'gp', '/networks/N1');
      await page.getByRole('navigation', { name: 'Domains' }).waitFor();
      await page
        .getByText(/Forecast for March 2027/)
        .first()
        .waitFor();
      expect(await page.getByRole('button', { name: 'What if…' }).count()).toBe(0);
      expect(await page.locator('main').innerText()).not.toContain('£');
      await fits(page);
      await page.screenshot({ path: join(SCREENSHOTS, `fit-learning-set-gp-${width}.png`) });
      expect(problems).toEqual([]);
      await page.context().close();
    }
  });

  it('a GP sees no money on the overview', async () => {
    const { page } = await newPage(h);
    await signInAs(h, page, 'gp', '/');
    await page.getByRole('table', { name: /Network standards by domain/ }).waitFor();
    expect(await page.getByRole('region', { name: /Money/ }).count()).toBe(0);
  });
});
