// The JSON API (docs/api.md) over Express. Every route is a thin adapter onto appliance/operations.ts;
// authentication is a session token from POST /api/sessions (badge + PIN).
import express, { type NextFunction, type Request, type Response } from 'express';
import type { Server } from 'node:http';
import type { Appliance } from '../appliance.ts';
import { DomainError } from '../domain/errors.ts';
import { DeviceHub } from '../intake/device-hub.ts';
import type { Actor } from '../domain/types.ts';
import { OPERATIONS, UsageError, refusal, runOperation, type Answer, type Input } from '../operations.ts';
import { isEmptyCage, seedDemo } from '../seed-demo.ts';
import { StoreError } from '../store/event-store.ts';
import { clientAssets, prepareClientBundle } from './client-assets.ts';
import { loadKioskConfig, type KioskConfig } from './kiosk-config.ts';
import { KioskSessions } from './kiosk-session.ts';
import { exportRoutes } from './export-routes.ts';
import { kioskRoutes } from './kiosk-routes.ts';
import { receiptRoutes } from './receipt-routes.ts';
import { LiveEvents } from './live-events.ts';
import { kioskPages } from './pages.ts';
import { componentStyleHashes } from './render-page.ts';
import { fromKiosk, hostCheck, sameOriginWrites, securityHeaders } from './security.ts';

const STATUS_BY_CODE: Record<string, number> = {
  OPERATOR_REQUIRED: 401, NOT_SIGNED_IN: 401, SIGN_IN_FAILED: 401, OPERATOR_LOCKED: 423, ADMIN_REQUIRED: 403, OPERATOR_INACTIVE: 403, CONSOLE_REQUIRED: 403,
  KIOSK_ONLY: 403, NOT_SIMULATING: 404, BAD_REQUEST: 400, IDEMPOTENCY_KEY_REQUIRED: 400, BAD_CSV: 400, STORE_UNAVAILABLE: 503,
  ENROLMENT_CODE_REQUIRED: 403, ENROLMENT_CODE_WRONG: 403, ENROLMENT_LOCKED: 423,
};

function statusOf(answer: Answer): number {
  if (answer.ok) return 200;
  const code = answer.error.code;
  return STATUS_BY_CODE[code] ?? (code.startsWith('UNKNOWN_') ? 404 : 409);
}

function bearer(req: Request): string | null {
  const header = req.get('authorization') ?? '';
  return header.startsWith('Bearer ') ? header.slice(7).trim() : null;
}

export function createApi(app: Appliance, kiosk: KioskConfig = loadKioskConfig(), devices: DeviceHub = new DeviceHub()): express.Express {
  const api = express();
  const sessions = new KioskSessions(app, kiosk.idleSeconds);
  const live = new LiveEvents(app, kiosk, devices);
  api.locals.stop = () => {
    sessions.stop();
    live.stop();
  };
  api.disable('x-powered-by');
  api.use(securityHeaders(componentStyleHashes()));
  api.use(hostCheck(kiosk.boundHost ?? '127.0.0.1', kiosk.allowedHosts));
  api.use(sameOriginWrites(sessions.hasCookie));
  api.use(express.json({ limit: '8mb' }));
  // Any write may have recorded events: open pages hear of them as soon as the answer has gone out.
  api.use((req, res, next) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') res.on('finish', () => live.poke());
    next();
  });
  api.get('/kiosk/events', (req, res) => live.connect(req, res));

  const send = (res: Response, answer: Answer) => res.status(statusOf(answer)).json(answer);
  // A bearer token (API clients) or the kiosk's session cookie; without either, 'system', which no rule admits.
  const actorOf = (req: Request): Actor => {
    const token = bearer(req);
    if (token) return app.sessionActor(token) || { kind: 'system' };
    return sessions.actorOf(req) || { kind: 'system' };
  };
  const run = (req: Request, res: Response, name: string, input: Input) => {
    const op = OPERATIONS[name];
    if (!op) return send(res, { ok: false, error: { code: 'UNKNOWN_COMMAND', message: `There is no command "${name}".` } });
    const key = req.get('idempotency-key') ?? undefined;
    const writes = typeof op.writes === 'function' ? op.writes(input) : op.writes;
    if (writes && !key) {
      return send(res, { ok: false, error: { code: 'IDEMPOTENCY_KEY_REQUIRED', message: 'Send an Idempotency-Key header with every command.' } });
    }
    if (input.file !== undefined) {
      return send(res, { ok: false, error: { code: 'BAD_REQUEST', message: 'Send CSV text in "csv"; the API reads no server files.' } });
    }
    // The two-person rule's second admin comes with the command; it is not part of the command itself.
    const { second_operator: secondBadge, second_pin: secondPin, ...rest } = input;
    const second = typeof secondBadge === 'string' && typeof secondPin === 'string' ? { badge: secondBadge, pin: secondPin } : undefined;
    return send(res, runOperation(name, { app, actor: actorOf(req), source: fromKiosk(req) ? 'touch' : 'api', key, second }, rest));
  };

  api.get('/healthz', (_req, res) => {
    const head = app.store.head();
    res.json({
      ok: true, store: 'ok', device_id: app.store.deviceId, head, schema: app.store.db.pragma('user_version', { simple: true }),
      devices: devices.list().map((d) => ({ id: d.id, kind: d.kind, state: d.state, simulated: d.simulated })),
    });
  });
  api.get('/api/devices', (_req, res) => send(res, { ok: true, devices: devices.list() }));
  // The developer panel's "dock the simulated cradle": only when simulated devices run, only from the kiosk page.
  api.post('/kiosk/simulator/dock', (req, res) => {
    if (!devices.simulator) return send(res, { ok: false, error: { code: 'NOT_SIMULATING', message: 'Simulated devices are off (ASSETTRACK_SIMULATE=1 turns them on).' } });
    if (!fromKiosk(req)) return send(res, { ok: false, error: { code: 'KIOSK_ONLY', message: 'Only the kiosk page on this box may dock the simulated cradle.' } });
    const records = Number((req.body as { records?: unknown } | undefined)?.records ?? 25);
    if (!Number.isInteger(records) || records < 0 || records > 5000) {
      return send(res, { ok: false, error: { code: 'BAD_REQUEST', message: 'records is a whole number from 0 to 5000.' } });
    }
    void devices.simulator.dockCradle(records).catch((err: Error) => console.error(`Simulated cradle: ${err.message}`));
    send(res, { ok: true, docked: true, records });
  });

  api.post('/api/sessions', (req, res) => {
    const { badge, pin } = (req.body ?? {}) as { badge?: unknown; pin?: unknown };
    if (typeof badge !== 'string' || typeof pin !== 'string') {
      return send(res, { ok: false, error: { code: 'BAD_REQUEST', message: 'Send {"badge": "...", "pin": "..."}.' } });
    }
    const outcome = app.signIn(badge, pin, 'api');
    return send(res, outcome.ok ? { ok: true, ...outcome.response } : refusal(outcome.error));
  });
  api.delete('/api/sessions', (req, res) => {
    const outcome = app.signOut(bearer(req) ?? '', 'api');
    send(res, outcome.ok ? { ok: true } : refusal(outcome.error));
  });
  api.get('/api/session', (req, res) => {
    const actor = actorOf(req);
    if (actor.kind !== 'operator') return send(res, refusal(new DomainError('NOT_SIGNED_IN', 'This session is not signed in.')));
    const op = app.state().operators.get(actor.id)!;
    send(res, { ok: true, operator: { id: op.id, name: op.name, badge: op.badge, role: op.role } });
  });

  api.post('/api/commands/:name', (req, res) => run(req, res, String(req.params.name), (req.body ?? {}) as Input));

  // Queries by GET, with path parameters for the thing asked about.
  api.get('/api/assets/:tag', (req, res) => run(req, res, 'asset', { tag: req.params.tag }));
  api.get('/api/assets/:tag/history', (req, res) => run(req, res, 'history', { tag: req.params.tag }));
  api.get('/api/holders/:holder', (req, res) => run(req, res, 'holder', { holder: req.params.holder }));
  api.get('/api/holdings', (req, res) => run(req, res, 'holdings', { holder: req.query.holder }));
  api.get('/api/holdings/:holder', (req, res) => run(req, res, 'holdings', { holder: req.params.holder }));
  for (const name of ['overdue', 'missing', 'cases', 'dashboard', 'verify', 'cradle-batches']) {
    api.get(`/api/${name}`, (req, res) => run(req, res, name, { ...req.query }));
  }
  api.get('/api/rebuild-check', (req, res) => run(req, res, 'rebuild', { check: true }));

  api.post('/api/demo', (req, res) => {
    if (!isEmptyCage(app)) return send(res, { ok: false, error: { code: 'STORE_NOT_EMPTY', message: 'The demo cage loads only into an empty store.' } });
    try {
      send(res, { ok: true, events: seedDemo(app) });
    } catch (err) {
      if (err instanceof DomainError) return send(res, refusal(err));
      throw err;
    }
  });

  api.use(kioskRoutes(app, sessions));
  api.use(exportRoutes(app, kiosk, sessions, devices, app.config.devices.usbUnmount));
  api.use(receiptRoutes(app));
  api.use(clientAssets());
  api.use(kioskPages(app, kiosk, sessions, devices));

  api.use((req, res) => send(res, { ok: false, error: { code: 'UNKNOWN_ROUTE', message: `No route ${req.method} ${req.path}.` } }));
  api.use((err: unknown, _req: Request, res: Response, _next: NextFunction) => {
    if (err instanceof UsageError) return send(res, { ok: false, error: { code: 'BAD_REQUEST', message: err.message } });
    if (err instanceof StoreError) return send(res, { ok: false, error: { code: 'STORE_UNAVAILABLE', message: err.message } });
    const status = (err as { status?: number }).status;
    if (status && status < 500) return send(res, { ok: false, error: { code: 'BAD_REQUEST', message: (err as Error).message } });
    console.error(err);
    res.status(500).json({ ok: false, error: { code: 'INTERNAL', message: 'The appliance hit an unexpected error; it is logged.' } });
  });
  return api;
}

export async function listen(app: Appliance, host: string, port: number, kiosk: KioskConfig = loadKioskConfig(), devices?: DeviceHub): Promise<Server> {
  await prepareClientBundle(); // the kiosk browser must find its script at the first page
  return new Promise((resolve, reject) => {
    const api = createApi(app, { ...kiosk, boundHost: host }, devices);
    const server = api.listen(port, host);
    // Open event streams would keep close() waiting forever: end them first.
    const close = server.close.bind(server);
    server.close = (callback?: (err?: Error) => void) => {
      api.locals.stop();
      return close(callback);
    };
    server.once('listening', () => resolve(server));
    server.once('error', reject);
  });
}

