// Automatic sign-out after a quiet spell: a countdown in the kiosk bar, reset by any tap, key or scan.
// The server is told of taps that send nothing else (at most every few seconds) so it agrees.
import { post } from './api.ts';
import { pageContext } from './context.ts';

export function startIdleTimer(): void {
  const ctx = pageContext();
  if (!ctx.operator) return;
  const idleMs = ctx.idleSeconds * 1000;
  const beatMs = Math.min(15_000, idleMs / 4);
  let deadline = Date.now() + idleMs;
  let lastBeat = Date.now();
  let done = false;
  const bar = document.querySelector('kiosk-bar') as (HTMLElement & { remaining?: number; updateComplete?: Promise<unknown> }) | null;

  const activity = () => {
    deadline = Date.now() + idleMs;
    if (Date.now() - lastBeat >= beatMs) {
      lastBeat = Date.now();
      void post('/kiosk/activity');
    }
  };
  for (const type of ['pointerdown', 'keydown', 'kiosk:activity']) window.addEventListener(type, activity, true);

  const tick = async () => {
    const left = Math.max(0, Math.ceil((deadline - Date.now()) / 1000));
    if (bar) bar.remaining = left;
    if (left > 0 || done) return;
    done = true;
    await post('/kiosk/sign-out', { reason: 'idle' });
    location.assign('/');
  };
  // The first value goes in after the bar hydrated: hydration takes the server's (empty) countdown as it is.
  void Promise.resolve(bar?.updateComplete).then(() => {
    setInterval(tick, 250);
    void tick();
  });
}
