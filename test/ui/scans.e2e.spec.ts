// Scans at the kiosk: a keyboard-wedge burst anywhere is a scan, slow typing in a field is not (and a burst
// typed into a field is taken back out of it); garbled and over-long scans are rejected and recorded;
// an unknown tag says so; a scan from a device reaches the open page over live updates.
import type { Browser, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { deviceScan, eventsAfter, HUMAN_KEY_MS, hydrated, type Kiosk, kioskPage, screenshot, signIn, useKiosk, wedgeScan } from './support/kiosk.ts';

let kiosk: Kiosk;
let browser: Browser;
useKiosk((k, b) => {
  kiosk = k;
  browser = b;
});

async function operatorPage(path: string, badge = 'OPR-1001', pin = '1001'): Promise<{ page: Page; problems: string[] }> {
  const session = await kioskPage(browser);
  await signIn(session.page, kiosk.base, badge, pin);
  await session.page.goto(kiosk.base + path);
  await hydrated(session.page);
  return session;
}

const toast = (page: Page) => page.locator('kiosk-toast div').textContent();

describe('keyboard-wedge capture', () => {
  it('takes a fast burst ending in Enter anywhere on the page as a scan', async () => {
    const { page } = await operatorPage('/');
    const before = kiosk.app.store.head().seq;
    await wedgeScan(page, 'LT-00012');
    await page.waitForURL('**/asset/LT-00012');
    expect(eventsAfter(kiosk.app, before)[0]).toMatchObject({ type: 'ScanCaptured', source: 'touch', data: { source: 'wedge', kind: 'asset', ref: 'LT-00012', device: 'kiosk-browser', raw_hex: Buffer.from('LT-00012\r').toString('hex') } });
    await page.context().close();
  });

  it('leaves slow typing in a text field alone, and takes a burst back out of the field it landed in', async () => {
    const { page } = await operatorPage('/batch');
    const search = page.locator('holder-picker osk-input input');
    await search.click();
    const before = kiosk.app.store.head().seq;
    await page.keyboard.type('Nov', { delay: HUMAN_KEY_MS });
    await page.keyboard.press('Enter');
    expect(await search.inputValue()).toBe('Nov');
    expect(await page.locator('holder-picker button[data-holder]').count()).toBe(1); // Eva Novak
    await wedgeScan(page, 'LT-00009');
    await expect.poll(() => page.locator('batch-screen tr[data-tag] .tag').allTextContents()).toEqual(['LT-00009']);
    expect(await search.inputValue()).toBe('Nov');
    expect(eventsAfter(kiosk.app, before).filter((e) => e.type === 'ScanCaptured').map((e) => e.data.value)).toEqual(['LT-00009']);
    await screenshot(page, 'flow-batch-scanned-while-typing');
    await page.context().close();
  });

  it('shows garbled and over-long scans as rejected, and records them as such', async () => {
    const { page } = await operatorPage('/');
    const before = kiosk.app.store.head().seq;
    await wedgeScan(page, 'X'.repeat(200));
    await expect.poll(() => toast(page)).toBe('Scan rejected: scan longer than 128 characters.');
    await deviceScan(kiosk.base, 'LT\u000700012');
    await expect.poll(() => toast(page)).toBe('Scan rejected: control characters in scan (garbled read).');
    await screenshot(page, 'flow-scan-rejected');
    expect(eventsAfter(kiosk.app, before).map((e) => [e.type, e.data.kind, e.data.reason])).toEqual([
      ['ScanCaptured', 'rejected', 'scan longer than 128 characters'],
      ['ScanCaptured', 'rejected', 'control characters in scan (garbled read)'],
    ]);
    expect(page.url()).toBe(`${kiosk.base}/`);
    await page.context().close();
  });

  it('says plainly that a tag is unknown, offering nothing else to an operator and registration to an admin', async () => {
    const { page } = await operatorPage('/');
    await wedgeScan(page, 'ZZ-404');
    await page.waitForURL('**/find/ZZ-404');
    await hydrated(page);
    expect(await page.locator('find-screen .notice').textContent()).toBe('"ZZ-404" is not a registered tag, badge or label.');
    expect(await page.locator('find-screen button[data-action="register"]').count()).toBe(0);
    await page.context().close();

    const admin = await operatorPage('/', 'ADM-9001', '9001');
    // The same code from the same scanner within the duplicate window (750 ms) is one scan, acted on once:
    // the admin's scan must come later than that to be acted on.
    await admin.page.waitForTimeout(800);
    await wedgeScan(admin.page, 'ZZ-404');
    await admin.page.waitForURL('**/find/ZZ-404');
    await hydrated(admin.page);
    expect(await admin.page.locator('find-screen button[data-action="register"]').textContent()).toBe('Register ZZ-404 as a new asset');
    await screenshot(admin.page, 'flow-unknown-tag-admin');
    await admin.page.context().close();
  });
});

describe('scans from devices over live updates', () => {
  it('opens the asset a device scanned (injected through the intake API) on the signed-in kiosk', async () => {
    const { page, problems } = await operatorPage('/');
    const answer = await deviceScan(kiosk.base, 'LT-00014');
    expect(answer.scan).toMatchObject({ kind: 'asset', ref: 'LT-00014' });
    await page.waitForURL('**/asset/LT-00014', { timeout: 5000 });
    await hydrated(page);
    expect(await page.locator('asset-summary .tag').textContent()).toBe('LT-00014');
    expect(problems).toEqual([]);
    await page.context().close();
  });

  it('asks a signed-out kiosk for a badge first', async () => {
    const { page } = await kioskPage(browser);
    await page.goto(kiosk.base);
    await hydrated(page);
    await deviceScan(kiosk.base, 'LT-00013');
    await expect.poll(() => toast(page)).toBe('Sign in first: scan your badge.');
    await page.context().close();
  });
});
