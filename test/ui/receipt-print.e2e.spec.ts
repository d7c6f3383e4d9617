// Printable receipts in Chromium: an issue signed on the kiosk (recorded through the app directly, with a
// signature built here rather than drawn on the pad), its receipt page at an A4-sized viewport, the QR code
// read back from the screenshot's pixels (jsQR) and compared with the checkpoint it must hold, the page in
// print media and as A4 and US Letter PDFs (one sheet each), the holder's whole hand receipt, and the
// holder's kiosk screen linking to both.
import { readFileSync } from 'node:fs';
import jsqr from 'jsqr';
import type { Browser, Page } from 'playwright-core';
import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import type { RecordedEvent, SignatureInput } from '../../appliance/domain/types.ts';
import { checkpointPayload } from '../../appliance/receipts/receipt-html.ts';
import { hydrated, kioskPage, screenshot, screenText, useKiosk, type Kiosk } from './support/kiosk.ts';

let kiosk: Kiosk;
let browser: Browser;
useKiosk((k, b) => { kiosk = k; browser = b; });

/** A4 at 96 dpi: 210 × 297 mm. */
const A4 = { width: 794, height: 1123 };

/** A signature as the pad records it: a few strokes of whole pixels in a 600 × 200 pad. */
function handwriting(): SignatureInput {
  const wave = (x0: number, y0: number, n: number, amp: number) =>
    Array.from({ length: n }, (_, i) => [x0 + i * 6, Math.round(y0 + amp * Math.sin(i / 2.5))] as [number, number]);
  return { width: 600, height: 200, strokes: [wave(30, 110, 40, 45), wave(290, 90, 30, 30), [[520, 60], [540, 150], [560, 60]]] };
}

function signedIssue(): RecordedEvent {
  const admin = kiosk.app.operatorByBadge('ADM-9001');
  const terms = kiosk.app.execute({ type: 'SetTerms', text: 'I will keep the laptop in its case, report damage at once,\nand bring it back by the date on this receipt.' },
    { actor: admin, source: 'touch' }, () => null);
  expect(terms.ok).toBe(true);
  const outcome = kiosk.app.execute({ type: 'Issue', tags: ['LT-00005', 'LT-00007'], holder: 'EMP-0102', requireReceipt: true, receipt: { signature: handwriting() } },
    { actor: kiosk.app.operatorByBadge('OPR-1001'), source: 'touch' }, (events) => events);
  if (!outcome.ok) throw outcome.error;
  expect(outcome.response[0]!.type).toBe('HandReceiptSigned');
  return outcome.response[0]!;
}

/** jsqr is CommonJS whose exports are the function (with itself as .default); typed as an ES module's default. */
const jsQR = jsqr.default;

/** The QR code jsQR finds in a screenshot (the whole PNG), or null. */
function qrIn(path: string): string | null {
  const png = PNG.sync.read(readFileSync(path));
  return jsQR(new Uint8ClampedArray(png.data.buffer, png.data.byteOffset, png.data.length), png.width, png.height)?.data ?? null;
}

/** Pages of a PDF as Chromium writes it (one "/Type /Page" object each). */
function pdfPages(pdf: Buffer): number {
  return (pdf.toString('latin1').match(/\/Type\s*\/Page(?![s\w])/g) ?? []).length;
}

async function open(page: Page, path: string): Promise<void> {
  const res = await page.goto(kiosk.base + path);
  expect(res?.status()).toBe(200);
}

describe('a printed hand receipt', () => {
  let receipt: RecordedEvent;
  let payload: string;

  it('shows the receipt at A4 size; the QR code in the screenshot holds the signed checkpoint', async () => {
    receipt = signedIssue();
    const cp = receipt.data.checkpoint as { seq: number; hash: string; signature: string };
    payload = checkpointPayload('UI-TEST', cp);
    expect(payload).toBe(`assettrack-checkpoint:UI-TEST:${cp.seq}:${cp.hash}:${cp.signature}`);

    const { page, problems } = await kioskPage(browser, A4);
    await open(page, `/receipt/${receipt.seq}`);
    const text = await screenText(page);
    expect(text).toContain('Hand receipt');
    expect(text).toContain(`Receipt no. ${receipt.seq}`);
    expect(text).toContain('Chloe Chen received the equipment below from Oscar Operator');
    expect(text).toContain('LT-00005');
    expect(text).toContain('I will keep the laptop in its case');
    expect(text).toContain(cp.hash);
    expect(text).toContain(cp.signature);
    // the signature drawn from its strokes, at its size on paper
    const sig = page.locator('svg.signature');
    await expect(sig.locator('path').getAttribute('d')).resolves.toMatch(/^M30 110L36 \d+/);
    const box = (await sig.boundingBox())!;
    expect(Math.round(box.width)).toBe(340); // 90 mm at 96 dpi
    // the Print button's script ran (the page is whole without it)
    await expect(page.locator('#print-button').isVisible()).resolves.toBe(true);

    await page.locator('svg.qr').scrollIntoViewIfNeeded();
    const shot = await screenshot(page, 'receipt-print');
    expect(qrIn(shot)).toBe(payload);
    expect(problems).toEqual([]);
    await page.context().close();
  });

  it('prints on one sheet of A4 and of US Letter, without the kiosk\'s buttons', async () => {
    const { page, problems } = await kioskPage(browser, A4);
    await open(page, `/receipt/${receipt.seq}`);
    await page.emulateMedia({ media: 'print' });
    await expect(page.locator('#print-button').isVisible()).resolves.toBe(false);
    await page.locator('svg.qr').scrollIntoViewIfNeeded();
    const shot = await screenshot(page, 'receipt-print-media');
    expect(qrIn(shot)).toBe(payload);
    for (const format of ['A4', 'Letter']) {
      const pdf = await page.pdf({ format, preferCSSPageSize: true });
      expect(pdfPages(pdf), format).toBe(1);
    }
    expect(problems).toEqual([]);
    await page.context().close();
  });

  it('prints the holder\'s whole hand receipt, linked from the holder\'s kiosk screen', async () => {
    const { page, problems } = await kioskPage(browser, { width: 1280, height: 800 });
    await open(page, '/holder/EMP-0102');
    await hydrated(page);
    const screen = await screenText(page);
    expect(screen).toContain('Current hand receipt');
    expect(screen).toContain(`No. ${receipt.seq}`);
    await screenshot(page, 'holder-hand-receipt');
    const link = page.locator('holder-screen a[data-action="print-receipt"]').first();
    expect(await link.getAttribute('href')).toBe(`/receipt/${receipt.seq}`);
    await Promise.all([page.waitForURL(`**/holder/*/hand-receipt`), page.locator('holder-screen a[data-action="print-hand-receipt"]').click()]);
    await page.setViewportSize(A4);
    const text = await screenText(page);
    expect(text).toContain('Hand receipt: Chloe Chen');
    expect(text).toContain(`Receipt no. ${receipt.seq}`);
    expect(text).toContain('Still held from it: LT-00005, LT-00007.');
    await page.locator('svg.qr').first().scrollIntoViewIfNeeded();
    const shot = await screenshot(page, 'hand-receipt-print');
    expect(qrIn(shot)).toBe(payload);
    expect(problems).toEqual([]);
    await page.context().close();
  });
});
