// What each feedback pattern does, as data: when each output goes on and off. Pure, so the timing is
// tested without LEDs or timers, and the simulated feedback can say what it would have done.
import type { FeedbackPattern } from './feedback.ts';

export type FeedbackOutput = 'green' | 'red' | 'buzzer';

export const FEEDBACK_OUTPUTS: readonly FeedbackOutput[] = ['green', 'red', 'buzzer'];

export interface ScheduleStep {
  /** Milliseconds from the start of the pattern (of each cycle, for a repeating one). */
  at: number;
  output: FeedbackOutput;
  on: boolean;
}

export interface FeedbackSchedule {
  pattern: FeedbackPattern;
  /** Sorted by time; every output is off again by the end of a cycle. */
  steps: readonly ScheduleStep[];
  /** Busy repeats until replaced or idle(); the others play once. */
  repeatEveryMs: number | null;
  /** For people and logs: "green 300 ms, short beep". */
  summary: string;
}

/** `output` on from `from` to `to` (ms). */
function pulse(output: FeedbackOutput, from: number, to: number): ScheduleStep[] {
  return [{ at: from, output, on: true }, { at: to, output, on: false }];
}

const SHORT_BEEP_MS = 80;
const BEEP_MS = 150;
const ATTENTION_BLINK_MS = 200;
const ATTENTION_BLINKS = 3;
const BUSY_PERIOD_MS = 500;

function build(pattern: FeedbackPattern): Omit<FeedbackSchedule, 'steps'> & { steps: ScheduleStep[] } {
  switch (pattern) {
    case 'success':
      return { pattern, steps: [...pulse('green', 0, 300), ...pulse('buzzer', 0, SHORT_BEEP_MS)], repeatEveryMs: null, summary: 'green 300 ms, short beep' };
    case 'error':
      return {
        pattern,
        steps: [...pulse('red', 0, 1000), ...pulse('buzzer', 0, BEEP_MS), ...pulse('buzzer', 300, 300 + BEEP_MS)],
        repeatEveryMs: null,
        summary: 'red 1 s, two beeps',
      };
    case 'attention': {
      // Red and green take turns, a beep with each red: hard to miss from across the room.
      const steps: ScheduleStep[] = [];
      for (let blink = 0; blink < ATTENTION_BLINKS; blink++) {
        const start = blink * 2 * ATTENTION_BLINK_MS;
        steps.push(...pulse('red', start, start + ATTENTION_BLINK_MS), ...pulse('buzzer', start, start + 100));
        steps.push(...pulse('green', start + ATTENTION_BLINK_MS, start + 2 * ATTENTION_BLINK_MS));
      }
      return { pattern, steps, repeatEveryMs: null, summary: `red/green blinking ${ATTENTION_BLINKS} times, ${ATTENTION_BLINKS} beeps` };
    }
    case 'busy':
      return { pattern, steps: pulse('green', 0, BUSY_PERIOD_MS / 2), repeatEveryMs: BUSY_PERIOD_MS, summary: 'green blinking until done' };
  }
}

export function feedbackSchedule(pattern: FeedbackPattern): FeedbackSchedule {
  const schedule = build(pattern);
  // Stable sort: at the same instant "off" of one pulse stays before "on" of the next as written.
  schedule.steps.sort((a, b) => a.at - b.at);
  return schedule;
}
