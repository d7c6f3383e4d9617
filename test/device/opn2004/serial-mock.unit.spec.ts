// The driver over serialport's stream API (SerialPortMock): the same code path as a real port, minus the
// kernel. Also what linkOverSerialPort reports when the port goes away.
import { SerialPortMock } from 'serialport';
import { afterEach, describe, expect, it } from 'vitest';
import { CradleSessionError, runCradleSession } from '../../../device/opn2004/driver.ts';
import { CradleSimulator, sampleRecords } from '../../../device/opn2004/simulator.ts';
import { createMockPort, openMockCradle } from './support/mock-cradle.ts';
import { FAST, HOST_NOW, RECORDS, recordingCommit } from './support/session.ts';

afterEach(() => SerialPortMock.binding.reset());

describe('driver over SerialPortMock', () => {
  it('uploads, commits and clears', async () => {
    createMockPort('/dev/ttyACM0');
    const { host, device, port } = await openMockCradle('/dev/ttyACM0');
    const sim = new CradleSimulator({ records: RECORDS, clockOffsetMs: 42_000, now: () => HOST_NOW });
    sim.serve(device);
    const r = await runCradleSession(host, { ...FAST, now: () => HOST_NOW, commit: recordingCommit().commit });
    expect(r).toMatchObject({ outcome: 'cleared', clockOffsetMs: 42_000, deviceId: '4711081519000001' });
    expect(r.records.map((x) => x.text)).toEqual(['LT-00001', 'CASE-13', 'LT-00002']);
    expect(sim.records).toEqual([]);
    expect(port.isOpen).toBe(false);
  });

  it('the port going away mid-upload ends the session as an unplug and closes the port', async () => {
    createMockPort('/dev/ttyACM1');
    const { host, device, port } = await openMockCradle('/dev/ttyACM1');
    const sim = new CradleSimulator({ records: sampleRecords(40), faults: { unplugAfterUploadBytes: 200 } });
    sim.serve(device);
    let reason = '';
    host.onClose((r) => (reason = r));
    const store = recordingCommit();
    const error = await runCradleSession(host, { ...FAST, commit: store.commit }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CradleSessionError);
    expect((error as CradleSessionError).failure).toBe('unplugged');
    expect(reason).toBe('/dev/ttyACM1 went away (device unplugged)');
    expect(port.isOpen).toBe(false);
    expect(store.calls).toHaveLength(0);
    expect(sim.records).toHaveLength(40);
  });

  it('writes after the link closed are refused, not thrown into the void', async () => {
    createMockPort('/dev/ttyACM2');
    const { host } = await openMockCradle('/dev/ttyACM2');
    await host.close();
    await expect(host.write(Uint8Array.of(1))).rejects.toThrow(/cannot write/);
    await host.close(); // idempotent
  });
});
