// Reads /proc/self/mountinfo text into mounts, and picks the USB sticks out of them: the mounts strictly
// below a configured root (/media, /run/media). Pure: no file system access here, the label lookup is passed
// in (disk-labels.ts has the real one), so every case can be tested from recorded text.
//
// Line format (proc(5)): ID PARENT MAJOR:MINOR ROOT MOUNT_POINT MOUNT_OPTIONS [OPTIONAL...] - FSTYPE SOURCE SUPER_OPTIONS
// The optional fields (shared:N, master:N, ...) vary in number, so the " - " separator is what splits the
// line. The kernel escapes space, tab, newline and backslash in paths as octal (\040, \011, \012, \134).
import { posix } from 'node:path';

export interface MountEntry {
  mountId: number;
  parentId: number;
  /** "8:1" */
  majorMinor: string;
  /** The directory of the file system that is mounted here ("/" unless a bind mount of a subdirectory). */
  root: string;
  mountPoint: string;
  /** Per-mount options: ro/rw, nosuid, nodev, noexec, relatime... */
  mountOptions: string[];
  /** shared:N, master:N, propagate_from:N, unbindable. */
  optionalFields: string[];
  /** "vfat", "ext4", "fuse.fusefat"... */
  fsType: string;
  /** The mount source: "/dev/sda1", "fusefat", an image path, "tmpfs"... */
  source: string;
  /** Options of the file system itself (the super block); a file system mounted ro shows it here too. */
  superOptions: string[];
  /** ro in the mount options or in the super options. */
  readOnly: boolean;
}

export interface StickMount {
  mountPoint: string;
  /** The mount source as mountinfo shows it ("/dev/sda1"; "fusefat" for a FUSE FAT mount). */
  device: string;
  fsType: string;
  readOnly: boolean;
  /** The file system label when /dev/disk/by-label knows the device, else the mount point's last name. */
  label: string;
}

/** The label of a source device ("/dev/sda1"), or null when it has none or cannot be found. */
export type LabelLookup = (device: string) => string | null;

/** Undoes the kernel's octal escapes (\040 space, \011 tab, \012 newline, \134 backslash). */
export function unescapeMountPath(text: string): string {
  return text.replace(/\\([0-7]{3})/g, (_, octal: string) => String.fromCharCode(Number.parseInt(octal, 8)));
}

/** Every well-formed line of mountinfo text; a line that does not parse is skipped, not fatal. */
export function parseMountinfo(text: string): MountEntry[] {
  const entries: MountEntry[] = [];
  for (const line of text.split('\n')) {
    const entry = parseLine(line);
    if (entry) entries.push(entry);
  }
  return entries;
}

function parseLine(line: string): MountEntry | null {
  const fields = line.trim().split(' ');
  // The separator is the first bare "-" after the six fixed fields: those cannot be "-" (paths are absolute).
  const separator = fields.indexOf('-', 6);
  if (separator < 0 || fields.length < separator + 3) return null;
  const [id, parent, majorMinor, root, mountPoint, options] = fields;
  const mountId = Number(id);
  const parentId = Number(parent);
  if (!Number.isInteger(mountId) || !Number.isInteger(parentId) || !majorMinor || !root || !mountPoint || !options) return null;
  const mountOptions = options.split(',');
  const superOptions = (fields[separator + 3] ?? '').split(',').filter((o) => o !== '');
  return {
    mountId,
    parentId,
    majorMinor,
    root: unescapeMountPath(root),
    mountPoint: unescapeMountPath(mountPoint),
    mountOptions,
    optionalFields: fields.slice(6, separator),
    fsType: fields[separator + 1]!,
    source: unescapeMountPath(fields[separator + 2]!),
    superOptions,
    readOnly: mountOptions.includes('ro') || superOptions.includes('ro'),
  };
}

/** True when `path` is strictly below `root`: /media/X is below /media; /media and /media2/X are not. */
export function isBelow(path: string, root: string): boolean {
  const base = posix.normalize(root).replace(/(?<=.)\/+$/, '');
  const prefix = base === '/' ? '/' : `${base}/`;
  return path !== base && path.startsWith(prefix);
}

/**
 * The mounts strictly below one of `roots`, as sticks, in mountinfo order. A root that is itself a mount
 * (a tmpfs on /media) is not a stick. When two mounts stack on one mount point, only the top one (the later
 * line) is visible, so only it is kept.
 */
export function sticksUnder(entries: readonly MountEntry[], roots: readonly string[], labelOf: LabelLookup = () => null): StickMount[] {
  const top = new Map<string, MountEntry>();
  for (const entry of entries) {
    if (!roots.some((root) => isBelow(entry.mountPoint, root))) continue;
    top.delete(entry.mountPoint);
    top.set(entry.mountPoint, entry);
  }
  return [...top.values()].map((entry) => ({
    mountPoint: entry.mountPoint,
    device: entry.source,
    fsType: entry.fsType,
    readOnly: entry.readOnly,
    label: labelOf(entry.source) ?? posix.basename(entry.mountPoint),
  }));
}
