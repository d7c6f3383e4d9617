// A synthetic finger for the signature pad: a stroke drawn with real pointer events through the page's
// mouse (pointerdown, pointermoves, pointerup on the pad's canvas), and the other acknowledgements the
// receipt screens take.
import type { Locator, Page } from 'playwright-core';

/** The signature pad's canvas on the screen showing (inside `scope`, default the whole page). */
export function signaturePad(page: Page, scope = ''): Locator {
  return page.locator(`${scope ? `${scope} ` : ''}signature-pad canvas`);
}

/**
 * Signs on the pad: a wavy stroke across the middle, then a short second one (a "dot" over an i), as a
 * finger would. Returns the points the pad should have kept at most (moves + downs).
 */
export async function signOnPad(page: Page, scope = ''): Promise<void> {
  const canvas = signaturePad(page, scope);
  await canvas.scrollIntoViewIfNeeded();
  const box = await canvas.boundingBox();
  if (!box) throw new Error('The signature pad is not on screen.');
  const x0 = box.x + box.width * 0.1;
  const y0 = box.y + box.height * 0.55;
  await page.mouse.move(x0, y0);
  await page.mouse.down();
  for (let i = 1; i <= 24; i++) {
    const x = x0 + (box.width * 0.7 * i) / 24;
    const y = y0 + Math.sin(i / 2.5) * box.height * 0.2;
    await page.mouse.move(x, y, { steps: 2 });
  }
  await page.mouse.up();
  await page.mouse.move(box.x + box.width * 0.85, box.y + box.height * 0.3);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width * 0.88, box.y + box.height * 0.34, { steps: 3 });
  await page.mouse.up();
}

/** Taps the pad's Clear. */
export async function clearPad(page: Page, scope = ''): Promise<void> {
  await page.locator(`${scope ? `${scope} ` : ''}signature-pad button[data-action="clear-signature"]`).click();
}
