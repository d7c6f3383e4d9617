// A batch (a whole case issued to a team in one Confirm, blocked rows shown with their reason) and an
// inventory sweep of a case (expected against seen, wrong slots, unexpected tags, then recorded).
import type { Browser } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { eventsAfter, hydrated, type Kiosk, kioskPage, screenshot, signIn, useKiosk, wedgeScan } from './support/kiosk.ts';
import { signOnPad } from './support/signature.ts';

let kiosk: Kiosk;
let browser: Browser;
useKiosk((k, b) => {
  kiosk = k;
  browser = b;
});

describe('batch', () => {
  it('adds a case\'s occupants by scanning its label, marks blocked rows, and issues the rest in one command', async () => {
    const { page, problems } = await kioskPage(browser);
    await signIn(page, kiosk.base, 'OPR-1001', '1001');
    await page.goto(`${kiosk.base}/batch`);
    await hydrated(page);
    await wedgeScan(page, 'CASE-13');
    const rows = page.locator('batch-screen tr[data-tag]');
    await expect.poll(() => rows.count()).toBe(11);
    const blocked = await page.locator('batch-screen tr[data-tag]:has(.badge.bad)').evaluateAll((trs) => trs.map((tr) => [tr.getAttribute('data-tag'), tr.querySelector('.why')?.textContent]));
    expect(blocked).toEqual([
      ['LT-00035', 'LT-00035 is marked missing; record it as found before issuing it.'],
      ['LT-00040', 'LT-00040 is in repair and cannot be issued.'],
    ]);
    expect(await page.locator('button[data-action="confirm"]').isDisabled()).toBe(true);
    await screenshot(page, 'flow-batch-blocked');

    await page.locator('tr[data-tag="LT-00035"] button[data-action="remove"]').click();
    await expect.poll(() => rows.count()).toBe(10);
    await page.locator('tr[data-tag="LT-00040"] button[data-action="remove"]').click();
    await expect.poll(() => rows.count()).toBe(9);
    await wedgeScan(page, 'TEAM-RED');
    await expect.poll(() => page.locator('batch-screen holder-summary .name').textContent()).toBe('Red Team Exercise');
    // the team's representative signs the hand receipt for all nine
    expect(await page.locator('button[data-action="confirm"]').isDisabled()).toBe(true);
    await signOnPad(page);
    await expect.poll(() => page.locator('button[data-action="confirm"]').isEnabled()).toBe(true);
    const before = kiosk.app.store.head().seq;
    await page.locator('button[data-action="confirm"]').click();
    await expect.poll(() => page.locator('commit-panel .success').textContent()).toContain('Issued 9 assets to Red Team Exercise.');
    await screenshot(page, 'flow-batch-done');
    const issued = eventsAfter(kiosk.app, before).filter((e) => e.type === 'AssetIssued');
    expect(issued).toHaveLength(9);
    expect(issued.every((e) => e.data.batch_size === 9 && e.data.holder_name === 'Red Team Exercise')).toBe(true);
    const receipt = eventsAfter(kiosk.app, before).find((e) => e.type === 'HandReceiptSigned');
    expect((receipt?.data.assets as unknown[] | undefined)?.length).toBe(9);
    expect(problems).toEqual([]);
    await page.context().close();
  });
});

describe('inventory sweep', () => {
  it('compares what is scanned with the case\'s slots and records the verification and every discrepancy', async () => {
    const { page, problems } = await kioskPage(browser);
    await signIn(page, kiosk.base, 'OPR-1002', '1002');
    await page.goto(`${kiosk.base}/sweep`);
    await hydrated(page);
    await wedgeScan(page, 'CASE-12');
    await page.waitForURL('**/sweep/CASE-12');
    await hydrated(page);
    for (const code of ['LT-00019', 'LT-00020', 'CASE-12/8', 'LT-00021', 'LT-00005', 'UNKNOWN-9']) {
      await wedgeScan(page, code);
      await page.waitForTimeout(150);
    }
    await expect.poll(async () => (await page.locator('sweep-screen li[data-tag]').allTextContents()).map((t) => t.replace(/\s+/g, ' ').trim())).toEqual([
      'LT-00021: wrong slot, belongs in CASE-12/7', 'LT-00005: wrong slot, belongs in CASE-11/5', 'UNKNOWN-9: unexpected, not registered',
    ]);
    expect(await page.locator('sweep-grid .tile.seen').count()).toBe(2);
    expect(await page.locator('sweep-grid .tile[data-slot="8"]').textContent()).toContain('seen: LT-00021');
    await screenshot(page, 'flow-sweep-scanned');
    const before = kiosk.app.store.head().seq;
    await page.locator('button[data-action="confirm"]').click();
    await expect.poll(() => page.locator('commit-panel .success').textContent())
      .toContain('Sweep of CASE-12 recorded: 2 verified, 7 missing, 1 unexpected, 2 in the wrong slot.');
    await screenshot(page, 'flow-sweep-recorded');
    const summary = eventsAfter(kiosk.app, before).find((e) => e.type === 'SweepCompleted');
    expect(summary?.data).toMatchObject({ verified: ['LT-00019', 'LT-00020'], wrong_slot: ['LT-00021', 'LT-00005'], unexpected: ['UNKNOWN-9'] });
    expect(problems).toEqual([]);
    await page.context().close();
  });
});
