import { describe, expect, it } from 'vitest';
import type { FeedbackPattern } from '../../../device/gpio/feedback.ts';
import { FEEDBACK_OUTPUTS, feedbackSchedule } from '../../../device/gpio/feedback-schedule.ts';
import type { FeedbackOutput, FeedbackSchedule } from '../../../device/gpio/feedback-schedule.ts';

const PATTERNS: FeedbackPattern[] = ['success', 'error', 'attention', 'busy'];

/** [from, to] on-intervals of one output. */
function intervals(schedule: FeedbackSchedule, output: FeedbackOutput): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  let since: number | null = null;
  for (const step of schedule.steps.filter((s) => s.output === output)) {
    if (step.on) since = step.at;
    else if (since !== null) {
      out.push([since, step.at]);
      since = null;
    }
  }
  return out;
}

describe('feedback schedules', () => {
  it('success: green for 300 ms and one short beep', () => {
    const schedule = feedbackSchedule('success');
    expect(intervals(schedule, 'green')).toEqual([[0, 300]]);
    expect(intervals(schedule, 'buzzer')).toEqual([[0, 80]]);
    expect(intervals(schedule, 'red')).toEqual([]);
    expect(schedule.repeatEveryMs).toBeNull();
  });

  it('error: red for 1 s and two beeps', () => {
    const schedule = feedbackSchedule('error');
    expect(intervals(schedule, 'red')).toEqual([[0, 1000]]);
    expect(intervals(schedule, 'buzzer')).toEqual([[0, 150], [300, 450]]);
    expect(intervals(schedule, 'green')).toEqual([]);
  });

  it('attention: red and green take turns three times, a beep with each red', () => {
    const schedule = feedbackSchedule('attention');
    expect(intervals(schedule, 'red')).toEqual([[0, 200], [400, 600], [800, 1000]]);
    expect(intervals(schedule, 'green')).toEqual([[200, 400], [600, 800], [1000, 1200]]);
    expect(intervals(schedule, 'buzzer')).toEqual([[0, 100], [400, 500], [800, 900]]);
  });

  it('busy: green blinks at 2 Hz until replaced', () => {
    const schedule = feedbackSchedule('busy');
    expect(intervals(schedule, 'green')).toEqual([[0, 250]]);
    expect(schedule.repeatEveryMs).toBe(500);
  });

  it.each(PATTERNS)('%s: steps in time order, on and off alternating, everything off by the end of a cycle', (pattern) => {
    const schedule = feedbackSchedule(pattern);
    expect(schedule.pattern).toBe(pattern);
    expect(schedule.steps.map((s) => s.at)).toEqual([...schedule.steps.map((s) => s.at)].sort((a, b) => a - b));
    for (const output of FEEDBACK_OUTPUTS) {
      const states = schedule.steps.filter((s) => s.output === output).map((s) => s.on);
      expect(states).toEqual(states.map((_, i) => i % 2 === 0));
    }
    if (schedule.repeatEveryMs) expect(Math.max(...schedule.steps.map((s) => s.at))).toBeLessThanOrEqual(schedule.repeatEveryMs);
    expect(schedule.summary).not.toBe('');
  });
});
