// First run on an empty store: enrol the first admin on the touchscreen (name on the on-screen keyboard,
// badge scanned, PIN twice), or load the demo cage.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hydrated, kioskPage, launchChromium, screenshot, startKiosk, wedgeScan } from './support/kiosk.ts';

let browser: Browser;
beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(() => browser?.close());

describe('first run', () => {
  it('enrols the first admin on the touchscreen and signs them in', async () => {
    const kiosk = await startKiosk({ demo: false });
    const { page, problems } = await kioskPage(browser);
    await page.goto(kiosk.base);
    await hydrated(page);
    await page.locator('first-run-screen osk-input input').click();
    for (const c of ['A', 'N', 'N', 'space', 'A']) await page.locator(`osk-keyboard button[data-key="${c}"]`).click();
    expect(await page.locator('first-run-screen osk-input input').inputValue()).toBe('ANN A');
    await page.locator('button[data-action="next"]').click();
    await wedgeScan(page, 'ADM-0007');
    await expect.poll(() => page.locator('first-run-screen osk-input input').inputValue()).toBe('ADM-0007');
    await screenshot(page, 'flow-first-run-badge');
    await page.locator('button[data-action="next"]').click();
    for (const pin of ['2468', '2468']) {
      for (const d of pin) await page.locator(`pin-pad button[data-key="${d}"]`).click();
      await page.locator('pin-pad button[data-key="ok"]').click();
    }
    await expect.poll(() => page.locator('kiosk-bar .who').textContent(), { timeout: 5000 }).toBe('ANN A (admin)');
    expect(kiosk.app.state().operators.get('O-0001')).toMatchObject({ name: 'ANN A', badge: 'ADM-0007', role: 'admin' });
    expect(problems).toEqual([]);
    await page.context().close();
    await kiosk.close();
  });

  it('loads the demo cage into an empty store', async () => {
    const kiosk = await startKiosk({ demo: false });
    const { page } = await kioskPage(browser);
    await page.goto(kiosk.base);
    await hydrated(page);
    await page.locator('button[data-action="load-demo"]').click();
    await expect.poll(() => page.locator('count-tiles [data-count="in_storage"] .n').textContent(), { timeout: 5000 }).toBe('32');
    expect(kiosk.app.state().assets.size).toBe(40);
    await page.context().close();
    await kiosk.close();
  });
});
