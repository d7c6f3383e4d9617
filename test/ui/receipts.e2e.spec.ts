// Hand receipts at the kiosk (issue 9): the holder signs with a finger on the issue screen (a synthetic
// stroke of real pointer events), the return date moves a week, and the HandReceiptSigned event holds the
// strokes and the date; Confirm waits for a signature (empty pad, after Clear); the holder's own badge
// scan acknowledges instead; a return brought back by someone else records who; and the two-person rule:
// once a second admin exists, retiring is refused without them and done with their badge and PIN.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, localDate } from '../../appliance/domain/receipts.ts';
import { auditScreen } from './support/audit.ts';
import { eventsAfter, hydrated, kioskPage, launchChromium, screenshot, screenText, signIn, startKiosk, wedgeScan, type Kiosk } from './support/kiosk.ts';
import { clearPad, signOnPad } from './support/signature.ts';

const TERMS = 'I take this equipment for work use, keep it with me or locked away, and bring it back by the date shown.';

let kiosk: Kiosk;
let browser: Browser;
beforeAll(async () => {
  [kiosk, browser] = await Promise.all([
    startKiosk({ kiosk: { undoSeconds: 0 }, env: { ASSETTRACK_RECEIPTS: 'required', ASSETTRACK_RECEIPT_BADGE: '1' } }),
    launchChromium(),
  ]);
  const terms = kiosk.app.execute({ type: 'SetTerms', text: TERMS }, { actor: { kind: 'console' }, source: 'console' }, () => null);
  if (!terms.ok) throw terms.error;
});
afterAll(async () => {
  await browser?.close();
  await kiosk?.close();
});

async function pageAs(badge: string, pin: string, path: string): Promise<{ page: Page; problems: string[] }> {
  const session = await kioskPage(browser);
  await signIn(session.page, kiosk.base, badge, pin);
  await session.page.goto(kiosk.base + path);
  await hydrated(session.page);
  return session;
}

const seq = () => kiosk.app.store.head().seq;
const today = () => localDate(kiosk.app.now().toISOString());
const confirmButton = (page: Page) => page.locator('commit-panel button[data-action="confirm"]');

describe('hand receipts', () => {
  it('signs with a finger, gives it a week more, and records the strokes and the return date', async () => {
    const { page, problems } = await pageAs('OPR-1001', '1001', '/issue?tags=LT-00005&holder=EMP-0102');
    expect(await page.locator('hand-receipt [data-test="terms"]').textContent()).toBe(TERMS);
    // the default return date is the asset type's (14 days for a laptop), shown as a date
    const due = page.locator('due-picker .when');
    expect(await due.getAttribute('data-due')).toBe('default');
    const proposed = addDays(today(), 14);
    expect(await due.textContent()).toBe(new Date(`${proposed}T12:00:00Z`).toLocaleDateString('en-GB', { weekday: 'short', day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' }));
    expect(await confirmButton(page).isDisabled()).toBe(true);
    expect(await page.locator('hand-receipt [data-test="receipt-waiting"]').textContent()).toBe('Confirm waits for a signature or their badge.');

    await page.locator('due-picker button[data-action="due-week"]').click();
    await expect.poll(() => due.getAttribute('data-due')).toBe(addDays(proposed, 7));

    await signOnPad(page);
    await expect.poll(() => confirmButton(page).isEnabled()).toBe(true);
    await clearPad(page);
    await expect.poll(() => confirmButton(page).isDisabled()).toBe(true);
    expect(await page.locator('signature-pad .state').textContent()).toBe('Not signed yet.');
    await signOnPad(page);
    await expect.poll(() => confirmButton(page).isEnabled()).toBe(true);
    await screenshot(page, 'receipt-issue-signed');
    expect(await auditScreen(page)).toEqual([]);

    const before = seq();
    await confirmButton(page).click();
    await expect.poll(() => page.locator('commit-panel .success').textContent()).toContain('Issued LT-00005 to Chloe Chen.');
    const recorded = eventsAfter(kiosk.app, before).filter((e) => e.type !== 'UiAction');
    expect(recorded.map((e) => e.type)).toEqual(['HandReceiptSigned', 'AssetIssued']);
    const [receipt, issued] = recorded as [typeof recorded[0], typeof recorded[0]];
    const data = receipt.data as Record<string, any>;
    expect(data).toMatchObject({
      receipt: 'issue', acknowledgement: 'signature', badge: null, holder: { name: 'Chloe Chen', badge: 'EMP-0102' },
      assets: [{ tag: 'LT-00005', due: addDays(proposed, 7) }], terms: { version: 1 },
    });
    expect(receipt.source).toBe('touch');
    // two strokes of whole-number points inside the pad's own grid; the close-together ones were dropped
    const sig = data.signature as { width: number; height: number; strokes: [number, number][][] };
    expect(sig.strokes).toHaveLength(2);
    expect(sig.width).toBeGreaterThan(200);
    expect(sig.height).toBeGreaterThanOrEqual(150);
    const points = sig.strokes.flat();
    expect(sig.strokes[0]!.length).toBeGreaterThan(10);
    expect(points.every(([x, y]) => Number.isInteger(x) && Number.isInteger(y) && x >= 0 && y >= 0 && x <= sig.width && y <= sig.height)).toBe(true);
    for (const stroke of sig.strokes) {
      for (let i = 1; i < stroke.length; i++) expect(Math.hypot(stroke[i]![0] - stroke[i - 1]![0], stroke[i]![1] - stroke[i - 1]![1])).toBeGreaterThanOrEqual(2);
    }
    expect(issued.data).toMatchObject({ holder_name: 'Chloe Chen', due: addDays(proposed, 7) });
    expect(kiosk.app.state().assets.get('LT00005')?.due).toBe(addDays(proposed, 7));
    expect(problems).toEqual([]);
    await page.context().close();
  });

  it('takes the holder\'s own badge scan instead of a signature, and an open-ended return', async () => {
    const { page, problems } = await pageAs('OPR-1001', '1001', '/issue?tags=LT-00007&holder=EMP-0104');
    expect(await page.locator('hand-receipt [data-test="badge-hint"]').textContent()).toBe('or the holder scans their own badge');
    expect(await confirmButton(page).isDisabled()).toBe(true);
    await wedgeScan(page, 'EMP-0104');
    await expect.poll(() => page.locator('hand-receipt [data-test="ack-badge"]').textContent()).toContain('Acknowledged by Eva Novak\'s badge (EMP-0104).');
    expect(page.url()).toContain('/issue?tags=LT-00007&holder=EMP-0104');
    // a date picked on the calendar, then open-ended after all
    const picked = addDays(today(), 40);
    await page.locator('due-picker input[type="date"]').fill(picked);
    await expect.poll(() => page.locator('due-picker .when').getAttribute('data-due')).toBe(picked);
    await page.locator('due-picker button[data-action="due-open"]').click();
    await expect.poll(() => page.locator('due-picker .when').textContent()).toBe('Open-ended');
    await expect.poll(() => confirmButton(page).isEnabled()).toBe(true);
    await screenshot(page, 'receipt-issue-badge');
    const before = seq();
    await confirmButton(page).click();
    await expect.poll(() => page.locator('commit-panel .success').textContent()).toContain('Issued LT-00007 to Eva Novak.');
    const recorded = eventsAfter(kiosk.app, before);
    expect(recorded.find((e) => e.type === 'HandReceiptSigned')?.data).toMatchObject({ acknowledgement: 'badge', badge: 'EMP-0104', signature: null });
    expect(recorded.find((e) => e.type === 'AssetIssued')?.data).toMatchObject({ holder_name: 'Eva Novak', due: 'open' });
    expect(problems).toEqual([]);
    await page.context().close();
  });

  it('records who brought a return back when it is not the holder, with their signature', async () => {
    const { page, problems } = await pageAs('OPR-1002', '1002', '/return/LT-00001');
    expect(await page.locator('hand-receipt [data-test="returned-by"]').textContent()).toContain('Bob Baker, the holder.');
    expect(await confirmButton(page).isDisabled()).toBe(true);
    await wedgeScan(page, 'EMP-0110');
    await expect.poll(() => page.locator('hand-receipt [data-test="returned-by"]').textContent()).toContain('Kira Sato (badge EMP-0110), not the holder Bob Baker.');
    // the badge scan acknowledged it; Kira signs instead
    await expect.poll(() => confirmButton(page).isEnabled()).toBe(true);
    await page.locator('hand-receipt button[data-action="clear-ack"]').click();
    await expect.poll(() => confirmButton(page).isDisabled()).toBe(true);
    await signOnPad(page);
    await expect.poll(() => confirmButton(page).isEnabled()).toBe(true);
    await screenshot(page, 'receipt-return-by-other');
    expect(await auditScreen(page)).toEqual([]);
    const before = seq();
    await confirmButton(page).click();
    await expect.poll(() => page.locator('commit-panel .success').textContent()).toContain('LT-00001 returned to CASE-11/1.');
    const recorded = eventsAfter(kiosk.app, before);
    const by = { kind: 'holder', name: 'Kira Sato', badge: 'EMP-0110' };
    expect(recorded.find((e) => e.type === 'AssetReturned')?.data).toMatchObject({ holder_name: 'Bob Baker', returned_by: by, returned_by_holder: false });
    expect(recorded.find((e) => e.type === 'HandReceiptSigned')?.data).toMatchObject({ receipt: 'return', returned_by: by, acknowledgement: 'signature' });
    expect(problems).toEqual([]);
    await page.context().close();
  });
});

describe('the two-person rule', () => {
  it('refuses a retire without a second admin once there are two, and records it with the second admin\'s badge and PIN', async () => {
    const enrolled = kiosk.app.registerOperator({ name: 'Sam Second', badge: 'ADM-9002', pin: '9002', role: 'admin' }, { actor: { kind: 'console' }, source: 'console' });
    expect(enrolled.ok).toBe(true);
    const sam = kiosk.app.operatorByBadge('ADM-9002');

    const { page, problems } = await pageAs('ADM-9001', '9001', '/asset/LT-00040/retire');
    const keys: string[] = [];
    page.on('request', (r) => {
      if (r.url().endsWith('/api/commands/retire')) keys.push(r.headers()['idempotency-key'] ?? '');
    });
    await page.locator('change-screen button[data-choice="End of life"]').click();
    const before = seq();
    await confirmButton(page).click();
    const prompt = page.locator('commit-panel second-admin');
    await expect.poll(() => prompt.locator('h2').textContent()).toBe('A second admin confirms: badge and PIN');
    expect(await prompt.locator('section').textContent()).toContain('Retiring LT-00040 needs a second admin: another admin confirms with their badge and PIN.');
    expect(eventsAfter(kiosk.app, before).map((e) => e.type)).toEqual(['UiAction']);
    expect(kiosk.app.state().assets.get('LT00040')?.state).toBe('in_storage');

    const pin = async (digits: string) => {
      for (const d of digits) await prompt.locator(`pin-pad button[data-key="${d}"]`).click();
      await prompt.locator('pin-pad button[data-key="ok"]').click();
    };
    // the one confirming cannot be their own second admin (badge typed on the on-screen keyboard)
    await prompt.locator('osk-input[name="second-badge"] input').click();
    for (const c of 'ADM-9001') await prompt.locator(`osk-keyboard button[data-key="${c}"]`).click();
    await prompt.locator('osk-keyboard button[data-key="done"]').click();
    await pin('9001');
    await expect.poll(() => prompt.locator('[data-test="second-error"]').textContent()).toBe('The second admin must be a different person from the one confirming.');
    // a scanned badge fills the field instead of signing anyone in; a wrong PIN is refused plainly
    await wedgeScan(page, 'ADM-9002');
    await expect.poll(() => prompt.locator('osk-input[name="second-badge"] input').inputValue()).toBe('ADM-9002');
    expect(page.url()).toContain('/asset/LT-00040/retire');
    await pin('1234');
    await expect.poll(() => prompt.locator('[data-test="second-error"]').textContent()).toBe('The second admin\'s badge and PIN do not match.');
    expect(kiosk.app.state().assets.get('LT00040')?.state).toBe('in_storage');
    await screenshot(page, 'second-admin-prompt');
    expect(await auditScreen(page)).toEqual([]);

    await pin('9002');
    await expect.poll(() => page.locator('commit-panel .success').textContent()).toContain('LT-00040 is retired.');
    await screenshot(page, 'second-admin-done');
    const retired = eventsAfter(kiosk.app, before).find((e) => e.type === 'AssetRetired');
    expect(retired).toMatchObject({ subject: 'LT-00040', actor: 'O-0001', source: 'touch', data: { reason: 'End of life', second_operator: sam.kind === 'operator' ? sam.id : '' } });
    // every attempt was the same change: one idempotency key
    expect(keys.length).toBe(4);
    expect(new Set(keys).size).toBe(1);
    expect(await screenText(page)).not.toContain('Sign in first');
    // the three refusals answered 409, which Chromium logs; nothing else went wrong
    expect(problems.filter((p) => !p.includes('status of 409'))).toEqual([]);
    await page.context().close();
  });

  it('holds enrolling another admin at the admin form until a second admin confirms', async () => {
    const { page, problems } = await pageAs('ADM-9001', '9001', '/admin/operators/new');
    await page.locator('osk-input[name="name"] input').click();
    for (const c of 'TINA') await page.locator(`osk-input[name="name"] osk-keyboard button[data-key="${c}"]`).click();
    await page.locator('osk-input[name="name"] osk-keyboard button[data-key="done"]').click();
    await wedgeScan(page, 'ADM-9003');
    await expect.poll(() => page.locator('osk-input[name="badge"] input').inputValue()).toBe('ADM-9003');
    for (const d of '9003') await page.locator(`admin-form-screen .fields pin-pad button[data-key="${d}"]`).click();
    await page.locator('admin-form-screen .fields pin-pad button[data-key="ok"]').click();
    await page.locator('admin-form-screen button[data-choice="admin"]').click();
    const before = seq();
    await confirmButton(page).click();
    const prompt = page.locator('commit-panel second-admin');
    await expect.poll(() => prompt.locator('section').textContent()).toContain('Enrolling an admin needs a second admin');
    expect(eventsAfter(kiosk.app, before).map((e) => e.type)).toEqual(['UiAction']);
    await wedgeScan(page, 'ADM-9002');
    await expect.poll(() => prompt.locator('osk-input[name="second-badge"] input').inputValue()).toBe('ADM-9002');
    for (const d of '9002') await prompt.locator(`pin-pad button[data-key="${d}"]`).click();
    await prompt.locator('pin-pad button[data-key="ok"]').click();
    await expect.poll(() => page.locator('commit-panel .success').textContent()).toContain('Recorded.');
    const sam = kiosk.app.operatorByBadge('ADM-9002');
    expect(eventsAfter(kiosk.app, before).find((e) => e.type === 'OperatorRegistered')).toMatchObject({
      data: { name: 'TINA', badge: 'ADM-9003', role: 'admin', second_operator: sam.kind === 'operator' ? sam.id : '' },
    });
    expect(problems.filter((p) => !p.includes('status of 409'))).toEqual([]);
    await page.context().close();
  });
});
