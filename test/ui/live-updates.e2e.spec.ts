// Live updates in Chromium: a scan injected through the intake API and a custody change made elsewhere
// reach the open idle screen over Server-Sent Events, without a reload.
import type { Browser } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { hydrated, type Kiosk, kioskPage, screenshot, useKiosk } from './support/kiosk.ts';

let kiosk: Kiosk;
let browser: Browser;
useKiosk((k, b) => {
  kiosk = k;
  browser = b;
});

const post = (path: string, body: unknown, key: string) => fetch(kiosk.base + path, {
  method: 'POST', headers: { 'content-type': 'application/json', 'idempotency-key': key }, body: JSON.stringify(body),
});

describe('live updates', () => {
  it('shows a scan injected through the API and new counts on the idle screen without a reload', async () => {
    const { page, problems } = await kioskPage(browser);
    await page.goto(kiosk.base);
    await hydrated(page);
    await page.evaluate(() => Object.assign(window, { notReloaded: true }));
    const feed = page.locator('idle-screen event-feed li').first();

    expect((await post('/api/commands/scan', { text: 'LT-00007\r', source: 'hid', device: 'scanner-1' }, 'live-1')).status).toBe(200);
    await expect.poll(() => feed.textContent(), { timeout: 5000 }).toContain('Scanned asset LT-00007 on hid.');

    const oscar = kiosk.app.operatorByBadge('OPR-1001');
    const outcome = kiosk.app.execute({ type: 'Issue', tags: ['LT-00007'], holder: 'EMP-0102' }, { actor: oscar, source: 'console' }, () => null);
    expect(outcome.ok).toBe(true);
    await expect.poll(() => feed.textContent(), { timeout: 5000 }).toContain('Oscar Operator issued LT-00007 to Chloe Chen.');
    await expect.poll(() => page.locator('count-tiles [data-count="issued"] .n').textContent(), { timeout: 5000 }).toBe('9');
    expect(await page.evaluate(() => (window as unknown as { notReloaded?: boolean }).notReloaded)).toBe(true);
    await screenshot(page, 'idle-live');
    expect(problems).toEqual([]);
    await page.context().close();
  });
});
