// The kiosk with its devices, in Chromium: a keyboard-wedge scanner read on the device side (Linux input
// events through a real FIFO), the simulated OPN-2004 cradle docked from the developer panel and run by the
// real driver, and the pending upload turned into a batch return with the usual review and Confirm.
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { WedgeSimulator } from '../../device/scanners/wedge-simulator.ts';
import { tempDir } from '../support/cage.ts';
import { eventsAfter, hydrated, type Kiosk, kioskPage, screenshot, screenText, signIn, useKiosk, wedgeScan } from './support/kiosk.ts';
import { signOnPad } from './support/signature.ts';

const fifoDir = tempDir('assettrack-wedge-');
const wedgePath = join(fifoDir, 'usb-Scanner-event-kbd');
const scanner = new WedgeSimulator(wedgePath);
afterAll(async () => {
  await scanner.unplug();
  rmSync(fifoDir, { recursive: true, force: true });
});

let kiosk: Kiosk;
let browser: Browser;
useKiosk((k, b) => {
  kiosk = k;
  browser = b;
  // A wide duplicate window: the test is about one scan reaching the log twice, not the window's length.
}, { devices: { ASSETTRACK_WEDGE_DEVICES: wedgePath, ASSETTRACK_CRADLE: '1', ASSETTRACK_SIMULATE: '1' }, env: { ASSETTRACK_DUPLICATE_WINDOW_MS: '5000' } });

describe('devices on the kiosk', () => {
  it('shows each device live, signs in with a badge read by the device-side wedge listener, and follows an unplug', async () => {
    await scanner.plug();
    const { page, problems } = await kioskPage(browser);
    await page.goto(kiosk.base);
    await hydrated(page);
    await expect.poll(() => screenText(page), { timeout: 5000 }).toContain(`Keyboard-wedge scanner Reading ${wedgePath}`);
    expect(await screenText(page)).toContain('GPIO: not present');
    expect(await screenText(page)).toContain('Not docked');

    const before = kiosk.app.store.head().seq;
    await scanner.type('ADM-9001');
    // recorded by the device listener (event source wedge), routed to the page over live updates: signed in
    await expect.poll(() => screenText(page), { timeout: 8000 }).toContain('Scan an asset');
    const recorded = eventsAfter(kiosk.app, before);
    expect(recorded[0]).toMatchObject({ type: 'ScanCaptured', source: 'wedge', data: { kind: 'operator', device: `wedge:${wedgePath}`, duplicate: false } });
    expect(recorded.some((e) => e.type === 'OperatorSignedIn')).toBe(true);

    // an upload in progress shows on the idle screen as the cradle reports it
    const cradle = kiosk.hub.list().find((d) => d.id === 'cradle')!;
    kiosk.hub.update({ ...cradle, state: 'busy', detail: 'Uploading: 812 scans received' });
    await expect.poll(() => page.locator('idle-screen [data-test="cradle-progress"]').textContent(), { timeout: 5000 }).toContain('Cradle: Uploading: 812 scans received');
    kiosk.hub.update(cradle);
    await expect.poll(() => page.locator('idle-screen [data-test="cradle-progress"]').count(), { timeout: 5000 }).toBe(0);

    await scanner.unplug();
    await expect.poll(() => screenText(page), { timeout: 8000 }).toContain(`Keyboard-wedge scanner Waiting for ${wedgePath}`);
    await screenshot(page, 'devices-unplugged');
    await scanner.plug();
    await expect.poll(() => screenText(page), { timeout: 8000 }).toContain(`Keyboard-wedge scanner Reading ${wedgePath}`);
    expect(problems).toEqual([]);
    await page.context().close();
  });

  it('acts once on a scan that reached the log through both the device listener and the page', async () => {
    const before = kiosk.app.store.head().seq;
    const { page } = await kioskPage(browser);
    await signIn(page, kiosk.base, 'OPR-1001', '1001');
    await page.goto(kiosk.base);
    await hydrated(page);
    // the compositor was not told to ignore the scanner: the same scan arrives by both paths
    const scansOf = () => eventsAfter(kiosk.app, before).filter((e) => e.type === 'ScanCaptured' && e.data.value === 'LT-00005');
    await wedgeScan(page, 'LT-00005');
    await expect.poll(() => scansOf().length, { timeout: 5000 }).toBe(1);
    await scanner.type('LT-00005');
    await expect.poll(() => scansOf().length, { timeout: 5000 }).toBe(2);
    expect(scansOf().map((e) => [e.data.device, e.data.duplicate])).toEqual([['kiosk-browser', false], [`wedge:${wedgePath}`, true]]);
    // acted on once: the asset opened, and the page stays there
    await page.waitForURL(/\/find\/LT-00005|\/asset\/LT-00005/, { timeout: 8000 });
    await page.waitForTimeout(500);
    expect(page.url()).toMatch(/\/asset\/LT-00005$/);
    await page.context().close();
  });

  it('docks the simulated cradle from the developer panel, shows the pending upload, and turns it into a batch return', async () => {
    const { page, problems } = await kioskPage(browser);
    await signIn(page, kiosk.base, 'OPR-1001', '1001');
    await page.goto(kiosk.base);
    await hydrated(page);
    const before = kiosk.app.store.head().seq;
    await page.locator('idle-screen [data-action="dock-cradle"]').click();
    const review = page.locator('idle-screen [data-action="review-batch"]');
    await expect.poll(() => review.count(), { timeout: 15_000 }).toBe(1);
    await expect.poll(() => screenText(page), { timeout: 5000 }).toContain('OPN-2004 cradle Uploaded 25 scans, memory cleared');
    const uploaded = eventsAfter(kiosk.app, before);
    expect(uploaded.filter((e) => e.type === 'ScanCaptured' && e.source === 'cradle')).toHaveLength(25);
    expect(uploaded.at(-1)).toMatchObject({ type: 'CradleUploaded', data: { recorded: 25, already_recorded: 0, firmware: 'RBBV0014' } });
    // Nothing changed custody. The laptops of the upload that are out with someone are the ones to return.
    const state = kiosk.app.state();
    const returnable = uploaded.filter((e) => e.data.kind === 'asset' && [...state.assets.values()].find((a) => a.tag === e.data.ref)?.state === 'issued')
      .map((e) => String(e.data.ref));
    expect(returnable.length).toBeGreaterThan(1);
    await screenshot(page, 'devices-pending-batch');

    await review.click();
    await page.waitForURL(/\/cradle\/U\d+/);
    await hydrated(page);
    expect(await screenText(page)).toContain('25 scans from opn2004:4711081519000001');
    await page.locator('cradle-screen [data-action="batch-return"]').click();
    await page.waitForURL(/\/batch\?mode=return&batch=U\d+/);
    await hydrated(page);
    expect(await screenText(page)).toContain('From cradle upload');
    // the upload's laptops that are in storage cannot be returned: the operator removes those rows
    for (;;) {
      const blocked = page.locator('batch-screen tr:has(.badge.bad) [data-action="remove"]');
      if ((await blocked.count()) === 0) break;
      await blocked.first().click();
      await page.waitForTimeout(150);
    }
    await expect.poll(() => page.locator('batch-screen tbody tr').count(), { timeout: 5000 }).toBe(returnable.length);
    // the hand receipt: whoever brings them back signs
    await signOnPad(page, 'batch-screen');
    const confirm = page.locator('batch-screen commit-panel button.confirm');
    await expect.poll(() => confirm.isEnabled(), { timeout: 5000 }).toBe(true);
    await confirm.click();
    await expect.poll(() => screenText(page), { timeout: 8000 }).toContain(`Returned ${returnable.length} assets`);
    const batch = [...kiosk.app.state().cradleBatches.values()].at(-1)!;
    expect(batch.status).toBe('used');
    expect(eventsAfter(kiosk.app, before).filter((e) => e.type === 'AssetReturned').map((e) => [e.subject, e.data.batch]))
      .toEqual(returnable.map((tag) => [tag, batch.id]));
    await page.goto(kiosk.base);
    await hydrated(page);
    expect(await page.locator('idle-screen [data-action="review-batch"]').count()).toBe(0);
    expect(problems).toEqual([]);
    await page.context().close();
  });
});
