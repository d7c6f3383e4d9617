// The kiosk's screens: one GET route per screen, rendered on the server (render-page.ts) from the data
// screen-data.ts reads. Asked for JSON (Accept: application/json), the same route answers the screen's
// data, which is how a page refreshes itself after a live update. State changes go through the JSON API.
import express, { type Request, type Response } from 'express';
import { html, unsafeStatic } from 'lit/static-html.js';
import type { Appliance } from '../appliance.ts';
import type { OperatorInfo, PageContext } from '../../ui/view-types.ts';
import '../../ui/components/index.ts';
import type { KioskConfig } from './kiosk-config.ts';
import type { KioskSessions } from './kiosk-session.ts';
import { sendPage } from './render-page.ts';
import { idleData } from './screen-data.ts';

export interface ScreenSpec {
  screen: string;
  title: string;
  /** the screen's custom element, e.g. 'idle-screen' */
  tag: string;
  data: unknown;
  status?: number;
}

export function screenTemplate(tag: string, data: unknown) {
  const t = unsafeStatic(tag);
  return html`<${t} data=${JSON.stringify(data)}></${t}>`;
}

export function kioskPages(app: Appliance, config: KioskConfig, sessions: KioskSessions): express.Router {
  const router = express.Router();
  const context = (screen: string, operator: OperatorInfo | null): PageContext => ({
    screen, operator, idleSeconds: config.idleSeconds, seq: app.store.head().seq, deviceId: app.store.deviceId,
  });
  const show = (req: Request, res: Response, build: (operator: OperatorInfo | null) => ScreenSpec) => {
    const operator = sessions.operatorOf(req);
    const spec = build(operator);
    const ctx = context(spec.screen, operator);
    if (req.accepts(['html', 'json']) === 'json') return res.status(spec.status ?? 200).set('cache-control', 'no-store').json({ context: ctx, data: spec.data });
    sendPage(res, { title: spec.title, context: ctx, screen: screenTemplate(spec.tag, spec.data) }, spec.status ?? 200);
  };
  const notice = (title: string, message: string, status: number): ScreenSpec => ({ screen: 'notice', title, tag: 'notice-screen', data: { title, message }, status });

  // Admin screens: the role is checked here, on the server, before anything is rendered.
  router.use('/admin', (req, res, next) => {
    const op = sessions.operatorOf(req);
    if (op?.role === 'admin') return next();
    show(req, res, () => notice('Admin only', op ? `${op.name} is not an admin. Sign in as an admin to open this screen.` : 'Sign in as an admin to open this screen.', 403));
  });

  router.get('/', (req, res) => show(req, res, (op) => ({ screen: 'idle', title: 'AssetTrack', tag: 'idle-screen', data: idleData(app, config, op) })));

  router.get('/admin', (req, res) => show(req, res, () => notice('Admin', 'Admin screens come next.', 200)));
  return router;
}
