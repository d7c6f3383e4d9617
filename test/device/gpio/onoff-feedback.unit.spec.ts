// The real feedback implementation with a fake onoff Gpio: onoff always writes /sys/class/gpio, which
// this machine does not have and a test cannot redirect. The chip base comes from recorded sysfs trees;
// time from fake timers.
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { OnoffFeedback } from '../../../device/gpio/onoff-feedback.ts';
import type { FeedbackPins, GpioOutput } from '../../../device/gpio/onoff-feedback.ts';

const PI4 = join(import.meta.dirname, 'fixtures', 'pi4-rpios-6.6');
const PI5 = join(import.meta.dirname, 'fixtures', 'pi5-rpios-6.6');
const PINS: FeedbackPins = { green: 17, red: 27, buzzer: 22 };

/** Every write of every fake pin, with the fake clock's time. */
let writes: Array<{ at: number; gpio: number; value: 0 | 1 }>;
let exported: FakeGpio[];
let failOn: number | null;
let start: number;

class FakeGpio implements GpioOutput {
  readonly gpio: number;
  readonly direction: string;
  unexported = false;
  failWrites = false;

  constructor(gpio: number, direction: 'out') {
    if (gpio === failOn) throw new Error(`EBUSY: resource busy, write '/sys/class/gpio/export'`);
    this.gpio = gpio;
    this.direction = direction;
    exported.push(this);
  }

  writeSync(value: 0 | 1): void {
    if (this.failWrites) throw new Error('EIO: i/o error');
    writes.push({ at: Date.now() - start, gpio: this.gpio, value });
  }

  unexport(): void {
    this.unexported = true;
  }
}

beforeEach(() => {
  vi.useFakeTimers();
  start = Date.now();
  writes = [];
  exported = [];
  failOn = null;
});
afterEach(() => {
  vi.useRealTimers();
});

const GREEN = 529;
const RED = 539;
const BUZZER = 534;

/** Writes after the all-off that starts every pattern, as [ms, gpio, value]. */
function played(from = 0): Array<[number, number, number]> {
  return writes.slice(from).filter((w, i) => !(w.at === 0 && i < 3 && w.value === 0)).map((w) => [w.at, w.gpio, w.value]);
}

describe('OnoffFeedback', () => {
  it('exports the BCM pins at the header chip base as outputs and says where they are', () => {
    const feedback = new OnoffFeedback({ pins: PINS, Gpio: FakeGpio, sysfsRoot: PI4 });
    expect(exported.map((g) => [g.gpio, g.direction])).toEqual([[GREEN, 'out'], [RED, 'out'], [BUZZER, 'out']]);
    expect(feedback.status()).toMatchObject({
      id: 'gpio',
      kind: 'GPIO feedback',
      state: 'connected',
      simulated: false,
      detail: 'GPIO: green LED BCM 17 (gpio529), red LED BCM 27 (gpio539), buzzer BCM 22 (gpio534) on pinctrl-bcm2711.',
    });
  });

  it('uses the RP1 base on a Pi 5', () => {
    new OnoffFeedback({ pins: PINS, Gpio: FakeGpio, sysfsRoot: PI5 });
    expect(exported.map((g) => g.gpio)).toEqual([588, 598, 593]);
  });

  it('plays success on time: green and buzzer on, buzzer off at 80 ms, green off at 300 ms', () => {
    const feedback = new OnoffFeedback({ pins: PINS, Gpio: FakeGpio, sysfsRoot: PI4 });
    feedback.play('success');
    vi.advanceTimersByTime(1000);
    expect(played()).toEqual([[0, GREEN, 1], [0, BUZZER, 1], [80, BUZZER, 0], [300, GREEN, 0]]);
  });

  it('plays error: red for a second with two beeps', () => {
    const feedback = new OnoffFeedback({ pins: PINS, Gpio: FakeGpio, sysfsRoot: PI4 });
    feedback.play('error');
    vi.advanceTimersByTime(2000);
    expect(played()).toEqual([[0, RED, 1], [0, BUZZER, 1], [150, BUZZER, 0], [300, BUZZER, 1], [450, BUZZER, 0], [1000, RED, 0]]);
  });

  it('blinks busy until another pattern replaces it, which starts from all outputs off', () => {
    const feedback = new OnoffFeedback({ pins: PINS, Gpio: FakeGpio, sysfsRoot: PI4 });
    feedback.play('busy');
    vi.advanceTimersByTime(1300);
    expect(played()).toEqual([[0, GREEN, 1], [250, GREEN, 0], [500, GREEN, 1], [750, GREEN, 0], [1000, GREEN, 1], [1250, GREEN, 0]]);

    vi.advanceTimersByTime(250); // t = 1550: green has been on since 1500
    const before = writes.length;
    feedback.play('success');
    expect(writes.slice(before, before + 3).map((w) => [w.gpio, w.value])).toEqual([[GREEN, 0], [RED, 0], [BUZZER, 0]]);
    vi.advanceTimersByTime(5000);
    // Nothing of busy after the replacement: only success's own steps.
    expect(writes.slice(before + 3).map((w) => [w.at - 1550, w.gpio, w.value])).toEqual([[0, GREEN, 1], [0, BUZZER, 1], [80, BUZZER, 0], [300, GREEN, 0]]);
  });

  it('idle() turns every output off and nothing plays after it', () => {
    const feedback = new OnoffFeedback({ pins: PINS, Gpio: FakeGpio, sysfsRoot: PI4 });
    feedback.play('attention');
    vi.advanceTimersByTime(250);
    const before = writes.length;
    feedback.idle();
    vi.advanceTimersByTime(5000);
    expect(writes.slice(before).map((w) => [w.gpio, w.value])).toEqual([[GREEN, 0], [RED, 0], [BUZZER, 0]]);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('close() turns everything off and unexports every pin', async () => {
    const feedback = new OnoffFeedback({ pins: PINS, Gpio: FakeGpio, sysfsRoot: PI4 });
    feedback.play('busy');
    await feedback.close();
    expect(exported.every((g) => g.unexported)).toBe(true);
    expect(writes.slice(-3).map((w) => w.value)).toEqual([0, 0, 0]);
    expect(feedback.status()).toMatchObject({ state: 'disconnected', detail: 'GPIO: released (closed).' });
    feedback.play('success');
    expect(vi.getTimerCount()).toBe(0);
  });

  it('releases the pins it exported when a later one fails, and says which one', () => {
    failOn = BUZZER;
    expect(() => new OnoffFeedback({ pins: PINS, Gpio: FakeGpio, sysfsRoot: PI4 })).toThrow(
      "cannot drive the buzzer (BCM 22, gpio534): EBUSY: resource busy, write '/sys/class/gpio/export'",
    );
    expect(exported.map((g) => [g.gpio, g.unexported])).toEqual([[GREEN, true], [RED, true]]);
  });

  it('reports a failing write in its status and keeps playing the other outputs', () => {
    const feedback = new OnoffFeedback({ pins: PINS, Gpio: FakeGpio, sysfsRoot: PI4 });
    exported.find((g) => g.gpio === BUZZER)!.failWrites = true;
    feedback.play('success');
    vi.advanceTimersByTime(1000);
    expect(played().filter(([, gpio]) => gpio === GREEN)).toEqual([[0, GREEN, 1], [300, GREEN, 0]]);
    expect(feedback.status()).toMatchObject({ state: 'error', detail: 'GPIO: writing the buzzer (gpio534) failed: EIO: i/o error' });
  });
});
