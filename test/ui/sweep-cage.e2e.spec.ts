// An inventory sweep of the whole cage: chosen besides the cases, scanned as for one case (a slot label
// then an asset gives a position), every case's grid with the discrepancies, then recorded in one Confirm.
import type { Browser } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { eventsAfter, hydrated, type Kiosk, kioskPage, screenshot, signIn, useKiosk, wedgeScan } from './support/kiosk.ts';

let kiosk: Kiosk;
let browser: Browser;
useKiosk((k, b) => {
  kiosk = k;
  browser = b;
});

describe('inventory sweep of the whole cage', () => {
  it('shows every case\'s grid with what is out of place and records the verification and the discrepancies', async () => {
    const { page, problems } = await kioskPage(browser);
    await signIn(page, kiosk.base, 'OPR-1002', '1002');
    await page.goto(`${kiosk.base}/sweep`);
    await hydrated(page);
    expect(await page.locator('sweep-choice-screen button[data-action="sweep-cage"]').textContent()).toContain('3 cases, 32 of 54 slots filled');
    await page.locator('sweep-choice-screen button[data-action="sweep-cage"]').click();
    await page.waitForURL('**/sweep-cage');
    await hydrated(page);
    expect(await page.locator('sweep-grid').evaluateAll((grids) => grids.map((g) => g.getAttribute('data-case')))).toEqual(['CASE-11', 'CASE-12', 'CASE-13']);
    // LT-00004 belongs in CASE-11/4 but sits in CASE-13/3; LT-00005 is where it belongs; UNKNOWN-9 is no asset.
    for (const code of ['LT-00019', 'CASE-13/3', 'LT-00004', 'CASE-11/5', 'LT-00005', 'UNKNOWN-9']) {
      await wedgeScan(page, code);
      await page.waitForTimeout(150);
    }
    await expect.poll(async () => (await page.locator('sweep-screen li[data-tag]').allTextContents()).map((t) => t.replace(/\s+/g, ' ').trim())).toEqual([
      'LT-00004: wrong slot, belongs in CASE-11/4', 'UNKNOWN-9: unexpected, not registered',
    ]);
    expect(await page.locator('sweep-screen h2').first().textContent()).toContain('Whole cage: 2 of 32 seen');
    expect(await page.locator('sweep-grid .tile.seen').count()).toBe(2);
    expect(await page.locator('sweep-grid[data-case="CASE-13"] .tile[data-slot="3"]').textContent()).toContain('seen: LT-00004');
    expect(await page.locator('sweep-grid[data-case="CASE-11"] .tile[data-slot="4"]').textContent()).toContain('seen in CASE-13/3');
    await screenshot(page, 'sweep-cage');

    const before = kiosk.app.store.head().seq;
    await page.locator('button[data-action="confirm"]').click();
    await expect.poll(() => page.locator('commit-panel .success').textContent())
      .toContain('Sweep of the whole cage recorded: 2 verified, 29 missing, 1 unexpected, 1 in the wrong slot.');
    const recorded = eventsAfter(kiosk.app, before);
    const summary = recorded.find((e) => e.type === 'SweepCompleted');
    expect(summary).toMatchObject({ subject: 'CAGE', data: { case: null, scope: 'cage', verified: ['LT-00019', 'LT-00005'], wrong_slot: ['LT-00004'], unexpected: ['UNKNOWN-9'] } });
    expect(summary?.data.cases).toMatchObject({ 'CASE-13': { expected: 11, wrong_slot: 1, unexpected: 0 }, 'CASE-11': { verified: 1 } });
    expect(recorded.find((e) => e.type === 'AssetVerified' && e.subject === 'LT-00004')?.data).toMatchObject({ seen_at: 'CASE-13/3', outcome: 'wrong_slot' });
    expect(recorded.filter((e) => e.type === 'AssetMarkedMissing')).toHaveLength(28); // LT-00035 was missing already
    expect(problems).toEqual([]);
    await page.context().close();
  });
});
