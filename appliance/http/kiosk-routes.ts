// Signing in and out at the kiosk: PIN pad (badge + PIN) or a badge scan, answered with the session cookie.
import express, { type Request, type Response } from 'express';
import type { Appliance, Outcome } from '../appliance.ts';
import { DomainError } from '../domain/errors.ts';
import { refusal } from '../operations.ts';
import type { KioskSessions } from './kiosk-session.ts';
import { isLoopback } from './security.ts';

/** A badge scan signs in only while it is fresh: the operator is standing at the kiosk. */
const BADGE_SCAN_FRESH_MS = 30_000;
const SCANNER_SOURCES = new Set(['wedge', 'hid']);
/** How the scan reached the log (the event's source): the kiosk page, or the box's own scanner listeners. */
const TRUSTED_SCAN_PATHS = new Set(['touch', 'wedge', 'hid']);

type SignedIn = Outcome<{ token: string; operator: { id: string; name: string; role: string } }>;

export function kioskRoutes(app: Appliance, sessions: KioskSessions): express.Router {
  const router = express.Router();
  const usedScans = new Set<number>();

  const answer = (res: Response, outcome: SignedIn) => {
    if (!outcome.ok) {
      const status = outcome.error.code === 'OPERATOR_LOCKED' ? 423 : outcome.error.code === 'SIGN_IN_FAILED' ? 401 : 409;
      return res.status(status).json(refusal(outcome.error));
    }
    sessions.begin(res, outcome.response.token);
    res.json({ ok: true, operator: outcome.response.operator });
  };

  /** The badge of a recorded, fresh, unused scan of an operator badge; a sentence when it is not one. */
  const badgeFromScan = (seq: number): string | DomainError => {
    const event = app.store.event(seq);
    const tooOld = !event || app.now().getTime() - Date.parse(event.recorded_at) > BADGE_SCAN_FRESH_MS;
    if (!event || event.type !== 'ScanCaptured' || event.data.kind !== 'operator' || !SCANNER_SOURCES.has(String(event.data.source))) {
      return new DomainError('NOT_A_BADGE_SCAN', 'That scan is not an operator badge.');
    }
    // A badge alone signs in only when the scan was captured at this kiosk (its page or its device
    // listeners), never one posted by another API client or typed at the console.
    if (!TRUSTED_SCAN_PATHS.has(event.source)) {
      return new DomainError('NOT_A_BADGE_SCAN', 'Only a badge scanned at this kiosk signs in without a PIN.');
    }
    if (tooOld || usedScans.has(seq)) return new DomainError('STALE_BADGE_SCAN', 'Scan your badge again.');
    usedScans.add(seq);
    return String(event.data.value);
  };

  router.post('/kiosk/session', (req: Request, res: Response) => {
    const body = (req.body ?? {}) as { badge?: unknown; pin?: unknown; operator?: unknown; scan_seq?: unknown };
    if (typeof body.scan_seq === 'number') {
      if (!isLoopback(req)) return res.status(403).json(refusal(new DomainError('CROSS_SITE_REFUSED', 'Badge sign-in works only at the kiosk itself; use your PIN.')));
      const badge = badgeFromScan(body.scan_seq);
      if (badge instanceof DomainError) return res.status(400).json(refusal(badge));
      return answer(res, app.signInWithBadge(badge, 'touch'));
    }
    // The PIN pad names the operator by id (tapped from the list) or by badge.
    const op = typeof body.operator === 'string' ? app.state().operators.get(body.operator) : undefined;
    const badge = op?.badge ?? body.badge;
    if (typeof badge !== 'string' || typeof body.pin !== 'string') {
      return res.status(400).json({ ok: false, error: { code: 'BAD_REQUEST', message: 'Choose your name and enter your PIN.' } });
    }
    answer(res, app.signIn(badge, body.pin, 'touch'));
  });

  router.post('/kiosk/sign-out', (req, res) => {
    const reason = (req.body as { reason?: unknown } | undefined)?.reason === 'idle' ? 'idle' : 'signed out';
    sessions.end(req, res, reason);
    res.json({ ok: true });
  });

  /** The browser reports taps that sent nothing else, so the server's idle clock agrees with the screen's. */
  router.post('/kiosk/activity', (req, res) => {
    res.json({ ok: true, signed_in: sessions.actorOf(req) !== null });
  });

  return router;
}
