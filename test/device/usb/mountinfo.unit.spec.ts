// The mount-table parser and the stick filter on recorded /proc/self/mountinfo text. The fixtures are
// written from what each system shows (Raspberry Pi OS with udisks2 mounts under /media/pi, a kiosk
// whose /media and /run/media are tmpfs, FUSE FAT mounts as recorded on this machine), with exact
// expected output.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { isBelow, parseMountinfo, sticksUnder, unescapeMountPath, type LabelLookup } from '../../../device/usb/mountinfo.ts';

const fixture = (name: string) => readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');

const VFAT_OPTIONS = 'rw,uid=1000,gid=1000,fmask=0022,dmask=0022,codepage=437,iocharset=ascii,shortname=mixed,showexec,utf8,flush,errors=remount-ro'.split(',');

describe('parseMountinfo', () => {
  it('reads every field of a line, with optional fields before the separator', () => {
    const entries = parseMountinfo(fixture('raspberry-pi-os.mountinfo'));
    expect(entries).toHaveLength(18);
    expect(entries.find((e) => e.mountId === 640)).toEqual({
      mountId: 640,
      parentId: 22,
      majorMinor: '8:1',
      root: '/',
      mountPoint: '/media/pi/KINGSTON',
      mountOptions: ['rw', 'nosuid', 'nodev', 'relatime'],
      optionalFields: ['shared:365'],
      fsType: 'vfat',
      source: '/dev/sda1',
      superOptions: VFAT_OPTIONS,
      readOnly: false,
    });
  });

  it('reads lines with no optional fields and with several', () => {
    const here = parseMountinfo(fixture('fusefat-here.mountinfo'));
    expect(here.find((e) => e.mountId === 42)).toMatchObject({ optionalFields: [], fsType: 'fuse.fusefat', source: 'fusefat', superOptions: ['rw', 'user_id=0', 'group_id=0'] });
    const kiosk = parseMountinfo(fixture('kiosk-media-tmpfs.mountinfo'));
    expect(kiosk.find((e) => e.mountId === 52)).toMatchObject({ optionalFields: ['shared:42', 'master:7'], fsType: 'vfat', source: '/dev/sdb1' });
  });

  it('undoes the octal escapes in mount points (space, backslash) and keeps the digits after them', () => {
    const kiosk = parseMountinfo(fixture('kiosk-media-tmpfs.mountinfo'));
    expect(kiosk.find((e) => e.mountId === 71)?.mountPoint).toBe('/run/media/alice/BACKUP 2026');
    expect(kiosk.find((e) => e.mountId === 72)?.mountPoint).toBe('/var/lib/assettrack/tmp\\dir');
    expect(unescapeMountPath('/media/a\\011b\\012c\\134d\\040e')).toBe('/media/a\tb\nc\\d e');
  });

  it('is read-only when either the mount or the file system (super options) says ro', () => {
    const entries = parseMountinfo(fixture('raspberry-pi-os.mountinfo'));
    const ro = (id: number) => entries.find((e) => e.mountId === id)?.readOnly;
    expect(ro(640)).toBe(false);
    expect(ro(668)).toBe(true); // mounted ro
    expect(ro(680)).toBe(true); // vfat remounted ro by errors=remount-ro: only the super block says so
  });

  it('keeps the root of a bind mount', () => {
    const bind = parseMountinfo(fixture('raspberry-pi-os.mountinfo')).find((e) => e.mountId === 701);
    expect(bind).toMatchObject({ root: '/exports', mountPoint: '/srv/export', source: '/dev/sda1' });
  });

  it('skips lines that do not parse, and empty text', () => {
    expect(parseMountinfo('')).toEqual([]);
    const text = ['garbage', '1 2 3', '40 1 8:1 / /media/A rw shared:1 vfat /dev/sda1 rw', '41 1 8:1 / /media/B rw - vfat /dev/sda1 rw'].join('\n');
    expect(parseMountinfo(text).map((e) => e.mountPoint)).toEqual(['/media/B']);
  });
});

describe('isBelow', () => {
  it('is strictly below, by whole path segments', () => {
    expect(isBelow('/media/X', '/media')).toBe(true);
    expect(isBelow('/media/pi/X', '/media/')).toBe(true);
    expect(isBelow('/media', '/media')).toBe(false);
    expect(isBelow('/media', '/media/')).toBe(false);
    expect(isBelow('/media2/X', '/media')).toBe(false);
    expect(isBelow('/run/media/alice/X', '/run/media')).toBe(true);
    expect(isBelow('/anything', '/')).toBe(true);
    expect(isBelow('/', '/')).toBe(false);
  });
});

describe('sticksUnder', () => {
  const ROOTS = ['/media', '/run/media'];

  it('Raspberry Pi OS: the udisks2 mounts below /media/pi, labels from by-label, the bind mount left out', () => {
    const labels: Record<string, string> = { '/dev/sda1': 'KINGSTON', '/dev/sdb1': 'EXPORT Q3', '/dev/mmcblk0p1': 'bootfs' };
    const labelOf: LabelLookup = (device) => labels[device] ?? null;
    expect(sticksUnder(parseMountinfo(fixture('raspberry-pi-os.mountinfo')), ROOTS, labelOf)).toEqual([
      { mountPoint: '/media/pi/KINGSTON', device: '/dev/sda1', fsType: 'vfat', readOnly: false, label: 'KINGSTON' },
      { mountPoint: '/media/pi/EXPORT Q3', device: '/dev/sdb1', fsType: 'vfat', readOnly: false, label: 'EXPORT Q3' },
      { mountPoint: '/media/pi/EVIDENCE', device: '/dev/sdc1', fsType: 'ext4', readOnly: true, label: 'EVIDENCE' },
      { mountPoint: '/media/pi/OLDSTICK', device: '/dev/sdd1', fsType: 'vfat', readOnly: true, label: 'OLDSTICK' },
    ]);
  });

  it('uses the label from the lookup over the mount point name', () => {
    const entries = parseMountinfo(fixture('raspberry-pi-os.mountinfo'));
    const sticks = sticksUnder(entries, ['/media'], (device) => (device === '/dev/sdc1' ? 'CASE-7 LOG' : null));
    expect(sticks.map((s) => s.label)).toEqual(['KINGSTON', 'EXPORT Q3', 'CASE-7 LOG', 'OLDSTICK']);
  });

  it('kiosk: /media and /run/media themselves are not sticks, /media2 is not under /media, only the top of a stack counts', () => {
    expect(sticksUnder(parseMountinfo(fixture('kiosk-media-tmpfs.mountinfo')), ROOTS)).toEqual([
      { mountPoint: '/media/STICK', device: '/dev/sdb1', fsType: 'vfat', readOnly: false, label: 'STICK' },
      { mountPoint: '/run/media/alice/BACKUP 2026', device: '/dev/sdd1', fsType: 'fuseblk', readOnly: false, label: 'BACKUP 2026' },
    ]);
  });

  it('FUSE FAT mounts as this machine shows them (fuse.fusefat, source "fusefat"; fsname= gives plain fuse)', () => {
    expect(sticksUnder(parseMountinfo(fixture('fusefat-here.mountinfo')), ['/tmp/fx/root'])).toEqual([
      { mountPoint: '/tmp/fx/root/EXPORT Q3', device: 'fusefat', fsType: 'fuse.fusefat', readOnly: false, label: 'EXPORT Q3' },
      { mountPoint: '/tmp/fx/root/RO', device: 'fusefat', fsType: 'fuse.fusefat', readOnly: true, label: 'RO' },
      { mountPoint: '/tmp/fx/root/NAMED', device: '/tmp/fx/r.img', fsType: 'fuse', readOnly: true, label: 'NAMED' },
    ]);
  });

  it('finds nothing with no roots or no mounts below them', () => {
    const entries = parseMountinfo(fixture('raspberry-pi-os.mountinfo'));
    expect(sticksUnder(entries, [])).toEqual([]);
    expect(sticksUnder(entries, ['/run/media'])).toEqual([]);
  });
});
