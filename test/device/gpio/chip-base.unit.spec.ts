// BCM pin → sysfs GPIO number against sysfs trees laid out as on each board and kernel (fixtures/).
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findHeaderChip, listGpioChips, sysfsGpioNumber } from '../../../device/gpio/chip-base.ts';

const fixture = (name: string) => join(import.meta.dirname, 'fixtures', name);

describe('header chip and sysfs numbers', () => {
  it.each([
    ['pi4-rpios-6.1', 'pinctrl-bcm2711', 17, 17],
    ['pi4-rpios-6.6', 'pinctrl-bcm2711', 17, 529],
    ['pi3-rpios-6.6', 'pinctrl-bcm2835', 27, 539],
    ['pi5-rpios-6.6', 'pinctrl-rp1', 17, 588],
  ])('%s: the header is %s and BCM %i is gpio%i', (tree, label, bcm, sysfs) => {
    const chip = findHeaderChip(fixture(tree));
    expect(chip.label).toBe(label);
    expect(sysfsGpioNumber(chip, bcm)).toBe(sysfs);
  });

  it('does not take the firmware GPIO expander or the Pi 5 SoC chips for the header', () => {
    expect(listGpioChips(fixture('pi4-rpios-6.6')).map((c) => [c.name, c.label])).toEqual([
      ['gpiochip512', 'pinctrl-bcm2711'],
      ['gpiochip570', 'raspberrypi-exp-gpio'],
    ]);
    expect(findHeaderChip(fixture('pi5-rpios-6.6'))).toEqual({ name: 'gpiochip571', base: 571, label: 'pinctrl-rp1', ngpio: 54 });
  });

  it('says which chips it found when none is a Raspberry Pi header', () => {
    expect(() => findHeaderChip(fixture('laptop'))).toThrow(
      `No Raspberry Pi header GPIO chip (pinctrl-bcm2835, pinctrl-bcm2711, pinctrl-rp1) under ${fixture('laptop')}; found gpiochip512 'INT34C5:00'.`,
    );
  });

  it('says so when there is no sysfs GPIO at all', () => {
    expect(() => findHeaderChip(fixture('no-such-tree'))).toThrow(/^Cannot read GPIO chips under .*no-such-tree: ENOENT/);
  });

  it('refuses a pin the header chip does not have', () => {
    const chip = findHeaderChip(fixture('pi3-rpios-6.6'));
    expect(sysfsGpioNumber(chip, 53)).toBe(565);
    expect(() => sysfsGpioNumber(chip, 54)).toThrow("BCM pin 54 is not on gpiochip512 'pinctrl-bcm2835' (pins 0-53).");
    expect(() => sysfsGpioNumber(chip, -1)).toThrow(/BCM pin -1/);
  });
});
