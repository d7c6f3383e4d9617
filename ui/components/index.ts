// Every kiosk component, registered on import. The server imports this to render, the client bundle to
// hydrate; the list also gives the Content-Security-Policy the hashes of the components' style blocks.
import { CountTiles } from './count-tiles.ts';
import { IdleScreen } from './idle-screen.ts';
import { KioskBar } from './kiosk-bar.ts';

export const COMPONENTS = [CountTiles, IdleScreen, KioskBar];
