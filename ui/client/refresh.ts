// Screens that only show (dashboard, asset card, history, holder) re-read their data when the cage changes:
// the same route, asked for JSON, answers what the server would render now.
import type { LiveEvent } from '../view-types.ts';
import { getJson } from './api.ts';
import { screenElement } from './context.ts';

const CHANGES = new Set(['custody', 'admin']);

export function refreshOnChange(): void {
  const screen = screenElement();
  if (!(screen?.constructor as { refreshOnChange?: boolean } | undefined)?.refreshOnChange) return;
  let timer: ReturnType<typeof setTimeout> | undefined;
  window.addEventListener('kiosk:event', (e) => {
    if (!CHANGES.has((e as CustomEvent<LiveEvent>).detail.kind)) return;
    clearTimeout(timer);
    timer = setTimeout(async () => {
      const fresh = await getJson<{ data: unknown }>(location.pathname + location.search);
      if (fresh && screen) screen.data = fresh.data;
    }, 150);
  });
}
