// Every kiosk component, registered on import. The server imports this to render, the client bundle to
// hydrate; the list also gives the Content-Security-Policy the hashes of the components' style blocks.
import { CountTiles } from './count-tiles.ts';
import { DeviceStatus } from './device-status.ts';
import { EventFeed } from './event-feed.ts';
import { IdleScreen } from './idle-screen.ts';
import { KioskBar } from './kiosk-bar.ts';
import { NoticeScreen } from './notice-screen.ts';

export const COMPONENTS = [CountTiles, DeviceStatus, EventFeed, IdleScreen, KioskBar, NoticeScreen];
