// Picks the feedback the box can have: real pins when GPIO is there and pins are configured, else the
// simulated one with the reason in its status. Never throws: no LEDs is no reason not to start.
import type { Feedback } from './feedback.ts';
import { OnoffFeedback } from './onoff-feedback.ts';
import type { FeedbackPins, GpioOutputConstructor } from './onoff-feedback.ts';
import { SimulatedFeedback } from './simulated-feedback.ts';

export interface OnoffModule {
  /** accessible: /sys/class/gpio/export is writable (false on a laptop, in CI, in a container). */
  Gpio: GpioOutputConstructor & { accessible: boolean };
}

export interface FeedbackConfig {
  /** BCM pins of the green LED, red LED and buzzer; null when none are wired. */
  pins: FeedbackPins | null;
  log: (line: string) => void;
  sysfsRoot?: string;
  loadOnoff?: () => Promise<OnoffModule>;
  now?: () => Date;
}

export async function loadOnoff(): Promise<OnoffModule> {
  const { Gpio } = await import('onoff');
  return { Gpio };
}

export async function openFeedback(config: FeedbackConfig): Promise<Feedback> {
  const simulated = (state: 'not-present' | 'error', detail: string) => new SimulatedFeedback({ log: config.log, state, detail, now: config.now });
  if (!config.pins) return simulated('not-present', 'GPIO: not present (no pins configured)');

  let onoff: OnoffModule;
  try {
    onoff = await (config.loadOnoff ?? loadOnoff)();
  } catch (err) {
    return simulated('not-present', `GPIO: not present (onoff did not load: ${message(err)})`);
  }
  if (!onoff.Gpio.accessible) return simulated('not-present', 'GPIO: not present');

  try {
    return new OnoffFeedback({ pins: config.pins, Gpio: onoff.Gpio, sysfsRoot: config.sysfsRoot, now: config.now });
  } catch (err) {
    return simulated('error', `GPIO: ${message(err)}`);
  }
}

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
