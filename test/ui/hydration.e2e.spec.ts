// The browser hydrates the server-rendered screen without errors and without re-rendering it from scratch.
import type { Browser } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { hydrated, type Kiosk, kioskPage, LARGE, screenshot, screenText, SMALL, useKiosk } from './support/kiosk.ts';

let kiosk: Kiosk;
let browser: Browser;
useKiosk((k, b) => {
  kiosk = k;
  browser = b;
});

describe('hydration in Chromium', () => {
  for (const viewport of [SMALL, LARGE]) {
    it(`hydrates the idle screen at ${viewport.width}x${viewport.height}`, async () => {
      const { page, problems } = await kioskPage(browser, viewport);
      await page.goto(kiosk.base);
      // The server's text is there before hydration replaces nothing.
      const marker = await page.evaluate(() => {
        const root = document.querySelector('idle-screen')!.shadowRoot!;
        (root.querySelector('.prompt') as HTMLElement & { marker?: string }).dataset.marker = 'server-node';
        return root.querySelector('.prompt')!.textContent;
      });
      expect(marker).toBe('Scan your badge');
      await hydrated(page);
      expect(await page.evaluate(() => (document.querySelector('idle-screen')!.shadowRoot!.querySelector('.prompt') as HTMLElement).dataset.marker)).toBe('server-node');
      // The component's style block is allowed by its CSP hash: its rules apply.
      expect(await page.evaluate(() => getComputedStyle(document.querySelector('idle-screen')!.shadowRoot!.querySelector('.prompt')!).fontSize)).toBe('34px');
      await screenshot(page, 'idle');
      expect(problems).toEqual([]);
      await page.context().close();
    });
  }

  it('shows read-only screens in full with scripts switched off', async () => {
    const context = await browser.newContext({ viewport: SMALL, javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(`${kiosk.base}/dashboard`);
    const text = await screenText(page);
    expect(text).toContain('Who holds what');
    expect(text).toContain('Flood Response Crew');
    expect(await page.locator('custody-chart svg path').count()).toBe(2);
    await screenshot(page, 'dashboard-no-script');
    await page.goto(`${kiosk.base}/asset/LT-00003`);
    expect(await screenText(page)).toContain('Issued to Dev Patel since');
    await context.close();
  });
});
