// Short messages over any screen (a rejected scan, "sign in first"): the <kiosk-toast> the page shell holds.

import { plainTimes } from '../format.ts';

export type Tone = 'error' | 'info' | 'success';

export function showMessage(text: string, tone: Tone = 'info'): void {
  text = plainTimes(text);
  const toast = document.querySelector('kiosk-toast') as (HTMLElement & { show?: (text: string, tone: Tone) => void }) | null;
  toast?.show?.(text, tone);
}
