// Benchmark 5b: scan to screen. A scan goes into the intake API (POST /api/commands/scan, as a device
// listener would send it); the kiosk page open in Debian's Chromium hears of it over Server-Sent Events and
// shows it in its feed. Measured from just before the POST to the moment the feed's DOM holds the new line
// (both ends on the wall clock: performance.timeOrigin + performance.now()). One scan at a time.
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Appliance } from '../../appliance/appliance.ts';
import { loadKioskConfig } from '../../appliance/http/kiosk-config.ts';
import { listen } from '../../appliance/http/server.ts';
import { latencyStats, type LatencyStats } from './stats.ts';

export const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

export type LatencyResult =
  | { status: 'ok'; n: number; warmup: number; chromium: string; scanToScreen: LatencyStats; scanAnswered: LatencyStats }
  | { status: 'skipped'; reason: string };

const wallNow = () => performance.timeOrigin + performance.now();

export async function measureScanToScreen(app: Appliance, tags: string[], n: number, warmup = 20): Promise<LatencyResult> {
  let playwright;
  try {
    playwright = await import('playwright-core');
  } catch (err) {
    return { status: 'skipped', reason: `playwright-core cannot be loaded: ${(err as Error).message}` };
  }
  let browser;
  try {
    browser = await playwright.chromium.launch({ executablePath: CHROMIUM, args: ARGS });
  } catch (err) {
    return { status: 'skipped', reason: `Chromium (${CHROMIUM}) cannot be started: ${(err as Error).message.split('\n')[0]}` };
  }
  const server: Server = await listen(app, '127.0.0.1', 0, loadKioskConfig({}));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  try {
    const page = await browser.newPage({ viewport: { width: 800, height: 480 } });
    await page.goto(base);
    // The page notes when each event's line is in the feed's DOM.
    await page.evaluate(() => {
      const seen: Record<number, number> = {};
      Object.assign(window, { seen });
      window.addEventListener('kiosk:event', async (e) => {
        const seq = (e as CustomEvent<{ seq: number }>).detail.seq;
        const screen = document.querySelector('idle-screen') as HTMLElement & { updateComplete: Promise<unknown>; shadowRoot: ShadowRoot };
        await screen.updateComplete;
        const feed = screen.shadowRoot.querySelector('event-feed') as HTMLElement & { updateComplete: Promise<unknown>; shadowRoot: ShadowRoot };
        await feed.updateComplete;
        if (feed.shadowRoot.querySelector(`li[data-seq="${seq}"]`)) seen[seq] = performance.timeOrigin + performance.now();
      });
    });
    await page.waitForFunction(() => (document.querySelector('idle-screen') as unknown as { hasUpdated?: boolean })?.hasUpdated === true);
    await new Promise((resolve) => setTimeout(resolve, 300)); // the event stream is open
    const screen: number[] = [];
    const answered: number[] = [];
    for (let i = 0; i < warmup + n; i++) {
      const t0 = wallNow();
      const res = await fetch(`${base}/api/commands/scan`, {
        method: 'POST', headers: { 'content-type': 'application/json', 'idempotency-key': `bench-scan-${i}` },
        body: JSON.stringify({ text: `${tags[i % tags.length]}\r`, source: 'hid', device: 'bench-scanner' }),
      });
      const answer = (await res.json()) as { scan: { seq: number } };
      const t1 = wallNow();
      const shownAt = await page.waitForFunction((seq) => (window as unknown as { seen: Record<number, number> }).seen[seq], answer.scan.seq, { polling: 5 });
      const shown = (await shownAt.jsonValue()) as number;
      if (i >= warmup) {
        screen.push(shown - t0);
        answered.push(t1 - t0);
      }
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    return { status: 'ok', n, warmup, chromium: browser.version(), scanToScreen: latencyStats(screen), scanAnswered: latencyStats(answered) };
  } finally {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    await browser.close();
  }
}
