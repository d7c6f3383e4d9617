// File system labels from udev's /dev/disk/by-label links (KINGSTON -> ../../sda1). udev writes unsafe
// characters of a label as \xNN ("EXPORT\x20Q3"), so names are decoded. No udev (a container, this
// machine), no directory, an unknown device: no label, and the caller falls back to the mount point's name.
import { readdirSync, realpathSync } from 'node:fs';
import { join } from 'node:path';
import type { LabelLookup } from './mountinfo.ts';

export const BY_LABEL_DIR = '/dev/disk/by-label';

/** Decodes udev's \xNN escapes in a by-label link name. */
export function decodeUdevName(name: string): string {
  const bytes: number[] = [];
  for (let i = 0; i < name.length; ) {
    const escape = /^\\x([0-9a-fA-F]{2})/.exec(name.slice(i));
    if (escape) {
      bytes.push(Number.parseInt(escape[1]!, 16));
      i += 4;
    } else {
      const char = name.codePointAt(i)!;
      const encoded = Buffer.from(String.fromCodePoint(char));
      bytes.push(...encoded);
      i += char > 0xffff ? 2 : 1;
    }
  }
  // Escaped bytes can be parts of one UTF-8 character (udev escapes non-ASCII too), so decode them together.
  return Buffer.from(bytes).toString('utf8');
}

/** A LabelLookup over a by-label directory, resolving both sides so /dev/sda1 matches ../../sda1. */
export function byLabelLookup(dir: string = BY_LABEL_DIR): LabelLookup {
  return (device) => {
    if (!device.startsWith('/')) return null; // "fusefat", "tmpfs": not a device node
    let names: string[];
    let target: string;
    try {
      names = readdirSync(dir);
      target = realpathSync(device);
    } catch {
      return null;
    }
    for (const name of names) {
      try {
        if (realpathSync(join(dir, name)) === target) return decodeUdevName(name);
      } catch {
        // A dangling link (the stick just left): not this one.
      }
    }
    return null;
  };
}
