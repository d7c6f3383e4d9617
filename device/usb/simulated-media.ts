// USB sticks for `make run` without hardware (and without root to mount anything): each "stick" is a
// directory <dir>/<LABEL> that the watcher lists next to the mount table (RemovableMediaWatcher's
// extraMounts), with file system type "simulated". remove() only unlists it and leaves the files, so a
// developer can look at what an export wrote, and inserting the same label again shows them, like
// plugging the same stick back in.
import { mkdirSync, statfsSync } from 'node:fs';
import { join } from 'node:path';
import { SIMULATED_FS_TYPE } from './media-status.ts';
import type { StickMount } from './mountinfo.ts';
import { measureStick, type Statfs, type Stick } from './removable-media.ts';

export const SIMULATED_DEVICE = 'simulated';

export interface SimulatedMediaOptions {
  /** Where the stick directories go, e.g. <dataDir>/simulated-usb. Created when needed. */
  dir: string;
  /** Default fs.statfsSync (the free space of the disk under dir). */
  statfs?: Statfs;
}

export class SimulatedMedia {
  readonly dir: string;
  readonly #statfs: Statfs;
  /** Inserted labels, in insertion order. */
  readonly #inserted = new Set<string>();

  constructor(options: SimulatedMediaOptions) {
    this.dir = options.dir;
    this.#statfs = options.statfs ?? statfsSync;
  }

  /** "Plugs in" a stick: creates <dir>/<label> if needed. Default label SIMULATED, then SIMULATED2... */
  insert(label?: string): Stick {
    const name = label ?? this.#freeLabel();
    // The label becomes one directory name: nothing that would climb out of dir or nest.
    if (name === '' || name === '.' || name === '..' || name.includes('/') || name.includes('\0')) {
      throw new Error(`Not a usable stick label: ${JSON.stringify(name)}`);
    }
    if (this.#inserted.has(name)) throw new Error(`A simulated stick labelled ${name} is already inserted.`);
    mkdirSync(join(this.dir, name), { recursive: true });
    this.#inserted.add(name);
    return measureStick(this.#mount(name), this.#statfs);
  }

  /** "Pulls" a stick; its files stay on disk. False when no stick has that label. */
  remove(label: string): boolean {
    return this.#inserted.delete(label);
  }

  /** The inserted sticks as mounts: pass `() => media.mounts()` as the watcher's extraMounts. */
  mounts(): StickMount[] {
    return [...this.#inserted].map((label) => this.#mount(label));
  }

  #mount(label: string): StickMount {
    return { mountPoint: join(this.dir, label), device: SIMULATED_DEVICE, fsType: SIMULATED_FS_TYPE, readOnly: false, label };
  }

  #freeLabel(): string {
    for (let n = 1; ; n += 1) {
      const label = n === 1 ? 'SIMULATED' : `SIMULATED${n}`;
      if (!this.#inserted.has(label)) return label;
    }
  }
}
