// Feedback where there is no GPIO (a laptop, CI, a box without LEDs wired): says in the log what it would
// have played, and tells the status screen why there is no light and sound.
import type { DeviceStatus } from '../device-status.ts';
import type { Feedback, FeedbackPattern } from './feedback.ts';
import { feedbackSchedule } from './feedback-schedule.ts';

export interface SimulatedFeedbackOptions {
  log: (line: string) => void;
  /** 'not-present' (default) when there is simply no GPIO; 'error' when real GPIO failed to set up. */
  state?: 'not-present' | 'error';
  detail?: string;
  now?: () => Date;
}

export class SimulatedFeedback implements Feedback {
  readonly #log: (line: string) => void;
  readonly #status: DeviceStatus;
  #playing = false;

  constructor(options: SimulatedFeedbackOptions) {
    this.#log = options.log;
    this.#status = {
      id: 'gpio',
      kind: 'GPIO feedback',
      state: options.state ?? 'not-present',
      detail: options.detail ?? 'GPIO: not present',
      simulated: true,
      since: (options.now ?? (() => new Date()))().toISOString(),
    };
  }

  play(pattern: FeedbackPattern): void {
    this.#playing = true;
    this.#log(`${this.#status.detail}: would play ${pattern} (${feedbackSchedule(pattern).summary})`);
  }

  idle(): void {
    // idle() is called often; only a stop of something "playing" is worth a line.
    if (!this.#playing) return;
    this.#playing = false;
    this.#log(`${this.#status.detail}: would turn every output off`);
  }

  status(): DeviceStatus {
    return { ...this.#status };
  }

  async close(): Promise<void> {
    this.#playing = false;
  }
}
