// The kiosk's screens: one GET route per screen, rendered on the server (render-page.ts) from the data a
// loader in screens/ reads. Asked for JSON (Accept: application/json), the same route answers the
// screen's data, which is how a page refreshes itself after a live update. Every state change the screens
// make goes through the JSON API (server.ts), never through these routes.
import express, { type Request, type Response } from 'express';
import type { Appliance } from '../appliance.ts';
import type { DeviceHub } from '../intake/device-hub.ts';
import type { OperatorInfo, PageContext } from '../../ui/view-types.ts';
import '../../ui/components/index.ts';
import { CustodyLog } from './custody-log.ts';
import type { KioskConfig } from './kiosk-config.ts';
import type { KioskSessions } from './kiosk-session.ts';
import { sendPage } from './render-page.ts';
import { adminFormScreen, adminScreen, correctionsScreen, importScreen, termsScreen } from './screens/admin.ts';
import { assetScreen, findScreen, historyScreen } from './screens/asset.ts';
import { batchMode, batchRows, batchScreen } from './screens/batch.ts';
import { changeScreen, isChange } from './screens/change.ts';
import { cradleScreen } from './screens/cradle.ts';
import { dashboardScreen } from './screens/dashboard.ts';
import { exportScreen } from './screens/export.ts';
import { holderScreen } from './screens/holder.ts';
import { homeScreen } from './screens/idle.ts';
import { issueScreen } from './screens/issue.ts';
import { returnScreen } from './screens/return.ts';
import { signInScreen } from './screens/sign-in.ts';
import { notice, SIGN_IN_FIRST, type ScreenContext, type ScreenSpec } from './screens/spec.ts';
import { sweepCageScreen, sweepChoiceScreen, sweepScreen } from './screens/sweep.ts';

const text = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() ? v.trim() : undefined);
const list = (v: unknown): string[] => (text(v) ?? '').split(',').map((t) => t.trim()).filter(Boolean);

export function kioskPages(app: Appliance, config: KioskConfig, sessions: KioskSessions, devices: DeviceHub): express.Router {
  const router = express.Router();
  const custody = new CustodyLog(app);
  const context = (screen: string, operator: OperatorInfo | null): PageContext => ({
    screen, operator, idleSeconds: config.idleSeconds, wedgeGapMs: config.wedgeGapMs, seq: app.store.head().seq, deviceId: app.store.deviceId,
  });

  /** Renders what `load` returns; `signedIn` screens answer "sign in first" to a browser without a session. */
  const page = (load: (c: ScreenContext, req: Request) => ScreenSpec | null, options: { signedIn?: boolean } = {}) =>
    (req: Request, res: Response, next: express.NextFunction) => {
      const operator = sessions.operatorOf(req);
      const spec = options.signedIn && !operator ? SIGN_IN_FIRST : load({ app, config, custody, devices, operator }, req);
      if (!spec) return next();
      if (spec.redirect) return res.redirect(303, spec.redirect);
      const ctx = context(spec.screen, operator);
      const status = spec.status ?? 200;
      if (req.accepts(['html', 'json']) === 'json') return res.status(status).set('cache-control', 'no-store').json({ context: ctx, data: spec.data });
      sendPage(res, { title: spec.title, context: ctx, tag: spec.tag, data: spec.data }, status);
    };

  // Admin screens: the role is checked here, on the server, before anything is read or rendered.
  router.use('/admin', page((c) => {
    if (c.operator?.role === 'admin') return null;
    return notice('Admin only', c.operator ? `${c.operator.name} is not an admin. Sign in as an admin to open this screen.` : 'Sign in as an admin to open this screen.', 403);
  }));

  router.get('/', page((c) => homeScreen(c)));
  router.get('/sign-in', page((c) => signInScreen(c)));
  router.get('/find/:code', page((c, req) => findScreen(c, String(req.params.code))));
  router.get('/asset/:tag', page((c, req) => assetScreen(c, String(req.params.tag))));
  router.get('/asset/:tag/history', page((c, req) => historyScreen(c, String(req.params.tag))));
  router.get('/asset/:tag/:change', page((c, req) => {
    const change = String(req.params.change);
    return isChange(change) ? changeScreen(c, String(req.params.tag), change) : null;
  }, { signedIn: true }));
  router.get('/issue', page((c, req) => issueScreen(c, list(req.query.tags), text(req.query.holder)), { signedIn: true }));
  router.get('/return/:tag', page((c, req) => returnScreen(c, String(req.params.tag)), { signedIn: true }));
  router.get('/batch', page((c, req) => batchScreen(c, batchMode(req.query.mode), text(req.query.holder), text(req.query.case), text(req.query.batch)), { signedIn: true }));
  // The batch screen's row check: read-only, answers what each row would meet at Confirm.
  router.get('/batch/check', (req, res) => {
    const c = { app, config, custody, devices, operator: sessions.operatorOf(req) };
    res.set('cache-control', 'no-store').json(batchRows(c, batchMode(req.query.mode), text(req.query.holder), list(req.query.tags), text(req.query.add)));
  });
  router.get('/sweep', page((c) => sweepChoiceScreen(c), { signedIn: true }));
  router.get('/sweep-cage', page((c, req) => sweepCageScreen(c, text(req.query.batch)), { signedIn: true }));
  router.get('/sweep/:case', page((c, req) => sweepScreen(c, String(req.params.case), text(req.query.batch)), { signedIn: true }));
  router.get('/cradle/:batch', page((c, req) => cradleScreen(c, String(req.params.batch))));
  router.get('/dashboard', page((c) => dashboardScreen(c)));
  router.get('/holder/:id', page((c, req) => holderScreen(c, String(req.params.id))));

  router.get('/admin', page((c) => adminScreen(c)));
  router.get('/admin/:kind/new', page((_c, req) => adminFormScreen(String(req.params.kind), req.query as Record<string, string>)));
  router.get('/admin/import', page((_c, req) => importScreen(String(req.query.kind))));
  router.get('/admin/corrections', page((c) => correctionsScreen(c)));
  router.get('/admin/export', page((c) => exportScreen(c)));
  router.get('/admin/terms', page((c) => termsScreen(c)));
  return router;
}
