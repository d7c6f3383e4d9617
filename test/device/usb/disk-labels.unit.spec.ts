// The by-label lookup on a directory laid out like udev's /dev/disk/by-label, with regular files standing
// in for the device nodes (only the links' targets matter).
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { byLabelLookup, decodeUdevName } from '../../../device/usb/disk-labels.ts';

let dev: string;

beforeEach(() => {
  dev = mkdtempSync(join(tmpdir(), 'by-label-'));
  mkdirSync(join(dev, 'disk', 'by-label'), { recursive: true });
  for (const node of ['sda1', 'sdb1', 'sdc1']) writeFileSync(join(dev, node), '');
  symlinkSync('../../sda1', join(dev, 'disk', 'by-label', 'KINGSTON'));
  symlinkSync('../../sdb1', join(dev, 'disk', 'by-label', 'EXPORT\\x20Q3'));
  symlinkSync('../../gone1', join(dev, 'disk', 'by-label', 'DANGLING'));
});

afterEach(() => rmSync(dev, { recursive: true, force: true }));

describe('byLabelLookup', () => {
  it('finds the label whose link resolves to the device, decoding udev escapes', () => {
    const labelOf = byLabelLookup(join(dev, 'disk', 'by-label'));
    expect(labelOf(join(dev, 'sda1'))).toBe('KINGSTON');
    expect(labelOf(join(dev, 'sdb1'))).toBe('EXPORT Q3');
  });

  it('has no label for an unlabelled device, a missing device, a FUSE source or a missing directory', () => {
    const labelOf = byLabelLookup(join(dev, 'disk', 'by-label'));
    expect(labelOf(join(dev, 'sdc1'))).toBeNull();
    expect(labelOf(join(dev, 'sdz9'))).toBeNull();
    expect(labelOf('fusefat')).toBeNull();
    expect(byLabelLookup(join(dev, 'nowhere'))(join(dev, 'sda1'))).toBeNull();
  });
});

describe('decodeUdevName', () => {
  it('decodes \\xNN, including the bytes of one UTF-8 character', () => {
    expect(decodeUdevName('EXPORT\\x20Q3')).toBe('EXPORT Q3');
    expect(decodeUdevName('a\\x2fb')).toBe('a/b');
    expect(decodeUdevName('M\\xc3\\xbcller')).toBe('Müller');
    expect(decodeUdevName('PLAIN')).toBe('PLAIN');
  });
});
