// The kiosk's screens: one GET route per screen, rendered on the server (render-page.ts) from the data
// screen-data.ts reads. Every state change the screens make goes through the JSON API (server.ts).
import express from 'express';
import { html } from 'lit';
import type { Appliance } from '../appliance.ts';
import type { PageContext } from '../../ui/view-types.ts';
import '../../ui/components/index.ts';
import type { KioskConfig } from './kiosk-config.ts';
import { type Page, sendPage } from './render-page.ts';
import { idleData } from './screen-data.ts';

const json = (value: unknown) => JSON.stringify(value);

export function kioskPages(app: Appliance, config: KioskConfig): express.Router {
  const router = express.Router();
  const context = (screen: string): PageContext => ({
    screen, operator: null, idleSeconds: config.idleSeconds, seq: app.store.head().seq, deviceId: app.store.deviceId,
  });
  const show = (res: express.Response, page: Page) => sendPage(res, page);

  router.get('/', (_req, res) => {
    const ctx = context('idle');
    show(res, { title: 'AssetTrack', context: ctx, screen: html`<idle-screen data=${json(idleData(app, config, ctx.operator))}></idle-screen>` });
  });
  return router;
}
