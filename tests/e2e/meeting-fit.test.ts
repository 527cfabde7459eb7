/**
 * Meeting mode is projector-grade (issue 11, item 5): at 1280×800, 1366×768 and 1920×1080, every slide of
 * N1's deck (each domain, and a recorded meeting's agenda slides) fits the viewport with nothing scrolled or
 * cut off at the bottom or right, with no demo banner or data table on show, chart text of at least 16 px
 * at 1080p and the status badge as big as the rate.
 */
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newPage, SCREENSHOTS, signInAs, startHarness, type Harness } from './browser';

/** What sticks out of the viewport on the slide shown (empty when it fits), and what should not be there. */
async function overflow(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const out: string[] = [];
    const w = window.innerWidth;
    const h = window.innerHeight;
    const doc = document.documentElement;
    if (doc.scrollHeight > h || doc.scrollWidth > w) out.push(`page scrolls: ${doc.scrollWidth}×${doc.scrollHeight}`);
    const slide = document.querySelector<HTMLElement>('.deck article.slide');
    if (!slide) return ['no slide'];
    if (slide.scrollHeight > slide.clientHeight + 1)
      out.push(`slide content ${slide.scrollHeight} > ${slide.clientHeight}`);
    for (const el of document.querySelectorAll<HTMLElement>('.deck *')) {
      const r = el.getBoundingClientRect();
      if (r.width === 0 || r.height === 0 || el.closest('.notes li')) continue;
      if (r.bottom > h + 0.5 || r.right > w + 0.5 || r.left < -0.5 || r.top < -0.5)
        out.push(
          `${el.tagName.toLowerCase()}.${el.className} at ${Math.round(r.left)},${Math.round(r.top)}–${Math.round(r.right)},${Math.round(r.bottom)}`,
        );
    }
    const visible = (sel: string) =>
      [...document.querySelectorAll<HTMLElement>(sel)].some((e) => {
        const r = e.getBoundingClientRect();
        return (
          r.width > 0 &&
          r.height > 0 &&
          r.top < h &&
          r.bottom > 0 &&
          getComputedStyle(e).visibility !== 'hidden' &&
          !e.closest('dialog')
        );
      });
    if (visible('.deck table, .deck details')) out.push('a data table is on the slide');
    const deck = document.querySelector('.deck')!.getBoundingClientRect();
    if (deck.width < w - 1 || deck.height < h - 1)
      out.push(`deck ${deck.width}×${deck.height} does not fill the screen`);
    return out;
  });
}

const SIZES: [number, number][] = [
  [1280, 800],
  [1366, 768],
  [1920, 1080],
];

describe('meeting mode fits the projector', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h?.close());

  it.each(SIZES)('every slide of N1 at %i×%i fits with no scrolling', { timeout: 300_000 }, async (width, height) => {
    const { page, problems } = await newPage(h);
    await page.setViewportSize({ width, height });
    // The meeting of 21 October 2026: its agenda slides, then every domain's indicators.
    await signInAs(h, page, 'gp', '/networks/N1/meeting?meeting=2');
    await page.locator('[data-standing]').waitFor();
    const domains = await page
      .getByLabel('Domain')
      .locator('option')
      .evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value));
    expect(domains).toHaveLength(6);
    const found: string[] = [];
    let slidesSeen = 0;
    for (const domain of domains) {
      await page.getByLabel('Domain').selectOption(domain);
      const counter = page.locator('.counter');
      await page.waitForFunction(() => /^Slide 1 of \d+$/.test(document.querySelector('.counter')?.textContent ?? ''));
      const total = Number((await counter.innerText()).split(' of ')[1]);
      for (let i = 1; i <= total; i++) {
        if (i > 1) await page.keyboard.press('ArrowRight');
        await page.getByText(`Slide ${i} of ${total}`).waitFor();
        const kind = await page.locator('.deck article.slide').getAttribute('class');
        if (kind?.includes('indicator-slide')) {
          await page.waitForFunction(() => {
            const canvases = [...document.querySelectorAll<HTMLCanvasElement>('.deck [data-chart] canvas')];
            return canvases.length === 3 && canvases.every((c) => c.height > 40);
          });
          if (width === 1920) {
            const figures = await page.locator('.figures').evaluate((f) => ({
              rate: parseFloat(getComputedStyle(f.querySelector('.rate')!).fontSize),
              badge: parseFloat(getComputedStyle(f.querySelector('.badge')!).fontSize),
            }));
            expect(figures.badge).toBeGreaterThanOrEqual(figures.rate);
          }
        }
        const o = await overflow(page);
        if (o.length) found.push(`${domain} slide ${i}: ${o.slice(0, 3).join('; ')}`);
        if (domain === domains[0] || kind?.includes('indicator-slide')) slidesSeen++;
        if (domain === 'DM' && i === 5) await page.screenshot({ path: join(SCREENSHOTS, `meeting-fit-${width}.png`) });
      }
    }
    expect(found).toEqual([]);
    // 22 indicators, the opening, the September meeting's actions and changes, this meeting's actions, the close.
    expect(slidesSeen).toBe(22 + 5);
    // The demo banner is under the deck: what is drawn where it sits is the deck.
    const banner = page.getByText('Demo: every network').first();
    expect(
      await banner.evaluate((b) => {
        const r = b.getBoundingClientRect();
        return document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2)?.closest('.deck') !== null;
      }),
    ).toBe(true);
    expect(problems).toEqual([]);
  });

  it(
    'every chart on every slide of N1 draws its text at 16 px or more at 1920×1080',
    { timeout: 300_000 },
    async () => {
      const { page, problems } = await newPage(h);
      await page.setViewportSize({ width: 1920, height: 1080 });
      // Record the size, in CSS pixels as shown on the screen, of every piece of text drawn on each canvas.
      await page.addInitScript(() => {
        const record = (ctx: CanvasRenderingContext2D, text: string) => {
          const px = /(\d+(?:\.\d+)?)px/.exec(ctx.font);
          if (!px || !String(text).trim()) return;
          const canvas = ctx.canvas as HTMLCanvasElement & { drawnText?: { text: string; px: number }[] };
          const shown = canvas.getBoundingClientRect().width / canvas.width; // CSS px per canvas pixel
          const m = ctx.getTransform();
          const scale = Math.hypot(m.a, m.b) * shown;
          (canvas.drawnText ??= []).push({ text: String(text), px: Number(px[1]) * scale });
        };
        for (const name of ['fillText', 'strokeText'] as const) {
          const original = CanvasRenderingContext2D.prototype[name];
          CanvasRenderingContext2D.prototype[name] = function (this: CanvasRenderingContext2D, ...args: unknown[]) {
            record(this, String(args[0]));
            return (original as (...a: unknown[]) => void).apply(this, args);
          };
        }
      });
      await signInAs(h, page, 'gp', '/networks/N1/meeting');
      await page.locator('[data-standing]').waitFor();
      const domains = await page
        .getByLabel('Domain')
        .locator('option')
        .evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value));
      const small: string[] = [];
      let charts = 0;
      for (const domain of domains) {
        await page.getByLabel('Domain').selectOption(domain);
        await page.waitForFunction(() =>
          /^Slide 1 of \d+$/.test(document.querySelector('.counter')?.textContent ?? ''),
        );
        const total = Number((await page.locator('.counter').innerText()).split(' of ')[1]);
        for (let i = 1; i <= total; i++) {
          if (i > 1) await page.keyboard.press('ArrowRight');
          await page.getByText(`Slide ${i} of ${total}`).waitFor();
          const kind = await page.locator('.deck article.slide').getAttribute('class');
          if (!kind?.includes('indicator-slide')) continue;
          // Each chart has drawn: three canvases, each with text on it.
          await page.waitForFunction(() => {
            const canvases = [...document.querySelectorAll('.deck [data-chart] canvas')] as (HTMLCanvasElement & {
              drawnText?: unknown[];
            })[];
            return canvases.length === 3 && canvases.every((c) => c.height > 40 && (c.drawnText?.length ?? 0) > 0);
          });
          const drawn = await page.locator('.deck [data-chart] canvas').evaluateAll((cs) =>
            cs.map((c) => ({
              chart: c.closest('figure')?.querySelector('figcaption strong')?.textContent ?? 'a chart',
              text: (c as HTMLCanvasElement & { drawnText: { text: string; px: number }[] }).drawnText,
            })),
          );
          // The text around the charts too: captions, keys and notes on the slide's figures.
          const around = await page.locator('.deck figure').evaluateAll((figures) =>
            figures.flatMap((f) =>
              [...f.querySelectorAll<HTMLElement>('*')].flatMap((el) => {
                const own = [...el.childNodes].some((n) => n.nodeType === 3 && n.textContent!.trim());
                const r = el.getBoundingClientRect();
                if (!own || r.width === 0 || r.height === 0) return [];
                return [{ text: el.textContent!.trim().slice(0, 30), px: parseFloat(getComputedStyle(el).fontSize) }];
              }),
            ),
          );
          for (const t of around)
            if (t.px < 16 - 0.01) small.push(`${domain} slide ${i}, beside a chart: "${t.text}" at ${t.px} px`);
          for (const d of drawn) {
            charts++;
            // Ticks, axis titles, labels and markers alike.
            for (const t of d.text)
              if (t.px < 16 - 0.01)
                small.push(`${domain} slide ${i}, ${d.chart}: "${t.text}" at ${t.px.toFixed(1)} px`);
          }
        }
      }
      expect(charts).toBe(22 * 3);
      expect([...new Set(small)]).toEqual([]);
      expect(problems).toEqual([]);
    },
  );
});
