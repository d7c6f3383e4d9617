// openFeedback picks real or simulated feedback and never throws; the simulated one logs what it would do.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openFeedback } from '../../../device/gpio/open-feedback.ts';
import type { OnoffModule } from '../../../device/gpio/open-feedback.ts';
import { OnoffFeedback } from '../../../device/gpio/onoff-feedback.ts';
import type { GpioOutput } from '../../../device/gpio/onoff-feedback.ts';

const PINS = { green: 17, red: 27, buzzer: 22 };
const PI4 = join(import.meta.dirname, 'fixtures', 'pi4-rpios-6.6');
const LAPTOP = join(import.meta.dirname, 'fixtures', 'laptop');

function fakeOnoff(accessible: boolean): OnoffModule {
  class Gpio implements GpioOutput {
    static accessible = accessible;
    writeSync(): void {}
    unexport(): void {}
  }
  return { Gpio };
}

describe('openFeedback', () => {
  it('is simulated when no pins are configured, without loading onoff', async () => {
    const feedback = await openFeedback({ pins: null, log: () => {}, loadOnoff: () => Promise.reject(new Error('must not load')) });
    expect(feedback.status()).toMatchObject({ state: 'not-present', detail: 'GPIO: not present (no pins configured)' });
  });

  it('puts the reason in the status when onoff fails to load', async () => {
    const feedback = await openFeedback({
      pins: PINS,
      log: () => {},
      loadOnoff: () => Promise.reject(new Error('epoll.node: cannot open shared object file')),
    });
    expect(feedback.status()).toMatchObject({ state: 'not-present', detail: 'GPIO: not present (onoff did not load: epoll.node: cannot open shared object file)' });
  });

  it('drives real pins when GPIO is accessible and the header chip is found', async () => {
    const feedback = await openFeedback({ pins: PINS, log: () => {}, sysfsRoot: PI4, loadOnoff: async () => fakeOnoff(true) });
    expect(feedback).toBeInstanceOf(OnoffFeedback);
    expect(feedback.status()).toMatchObject({ state: 'connected', simulated: false });
    await feedback.close();
  });

  it('falls back to simulated feedback in error when GPIO is there but has no Raspberry Pi header', async () => {
    const lines: string[] = [];
    const feedback = await openFeedback({ pins: PINS, log: (line) => lines.push(line), sysfsRoot: LAPTOP, loadOnoff: async () => fakeOnoff(true) });
    expect(feedback.status()).toMatchObject({ state: 'error', simulated: true });
    expect(feedback.status().detail).toMatch(/^GPIO: No Raspberry Pi header GPIO chip .* found gpiochip512 'INT34C5:00'\.$/);
    feedback.play('busy');
    expect(lines).toEqual([`${feedback.status().detail}: would play busy (green blinking until done)`]);
  });

  it('is simulated when onoff says GPIO is not accessible, whatever the pins', async () => {
    const feedback = await openFeedback({ pins: PINS, log: () => {}, sysfsRoot: PI4, loadOnoff: async () => fakeOnoff(false) });
    expect(feedback.status()).toMatchObject({ state: 'not-present', detail: 'GPIO: not present' });
  });
});
