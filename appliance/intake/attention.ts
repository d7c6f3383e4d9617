// The overdue reminder at the cage: while the idle screen would show overdue assets, the GPIO feedback plays
// its 'attention' pattern, at most once an hour. It looks every minute; the clock and the timer are
// injectable so a test moves time by hand.
import type { Appliance } from '../appliance.ts';
import { daysOverdue } from '../queries.ts';

export const ATTENTION_EVERY_MS = 60 * 60_000;
export const ATTENTION_CHECK_MS = 60_000;

export interface AttentionOptions {
  /** whether anything is overdue now */
  overdue: () => boolean;
  /** plays the pattern (feedback.play('attention')) */
  play: () => void;
  /** milliseconds now; default Date.now */
  now?: () => number;
  /** at most one reminder per this many ms (default an hour) */
  everyMs?: number;
  /** how often to look (default a minute); 0 = only when check() is called */
  checkMs?: number;
}

export class AttentionReminder {
  private readonly options: Required<AttentionOptions>;
  private last: number | null = null;
  private timer: ReturnType<typeof setInterval> | undefined;

  constructor(options: AttentionOptions) {
    this.options = {
      overdue: options.overdue, play: options.play, now: options.now ?? (() => Date.now()),
      everyMs: options.everyMs ?? ATTENTION_EVERY_MS, checkMs: options.checkMs ?? ATTENTION_CHECK_MS,
    };
  }

  /** Plays the reminder when something is overdue and the last one was an hour ago or more; says whether it played. */
  check(): boolean {
    const now = this.options.now();
    if (this.last !== null && now - this.last < this.options.everyMs) return false;
    let overdue: boolean;
    try {
      overdue = this.options.overdue();
    } catch {
      return false; // the store is closing under us: no reminder, and no crash from a timer
    }
    if (!overdue) return false;
    this.last = now;
    this.options.play();
    return true;
  }

  /** Looks now and then every checkMs, until stop(). */
  start(): void {
    this.stop();
    this.check();
    if (this.options.checkMs > 0) {
      this.timer = setInterval(() => this.check(), this.options.checkMs);
      this.timer.unref?.();
    }
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }
}

/** Whether any issued asset is past its return date now (what the idle screen's overdue list shows). */
export function anyOverdue(app: Appliance, overdueDays: number): boolean {
  const now = app.now();
  for (const a of app.state().assets.values()) {
    if (a.state === 'issued' && (daysOverdue(a, now, overdueDays) ?? 0) > 0) return true;
  }
  return false;
}
