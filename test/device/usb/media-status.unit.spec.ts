// The USB status sentence and byte units, one wording per case the status screen can show.
import { describe, expect, it } from 'vitest';
import { describeStick, formatBytes, mediaStatus } from '../../../device/usb/media-status.ts';

const GiB = 1024 ** 3;
const q3 = { mountPoint: '/media/EXPORT-Q3', device: '/dev/sda1', fsType: 'vfat', readOnly: false, label: 'EXPORT-Q3', freeBytes: 3.2 * GiB, totalBytes: 7.5 * GiB };
const evidence = { mountPoint: '/media/EVIDENCE', device: '/dev/sdb1', fsType: 'ext4', readOnly: true, label: 'EVIDENCE', freeBytes: 12.4 * GiB, totalBytes: 14 * GiB };
const sim = { mountPoint: '/data/simulated-usb/SIMULATED', device: 'simulated', fsType: 'simulated', readOnly: false, label: 'SIMULATED', freeBytes: 20 * GiB, totalBytes: 40 * GiB };

describe('formatBytes', () => {
  it('uses 1024 steps, one decimal below 10, whole numbers from 10', () => {
    expect(formatBytes(0)).toBe('0 B');
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(1536)).toBe('1.5 KB');
    expect(formatBytes(10 * 1024 ** 2)).toBe('10 MB');
    expect(formatBytes(3.2 * GiB)).toBe('3.2 GB');
    expect(formatBytes(15.4 * GiB)).toBe('15 GB');
    expect(formatBytes(2 * 1024 ** 4)).toBe('2.0 TB');
    expect(formatBytes(1023.9 * 1024 ** 2)).toBe('1.0 GB');
  });
});

describe('mediaStatus', () => {
  it('no stick', () => {
    expect(mediaStatus([], [], false)).toEqual({ state: 'not-present', detail: 'No USB stick inserted.', simulated: false });
    expect(mediaStatus([], [], true)).toEqual({ state: 'not-present', detail: 'No USB stick inserted.', simulated: true });
  });

  it('one stick, and read-only said', () => {
    expect(mediaStatus([q3], [], false)).toEqual({ state: 'connected', detail: 'EXPORT-Q3 (vfat) at /media/EXPORT-Q3: 3.2 GB free', simulated: false });
    expect(describeStick(evidence)).toBe('EVIDENCE (ext4) at /media/EVIDENCE: read-only, 12 GB free');
  });

  it('several sticks listed', () => {
    expect(mediaStatus([q3, evidence], [], false)).toEqual({
      state: 'connected',
      detail: '2 USB sticks: EXPORT-Q3 (vfat) at /media/EXPORT-Q3: 3.2 GB free; EVIDENCE (ext4) at /media/EVIDENCE: read-only, 12 GB free',
      simulated: false,
    });
  });

  it('a stick that cannot be read is an error naming it and the code, with the good ones after', () => {
    const fault = { mount: q3, code: 'ENOTCONN' };
    expect(mediaStatus([], [fault], false)).toEqual({
      state: 'error',
      detail: 'EXPORT-Q3 at /media/EXPORT-Q3 cannot be read (ENOTCONN); remove it and insert it again.',
      simulated: false,
    });
    expect(mediaStatus([evidence], [fault], false).detail).toBe(
      'EXPORT-Q3 at /media/EXPORT-Q3 cannot be read (ENOTCONN); remove it and insert it again. Also: EVIDENCE (ext4) at /media/EVIDENCE: read-only, 12 GB free',
    );
  });

  it('simulated only when every stick shown is simulated', () => {
    expect(mediaStatus([sim], [], true).simulated).toBe(true);
    expect(mediaStatus([sim, q3], [], true).simulated).toBe(false);
    expect(mediaStatus([sim], [], true).detail).toBe('SIMULATED (simulated) at /data/simulated-usb/SIMULATED: 20 GB free');
  });
});
