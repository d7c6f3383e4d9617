// Shared by the export tests: a populated store (the demo cage plus many scans, appended in large
// transactions as test/bench/build-store.ts does), the tools the real-media tests need, and the bundle's
// own verify.mjs run as a separate process.
import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
export { which } from '../../support/which.ts';
import { fileURLToPath } from 'node:url';
import { Appliance, actorName } from '../../../appliance/appliance.ts';
import { loadConfig } from '../../../appliance/config.ts';
import { decide } from '../../../appliance/domain/decide.ts';
import type { Actor, NewEvent, RecordedEvent } from '../../../appliance/domain/types.ts';
import { seedDemo } from '../../../appliance/seed-demo.ts';
import { EventStore } from '../../../appliance/store/event-store.ts';

export const MAIN = fileURLToPath(new URL('../../../appliance/cli/main.ts', import.meta.url));
const SYSTEM: Actor = { kind: 'system' };


/** Runs a tool that must succeed. */
export function run(command: string, args: string[], timeout = 20_000): string {
  const r = spawnSync(command, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout });
  if (r.error) throw new Error(`${command} ${args.join(' ')} did not run: ${r.error.message}`);
  if (r.status !== 0) throw new Error(`${command} ${args.join(' ')} failed (${r.status ?? r.signal}): ${r.stderr}${r.stdout}`);
  return r.stdout;
}

/**
 * Returns the head seq. A store with the demo cage (device `deviceId`) and `scans` more ScanCaptured events, appended directly with
 * store.transaction + store.append in batches (a scan through app.execute is one fsynced transaction each).
 */
export function makeStore(dataDir: string, deviceId: string, scans = 0): number {
  const { app } = Appliance.init(loadConfig({ ASSETTRACK_DATA_DIR: dataDir }), deviceId);
  seedDemo(app);
  const seeded = app.store.head().seq;
  app.close();
  if (scans > 0) appendScans(dataDir, scans);
  return seeded + scans;
}

export function appendScans(dataDir: string, scans: number): void {
  const store = EventStore.open(dataDir);
  try {
    store.db.pragma('synchronous = OFF'); // this connection only: a fixture need not survive a power cut
    const state = store.loadState();
    let clock = Date.now();
    for (let done = 0; done < scans;) {
      store.transaction(() => {
        const end = Math.min(scans, done + 5000);
        const events: NewEvent[] = [];
        const at = new Date(clock++).toISOString();
        for (; done < end; done++) {
          const value = `LT-${String((done % 40) + 1).padStart(5, '0')}`;
          const text = `${value}\r`;
          const decision = decide({ type: 'RecordScan', text, rawHex: Buffer.from(text).toString('hex'), source: 'wedge', device: `bulk-${done % 16}` },
            state, { now: at, actor: SYSTEM, duplicateWindowMs: 0, maxScanLength: 128, scanPrefixes: {} });
          if (!decision.ok) throw decision.error;
          events.push(...decision.events);
        }
        store.append(state, events, { actor: actorName(SYSTEM), source: 'wedge', occurredAt: at, recordedAt: at, idempotencyKey: `auto:${randomUUID()}` });
      });
    }
  } finally {
    store.close();
  }
}

export function openApp(dataDir: string, now?: () => Date): Appliance {
  return Appliance.open(loadConfig({ ASSETTRACK_DATA_DIR: dataDir }), now);
}

/** The events of one type, oldest first. */
export function eventsOfType(app: Appliance, type: string): RecordedEvent[] {
  return (app.store.db.prepare('SELECT seq FROM events WHERE type = ? ORDER BY seq').all(type) as { seq: number }[])
    .map((r) => app.store.event(r.seq)!);
}

/** `node verify.mjs [args]` with the bundle's own copy of the verifier, in the bundle's folder. */
export function runBundleVerifier(bundle: string, args: string[] = []): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, ['verify.mjs', ...args], { cwd: bundle, encoding: 'utf8', timeout: 30_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** `node appliance/cli/main.ts ARGS --json` as its own process: the exit code and the one JSON answer. */
export function cli(dataDir: string, args: string[]): { code: number | null; body: any; stderr: string } {
  const r = spawnSync(process.execPath, [MAIN, ...args, '--json'], {
    env: { ...process.env, ASSETTRACK_DATA_DIR: dataDir }, encoding: 'utf8', timeout: 30_000,
  });
  const lines = r.stdout.trim().split('\n').filter(Boolean);
  if (lines.length !== 1) throw new Error(`assettrack ${args.join(' ')}: expected one JSON line, got: ${r.stdout}\n${r.stderr}`);
  return { code: r.status, body: JSON.parse(lines[0]!), stderr: r.stderr };
}
