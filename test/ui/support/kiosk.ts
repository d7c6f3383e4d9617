// UI test fixtures: a kiosk server on an ephemeral port over a fresh store (the demo cage unless told
// otherwise), Debian's Chromium driven by playwright-core, and screenshots under test-artifacts/ui/.
import { mkdirSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { Appliance } from '../../../appliance/appliance.ts';
import { loadConfig, loadDeviceConfig } from '../../../appliance/config.ts';
import { DeviceHub } from '../../../appliance/intake/device-hub.ts';
import { startDevices } from '../../../appliance/intake/start-devices.ts';
import { loadKioskConfig, type KioskConfig } from '../../../appliance/http/kiosk-config.ts';
import { listen } from '../../../appliance/http/server.ts';
import { seedDemo } from '../../../appliance/seed-demo.ts';
import { tempDir } from '../../support/cage.ts';

export const CHROMIUM_ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync',
];
export const SMALL = { width: 800, height: 480 };
/** The kiosks under test take keys at most this far apart as one scan; people type slower (HUMAN_KEY_MS). */
export const WEDGE_GAP_MS = 300;
export const HUMAN_KEY_MS = 700;
export const LARGE = { width: 1280, height: 800 };
const ARTIFACTS = new URL('../../../test-artifacts/ui/', import.meta.url).pathname;

export interface Kiosk {
  app: Appliance;
  base: string;
  dir: string;
  /** the devices the kiosk shows (real listeners when started with `devices`) */
  hub: DeviceHub;
  close(): Promise<void>;
}

export async function startKiosk(options: {
  demo?: boolean; dir?: string; kiosk?: Partial<KioskConfig>; devices?: Record<string, string>; env?: Record<string, string>;
  /** the appliance's clock (a test moves it to make things overdue); default the real time */
  now?: () => Date;
} = {}): Promise<Kiosk> {
  const dir = options.dir ?? tempDir('assettrack-ui-');
  const { app } = Appliance.init(loadConfig({ ...options.env, ASSETTRACK_DATA_DIR: dir }), 'UI-TEST', options.now);
  if (options.demo !== false && app.state().operators.size === 0) seedDemo(app);
  // With `devices` (ASSETTRACK_* device settings), the kiosk runs real device listeners, as `serve` does.
  const hub = options.devices ? (await startDevices(app, loadDeviceConfig({ ASSETTRACK_CRADLE: '0', ...options.devices }), { cradlePollMs: 100, log: () => {} })).hub : new DeviceHub();
  // Keys typed through the DevTools protocol arrive unevenly on a busy 2-core machine: give bursts room.
  const server: Server = await listen(app, '127.0.0.1', 0, { ...loadKioskConfig({}), wedgeGapMs: WEDGE_GAP_MS, ...options.kiosk }, hub);
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    app, base, dir, hub,
    async close() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      await hub.stop();
      app.close();
      if (!options.dir) rmSync(dir, { recursive: true, force: true });
    },
  };
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium', args: CHROMIUM_ARGS });
}

/** A page that fails the test on any script error, CSP violation or failed hydration logged to the console. */
export async function kioskPage(browser: Browser, viewport = SMALL): Promise<{ page: Page; problems: string[] }> {
  const context = await browser.newContext({ viewport, deviceScaleFactor: 1, hasTouch: true });
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
  page.on('console', (msg) => {
    if (msg.type() === 'error' || msg.type() === 'warning') problems.push(`console ${msg.type()}: ${msg.text()}`);
  });
  return { page, problems };
}

/** Waits until every kiosk element on the page has hydrated (Lit's first update ran in the browser). */
export async function hydrated(page: Page): Promise<void> {
  await page.waitForFunction(() => {
    const pending: Element[] = [];
    const walk = (root: Document | ShadowRoot) => {
      for (const el of root.querySelectorAll('*')) {
        if (el.localName.includes('-')) {
          if ((el as unknown as { hasUpdated?: boolean }).hasUpdated !== true) pending.push(el);
          if (el.shadowRoot) walk(el.shadowRoot);
        }
      }
    };
    walk(document);
    return pending.length === 0;
  });
}

export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(ARTIFACTS, { recursive: true });
  const size = page.viewportSize();
  const path = join(ARTIFACTS, `${name}-${size?.width}x${size?.height}.png`);
  await page.screenshot({ path });
  return path;
}

/** Signs the browser context in through the kiosk's own route (the cookie lands in the context). */
export async function signIn(page: Page, base: string, badge: string, pin: string): Promise<void> {
  const res = await page.context().request.post(`${base}/kiosk/session`, {
    data: { badge, pin }, headers: { origin: base, 'x-requested-by': 'assettrack-kiosk' },
  });
  if (!res.ok()) throw new Error(`sign-in as ${badge} failed: ${res.status()} ${await res.text()}`);
}

/**
 * A keyboard-wedge scanner: the characters in a fast burst, then Enter. The key events are sent through
 * the DevTools protocol all at once, not each after the last one's answer, so a busy test machine does not
 * space them out the way a real scanner never would.
 */
export async function wedgeScan(page: Page, text: string): Promise<void> {
  const cdp = await page.context().newCDPSession(page);
  const sends: Promise<unknown>[] = [];
  for (const ch of text) {
    sends.push(cdp.send('Input.dispatchKeyEvent', { type: 'keyDown', key: ch, text: ch, unmodifiedText: ch }));
    sends.push(cdp.send('Input.dispatchKeyEvent', { type: 'keyUp', key: ch }));
  }
  sends.push(cdp.send('Input.dispatchKeyEvent', { type: 'keyDown', key: 'Enter', code: 'Enter', windowsVirtualKeyCode: 13, text: '\r' }));
  sends.push(cdp.send('Input.dispatchKeyEvent', { type: 'keyUp', key: 'Enter', code: 'Enter', windowsVirtualKeyCode: 13 }));
  await Promise.all(sends);
  await cdp.detach();
}

/** A scan from one of the kiosk's devices, recorded through the intake API (as a device listener would). */
export async function deviceScan(base: string, text: string, source = 'hid'): Promise<Record<string, any>> {
  const res = await fetch(`${base}/api/commands/scan`, {
    method: 'POST', headers: { 'content-type': 'application/json', 'idempotency-key': `device-${Math.random()}` },
    body: JSON.stringify({ text: `${text}\r`, source, device: 'scanner-1' }),
  });
  return (await res.json()) as Record<string, any>;
}

/** Events recorded after `after`, as type + subject + data (what a test asserts on). */
export function eventsAfter(app: Appliance, after: number) {
  return [...app.store.readEvents(after + 1)].map((e) => ({ type: e.type, subject: e.subject, data: e.data, source: e.source, actor: e.actor }));
}

/** The text of a screen, shadow roots included. */
export function screenText(page: Page): Promise<string> {
  return page.evaluate(() => {
    const walk = (root: Node): string => {
      let out = '';
      for (const node of root.childNodes) {
        if (node.nodeType === Node.TEXT_NODE) out += node.textContent;
        else if (node instanceof Element && node.localName !== 'style' && node.localName !== 'script') {
          if (node.shadowRoot) out += walk(node.shadowRoot);
          out += walk(node);
        }
      }
      return out;
    };
    return walk(document.body).replace(/\s+/g, ' ');
  });
}

/**
 * One kiosk server and one Chromium for a whole test file: started before its tests, closed after them.
 * `take` receives both once they are up (test files keep plain `kiosk` and `browser` variables).
 */
export function useKiosk(take: (kiosk: Kiosk, browser: Browser) => void, options: Parameters<typeof startKiosk>[0] = {}): void {
  let kiosk: Kiosk | undefined;
  let browser: Browser | undefined;
  beforeAll(async () => {
    [kiosk, browser] = await Promise.all([startKiosk(options), launchChromium()]);
    take(kiosk, browser);
  });
  afterAll(async () => {
    await browser?.close();
    await kiosk?.close();
  });
}
