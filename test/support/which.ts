// Finds a tool by name on PATH, and also in the sbin and bin folders a non-login PATH may lack
// (mkfs.vfat, losetup, udevadm live in /usr/sbin).
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

export function which(name: string): string | null {
  for (const dir of [...(process.env.PATH ?? '').split(delimiter), '/usr/sbin', '/sbin', '/usr/bin', '/bin']) {
    try {
      accessSync(join(dir, name), constants.X_OK);
      return join(dir, name);
    } catch { /* not here */ }
  }
  return null;
}
