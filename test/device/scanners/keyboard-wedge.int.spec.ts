// The keyboard-wedge reader on real file descriptors: a FIFO stands in for the scanner's evdev node and
// the WedgeSimulator writes the input_event records a USB keyboard would.
import { chmod, mkdtemp, open, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { DeviceStatus } from '../../../device/device-status.ts';
import { EV_KEY, INPUT_EVENT_SIZE, KEY_PRESS, KEY_RELEASE, KEY_REPEAT, concatBytes, decodeInputEvent } from '../../../device/scanners/input-event.ts';
import { KeyboardWedgeScanner } from '../../../device/scanners/keyboard-wedge.ts';
import type { KeyboardWedgeOptions } from '../../../device/scanners/keyboard-wedge.ts';
import { KEY } from '../../../device/scanners/keymap.ts';
import type { DeviceScan } from '../../../device/scanners/scan-source.ts';
import { WedgeSimulator, encodeKeystrokes, keyEvent } from '../../../device/scanners/wedge-simulator.ts';

const READ_POLL_MS = 5;
let dir: string;
let path: string;
let simulator: WedgeSimulator;
let scanner: KeyboardWedgeScanner | undefined;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'wedge-'));
  path = join(dir, 'usb-Test_Scanner-event-kbd');
  simulator = new WedgeSimulator(path);
});

afterEach(async () => {
  await scanner?.stop();
  scanner = undefined;
  await simulator.unplug();
  await rm(dir, { recursive: true, force: true });
});

function listen(options: Partial<KeyboardWedgeOptions> = {}) {
  scanner = new KeyboardWedgeScanner({ path, reopenPollMs: 25, readPollMs: READ_POLL_MS, ...options });
  const scans: DeviceScan[] = [];
  const statuses: DeviceStatus[] = [];
  scanner.onScan((scan) => scans.push(scan));
  scanner.onStatus((status) => statuses.push(status));
  scanner.start();
  return { scanner, scans, statuses };
}

async function until(check: () => void): Promise<void> {
  await vi.waitFor(check, { timeout: 5000, interval: 5 });
}

function keys(...transitions: Array<[number, number]>): Uint8Array {
  return concatBytes(transitions.flatMap(([code, value]) => keyEvent(code, value)));
}

const enter = (): Array<[number, number]> => [[KEY.ENTER, KEY_PRESS], [KEY.ENTER, KEY_RELEASE]];

function states(statuses: DeviceStatus[]): string[] {
  return statuses.map((s) => s.state).filter((state, i, all) => state !== all[i - 1]);
}

describe('keyboard wedge on a FIFO', () => {
  it('decodes scans with shift, symbols and both Enter keys; raw holds exactly the key events of the scan', async () => {
    await simulator.plug();
    const { scanner, scans } = listen();
    await until(() => expect(scanner.status().state).toBe('connected'));

    await simulator.type('LT-00042');
    await simulator.type('Ab#9/x?~"{}|', { terminator: 'kp-enter' });
    await until(() => expect(scans).toHaveLength(2));

    expect(scans.map((s) => s.text)).toEqual(['LT-00042', 'Ab#9/x?~"{}|']);
    const first = scans[0]!;
    expect(first).toMatchObject({ source: 'wedge', device: `wedge:${path}`, symbology: null });
    expect(Date.parse(first.at)).not.toBeNaN();
    // L and T with shift (4 events each), '-' (2), five digits (10), the Enter press: EV_MSC and EV_SYN left out.
    expect(first.raw.length).toBe(21 * INPUT_EVENT_SIZE);
    const events = Array.from({ length: 21 }, (_, i) => decodeInputEvent(first.raw.slice(i * INPUT_EVENT_SIZE, (i + 1) * INPUT_EVENT_SIZE)));
    expect(events.every((e) => e.type === EV_KEY)).toBe(true);
    expect(events[0]).toMatchObject({ code: KEY.LEFTSHIFT, value: KEY_PRESS });
    expect(events.at(-1)).toMatchObject({ code: KEY.ENTER, value: KEY_PRESS });
  });

  it('reassembles records split across writes', async () => {
    await simulator.plug();
    const { scanner, scans } = listen();
    await until(() => expect(scanner.status().state).toBe('connected'));

    const bytes = encodeKeystrokes('LT-7/');
    // Cut at odd sizes so nearly every write ends inside a record; wait so the reader sees each piece alone.
    for (let offset = 0; offset < bytes.length; offset += 37) {
      await simulator.write(bytes.slice(offset, offset + 37));
      await sleep(READ_POLL_MS * 3);
    }
    await until(() => expect(scans.map((s) => s.text)).toEqual(['LT-7/']));
  });

  it('ignores auto-repeat, handles rollover and shift released mid-rollover', async () => {
    await simulator.plug();
    const { scanner, scans } = listen();
    await until(() => expect(scanner.status().state).toBe('connected'));

    // A held key repeats: still one character.
    await simulator.write(keys([KEY_A, KEY_PRESS], [KEY_A, KEY_REPEAT], [KEY_A, KEY_REPEAT], [KEY_A, KEY_RELEASE], ...enter()));
    // Rollover: T pressed before L is released, and shift let go while T is still down.
    await simulator.write(keys(
      [KEY.RIGHTSHIFT, KEY_PRESS], [KEY_L, KEY_PRESS], [KEY_T, KEY_PRESS], [KEY_L, KEY_RELEASE],
      [KEY.RIGHTSHIFT, KEY_RELEASE], [KEY_A, KEY_PRESS], [KEY_T, KEY_RELEASE], [KEY_A, KEY_RELEASE], ...enter(),
    ));
    await until(() => expect(scans).toHaveLength(2));
    expect(scans.map((s) => s.text)).toEqual(['a', 'LTa']);
    // The repeats are key events of the scan, so they stay in raw: press, 2 repeats, release, Enter press.
    expect(scans[0]!.raw.length).toBe(5 * INPUT_EVENT_SIZE);
  });

  it('flags a key with no character with U+FFFD and keeps it in raw', async () => {
    await simulator.plug();
    const { scanner, scans } = listen();
    await until(() => expect(scanner.status().state).toBe('connected'));

    await simulator.write(concatBytes([
      encodeKeystrokes('AB', { terminator: 'none' }),
      keys([KEY.F1, KEY_PRESS], [KEY.F1, KEY_RELEASE]),
      encodeKeystrokes('C'),
    ]));
    await until(() => expect(scans).toHaveLength(1));
    expect(scans[0]!.text).toBe('AB\uFFFDC');
    const codes = Array.from({ length: scans[0]!.raw.length / INPUT_EVENT_SIZE }, (_, i) =>
      decodeInputEvent(scans[0]!.raw.slice(i * INPUT_EVENT_SIZE, (i + 1) * INPUT_EVENT_SIZE)).code);
    expect(codes).toContain(KEY.F1);
  });

  it('ends a scan on a configured suffix and strips it', async () => {
    await simulator.plug();
    const { scanner, scans } = listen({ suffix: '\t' });
    await until(() => expect(scanner.status().state).toBe('connected'));
    await simulator.type('EMP-0101\t', { terminator: 'none' });
    await until(() => expect(scans.map((s) => s.text)).toEqual(['EMP-0101']));
  });

  it('waits for a missing path, then survives unplug and replug and keeps delivering scans', async () => {
    const { scanner, scans, statuses } = listen();
    await until(() => expect(scanner.status()).toMatchObject({ state: 'disconnected', detail: `Waiting for ${path} (scanner not plugged in).` }));

    await simulator.plug();
    await until(() => expect(scanner.status().state).toBe('connected'));
    await simulator.type('ONE');
    await until(() => expect(scans).toHaveLength(1));

    // Unplugged halfway through a scan: the half must not be glued to the next scan.
    await simulator.type('HALF', { terminator: 'none' });
    await simulator.unplug();
    await until(() => expect(scanner.status().detail).toBe(`Waiting for ${path} (scanner not plugged in).`));
    expect(statuses.some((s) => s.state === 'disconnected' && s.detail.includes('went away (end of file)'))).toBe(true);

    await simulator.plug();
    await until(() => expect(scanner.status().state).toBe('connected'));
    await simulator.type('TWO');
    await until(() => expect(scans).toHaveLength(2));

    expect(scans.map((s) => s.text)).toEqual(['ONE', 'TWO']);
    expect(states(statuses)).toEqual(['disconnected', 'connected', 'disconnected', 'connected']);
    expect(statuses.every((s) => s.id === `wedge:${path}` && s.kind === 'Keyboard-wedge scanner' && !s.simulated)).toBe(true);
  });

  it('reports permission denied as an error that names the path and the udev rule', async (ctx) => {
    const denied = await pathThatDeniesRead();
    if (!denied) return ctx.skip('no path on this machine refuses a read open');
    path = denied;
    const { scanner } = listen();
    await until(() => expect(scanner.status().state).toBe('error'));
    expect(scanner.status().detail).toContain(`Permission denied reading ${denied}`);
    expect(scanner.status().detail).toContain('udev rule');
  });

  it('refuses a regular file, which would replay its scans at every reopen', async () => {
    await writeFile(path, encodeKeystrokes('LT-1'));
    const { scanner, scans } = listen();
    await until(() => expect(scanner.status().state).toBe('error'));
    expect(scanner.status().detail).toBe(`${path} is not an input device (expected an event node such as /dev/input/event3).`);
    expect(scans).toEqual([]);
  });

  it('stop() returns promptly while waiting, and nothing is called after it', async () => {
    const { scanner, statuses, scans } = listen({ reopenPollMs: 60_000 });
    await until(() => expect(scanner.status().state).toBe('disconnected'));
    const started = performance.now();
    await scanner.stop();
    expect(performance.now() - started).toBeLessThan(1000);
    const seen = statuses.length;

    await simulator.plug();
    await simulator.type('LATE');
    await sleep(50);
    expect(scans).toEqual([]);
    expect(statuses).toHaveLength(seen);
    expect(scanner.status()).toMatchObject({ state: 'disconnected', detail: `Stopped listening to ${path}.` });
  });
});

const KEY_A = 30;
const KEY_L = 38;
const KEY_T = 20;

/** root reads anything chmod 000, but not a write-only sysfs attribute. */
async function pathThatDeniesRead(): Promise<string | null> {
  const locked = join(dir, 'locked-event-kbd');
  await writeFile(locked, '');
  await chmod(locked, 0o000);
  for (const candidate of [locked, '/sys/bus/pci/rescan']) {
    try {
      await (await open(candidate, 'r')).close();
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'EACCES') return candidate;
    }
  }
  return null;
}
