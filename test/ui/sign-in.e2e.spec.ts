// Signing in and out at the kiosk: the PIN pad, a badge scan, the five-wrong-PINs lock (kept across a
// restart because it comes from the log), and the idle sign-out with its visible countdown.
import type { Browser, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../support/cage.ts';
import { eventsAfter, hydrated, type Kiosk, kioskPage, screenshot, signIn, startKiosk, useKiosk, wedgeScan } from './support/kiosk.ts';

let kiosk: Kiosk;
let browser: Browser;
useKiosk((k, b) => {
  kiosk = k;
  browser = b;
});

async function typePin(page: Page, pin: string) {
  for (const d of pin) await page.locator(`pin-pad button[data-key="${d}"]`).click();
  await page.locator('pin-pad button[data-key="ok"]').click();
}

describe('sign-in', () => {
  it('signs in with the PIN pad and shows who is signed in, with the idle countdown', async () => {
    const { page, problems } = await kioskPage(browser);
    await page.goto(`${kiosk.base}/sign-in`);
    await hydrated(page);
    await page.locator('button[data-operator="O-0002"]').click();
    await typePin(page, '1001');
    await page.waitForURL(`${kiosk.base}/`);
    await hydrated(page);
    await expect.poll(() => page.locator('kiosk-bar .countdown').textContent()).toMatch(/Sign-out in (2:00|1:5\d)/);
    expect(await page.locator('kiosk-bar .who').textContent()).toBe('Oscar Operator');
    await screenshot(page, 'flow-signed-in');
    expect(problems).toEqual([]);
    await page.context().close();
  });

  it('signs in by scanning a badge with the keyboard-wedge scanner', async () => {
    const { page } = await kioskPage(browser);
    await page.goto(kiosk.base);
    await hydrated(page);
    const before = kiosk.app.store.head().seq;
    await wedgeScan(page, 'OPR-1002');
    await expect.poll(() => page.locator('kiosk-bar .who').textContent(), { timeout: 5000 }).toBe('Olga Operator');
    expect(eventsAfter(kiosk.app, before).map((e) => [e.type, e.source])).toEqual([['ScanCaptured', 'touch'], ['OperatorSignedIn', 'touch']]);
    expect(eventsAfter(kiosk.app, before)[1]!.data).toEqual({ method: 'badge', role: 'operator' });
    await page.context().close();
  });

  it('locks an operator after five wrong PINs, and the lock survives a restart', async () => {
    const dir = tempDir('assettrack-lock-');
    let own = await startKiosk({ dir });
    const { page } = await kioskPage(browser);
    await page.goto(`${own.base}/sign-in`);
    await hydrated(page);
    await page.locator('button[data-operator="O-0003"]').click();
    for (let i = 1; i <= 4; i++) {
      await typePin(page, '0000');
      await expect.poll(() => page.locator('sign-in-screen .error').textContent()).toBe(`That PIN is wrong. ${5 - i} ${5 - i === 1 ? 'try' : 'tries'} left before a 5-minute lock.`);
    }
    await typePin(page, '0000');
    await expect.poll(() => page.locator('sign-in-screen .error').textContent()).toBe('Too many wrong PINs: Olga Operator can try again in 5 minutes.');
    expect(await page.locator('button[data-operator="O-0003"]').isDisabled()).toBe(true);
    await screenshot(page, 'flow-pin-locked');

    await own.close();
    own = await startKiosk({ dir });
    await page.goto(`${own.base}/sign-in`);
    await hydrated(page);
    expect(await page.locator('button[data-operator="O-0003"]').textContent()).toContain('Locked: try again in 5 min');
    expect(await page.locator('button[data-operator="O-0003"]').isDisabled()).toBe(true);
    const right = await page.context().request.post(`${own.base}/kiosk/session`, { data: { badge: 'OPR-1002', pin: '1002' }, headers: { origin: own.base, 'x-requested-by': 'assettrack-kiosk' } });
    expect(right.status()).toBe(423);
    await page.context().close();
    await own.close();
  });

  it('signs out after the idle time, counting down visibly on the bar', async () => {
    const quick = await startKiosk({ kiosk: { idleSeconds: 3 } });
    const { page, problems } = await kioskPage(browser);
    await signIn(page, quick.base, 'OPR-1001', '1001');
    await page.goto(quick.base);
    await hydrated(page);
    await expect.poll(() => page.locator('kiosk-bar .countdown').textContent()).toMatch(/^Signing out in [123] s, tap to stay$/);
    expect(await page.locator('kiosk-bar').getAttribute('warn')).toBe('');
    await screenshot(page, 'flow-idle-countdown');
    await expect.poll(() => page.locator('kiosk-bar .who').textContent(), { timeout: 8000 }).toBe('Not signed in');
    const out = [...quick.app.store.readEvents()].filter((e) => e.type === 'OperatorSignedOut').at(-1);
    expect(out?.data).toEqual({ reason: 'idle' });
    expect(problems).toEqual([]);
    await page.context().close();
    await quick.close();
  });
});
