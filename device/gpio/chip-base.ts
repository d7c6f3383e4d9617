// Which sysfs GPIO number drives a header pin. Since kernel 6.2 sysfs numbers no longer equal BCM pin
// numbers: each gpiochip gets a base (512 for the Pi 4 header on Raspberry Pi OS 6.6, 571 on a Pi 5 whose
// header sits on the RP1 chip), so BCM 17 is gpio529 on one and gpio588 on the other. We read the chips'
// base, label and ngpio under /sys/class/gpio and add the pin to the header chip's base.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

export const SYSFS_GPIO = '/sys/class/gpio';

/** Labels of the chip wired to the 40-pin header: Pi 0-3 (bcm2835), Pi 4 (bcm2711), Pi 5 (RP1). The
 *  firmware expander ('raspberrypi-exp-gpio') and the Pi 5's own SoC chips ('gpio-brcmstb@…') are not. */
export const HEADER_CHIP_LABELS: readonly string[] = ['pinctrl-bcm2835', 'pinctrl-bcm2711', 'pinctrl-rp1'];

export interface GpioChip {
  /** Directory name, e.g. "gpiochip512". */
  name: string;
  base: number;
  label: string;
  ngpio: number;
}

export function listGpioChips(sysfsRoot: string = SYSFS_GPIO): GpioChip[] {
  const names = readdirSync(sysfsRoot).filter((name) => /^gpiochip\d+$/.test(name));
  return names
    .map((name) => {
      const read = (file: string) => readFileSync(join(sysfsRoot, name, file), 'utf8').trim();
      return { name, base: Number(read('base')), label: read('label'), ngpio: Number(read('ngpio')) };
    })
    .sort((a, b) => a.base - b.base);
}

export function findHeaderChip(sysfsRoot: string = SYSFS_GPIO): GpioChip {
  let chips: GpioChip[];
  try {
    chips = listGpioChips(sysfsRoot);
  } catch (err) {
    throw new Error(`Cannot read GPIO chips under ${sysfsRoot}: ${err instanceof Error ? err.message : String(err)}`);
  }
  const header = chips.find((chip) => HEADER_CHIP_LABELS.includes(chip.label));
  if (header) return header;
  const found = chips.length ? chips.map((c) => `${c.name} '${c.label}'`).join(', ') : 'no GPIO chips';
  throw new Error(`No Raspberry Pi header GPIO chip (${HEADER_CHIP_LABELS.join(', ')}) under ${sysfsRoot}; found ${found}.`);
}

/** The sysfs GPIO number for a BCM pin of the header chip. */
export function sysfsGpioNumber(chip: GpioChip, bcmPin: number): number {
  if (!Number.isInteger(bcmPin) || bcmPin < 0 || bcmPin >= chip.ngpio) {
    throw new Error(`BCM pin ${bcmPin} is not on ${chip.name} '${chip.label}' (pins 0-${chip.ngpio - 1}).`);
  }
  return chip.base + bcmPin;
}
