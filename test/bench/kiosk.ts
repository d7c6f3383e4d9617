// Benchmark 5, the kiosk: dashboard render time, scan-to-screen latency in Chromium, bundle size.
// Part of `npm run bench`; `node test/bench/kiosk.ts` runs it alone and prints its JSON.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { measureBundle, type BundleSize } from './client-bundle-size.ts';
import { buildKioskCage, HISTORY_DAYS } from './kiosk-cage.ts';
import { measureScanToScreen, type LatencyResult } from './kiosk-latency.ts';
import { measureDashboardRender, type RenderResult } from './kiosk-render.ts';

export interface KioskResult {
  cage: { assets: number; holders: number; cases: number; custodyCommands: number; historyDays: number; issued: number };
  dashboard: RenderResult;
  latency: LatencyResult;
  bundle: BundleSize;
}

export async function measureKiosk(dir: string, settings: { renderN: number; scanN: number }, log: (line: string) => void = () => {}): Promise<KioskResult> {
  const { app, cage, commands } = buildKioskCage(dir);
  try {
    const state = app.state();
    log(`  cage: ${state.assets.size} assets, ${state.holders.size} holders, ${state.cases.size} cases, ${commands} custody commands over ${HISTORY_DAYS} days`);
    const dashboard = await measureDashboardRender(app, settings.renderN);
    log(`  dashboard render p50 ${dashboard.total.p50} ms, p99 ${dashboard.total.p99} ms (${dashboard.htmlKb} KB)`);
    const latency = await measureScanToScreen(app, cage.tags, settings.scanN);
    log(latency.status === 'ok' ? `  scan to screen p50 ${latency.scanToScreen.p50} ms, p99 ${latency.scanToScreen.p99} ms` : `  scan to screen skipped: ${latency.reason}`);
    const bundle = await measureBundle();
    return {
      cage: {
        assets: state.assets.size, holders: state.holders.size, cases: state.cases.size, custodyCommands: commands, historyDays: HISTORY_DAYS,
        issued: [...state.assets.values()].filter((a) => a.state === 'issued').length,
      },
      dashboard, latency, bundle,
    };
  } finally {
    app.close();
  }
}

if (import.meta.main) {
  const dir = mkdtempSync(join(tmpdir(), 'assettrack-bench-kiosk-'));
  try {
    const result = await measureKiosk(dir, { renderN: 300, scanN: 200 }, console.log);
    console.log(JSON.stringify(result, null, 2));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
