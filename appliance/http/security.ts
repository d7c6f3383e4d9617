// Browser-facing protections: a Content-Security-Policy without 'unsafe-inline' (component style blocks
// are allowed by hash), a Host check against DNS rebinding, and same-origin checks on every request that
// changes state (SameSite=Strict on the session cookie is the other half).
import type { NextFunction, Request, RequestHandler, Response } from 'express';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
/** Sent by the kiosk's own scripts on every write; a cross-site form or a plain link cannot send it. */
export const KIOSK_HEADER = 'x-requested-by';
export const KIOSK_HEADER_VALUE = 'assettrack-kiosk';

export function contentSecurityPolicy(styleHashes: string[]): string {
  return [
    "default-src 'none'",
    "script-src 'self'",
    `style-src 'self' ${styleHashes.join(' ')}`.trim(),
    "img-src 'self' data:",
    "connect-src 'self'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}

export function securityHeaders(styleHashes: string[]): RequestHandler {
  const csp = contentSecurityPolicy(styleHashes);
  return (_req, res, next) => {
    res.set({
      'content-security-policy': csp,
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
      'x-frame-options': 'DENY',
      'cross-origin-opener-policy': 'same-origin',
      'cross-origin-resource-policy': 'same-origin',
    });
    next();
  };
}

function refuse(res: Response, status: number, code: string, message: string): void {
  res.status(status).json({ ok: false, error: { code, message } });
}

/**
 * Only names this box answers to. A page on another site that rebinds its DNS name to 127.0.0.1 sends its
 * own name as Host and is refused. Bound to every interface (0.0.0.0, ::), the box cannot know its names.
 */
export function hostCheck(boundHost: string, extra: string[]): RequestHandler {
  const wildcard = boundHost === '0.0.0.0' || boundHost === '::' || boundHost === '';
  const allowed = new Set(['127.0.0.1', 'localhost', '[::1]', boundHost.toLowerCase(), ...extra]);
  return (req, res, next) => {
    if (wildcard) return next();
    const host = (req.get('host') ?? '').toLowerCase().replace(/:\d+$/, '');
    if (allowed.has(host)) return next();
    refuse(res, 421, 'UNKNOWN_HOST', `This kiosk does not answer to "${host}".`);
  };
}

/**
 * State-changing requests must come from this origin. Browsers say where a request comes from (Origin,
 * Sec-Fetch-Site); a request that carries the kiosk cookie must also carry the kiosk's header. Clients
 * without cookies (curl, scripts with a bearer token) send neither and pass: there is nothing to forge.
 */
export function sameOriginWrites(hasSessionCookie: (req: Request) => boolean): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    if (SAFE_METHODS.has(req.method)) return next();
    const site = req.get('sec-fetch-site');
    const origin = req.get('origin');
    const expected = `${req.protocol}://${req.get('host')}`;
    const crossSite = (site !== undefined && site !== 'same-origin') || (origin !== undefined && origin !== expected);
    const unmarked = hasSessionCookie(req) && (origin === undefined || req.get(KIOSK_HEADER) !== KIOSK_HEADER_VALUE);
    if (crossSite || unmarked) {
      return refuse(res, 403, 'CROSS_SITE_REFUSED', 'This request did not come from the kiosk itself, so it was refused.');
    }
    next();
  };
}

/**
 * A request made by the kiosk's own scripts: its taps are recorded as touch. Headers can be forged by any
 * HTTP client, so only a connection from this box (the kiosk browser runs on it) can count as the kiosk;
 * a container published on 0.0.0.0 never turns a remote caller into the touchscreen.
 */
export function fromKiosk(req: Request): boolean {
  return isLoopback(req) && req.get(KIOSK_HEADER) === KIOSK_HEADER_VALUE && req.get('origin') === `${req.protocol}://${req.get('host')}`;
}

export function isLoopback(req: Request): boolean {
  const address = req.socket.remoteAddress ?? '';
  return address === '::1' || address.startsWith('127.') || address.startsWith('::ffff:127.');
}
