// openFeedback with the real onoff on this machine, which has no /sys/class/gpio: simulated feedback.
import { describe, expect, it } from 'vitest';
import { loadOnoff, openFeedback } from '../../../device/gpio/open-feedback.ts';
import { SimulatedFeedback } from '../../../device/gpio/simulated-feedback.ts';

const PINS = { green: 17, red: 27, buzzer: 22 };

describe('openFeedback with the real onoff', () => {
  it('on this machine (no /sys/class/gpio) gives simulated feedback that is "not present"', async (ctx) => {
    if ((await loadOnoff()).Gpio.accessible) return ctx.skip('this machine has sysfs GPIO');
    const lines: string[] = [];
    const feedback = await openFeedback({ pins: PINS, log: (line) => lines.push(line) });
    expect(feedback).toBeInstanceOf(SimulatedFeedback);
    expect(feedback.status()).toMatchObject({ id: 'gpio', kind: 'GPIO feedback', state: 'not-present', detail: 'GPIO: not present', simulated: true });

    feedback.play('success');
    feedback.idle();
    feedback.idle();
    expect(lines).toEqual([
      'GPIO: not present: would play success (green 300 ms, short beep)',
      'GPIO: not present: would turn every output off',
    ]);
    await feedback.close();
  });

});
