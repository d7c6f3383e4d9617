// Admin at the kiosk: register a scanned new tag through the form (on-screen keyboard), import a CSV
// with its preview, and correct a change with a new event.
import type { Browser, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { eventsAfter, hydrated, type Kiosk, kioskPage, screenshot, signIn, useKiosk, wedgeScan } from './support/kiosk.ts';

let kiosk: Kiosk;
let browser: Browser;
useKiosk((k, b) => {
  kiosk = k;
  browser = b;
});

async function adminPage(path: string): Promise<{ page: Page; problems: string[] }> {
  const session = await kioskPage(browser);
  await signIn(session.page, kiosk.base, 'ADM-9001', '9001');
  await session.page.goto(kiosk.base + path);
  await hydrated(session.page);
  return session;
}

async function tapKeys(page: Page, field: string, text: string) {
  await page.locator(`osk-input[name="${field}"] input`).click();
  for (const c of text) await page.locator(`osk-input[name="${field}"] osk-keyboard button[data-key="${c}"]`).click();
  await page.locator(`osk-input[name="${field}"] osk-keyboard button[data-key="done"]`).click();
}

describe('admin', () => {
  it('registers a scanned new tag from the unknown-code screen, typing on the on-screen keyboard', async () => {
    const { page, problems } = await adminPage('/');
    await wedgeScan(page, 'NEW-0042');
    await page.waitForURL('**/find/NEW-0042');
    await hydrated(page);
    await page.locator('button[data-action="register"]').click();
    await page.waitForURL('**/admin/assets/new?tag=NEW-0042');
    await hydrated(page);
    expect(await page.locator('osk-input[name="tag"] input').inputValue()).toBe('NEW-0042');
    await tapKeys(page, 'serial', 'SN9')
    await tapKeys(page, 'make', 'DELL');
    await wedgeScan(page, 'CASE-13/18');
    await expect.poll(() => page.locator('osk-input[name="slot"] input').inputValue()).toBe('CASE-13/18');
    await screenshot(page, 'flow-admin-register-asset');
    const before = kiosk.app.store.head().seq;
    await page.locator('button[data-action="confirm"]').click();
    await expect.poll(() => page.locator('commit-panel .success').textContent()).toContain('Recorded.');
    expect(eventsAfter(kiosk.app, before).find((e) => e.type === 'AssetRegistered')).toMatchObject({
      subject: 'NEW-0042', source: 'touch', data: { tag: 'NEW-0042', serial: 'SN9', make: 'DELL', type: 'laptop', slot: 'CASE-13/18' },
    });
    expect(problems.filter((p) => !p.includes('status of 404'))).toEqual([]);
    await page.context().close();
  });

  it('previews a CSV import row by row and commits it all at once', async () => {
    const { page } = await adminPage('/admin/import?kind=holders');
    const bad = 'name,badge,org\nZoe Zhang,EMP-0201,Audit\nYan Yu,LT-00001,Audit\n';
    await page.locator('csv-import-screen input[type="file"]').setInputFiles({ name: 'holders.csv', mimeType: 'text/csv', buffer: Buffer.from(bad) });
    await expect.poll(() => page.locator('csv-import-screen tbody tr').count()).toBe(2);
    expect(await page.locator('csv-import-screen tr.error-row').textContent()).toContain('The badge "LT-00001" is already used by asset LT-00001.');
    expect(await page.locator('button[data-action="confirm"]').isDisabled()).toBe(true);
    await screenshot(page, 'flow-admin-import-errors');
    const good = 'name,badge,org\nZoe Zhang,EMP-0201,Audit\nYan Yu,EMP-0202,Audit\n';
    await page.locator('csv-import-screen input[type="file"]').setInputFiles({ name: 'holders.csv', mimeType: 'text/csv', buffer: Buffer.from(good) });
    await expect.poll(() => page.locator('csv-import-screen tr.error-row').count()).toBe(0);
    const before = kiosk.app.store.head().seq;
    await page.locator('button[data-action="confirm"]').click();
    await expect.poll(() => page.locator('commit-panel .success').textContent()).toContain('Imported.');
    expect(eventsAfter(kiosk.app, before).filter((e) => e.type === 'HolderRegistered').map((e) => e.data.name)).toEqual(['Zoe Zhang', 'Yan Yu']);
    await page.context().close();
  });

  it('corrects the latest change of an asset with a new event', async () => {
    const { page } = await adminPage('/admin/corrections');
    const target = kiosk.app.state().assets.get('LT00035')!.lastChangeSeq;
    await page.locator(`corrections-screen button[data-seq="${target}"]`).click();
    await page.locator('corrections-screen button[data-reason="Entered by mistake"]').click();
    const before = kiosk.app.store.head().seq;
    await page.locator('button[data-action="confirm"]').click();
    await expect.poll(() => page.locator('commit-panel .success').textContent()).toContain('Corrected by a new event');
    expect(eventsAfter(kiosk.app, before).find((e) => e.type === 'EventCorrected')).toMatchObject({
      subject: 'LT-00035', data: { corrects_seq: target, corrects_type: 'AssetMarkedMissing', reason: 'Entered by mistake', restore: { missing: false } },
    });
    expect(kiosk.app.state().assets.get('LT00035')!.missing).toBe(false);
    await page.context().close();
  });
});
