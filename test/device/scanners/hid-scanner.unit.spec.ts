// The HID listener against a fake node-hid: real HID scanners are not available on this machine, so
// hot-plug, read errors and load failures are played by the fake; the report parsing is real.
import { EventEmitter } from 'node:events';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { DeviceStatus } from '../../../device/device-status.ts';
import { HidScanner, parseHidDeviceId } from '../../../device/scanners/hid-scanner.ts';
import type { HidConnection, HidDeviceInfo, HidModule, HidScannerOptions } from '../../../device/scanners/hid-scanner.ts';
import type { DeviceScan } from '../../../device/scanners/scan-source.ts';

class FakeConnection extends EventEmitter implements HidConnection {
  closed = false;
  close(): void {
    this.closed = true;
  }
}

class FakeHid implements HidModule {
  listed: HidDeviceInfo[] = [];
  readonly connections: Array<{ path: string; connection: FakeConnection }> = [];
  readonly refuse = new Set<string>();
  listFailure: Error | null = null;

  devices(): HidDeviceInfo[] {
    if (this.listFailure) throw this.listFailure;
    return this.listed;
  }

  open(path: string): FakeConnection {
    if (this.refuse.has(path)) throw new Error(`cannot open device with path ${path}`);
    const connection = new FakeConnection();
    this.connections.push({ path, connection });
    return connection;
  }

  latest(path: string): FakeConnection {
    const found = this.connections.filter((c) => c.path === path).at(-1);
    if (!found) throw new Error(`${path} was never opened`);
    return found.connection;
  }
}

const SCANNER = { vendorId: 0x05e0, productId: 0x1200, product: 'Symbol Bar Code Scanner' };
const POS_INTERFACE = { ...SCANNER, path: '/dev/hidraw3', usagePage: 0x8c, usage: 0x02 };
const KEYBOARD_INTERFACE = { ...SCANNER, path: '/dev/hidraw2', usagePage: 0x01, usage: 0x06 };

function posReport(text: string, aim = ']C0'): Buffer {
  const report = Buffer.alloc(64);
  report[0] = 0x02;
  report[1] = text.length;
  report.write(aim, 2, 'latin1');
  report.write(text, 5, 'latin1');
  return report;
}

let scanner: HidScanner | undefined;
afterEach(async () => {
  await scanner?.stop();
  scanner = undefined;
});

function listen(hid: FakeHid, options: Partial<HidScannerOptions> = {}) {
  scanner = new HidScanner({ device: '05e0:1200', pollMs: 5, loadHid: async () => hid, ...options });
  const scans: DeviceScan[] = [];
  const statuses: DeviceStatus[] = [];
  scanner.onScan((scan) => scans.push(scan));
  scanner.onStatus((status) => statuses.push(status));
  scanner.start();
  return { scanner, scans, statuses };
}

async function until(check: () => void): Promise<void> {
  await vi.waitFor(check, { timeout: 3000, interval: 5 });
}

describe('HidScanner', () => {
  it('reports a node-hid that does not load as an error status, without throwing', async () => {
    const { scanner, statuses } = listen(new FakeHid(), {
      loadHid: () => Promise.reject(new Error('libudev.so.1: cannot open shared object file')),
    });
    await until(() => expect(scanner.status().state).toBe('error'));
    expect(scanner.status()).toMatchObject({
      id: 'hid:05e0:1200',
      kind: 'HID barcode scanner',
      detail: 'HID scanners unavailable: libudev.so.1: cannot open shared object file',
    });
    expect(statuses).toHaveLength(1);
  });

  it('waits for the scanner, opens its POS interface (not its keyboard one) and delivers scans with symbology', async () => {
    const hid = new FakeHid();
    const { scanner, scans } = listen(hid);
    await until(() => expect(scanner.status().detail).toBe('Waiting for HID scanner 05e0:1200 (not plugged in).'));

    hid.listed = [KEYBOARD_INTERFACE, POS_INTERFACE, { ...POS_INTERFACE, usage: 0x10 }, { ...POS_INTERFACE, vendorId: 0x0c2e, path: '/dev/hidraw9' }];
    await until(() => expect(scanner.status().state).toBe('connected'));
    expect(hid.connections.map((c) => c.path)).toEqual(['/dev/hidraw3']);
    expect(scanner.status().detail).toBe('Reading HID scanner 05e0:1200 at /dev/hidraw3 (POS reports).');

    const report = posReport('LT-00042');
    hid.latest('/dev/hidraw3').emit('data', report);
    expect(scans).toHaveLength(1);
    expect(scans[0]).toMatchObject({ source: 'hid', device: 'hid:05e0:1200', text: 'LT-00042', symbology: 'code-128' });
    expect(Buffer.from(scans[0]!.raw)).toEqual(report);
  });

  it('closes an unplugged scanner and opens it again when it comes back', async () => {
    const hid = new FakeHid();
    hid.listed = [POS_INTERFACE];
    const { scanner, scans, statuses } = listen(hid);
    await until(() => expect(scanner.status().state).toBe('connected'));
    const first = hid.latest('/dev/hidraw3');

    hid.listed = [];
    await until(() => expect(scanner.status().detail).toBe('HID scanner 05e0:1200 unplugged; waiting for it.'));
    expect(first.closed).toBe(true);
    first.emit('data', posReport('GHOST')); // a late report from the closed handle

    hid.listed = [{ ...POS_INTERFACE, path: '/dev/hidraw4' }];
    await until(() => expect(scanner.status().state).toBe('connected'));
    hid.latest('/dev/hidraw4').emit('data', posReport('EMP-0101'));

    expect(scans.map((s) => s.text)).toEqual(['EMP-0101']);
    expect(statuses.map((s) => s.state)).toEqual(['connected', 'disconnected', 'connected']);
  });

  it('reports a read error as a disconnect and reopens a scanner that is still listed', async () => {
    const hid = new FakeHid();
    hid.listed = [POS_INTERFACE];
    const { scanner, statuses } = listen(hid);
    await until(() => expect(scanner.status().state).toBe('connected'));
    const first = hid.latest('/dev/hidraw3');

    first.emit('error', new Error('could not read from HID device'));
    expect(first.closed).toBe(true);
    await until(() => expect(hid.connections).toHaveLength(2));
    await until(() => expect(scanner.status().state).toBe('connected'));
    expect(statuses).toContainEqual(expect.objectContaining({
      state: 'disconnected',
      detail: 'HID scanner 05e0:1200 at /dev/hidraw3 stopped reading (could not read from HID device); waiting for it.',
    }));
  });

  it('reads a keyboard-mode scanner through its boot keyboard reports', async () => {
    const hid = new FakeHid();
    hid.listed = [KEYBOARD_INTERFACE];
    const { scanner, scans } = listen(hid);
    await until(() => expect(scanner.status().detail).toBe('Reading HID scanner 05e0:1200 at /dev/hidraw2 (keyboard reports).'));

    const reports = [
      [0x02, 0, 0x0f, 0, 0, 0, 0, 0], [0x02, 0, 0x0f, 0x17, 0, 0, 0, 0], [0, 0, 0, 0, 0, 0, 0, 0], // L, T (rollover)
      [0, 0, 0x2d, 0, 0, 0, 0, 0], [0, 0, 0x1f, 0, 0, 0, 0, 0], [0, 0, 0, 0, 0, 0, 0, 0], // -, 2
      [0, 0, 0x28, 0, 0, 0, 0, 0], [0, 0, 0, 0, 0, 0, 0, 0], // Enter
    ].map((bytes) => Buffer.from(bytes));
    for (const report of reports) hid.latest('/dev/hidraw2').emit('data', report);

    expect(scans.map((s) => s.text)).toEqual(['LT-2']);
    expect(scans[0]!.symbology).toBeNull();
    // The reports from the first key down to the Enter press; the final key-up belongs to no scan.
    expect(Buffer.from(scans[0]!.raw)).toEqual(Buffer.concat(reports.slice(0, 7)));
  });

  it('says so when the scanner cannot be opened, and recovers once it can', async () => {
    const hid = new FakeHid();
    hid.listed = [POS_INTERFACE];
    hid.refuse.add('/dev/hidraw3');
    const { scanner } = listen(hid);
    await until(() => expect(scanner.status().state).toBe('error'));
    expect(scanner.status().detail).toContain('Cannot open HID scanner 05e0:1200 at /dev/hidraw3: cannot open device with path /dev/hidraw3.');
    expect(scanner.status().detail).toContain('udev rule');

    hid.refuse.clear();
    await until(() => expect(scanner.status().state).toBe('connected'));
  });

  it('reports a device with neither a POS nor a keyboard interface, and a failing device list', async () => {
    const hid = new FakeHid();
    hid.listed = [{ ...SCANNER, path: '/dev/hidraw5', usagePage: 0xff00, usage: 1 }];
    const { scanner } = listen(hid);
    await until(() => expect(scanner.status().detail).toBe('HID device 05e0:1200 is plugged in but offers neither a POS scanner (usage page 0x8C) nor a keyboard interface.'));

    hid.listFailure = new Error('udev enumerate failed');
    await until(() => expect(scanner.status()).toMatchObject({ state: 'error', detail: 'Listing HID devices failed: udev enumerate failed' }));
    hid.listFailure = null;
    hid.listed = [POS_INTERFACE];
    await until(() => expect(scanner.status().state).toBe('connected'));
  });

  it('stop() closes the scanner and calls nobody afterwards', async () => {
    const hid = new FakeHid();
    hid.listed = [POS_INTERFACE];
    const { scanner, scans, statuses } = listen(hid);
    await until(() => expect(scanner.status().state).toBe('connected'));
    const connection = hid.latest('/dev/hidraw3');
    const seen = statuses.length;

    await scanner.stop();
    expect(connection.closed).toBe(true);
    connection.emit('data', posReport('LATE'));
    hid.listed = [];
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(scans).toEqual([]);
    expect(statuses).toHaveLength(seen);
    expect(scanner.status().detail).toBe('Stopped listening for HID scanner 05e0:1200.');
  });

  it('takes vendor:product ids as lsusb prints them, and refuses anything else', () => {
    expect(parseHidDeviceId('05E0:1200')).toEqual({ vendorId: 0x05e0, productId: 0x1200 });
    expect(() => parseHidDeviceId('5e0:1200')).toThrow('HID scanner "5e0:1200" is not vvvv:pppp');
    expect(() => new HidScanner({ device: 'scanner' })).toThrow(/not vvvv:pppp/);
  });
});
