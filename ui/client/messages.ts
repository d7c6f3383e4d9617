// Short messages over any screen (a rejected scan, "sign in first"): the <kiosk-toast> the page shell holds.

export type Tone = 'error' | 'info' | 'success';

export function showMessage(text: string, tone: Tone = 'info'): void {
  const toast = document.querySelector('kiosk-toast') as (HTMLElement & { show?: (text: string, tone: Tone) => void }) | null;
  toast?.show?.(text, tone);
}
