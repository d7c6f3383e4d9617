// Benchmark 5a: the dashboard's server render, in process: read its data from the cage (counts, holdings,
// overdue and missing lists, 1,200 slot tiles, the 30-day series) and render the whole HTML page with
// @lit-labs/ssr, drained to a string. Sequential renders after a warm-up.
import { DeviceHub } from '../../appliance/intake/device-hub.ts';
import type { Appliance } from '../../appliance/appliance.ts';
import { CustodyLog } from '../../appliance/http/custody-log.ts';
import { loadKioskConfig } from '../../appliance/http/kiosk-config.ts';
import { renderPage } from '../../appliance/http/render-page.ts';
import { dashboardData } from '../../appliance/http/screens/dashboard.ts';
import { latencyStats, round, type LatencyStats } from './stats.ts';

export interface RenderResult {
  n: number;
  warmup: number;
  /** read the data and render the page */
  total: LatencyStats;
  /** of which reading the data */
  data: LatencyStats;
  htmlKb: number;
}

export async function measureDashboardRender(app: Appliance, n: number, warmup = 30): Promise<RenderResult> {
  const config = loadKioskConfig({});
  const custody = new CustodyLog(app);
  const operator = { id: 'O-0002', name: 'Bench Operator', role: 'operator' as const };
  const context = { screen: 'dashboard', operator, idleSeconds: 120, wedgeGapMs: 50, seq: app.store.head().seq, deviceId: app.store.deviceId };
  const totals: number[] = [];
  const reads: number[] = [];
  let bytes = 0;
  for (let i = 0; i < warmup + n; i++) {
    const t0 = performance.now();
    const data = dashboardData({ app, config, custody, devices: new DeviceHub(), operator });
    const t1 = performance.now();
    const html = await renderPage({ title: 'Dashboard', context, tag: 'dashboard-screen', data });
    const t2 = performance.now();
    if (i < warmup) continue;
    totals.push(t2 - t0);
    reads.push(t1 - t0);
    bytes = Buffer.byteLength(html);
  }
  return { n, warmup, total: latencyStats(totals), data: latencyStats(reads), htmlKb: round(bytes / 1024, 1) };
}
