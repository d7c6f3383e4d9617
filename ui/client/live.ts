// Live updates: one EventSource per page, from the seq the page was rendered at. Each recorded event is
// re-dispatched on window as "kiosk:event" (detail: LiveEvent); fresh counts as "kiosk:counts"; a device's
// new status (docked, uploading, unplugged) as "kiosk:devices" (detail: DevicesUpdate).
import type { Counts, DevicesUpdate, LiveEvent } from '../view-types.ts';
import { pageContext } from './context.ts';

export function connectLive(): EventSource {
  const source = new EventSource(`/kiosk/events?after=${pageContext().seq}`);
  source.addEventListener('recorded', (m) => {
    window.dispatchEvent(new CustomEvent<LiveEvent>('kiosk:event', { detail: JSON.parse((m as MessageEvent).data) }));
  });
  source.addEventListener('counts', (m) => {
    window.dispatchEvent(new CustomEvent<Counts>('kiosk:counts', { detail: JSON.parse((m as MessageEvent).data) }));
  });
  source.addEventListener('devices', (m) => {
    window.dispatchEvent(new CustomEvent<DevicesUpdate>('kiosk:devices', { detail: JSON.parse((m as MessageEvent).data) }));
  });
  // Too much happened while the page was away to replay: start from a fresh render.
  source.addEventListener('reload', () => location.reload());
  return source;
}
