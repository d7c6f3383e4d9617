// Benchmark 7, devices: (a) an OPN-2004 upload of N stored records from the simulator over a real
// pseudo-terminal, through the real driver, committed by intake into a durable store — time from dock to
// all records committed, against the time the bytes alone take on a 9600-baud line (8O1: 11 bits a byte);
// (b) keyboard-wedge intake throughput: scans typed as Linux input events into a FIFO, read by the real
// listener and recorded durably, against the same scans recorded straight through execute().
// Run alone: node test/bench/devices.ts (prints JSON).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Appliance } from '../../appliance/appliance.ts';
import { loadConfig } from '../../appliance/config.ts';
import { Intake } from '../../appliance/intake/intake.ts';
import { runCradleSession, type CradleUpload } from '../../device/opn2004/driver.ts';
import { openSerialLink } from '../../device/opn2004/link.ts';
import { openPtyPair } from '../../device/opn2004/pty-pair.ts';
import { CradleSimulator, sampleRecords, wireMs } from '../../device/opn2004/simulator.ts';
import { KeyboardWedgeScanner } from '../../device/scanners/keyboard-wedge.ts';
import type { DeviceScan } from '../../device/scanners/scan-source.ts';
import { WedgeSimulator } from '../../device/scanners/wedge-simulator.ts';

const BAUD = 9600;

export interface CradleUploadFigures {
  records: number;
  /** bytes on the line in both directions, the whole session */
  bytes: number;
  /** what those bytes take at 9600 baud 8O1 */
  wireMs: number;
  /** dock (first byte sent) to the commit having returned */
  dockToCommittedMs: number;
  /** the commit alone: one transaction of N scans + CradleUploaded */
  commitMs: number;
  ratioToWire: number;
}

export interface DeviceFigures {
  cradle: { paced: CradleUploadFigures; unpaced: CradleUploadFigures };
  wedge: { scans: number; scansPerSec: number; baselineScansPerSec: number; ratio: number };
}

function openStore(root: string, name: string): Appliance {
  return Appliance.init(loadConfig({ ASSETTRACK_DATA_DIR: join(root, name) }), 'BENCH-BOX').app;
}

/** Counts the bytes a link carries in both directions. */
function counted<T extends { write(b: Uint8Array): Promise<void>; onData(cb: (c: Uint8Array) => void): void }>(link: T, tally: { bytes: number }): T {
  const write = link.write.bind(link);
  link.write = (b: Uint8Array) => {
    tally.bytes += b.length;
    return write(b);
  };
  link.onData((c) => {
    tally.bytes += c.length;
  });
  return link;
}

async function cradleUpload(root: string, records: number, paced: boolean): Promise<CradleUploadFigures> {
  const app = openStore(root, `cradle-${paced ? 'paced' : 'unpaced'}`);
  const intake = new Intake(app);
  const pty = await openPtyPair();
  try {
    const scanner = new CradleSimulator({ records: sampleRecords(records, { seed: 9 }), splitWrites: 0, ...(paced ? { baud: BAUD } : {}) });
    const deviceEnd = await openSerialLink(pty.devicePath);
    scanner.serve(deviceEnd);
    const tally = { bytes: 0 };
    const host = counted(await openSerialLink(pty.hostPath), tally);
    let commitMs = 0;
    let committedAt = 0;
    const t0 = performance.now();
    const result = await runCradleSession(host, {
      commit: async (upload: CradleUpload) => {
        const c0 = performance.now();
        const answer = intake.commitCradleUpload(upload);
        committedAt = performance.now();
        commitMs = committedAt - c0;
        return answer;
      },
    });
    await deviceEnd.close();
    if (result.commit?.committed !== true || result.records.length !== records) {
      throw new Error(`cradle bench: expected ${records} committed records, got ${result.records.length} (${result.message})`);
    }
    const dockToCommittedMs = committedAt - t0;
    const wire = wireMs(tally.bytes, BAUD);
    return { records, bytes: tally.bytes, wireMs: wire, dockToCommittedMs, commitMs, ratioToWire: dockToCommittedMs / wire };
  } finally {
    await pty.close();
    app.close();
  }
}

async function wedgeThroughput(root: string, scans: number): Promise<DeviceFigures['wedge']> {
  const tags = Array.from({ length: scans }, (_, i) => `LT-${String(i + 1).padStart(5, '0')}`);
  // Baseline: the same scans recorded straight through the one write path, no device in between.
  const baseApp = openStore(root, 'wedge-baseline');
  const b0 = performance.now();
  for (const text of tags) {
    const outcome = baseApp.execute({ type: 'RecordScan', text, rawHex: '', source: 'wedge', device: 'bench' }, { actor: { kind: 'system' }, source: 'wedge' }, () => null);
    if (!outcome.ok) throw outcome.error;
  }
  const baselineMs = performance.now() - b0;
  baseApp.close();

  const app = openStore(root, 'wedge');
  const intake = new Intake(app);
  const fifo = join(root, 'wedge-fifo');
  const simulator = new WedgeSimulator(fifo);
  await simulator.plug();
  const listener = new KeyboardWedgeScanner({ path: fifo, reopenPollMs: 50, readPollMs: 1 });
  let recorded = 0;
  let done!: () => void;
  const all = new Promise<void>((resolve) => (done = resolve));
  listener.onScan((scan: DeviceScan) => {
    if (intake.recordScan(scan)) recorded++;
    if (recorded === scans) done();
  });
  listener.start();
  while (listener.status().state !== 'connected') await new Promise((r) => setTimeout(r, 10));
  const t0 = performance.now();
  for (const text of tags) await simulator.type(text);
  await all;
  const ms = performance.now() - t0;
  await listener.stop();
  await simulator.unplug();
  app.close();
  const scansPerSec = scans / (ms / 1000);
  const baselineScansPerSec = scans / (baselineMs / 1000);
  return { scans, scansPerSec, baselineScansPerSec, ratio: baselineScansPerSec / scansPerSec };
}

export async function measureDevices(options: { cradleRecords: number; wedgeScans: number }, log: (line: string) => void = () => {}): Promise<DeviceFigures> {
  const root = mkdtempSync(join(tmpdir(), 'assettrack-bench-devices-'));
  try {
    log(`  cradle: ${options.cradleRecords} records at the real 9600-baud pace…`);
    const paced = await cradleUpload(root, options.cradleRecords, true);
    log(`  cradle: ${options.cradleRecords} records as fast as the pty goes…`);
    const unpaced = await cradleUpload(root, options.cradleRecords, false);
    log(`  wedge: ${options.wedgeScans} scans through the device-side listener…`);
    const wedge = await wedgeThroughput(root, options.wedgeScans);
    return { cradle: { paced, unpaced }, wedge };
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

if (import.meta.main) {
  const figures = await measureDevices({ cradleRecords: Number(process.env.BENCH_CRADLE_N ?? 2000), wedgeScans: Number(process.env.BENCH_WEDGE_N ?? 500) }, console.error);
  console.log(JSON.stringify(figures, null, 2));
}
