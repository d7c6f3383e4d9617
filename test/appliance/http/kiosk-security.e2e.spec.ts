// The kiosk's security baseline over real HTTP: session cookie flags, same-origin writes, the Host check,
// the Content-Security-Policy, admin screens refused server-side, and the server's idle sign-out.
import { createHash } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../appliance/config.ts';
import { loadKioskConfig } from '../../../appliance/http/kiosk-config.ts';
import { listen } from '../../../appliance/http/server.ts';
import { seedDemo } from '../../../appliance/seed-demo.ts';
import { openCage, type Cage } from '../../support/cage.ts';

let cage: Cage;
let server: Server;
let base: string;
let n = 0;

beforeAll(async () => {
  cage = openCage({ seed: false });
  seedDemo(cage.app);
  server = await listen(cage.app, '127.0.0.1', 0, { ...loadKioskConfig({}), idleSeconds: 0.4 });
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  cage.close();
});

/** A request as the kiosk's own page sends it (same origin, the kiosk header), optionally with a cookie. */
async function kioskPost(path: string, body: unknown, opts: { cookie?: string; headers?: Record<string, string> } = {}) {
  const headers: Record<string, string> = {
    'content-type': 'application/json', origin: base, 'x-requested-by': 'assettrack-kiosk', 'idempotency-key': `sec-${++n}`,
    ...(opts.cookie ? { cookie: opts.cookie } : {}), ...opts.headers,
  };
  const res = await fetch(base + path, { method: 'POST', headers, body: JSON.stringify(body) });
  return { status: res.status, body: (await res.json()) as Record<string, any>, setCookie: res.headers.get('set-cookie') ?? '' };
}

async function signIn(badge: string, pin: string): Promise<string> {
  const r = await kioskPost('/kiosk/session', { badge, pin });
  expect(r.status).toBe(200);
  return r.setCookie.split(';')[0]!;
}

describe('kiosk security', () => {
  it('binds to 127.0.0.1 unless configured', () => {
    expect(loadConfig({}).host).toBe('127.0.0.1');
  });

  it('sends a Content-Security-Policy without unsafe-inline that allows exactly the rendered style blocks', async () => {
    const res = await fetch(`${base}/`);
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("default-src 'none'");
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).not.toContain('unsafe-eval');
    const html = await res.text();
    const styles = [...html.matchAll(/<style>([\s\S]*?)<\/style>/g)].map((m) => m[1]!);
    expect(styles.length).toBeGreaterThan(0);
    for (const text of styles) expect(csp).toContain(`'sha256-${createHash('sha256').update(text).digest('base64')}'`);
    expect(html).not.toMatch(/<script(?![^>]*(?:src="\/assets\/client\.js"|type="application\/json"))/);
    expect(html).not.toMatch(/\sstyle="/);
    expect(res.headers.get('x-frame-options')).toBe('DENY');
  });

  it('signs in to an HttpOnly, SameSite=Strict cookie that authenticates API calls, recorded as touch', async () => {
    const r = await kioskPost('/kiosk/session', { badge: 'OPR-1001', pin: '1001' });
    expect(r.body).toMatchObject({ ok: true, operator: { name: 'Oscar Operator', role: 'operator' } });
    expect(r.setCookie).toMatch(/^assettrack_kiosk=[\w-]+;/);
    expect(r.setCookie).toContain('HttpOnly');
    expect(r.setCookie).toContain('SameSite=Strict');
    const cookie = r.setCookie.split(';')[0]!;
    const me = await fetch(`${base}/api/session`, { headers: { cookie } });
    expect(((await me.json()) as any).operator.badge).toBe('OPR-1001');
    const action = await kioskPost('/api/commands/ui-action', { screen: 'idle', action: 'start', target: 'test' }, { cookie });
    expect(action.status).toBe(200);
    const event = cage.app.store.event(cage.app.store.head().seq)!;
    expect(event).toMatchObject({ type: 'UiAction', source: 'touch', actor: 'O-0002' });
  });

  it('refuses cross-site writes and records nothing', async () => {
    const cookie = await signIn('OPR-1001', '1001');
    const head = cage.app.store.head().seq;
    const evil = await kioskPost('/api/commands/issue', { tags: ['LT-00010'], holder: 'EMP-0101' }, { cookie, headers: { origin: 'http://evil.example' } });
    expect(evil).toMatchObject({ status: 403, body: { ok: false, error: { code: 'CROSS_SITE_REFUSED' } } });
    const fetchMeta = await kioskPost('/api/commands/issue', { tags: ['LT-00010'], holder: 'EMP-0101' }, { cookie, headers: { 'sec-fetch-site': 'cross-site' } });
    expect(fetchMeta.status).toBe(403);
    // A cookie without the kiosk's header (a cross-site form cannot set headers) is refused too.
    const unmarked = await fetch(`${base}/api/commands/issue`, {
      method: 'POST', headers: { 'content-type': 'application/json', cookie, origin: base, 'idempotency-key': 'x-1' },
      body: JSON.stringify({ tags: ['LT-00010'], holder: 'EMP-0101' }),
    });
    expect(unmarked.status).toBe(403);
    const signOut = await kioskPost('/kiosk/sign-out', {}, { cookie, headers: { origin: 'http://evil.example' } });
    expect(signOut.status).toBe(403);
    expect(cage.app.store.head().seq).toBe(head);
  });

  it('signs in by badge alone only for a scan captured at the kiosk, not one posted by another API client', async () => {
    // Another local program posts the admin's badge as a "wedge" scan through the plain JSON API…
    const forged = await fetch(`${base}/api/commands/scan`, {
      method: 'POST', headers: { 'content-type': 'application/json', 'idempotency-key': `forged-${++n}` },
      body: JSON.stringify({ text: 'ADM-9001', source: 'wedge', device: 'kbd' }),
    });
    const forgedSeq = ((await forged.json()) as { scan: { seq: number } }).scan.seq;
    expect(cage.app.store.event(forgedSeq)).toMatchObject({ source: 'api', data: { kind: 'operator' } });
    const refused = await kioskPost('/kiosk/session', { scan_seq: forgedSeq });
    expect(refused.status).toBe(400);
    expect(refused.body.error).toEqual({ code: 'NOT_A_BADGE_SCAN', message: 'Only a badge scanned at this kiosk signs in without a PIN.' });
    expect(refused.setCookie).toBe('');
    // …while the same badge scanned through the kiosk page signs in.
    const scanned = await kioskPost('/api/commands/scan', { text: 'OPR-1001', source: 'wedge', device: 'browser' });
    const ok = await kioskPost('/kiosk/session', { scan_seq: scanned.body.scan.seq });
    expect(ok.body).toMatchObject({ ok: true });
    expect(ok.status).toBe(200);
    expect(ok.body.operator).toMatchObject({ name: 'Oscar Operator' });
  });

  it('refuses a Host it does not answer to (DNS rebinding)', async () => {
    const { request } = await import('node:http');
    const port = (server.address() as AddressInfo).port;
    const status = await new Promise<number>((resolve, reject) => {
      request({ host: '127.0.0.1', port, path: '/', headers: { host: `evil.example:${port}` } }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      }).on('error', reject).end();
    });
    expect(status).toBe(421);
  });

  it('opens admin screens only for the admin role', async () => {
    const anonymous = await fetch(`${base}/admin`);
    expect(anonymous.status).toBe(403);
    expect(await anonymous.text()).toContain('Sign in as an admin to open this screen.');
    const operator = await fetch(`${base}/admin`, { headers: { cookie: await signIn('OPR-1002', '1002') } });
    expect(operator.status).toBe(403);
    expect(await operator.text()).toContain('Olga Operator is not an admin.');
    const admin = await fetch(`${base}/admin`, { headers: { cookie: await signIn('ADM-9001', '9001') } });
    expect(admin.status).toBe(200);
  });

  it('signs out a session that stays silent past the idle time', async () => {
    const cookie = await signIn('OPR-1002', '1002');
    expect((await fetch(`${base}/api/session`, { headers: { cookie } })).status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 1200));
    expect((await fetch(`${base}/api/session`, { headers: { cookie } })).status).toBe(401);
    const out = [...cage.app.store.readEvents()].filter((e) => e.type === 'OperatorSignedOut').at(-1);
    expect(out?.data).toEqual({ reason: 'idle' });
  });
});
