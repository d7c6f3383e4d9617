// The real node-hid on this machine: it loads from its prebuilt binary and finds no scanner (there is no
// HID hardware here), so the listener must end up waiting for one, not in error.
import { afterEach, expect, it, vi } from 'vitest';
import { HidScanner, loadNodeHid } from '../../../device/scanners/hid-scanner.ts';

let scanner: HidScanner | undefined;
afterEach(async () => {
  await scanner?.stop();
});

it('loads node-hid, lists devices and waits for the configured scanner', async () => {
  const hid = await loadNodeHid();
  expect(Array.isArray(hid.devices())).toBe(true);

  // An id no real device uses, so the test means the same on a machine with a scanner plugged in.
  scanner = new HidScanner({ device: 'ffff:fffe', pollMs: 50 });
  scanner.start();
  await vi.waitFor(() => expect(scanner!.status()).toMatchObject({ state: 'disconnected', detail: 'Waiting for HID scanner ffff:fffe (not plugged in).' }), { timeout: 5000 });
});
