// Issue and return at the kiosk, as an operator does it: scan, tap, scan, the holder signs, Confirm. Covers
// the double tap (one command), Undo (a correction; the hand receipt stays), the return's slot choice by
// scanning a label, and a refusal shown as its plain sentence with nothing but taps recorded.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { eventsAfter, hydrated, kioskPage, launchChromium, screenshot, signIn, startKiosk, wedgeScan, type Kiosk } from './support/kiosk.ts';
import { signOnPad } from './support/signature.ts';

let kiosk: Kiosk;
let browser: Browser;
let page: Page;
let problems: string[];
beforeAll(async () => {
  [kiosk, browser] = await Promise.all([startKiosk({ kiosk: { undoSeconds: 10 } }), launchChromium()]);
});
afterAll(async () => {
  await browser?.close();
  await kiosk?.close();
});
beforeEach(async () => {
  ({ page, problems } = await kioskPage(browser));
  await signIn(page, kiosk.base, 'OPR-1001', '1001');
  await page.goto(kiosk.base);
  await hydrated(page);
  return () => page.context().close();
});

const actionsOnCard = (p: Page) => p.locator('asset-screen .actions [data-action]').evaluateAll((els) => els.map((e) => e.getAttribute('data-action')));
const seq = () => kiosk.app.store.head().seq;

describe('issue', () => {
  it('scans an asset, offers only legal actions, issues by badge scan; a double tap is one command; Undo corrects it', async () => {
    await wedgeScan(page, 'LT-00005');
    await page.waitForURL('**/asset/LT-00005');
    await hydrated(page);
    expect(await actionsOnCard(page)).toEqual(['issue', 'move', 'missing', 'condition', 'history']);
    await screenshot(page, 'flow-asset-card');

    await page.locator('button[data-action="issue"]').click();
    await page.waitForURL('**/issue?tags=LT-00005');
    await hydrated(page);
    await wedgeScan(page, 'EMP-0102');
    await page.waitForURL(/holder=H-0002/);
    await hydrated(page);
    await expect.poll(() => page.locator('holder-summary .name').textContent()).toContain('Chloe Chen');
    // hand receipts are required by default: Confirm waits for Chloe's signature
    expect(await page.locator('button[data-action="confirm"]').isDisabled()).toBe(true);
    await signOnPad(page);
    await expect.poll(() => page.locator('button[data-action="confirm"]').isEnabled()).toBe(true);
    await screenshot(page, 'flow-issue-confirm');

    const keys: string[] = [];
    page.on('request', (r) => {
      if (r.url().endsWith('/api/commands/issue')) keys.push(r.headers()['idempotency-key'] ?? '');
    });
    const before = seq();
    await page.locator('button[data-action="confirm"]').dblclick();
    const success = page.locator('commit-panel .success');
    await expect.poll(() => success.textContent()).toContain('Issued LT-00005 to Chloe Chen.');
    expect(await success.evaluate((el) => getComputedStyle(el).backgroundColor)).toBe('rgb(220, 252, 231)');
    await screenshot(page, 'flow-issue-success');
    expect(keys).toHaveLength(2);
    expect(new Set(keys).size).toBe(1);
    const recorded = eventsAfter(kiosk.app, before);
    expect(recorded.filter((e) => e.type === 'HandReceiptSigned').map((e) => e.data.acknowledgement)).toEqual(['signature']);
    expect(recorded.filter((e) => e.type === 'AssetIssued')).toEqual([
      expect.objectContaining({ subject: 'LT-00005', source: 'touch', actor: 'O-0002', data: expect.objectContaining({ holder_name: 'Chloe Chen' }) }),
    ]);
    expect(recorded.filter((e) => e.type === 'UiAction').map((e) => e.data)).toEqual([{ screen: 'issue', action: 'confirm', target: 'LT-00005' }]);

    const issuedAt = recorded.length + before;
    await page.locator('button[data-action="undo"]').click();
    await expect.poll(() => page.locator('commit-panel .notice').textContent()).toContain('Undone.');
    await screenshot(page, 'flow-issue-undone');
    const correction = eventsAfter(kiosk.app, before).find((e) => e.type === 'EventCorrected');
    expect(correction).toMatchObject({ subject: 'LT-00005', actor: 'O-0002', data: { corrects_type: 'AssetIssued', reason: 'Undo at the kiosk' } });
    expect(correction!.data.corrects_seq).toBeLessThanOrEqual(issuedAt);
    // one correction, of the custody change: the hand receipt stays as the record of what was signed
    expect(eventsAfter(kiosk.app, before).filter((e) => e.type === 'EventCorrected')).toHaveLength(1);
    expect(kiosk.app.state().assets.get('LT00005')).toMatchObject({ state: 'in_storage', slot: 'CASE-11/5' });
    expect(problems).toEqual([]);
  });

  it('refuses an illegal confirm with the rule\'s own sentence and records nothing but the tap', async () => {
    await page.goto(`${kiosk.base}/issue?tags=LT-00008&holder=EMP-0103`);
    await hydrated(page);
    await signOnPad(page);
    // Meanwhile someone else issues it.
    const olga = kiosk.app.operatorByBadge('OPR-1002');
    expect(kiosk.app.execute({ type: 'Issue', tags: ['LT-00008'], holder: 'EMP-0104' }, { actor: olga, source: 'console' }, () => null).ok).toBe(true);
    const before = seq();
    await page.locator('button[data-action="confirm"]').click();
    const error = page.locator('commit-panel .error');
    await expect.poll(() => error.textContent()).toMatch(/^LT-00008 is already issued to Eva Novak since /);
    await screenshot(page, 'flow-refused');
    expect(eventsAfter(kiosk.app, before).map((e) => e.type)).toEqual(['UiAction']);
    expect(kiosk.app.state().assets.get('LT00008')?.holderId).toBe('H-0004');
  });
});

describe('return', () => {
  it('proposes the home slot; when it is taken offers empty slots, and a scanned slot label picks one', async () => {
    const oscar = kiosk.app.operatorByBadge('OPR-1001');
    expect(kiosk.app.execute({ type: 'Move', tag: 'LT-00020', slot: 'CASE-11/1' }, { actor: oscar, source: 'console' }, () => null).ok).toBe(true);
    await page.goto(`${kiosk.base}/asset/LT-00001`);
    await hydrated(page);
    expect(await actionsOnCard(page)).toEqual(['return', 'missing', 'condition', 'history']);
    await page.locator('button[data-action="return"]').click();
    await page.waitForURL('**/return/LT-00001');
    await hydrated(page);
    expect(await page.locator('return-screen .notice').textContent()).toContain('Its home slot CASE-11/1 holds LT-00020.');
    expect(await page.locator('button[data-action="confirm"]').isDisabled()).toBe(true);

    await wedgeScan(page, 'CASE-11/4');
    await expect.poll(() => page.locator('kiosk-toast div').textContent()).toContain('Slot CASE-11/4 is not empty; choose an empty slot.');
    await wedgeScan(page, 'CASE-11/16');
    await expect.poll(() => page.locator('return-screen .proposal').textContent()).toBe('Put it in CASE-11/16.');
    await screenshot(page, 'flow-return-slot-scanned');
    // the receipt: Bob brings it back and signs
    expect(await page.locator('button[data-action="confirm"]').isDisabled()).toBe(true);
    await signOnPad(page);
    await page.locator('button[data-action="confirm"]').click();
    await expect.poll(() => page.locator('commit-panel .success').textContent()).toContain('LT-00001 returned to CASE-11/16.');
    expect(kiosk.app.state().assets.get('LT00001')).toMatchObject({ state: 'in_storage', slot: 'CASE-11/16', home: 'CASE-11/1' });
    expect(problems).toEqual([]);
  });
});
