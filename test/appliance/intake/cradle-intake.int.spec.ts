// A cradle upload from end to end without mocks: the OPN-2004 simulator on one end of a real
// pseudo-terminal pair (socat), the real driver on serialport's real binding on the other, and intake
// committing into a real store. The scanner is cleared only after the commit; a failed clear or a failed
// commit never loses or doubles a record.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Intake } from '../../../appliance/intake/intake.ts';
import { runCradleSession, type CradleSessionOptions } from '../../../device/opn2004/driver.ts';
import { openSerialLink } from '../../../device/opn2004/link.ts';
import { openPtyPair, type PtyPair } from '../../../device/opn2004/pty-pair.ts';
import { CradleSimulator, sampleRecords, type CradleFaults } from '../../../device/opn2004/simulator.ts';
import { openCage, type Cage } from '../../support/cage.ts';

let pty: PtyPair;
let cage: Cage;
beforeEach(async () => {
  pty = await openPtyPair();
  cage = openCage();
});
afterEach(async () => {
  await pty.close();
  cage.close();
});

const FAST: Partial<CradleSessionOptions> = { replyTimeoutMs: 400, firstReplyTimeoutMs: 600, retries: 2, compatibilityDelayMs: 50 };

/** One docking: the simulator answers on the device end while the driver runs on the host end. */
async function dock(scanner: CradleSimulator, commit: CradleSessionOptions['commit']) {
  const deviceEnd = await openSerialLink(pty.devicePath);
  scanner.serve(deviceEnd);
  try {
    return await runCradleSession(await openSerialLink(pty.hostPath), { ...FAST, commit });
  } finally {
    await deviceEnd.close();
  }
}

const cradleScans = () => [...cage.app.store.readEvents(1)].filter((e) => e.type === 'ScanCaptured' && e.data.source === 'cradle');

describe('cradle upload into the store over a real pty', () => {
  it('records every record and one CradleUploaded in one transaction, then clears the scanner', async () => {
    const records = sampleRecords(40, { seed: 1 });
    const scanner = new CradleSimulator({ records, clockOffsetMs: -90_000 });
    const intake = new Intake(cage.app);
    const head = cage.app.store.head().seq;
    const result = await dock(scanner, async (upload) => intake.commitCradleUpload(upload));
    expect(result).toMatchObject({ outcome: 'cleared', cleared: true, commit: { committed: true, recorded: 40, alreadyRecorded: 0 } });
    expect(scanner.records).toHaveLength(0);
    const events = [...cage.app.store.readEvents(head + 1)];
    expect(events).toHaveLength(41);
    expect(events.at(-1)).toMatchObject({ type: 'CradleUploaded', data: { recorded: 40, device_id: 'opn2004:4711081519000001' } });
    // the scanner's own time is kept; the corrected time moves it by the measured offset (scanner 90 s slow)
    const first = events[0]!.data;
    expect(first.value).toBe(records[0]!.text);
    expect(Date.parse(String(first.scanner_time))).toBe(Math.floor(records[0]!.time.getTime() / 1000) * 1000);
    const shift = Date.parse(String(first.corrected_time)) - Date.parse(String(first.scanner_time));
    expect(Math.abs(shift - 90_000)).toBeLessThanOrEqual(2000);
    // every recorded event of the upload was written by one transaction: one recorded_at for all of them
    expect(new Set(events.map((e) => e.recorded_at)).size).toBe(1);
  });

  it('records nothing twice when the clear failed and the same records come again', async () => {
    const scanner = new CradleSimulator({ records: sampleRecords(12, { seed: 2 }), faults: { failClear: 'nak' } });
    const intake = new Intake(cage.app);
    const first = await dock(scanner, async (upload) => intake.commitCradleUpload(upload));
    expect(first).toMatchObject({ outcome: 'clear-failed', cleared: false });
    expect(first.message).toMatch(/clear/i);
    expect(scanner.records).toHaveLength(12);
    const head = cage.app.store.head().seq;
    const again = await dock(scanner, async (upload) => intake.commitCradleUpload(upload));
    expect(again.commit).toMatchObject({ committed: true, recorded: 0, alreadyRecorded: 12 });
    expect(cage.app.store.head().seq).toBe(head);
    expect(cradleScans()).toHaveLength(12);
  });

  it('keeps the scanner memory when the commit fails, and stores it all at the next docking', async () => {
    const scanner = new CradleSimulator({ records: sampleRecords(8, { seed: 3 }) });
    const head = cage.app.store.head().seq;
    const failed = await dock(scanner, async () => ({ committed: false, reason: 'the disk is full' }));
    expect(failed).toMatchObject({ outcome: 'not-committed', cleared: false });
    expect(scanner.records).toHaveLength(8);
    expect(cage.app.store.head().seq).toBe(head);
    const intake = new Intake(cage.app);
    const later = await dock(scanner, async (upload) => intake.commitCradleUpload(upload));
    expect(later).toMatchObject({ outcome: 'cleared', commit: { recorded: 8 } });
    expect(cradleScans()).toHaveLength(8);
  });

  it.each<[string, CradleFaults]>([
    ['a CRC error on every upload', { badCrc: { upload: Infinity } }],
    ['a truncated upload every time', { truncateUploads: 99 }],
    ['a scanner pulled mid-upload', { unplugAfterUploadBytes: 100 }],
  ])('stores nothing and keeps the scanner memory after %s', async (_name, faults) => {
    const scanner = new CradleSimulator({ records: sampleRecords(30, { seed: 4 }), faults });
    const intake = new Intake(cage.app);
    const head = cage.app.store.head().seq;
    let commits = 0;
    await expect(dock(scanner, async (upload) => {
      commits++;
      return intake.commitCradleUpload(upload);
    })).rejects.toThrow(/.+/);
    expect(commits).toBe(0);
    expect(cage.app.store.head().seq).toBe(head);
    expect(scanner.records).toHaveLength(30);
  });
});
