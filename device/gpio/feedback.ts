// Light and sound at the cage: a green LED, a red LED and a buzzer, played as named patterns.
import type { DeviceStatus } from '../device-status.ts';

export type FeedbackPattern = 'success' | 'error' | 'attention' | 'busy';

export interface Feedback {
  /** Plays a pattern; a newer pattern replaces one still playing (busy runs until another pattern or idle()). */
  play(pattern: FeedbackPattern): void;
  /** Ends a running pattern and turns every output off. */
  idle(): void;
  status(): DeviceStatus;
  close(): Promise<void>;
}
