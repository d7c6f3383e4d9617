// Feedback on real pins through onoff's sysfs Gpio: green LED, red LED and buzzer as outputs, addressed
// by BCM pin and turned into sysfs numbers with the header chip's base (chip-base.ts).
import type { DeviceState, DeviceStatus } from '../device-status.ts';
import { findHeaderChip, sysfsGpioNumber } from './chip-base.ts';
import type { Feedback, FeedbackPattern } from './feedback.ts';
import { FEEDBACK_OUTPUTS, feedbackSchedule } from './feedback-schedule.ts';
import type { FeedbackOutput } from './feedback-schedule.ts';
import { SchedulePlayer } from './schedule-player.ts';
import type { OutputPin } from './schedule-player.ts';

/** BCM pin numbers (the GPIOxx names on the header), not physical pin positions. */
export type FeedbackPins = Readonly<Record<FeedbackOutput, number>>;

export interface GpioOutput extends OutputPin {
  unexport(): void;
}

/** onoff's Gpio constructor, as far as outputs go; tests pass a fake (onoff always writes /sys/class/gpio). */
export type GpioOutputConstructor = new (gpio: number, direction: 'out') => GpioOutput;

export interface OnoffFeedbackOptions {
  pins: FeedbackPins;
  Gpio: GpioOutputConstructor;
  /** Where the gpiochips are listed (default /sys/class/gpio); tests point it at recorded trees. */
  sysfsRoot?: string;
  now?: () => Date;
}

const OUTPUT_NAMES: Readonly<Record<FeedbackOutput, string>> = { green: 'green LED', red: 'red LED', buzzer: 'buzzer' };

export class OnoffFeedback implements Feedback {
  readonly #gpios: GpioOutput[];
  readonly #player: SchedulePlayer;
  readonly #now: () => Date;
  #status: DeviceStatus;
  #closed = false;

  /** Exports the three pins; throws (with every pin it exported released again) when it cannot. */
  constructor(options: OnoffFeedbackOptions) {
    this.#now = options.now ?? (() => new Date());
    const chip = findHeaderChip(options.sysfsRoot);
    const numbers = Object.fromEntries(FEEDBACK_OUTPUTS.map((o) => [o, sysfsGpioNumber(chip, options.pins[o])])) as Record<FeedbackOutput, number>;

    const outputs: Partial<Record<FeedbackOutput, GpioOutput>> = {};
    try {
      for (const output of FEEDBACK_OUTPUTS) {
        try {
          outputs[output] = new options.Gpio(numbers[output], 'out');
        } catch (err) {
          throw new Error(`cannot drive the ${OUTPUT_NAMES[output]} (BCM ${options.pins[output]}, gpio${numbers[output]}): ${message(err)}`);
        }
      }
    } catch (err) {
      for (const gpio of Object.values(outputs)) unexportQuietly(gpio);
      throw err;
    }
    const pins = outputs as Record<FeedbackOutput, GpioOutput>;
    this.#gpios = FEEDBACK_OUTPUTS.map((o) => pins[o]);
    this.#player = new SchedulePlayer(pins, (output, err) => {
      this.#setStatus('error', `GPIO: writing the ${OUTPUT_NAMES[output]} (gpio${numbers[output]}) failed: ${message(err)}`);
    });
    const wiring = FEEDBACK_OUTPUTS.map((o) => `${OUTPUT_NAMES[o]} BCM ${options.pins[o]} (gpio${numbers[o]})`).join(', ');
    this.#status = this.#statusOf('connected', `GPIO: ${wiring} on ${chip.label}.`);
  }

  play(pattern: FeedbackPattern): void {
    if (!this.#closed) this.#player.play(feedbackSchedule(pattern));
  }

  idle(): void {
    if (!this.#closed) this.#player.stop();
  }

  status(): DeviceStatus {
    return { ...this.#status };
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#player.stop();
    this.#closed = true;
    for (const gpio of this.#gpios) unexportQuietly(gpio);
    this.#setStatus('disconnected', 'GPIO: released (closed).');
  }

  #setStatus(state: DeviceState, detail: string): void {
    if (state !== this.#status.state || detail !== this.#status.detail) this.#status = this.#statusOf(state, detail);
  }

  #statusOf(state: DeviceState, detail: string): DeviceStatus {
    return { id: 'gpio', kind: 'GPIO feedback', state, detail, simulated: false, since: this.#now().toISOString() };
  }
}

function unexportQuietly(gpio: GpioOutput): void {
  try {
    gpio.unexport();
  } catch {
    // Releasing is best effort: a pin we cannot unexport is released when the service exits anyway.
  }
}

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
