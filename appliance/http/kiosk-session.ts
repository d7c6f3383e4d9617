// The kiosk's session: an Appliance session token in an HttpOnly, SameSite=Strict cookie, and the idle
// sign-out. The browser counts down and signs out itself; the server keeps the last activity of each
// session too and signs out any the browser left behind (closed, crashed), a little after the browser would.
import { createHash } from 'node:crypto';
import type { Request, Response } from 'express';
import type { Appliance } from '../appliance.ts';
import type { Actor } from '../domain/types.ts';
import type { OperatorInfo } from '../../ui/view-types.ts';

export const COOKIE = 'assettrack_kiosk';
/** How long after the browser's own countdown the server signs out a silent session (at most 15 s). */
const graceMs = (idleMs: number) => Math.min(15_000, idleMs / 4);

function cookies(req: Request): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of (req.get('cookie') ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0) out[part.slice(0, eq).trim()] = decodeURIComponent(part.slice(eq + 1).trim());
  }
  return out;
}

const keyOf = (token: string) => createHash('sha256').update(token).digest('hex');

export class KioskSessions {
  private readonly lastActivity = new Map<string, { token: string; at: number }>();
  private readonly timer: NodeJS.Timeout;
  private readonly app: Appliance;
  private readonly idleMs: number;

  constructor(app: Appliance, idleSeconds: number) {
    this.app = app;
    this.idleMs = idleSeconds * 1000;
    this.timer = setInterval(() => this.signOutIdle(), Math.min(5000, Math.max(250, this.idleMs / 4))).unref();
  }

  stop(): void {
    clearInterval(this.timer);
  }

  tokenOf(req: Request): string | null {
    return cookies(req)[COOKIE] || null;
  }

  hasCookie = (req: Request): boolean => this.tokenOf(req) !== null;

  /** The signed-in operator of this request's cookie, or null. Any request with a live cookie is activity. */
  actorOf(req: Request): Extract<Actor, { kind: 'operator' }> | null {
    const token = this.tokenOf(req);
    if (!token) return null;
    const actor = this.app.sessionActor(token);
    if (!actor || actor.kind !== 'operator') return null;
    this.lastActivity.set(keyOf(token), { token, at: Date.now() });
    return actor;
  }

  operatorOf(req: Request): OperatorInfo | null {
    const actor = this.actorOf(req);
    const op = actor && this.app.state().operators.get(actor.id);
    return op ? { id: op.id, name: op.name, role: op.role } : null;
  }

  /** Starts the cookie for a token from Appliance.signIn / signInWithBadge. */
  begin(res: Response, token: string): void {
    this.lastActivity.set(keyOf(token), { token, at: Date.now() });
    // No Max-Age: the cookie ends with the browser as well as with the idle sign-out.
    res.cookie(COOKIE, token, { httpOnly: true, sameSite: 'strict', path: '/' });
  }

  end(req: Request, res: Response, reason: string): boolean {
    const token = this.tokenOf(req);
    res.clearCookie(COOKIE, { httpOnly: true, sameSite: 'strict', path: '/' });
    if (!token) return false;
    this.lastActivity.delete(keyOf(token));
    return this.app.signOut(token, 'touch', reason).ok;
  }

  private signOutIdle(): void {
    const now = Date.now();
    for (const [key, { token, at }] of this.lastActivity) {
      if (now - at < this.idleMs + graceMs(this.idleMs)) continue;
      this.lastActivity.delete(key);
      try {
        this.app.signOut(token, 'touch', 'idle');
      } catch (err) {
        console.error('idle sign-out failed:', err);
      }
    }
  }
}
