// Plays a FeedbackSchedule on three outputs with timers. A new schedule replaces the one playing (all
// outputs off first, so no LED is left lit by the pattern it cut short); stop() turns everything off.
import type { FeedbackPattern } from './feedback.ts';
import { FEEDBACK_OUTPUTS } from './feedback-schedule.ts';
import type { FeedbackOutput, FeedbackSchedule, ScheduleStep } from './feedback-schedule.ts';

/** What the player needs from an output: onoff's Gpio has it, tests pass a fake. */
export interface OutputPin {
  writeSync(value: 0 | 1): void;
}

export type OutputPins = Readonly<Record<FeedbackOutput, OutputPin>>;

export class SchedulePlayer {
  readonly #pins: OutputPins;
  readonly #onWriteError: (output: FeedbackOutput, err: unknown) => void;
  readonly #timers = new Set<NodeJS.Timeout>();
  #playing: FeedbackPattern | null = null;

  /** onWriteError: a failed write (GPIO gone, EIO) is reported, and the pattern carries on without it. */
  constructor(pins: OutputPins, onWriteError: (output: FeedbackOutput, err: unknown) => void) {
    this.#pins = pins;
    this.#onWriteError = onWriteError;
  }

  /** The pattern still playing, or null once it ended, was replaced or stopped. */
  get playing(): FeedbackPattern | null {
    return this.#playing;
  }

  play(schedule: FeedbackSchedule): void {
    this.stop();
    this.#playing = schedule.pattern;
    this.#cycle(schedule);
  }

  stop(): void {
    for (const timer of this.#timers) clearTimeout(timer);
    this.#timers.clear();
    this.#playing = null;
    for (const output of FEEDBACK_OUTPUTS) this.#write({ at: 0, output, on: false });
  }

  #cycle(schedule: FeedbackSchedule): void {
    for (const step of schedule.steps) {
      if (step.at === 0) this.#write(step);
      else this.#after(step.at, () => this.#write(step));
    }
    const end = schedule.repeatEveryMs ?? Math.max(0, ...schedule.steps.map((s) => s.at));
    this.#after(end, () => {
      if (schedule.repeatEveryMs) this.#cycle(schedule);
      else this.#playing = null;
    });
  }

  #after(ms: number, action: () => void): void {
    const timer = setTimeout(() => {
      this.#timers.delete(timer);
      action();
    }, ms);
    // Feedback never keeps the service alive on its own.
    timer.unref();
    this.#timers.add(timer);
  }

  #write(step: ScheduleStep): void {
    try {
      this.#pins[step.output].writeSync(step.on ? 1 : 0);
    } catch (err) {
      this.#onWriteError(step.output, err);
    }
  }
}
