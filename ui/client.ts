// The browser bundle's entry. Hydration support must load before Lit itself (it patches LitElement),
// then the components upgrade the server-rendered elements in place, then the kiosk's behaviour starts:
// live updates, scans from the keyboard wedge and the devices, the idle sign-out, self-refreshing screens.
import '@lit-labs/ssr-client/lit-element-hydrate-support.js';
import './client/screen-data.ts';
import './components/index.ts';
import { startIdleTimer } from './client/idle-timer.ts';
import { pageContext } from './client/context.ts';
import { connectLive } from './client/live.ts';
import { refreshOnChange } from './client/refresh.ts';
import { scanFromDevice, scanFromWedge } from './client/scans.ts';
import { captureWedge } from './client/wedge.ts';
import type { LiveEvent } from './view-types.ts';

connectLive();
captureWedge((text) => void scanFromWedge(text), { maxGapMs: pageContext().wedgeGapMs });
window.addEventListener('kiosk:event', (e) => scanFromDevice((e as CustomEvent<LiveEvent>).detail));
startIdleTimer();
refreshOnChange();
