// The page context the server wrote beside the screen (a JSON block, never executed).
import type { PageContext } from '../view-types.ts';

let cached: PageContext | null = null;

export function pageContext(): PageContext {
  if (cached) return cached;
  const block = document.getElementById('kiosk-context');
  cached = JSON.parse(block?.textContent || 'null') ?? { screen: '', operator: null, idleSeconds: 120, wedgeGapMs: 50, seq: 0, deviceId: '' };
  return cached!;
}

/** The screen element in <main>, where live updates and scans are delivered. */
export function screenElement(): (HTMLElement & { data?: unknown; handleScan?: (scan: unknown) => boolean }) | null {
  return document.querySelector('main#screen > *');
}
